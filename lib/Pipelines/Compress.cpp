//===- Compress.cpp - The mlg-compress pipeline ---------------------------===//

#include "mlg/Dialect/MLG/Transforms/Passes.h"
#include "mlg/Pipelines/Pipelines.h"

#include "PipelinePass.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGCOMPRESS
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

void mlir::mlg::buildCompressPipeline(OpPassManager &pm,
                                      const MLGCompressOptions &options) {
  MLGDecomposeOptions decompose;
  decompose.mode = options.decomposeMode;
  decompose.bi = options.bi;
  decompose.bc = options.bc;
  decompose.maxRelError = options.maxRelError;
  decompose.refineIterations = options.refineIterations;
  decompose.costBits = options.costBits;
  decompose.layerOverrides = options.layerOverrides;
  decompose.family = options.family;
  decompose.sdBits = options.sdBits;
  decompose.sdMaxExponent = options.sdMaxExponent;
  decompose.sdThreshold = options.sdThreshold;
  decompose.sdRowPrune = options.sdRowPrune;
  decompose.sdIterations = options.sdIterations;
  // The precision pass measures final errors against the dense weights.
  decompose.keepSource = true;
  pm.addPass(createMLGDecompose(decompose));

  MLGAssignPrecisionOptions precision;
  precision.mode = options.precisionMode;
  precision.qb = options.qb;
  precision.qu = options.qu;
  precision.qv = options.qv;
  precision.maxRelError = options.precisionMaxRelError;
  precision.maxMemoryRatio = options.maxMemoryRatio;
  precision.minBits = options.minBits;
  precision.maxBits = options.maxBits;
  precision.perChannel = options.perChannel;
  pm.addPass(createMLGAssignPrecision(precision));
}

namespace {
struct MLGCompressPass
    : PipelinePass<MLGCompressPass,
                   mlg::impl::MLGCompressBase<MLGCompressPass>> {
  using PipelinePass::PipelinePass;

  MLGCompressOptions currentOptions() const {
    MLGCompressOptions o;
    o.decomposeMode = decomposeMode;
    o.bi = bi;
    o.bc = bc;
    o.maxRelError = maxRelError;
    o.refineIterations = refineIterations;
    o.costBits.assign(costBits.begin(), costBits.end());
    o.layerOverrides.assign(layerOverrides.begin(), layerOverrides.end());
    o.family = family;
    o.sdBits = sdBits;
    o.sdMaxExponent = sdMaxExponent;
    o.sdThreshold = sdThreshold;
    o.sdRowPrune = sdRowPrune;
    o.sdIterations = sdIterations;
    o.precisionMode = precisionMode;
    o.qb = qb;
    o.qu = qu;
    o.qv = qv;
    o.precisionMaxRelError = precisionMaxRelError;
    o.maxMemoryRatio = maxMemoryRatio;
    o.minBits = minBits;
    o.maxBits = maxBits;
    o.perChannel = perChannel;
    return o;
  }
  void buildPipeline(OpPassManager &pm) const {
    buildCompressPipeline(pm, currentOptions());
  }
};
} // namespace
