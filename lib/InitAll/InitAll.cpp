//===- InitAll.cpp - Register everything MLG tools expose -----------------===//

#include "mlg/InitAll.h"

#include "mlg/Conversion/Passes.h"
#include "mlg/Dialect/MLG/IR/MLGDialect.h"
#include "mlg/Dialect/MLG/Transforms/Passes.h"
#include "mlg/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void mlir::mlg::registerAllDialects(DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<MLGDialect>();
}

void mlir::mlg::registerAllPasses() {
  mlir::registerAllPasses();
  registerMLGConversionPasses();
  registerMLGTransformsPasses();
  registerMLGPipelinesPasses();
}
