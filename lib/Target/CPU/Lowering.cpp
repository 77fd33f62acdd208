//===- Lowering.cpp - Input preparation and the CPU lowering --------------===//

#include "mlg/Conversion/Passes.h"
#include "mlg/Dialect/MLG/Transforms/Passes.h"
#include "mlg/Pipelines/CPUPackSubByteConstants.h"
#include "mlg/Pipelines/Pipelines.h"
#include "mlg/Target/CPU/Compiler.h"

#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

bool mlir::mlg::containsTOSA(ModuleOp module) {
  bool found = false;
  module.walk([&](Operation *op) {
    if (isa<tosa::TosaDialect>(op->getDialect())) {
      found = true;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

void mlir::mlg::buildTOSAInputPipeline(OpPassManager &pm) {
  // The options of the registered tosa-to-linalg-pipeline.
  tosa::TosaValidationOptions validation;
  validation.strictOpSpecAlignment = false;
  validation.allowInvalidOpDatatypeCombinations = false;
  tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions(),
                              TosaToLinalgNamedOptions(), validation);
  // tosa.const (weights, biases) is left to tosa-to-arith.
  pm.addPass(createTosaToArithPass());
}

void mlir::mlg::buildCPULoweringPipeline(OpPassManager &pm,
                                         const CPULoweringOptions &options) {
  pm.addPass(createMLGFuseGeneration());
  MLGSelectStrategyOptions select;
  select.force = options.strategy;
  pm.addPass(createMLGSelectStrategy(select));
  pm.addPass(createMLGLowerGenerated());
  // The strategies leave duplicate constants and reshape pairs behind.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Not before: the SmartDeal lowering reorders constant codes at compile
  // time into the order its block loop reads, and it is that constant which
  // is to be stored packed.
  if (options.packCodes)
    pm.addPass(createCPUPackSubByteConstantsPass(options.packedCodes));
  MLGToLLVMOptions toLLVM;
  toLLVM.threads = options.threads;
  buildMLGToLLVMPipeline(pm, toLLVM);
}
