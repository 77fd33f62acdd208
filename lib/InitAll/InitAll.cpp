//===- InitAll.cpp - Register everything MLG tools expose -----------------===//

#include "mlg/InitAll.h"

#include "mlg/Conversion/Passes.h"
#include "mlg/Dialect/MLG/IR/MLGDialect.h"
#include "mlg/Dialect/MLG/Transforms/Passes.h"
#include "mlg/Dialect/PTC/IR/PTCDialect.h"
#include "mlg/Pipelines/Pipelines.h"
#include "mlg/Target/PTC/Translation.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void mlir::mlg::registerAllDialects(DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<MLGDialect, ptc::PTCDialect>();
}

void mlir::mlg::registerAllPasses() {
  mlir::registerAllPasses();
  registerMLGConversionPasses();
  registerMLGTransformsPasses();
  registerMLGPipelinesPasses();
}

void mlir::mlg::registerAllTranslations() { ptc::registerPTCTranslations(); }
