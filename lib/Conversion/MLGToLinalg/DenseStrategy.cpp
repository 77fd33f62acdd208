//===- DenseStrategy.cpp - Generate W once, then convolve -----------------===//
//
// The simplest strategy: the whole weight is generated once (a batch_matmul
// for level 1, a matmul for level 2), then one named convolution / matmul
// uses it.
// Cheapest when W is small next to the activations it is applied to.
//
//===----------------------------------------------------------------------===//

#include "ConvBuilders.h"
#include "LinalgBuilders.h"
#include "StrategyPatterns.h"
#include "mlg/Conversion/MLGToLinalg/Strategies.h"

using namespace mlir;
using namespace mlir::mlg;

namespace {

struct DenseConv
    : StrategyPattern<GeneratedConv2DOp, ExecutionStrategy::dense> {
  using StrategyPattern::StrategyPattern;
  Value lower(GeneratedConv2DOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ConvGeometry geo = getConvGeometry(op);
    // [Co, Ci/G, kh, kw], or the depthwise generator's [1, Co, kh, kw]: both
    // are row-major [G, Co/G, Ci/G, kh, kw].
    Value weight = generateWeight(rewriter, loc, op.getBasis(),
                                        op.getCoeffIn(), op.getCoeffOut());
    weight = reshaped(rewriter, loc, weight,
                      {geo.groups, geo.groupOut, geo.groupIn, geo.kh, geo.kw});
    Value input =
        padActivation(rewriter, loc, op.getInput(), geo.nchw, geo.padding);
    Value init = activationInit(rewriter, loc, op.getBias(), geo.nchw,
                                geo.resultShape, geo.elementType);
    return buildGroupedConv(rewriter, loc, geo.nchw, input, weight, init,
                            geo.strides, geo.dilations);
  }
};

struct DenseMatmul
    : StrategyPattern<GeneratedMatmulOp, ExecutionStrategy::dense> {
  using StrategyPattern::StrategyPattern;
  Value lower(GeneratedMatmulOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getResult().getType();
    Value weight = generateWeight(rewriter, loc, op.getBasis(),
                                        op.getCoeffIn(), op.getCoeffOut());
    Value init = biasFilled(rewriter, loc, op.getBias(), resultType.getShape(),
                            {1}, resultType.getElementType());
    return buildMatmulTransposedRhs(rewriter, loc, op.getInput(), weight, init);
  }
};

} // namespace

void mlir::mlg::populateDenseStrategyPatterns(RewritePatternSet &patterns,
                                              bool lowerAutomatic) {
  patterns.add<DenseConv, DenseMatmul>(patterns.getContext(), lowerAutomatic);
}
