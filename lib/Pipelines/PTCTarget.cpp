//===- PTCTarget.cpp - The photonic tensor core pipeline ------------------===//

#include "mlg/Conversion/Passes.h"
#include "mlg/Pipelines/Pipelines.h"

#include "PipelinePass.h"

#include "mlir/Transforms/Passes.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGTOPTC
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

void mlir::mlg::buildMLGToPTCPipeline(OpPassManager &pm,
                                      const MLGToPTCOptions &options) {
  // Folds the reshapes and casts frontends leave between layers.
  pm.addPass(createCanonicalizerPass());
  ConvertMLGToPTCOptions convert;
  convert.model = options.model;
  convert.calibration = options.calibration;
  convert.activationRange = options.activationRange;
  convert.resultBits = options.resultBits;
  convert.timeAccumulation = options.timeAccumulation;
  convert.weightBits = options.weightBits;
  convert.globalSram = options.globalSram;
  convert.weightSource = options.weightSource;
  pm.addPass(createConvertMLGToPTC(convert));
}

namespace {
struct MLGToPTCPass
    : PipelinePass<MLGToPTCPass, mlir::mlg::impl::MLGToPTCBase<MLGToPTCPass>> {
  using PipelinePass::PipelinePass;

  void buildPipeline(OpPassManager &pm) const {
    MLGToPTCOptions o;
    o.model = model;
    o.calibration = calibration;
    o.activationRange = activationRange;
    o.resultBits = resultBits;
    o.timeAccumulation = timeAccumulation;
    o.weightBits = weightBits;
    o.globalSram = globalSram;
    o.weightSource = weightSource;
    buildMLGToPTCPipeline(pm, o);
  }
};
} // namespace
