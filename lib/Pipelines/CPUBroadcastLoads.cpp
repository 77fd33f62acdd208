//===- CPUBroadcastLoads.cpp - Broadcast operands loaded as scalars -------===//
//
// A vectorized convolution broadcasts each input element across the output
// channels. When a tile's input elements come from one vector load, LLVM
// broadcasts them with register shuffles, which compete with the FMAs for
// the FP pipes (on Zen 3, 12 shuffles per 24 FMAs in the 3-channel stem).
// Lowering the contractions to FMAs and the element extracts of loads to
// scalar loads makes each broadcast a load-port broadcast (vbroadcastss m32).
//
//===----------------------------------------------------------------------===//

#include "mlg/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGCPUBROADCASTLOADS
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;

namespace {
struct MLGCPUBroadcastLoadsPass
    : mlg::impl::MLGCPUBroadcastLoadsBase<MLGCPUBroadcastLoadsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateScalarVectorTransferLoweringPatterns(
        patterns, /*benefit=*/1, /*allowMultipleUses=*/true);
    vector::ExtractOp::getCanonicalizationPatterns(patterns, ctx);
    vector::BroadcastOp::getCanonicalizationPatterns(patterns, ctx);
    vector::ShapeCastOp::getCanonicalizationPatterns(patterns, ctx);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
