//===- StrategyPatterns.h - Shared parts of the strategy patterns -*- C++ -*-===//
//
// Internal to lib/Conversion/MLGToLinalg: the pattern base deciding which
// fused ops a strategy rewrites, and the convolution geometry every strategy
// reads off the op.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_LIB_CONVERSION_MLGTOLINALG_STRATEGYPATTERNS_H
#define MLG_LIB_CONVERSION_MLGTOLINALG_STRATEGYPATTERNS_H

#include "mlg/Dialect/MLG/IR/MLGOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::mlg {

/// Everything about a generated convolution's shape, in one place.
struct ConvGeometry {
  bool nchw;
  bool depthwise;
  int64_t groups;
  int64_t inChannels, outChannels;       // Ci, Co
  int64_t groupIn, groupOut;             // Ci/G, Co/G
  int64_t kh, kw;
  SmallVector<int64_t> resultShape;      // 4-D, activation layout
  SmallVector<int64_t> strides, dilations, padding;
  Type elementType;
  /// Dimension of the channels in the activation layout.
  int64_t channelDim() const { return nchw ? 1 : 3; }
};

ConvGeometry getConvGeometry(GeneratedConv2DOp op);

/// True when every operand and result has a static shape.
bool hasStaticShapes(Operation *op);

/// Erases the ops strictly between `previous` (null: block start) and `next`
/// (and inside their regions) that became dead, such as weight reshapes a
/// later reshape looked through.
void eraseDeadOps(RewriterBase &rewriter, Operation *previous,
                  Operation *next);

/// Matches the fused `OpTy` ops whose strategy is `Strategy` (or `auto` when
/// asked), with static shapes.
template <typename OpTy, ExecutionStrategy Strategy>
struct StrategyPattern : OpRewritePattern<OpTy> {
  StrategyPattern(MLIRContext *ctx, bool lowerAutomatic)
      : OpRewritePattern<OpTy>(ctx), lowerAutomatic(lowerAutomatic) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const final {
    ExecutionStrategy strategy = op.getStrategy();
    if (strategy != Strategy &&
        !(lowerAutomatic && strategy == ExecutionStrategy::automatic))
      return rewriter.notifyMatchFailure(op, "another strategy");
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Operation *previous = op->getPrevNode();
    Operation *next = op->getNextNode();
    Value result = lower(op, rewriter);
    rewriter.replaceOp(op, result);
    eraseDeadOps(rewriter, previous, next);
    return success();
  }

  /// Builds the replacement value in front of `op`.
  virtual Value lower(OpTy op, PatternRewriter &rewriter) const = 0;

private:
  bool lowerAutomatic;
};

} // namespace mlir::mlg

#endif // MLG_LIB_CONVERSION_MLGTOLINALG_STRATEGYPATTERNS_H
