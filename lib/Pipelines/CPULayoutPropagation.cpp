//===- CPULayoutPropagation.cpp - Keep activations NHWC between convs -----===//
//
// convertConvolutionsToNHWC leaves every convolution between a transpose of
// its input to NHWC and a transpose of its result back to NCHW. Between two
// convolutions the activations pass through batch norm, ReLU, residual adds,
// padding and pooling, all written in NCHW; the transposes would then be done
// for real (a strided pass over every activation, about a fifth of a
// compressed ResNet-18's time). The patterns here move each NHWC->NCHW
// transpose below the ops that can work in NHWC as well: the op is rebuilt in
// NHWC and its result transposed instead. A transpose that reaches the next
// convolution's NCHW->NHWC transpose composes with it to nothing; the ones
// left are at the function's results and at reshapes.
//
//===----------------------------------------------------------------------===//

#include "CPUSchedule.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using mlir::mlg::kNCHWToNHWC;
using mlir::mlg::kNHWCToNCHW;
using mlir::mlg::permutedType;
using mlir::mlg::transposeOrFold;

namespace {

/// The NHWC source of `value` when `value` is its transpose to NCHW.
Value nhwcSource(Value value) {
  auto transpose = value.getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !transpose.hasPureTensorSemantics() ||
      transpose.getPermutation() != ArrayRef<int64_t>(kNHWCToNCHW))
    return {};
  return transpose.getInput();
}

/// An NHWC tensor to write the NHWC form of NCHW `init` into: a new empty
/// tensor when `init` is one (its contents are not read), else `init`
/// transposed.
Value nhwcInit(RewriterBase &rewriter, Location loc, Value init) {
  if (init.getDefiningOp<tensor::EmptyOp>()) {
    RankedTensorType type =
        permutedType(cast<RankedTensorType>(init.getType()), kNCHWToNHWC);
    return tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                   type.getElementType());
  }
  return transposeOrFold(rewriter, loc, init, kNCHWToNHWC);
}

/// An elementwise generic over an NCHW iteration space reading at least one
/// NHWC->NCHW transpose: the same generic over (n, h, w, c), reading the
/// transposes' sources directly and writing NHWC, then transposed to NCHW.
struct SinkTransposeThroughElementwise : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumLoops() != 4 ||
        op.getNumParallelLoops() != 4 || op.hasIndexSemantics())
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (!llvm::all_of(maps,
                      [](AffineMap m) { return m.isProjectedPermutation(); }))
      return failure();
    for (OpOperand &init : op.getDpsInitsMutable())
      if (!op.getMatchingIndexingMap(&init).isIdentity())
        return failure();
    bool readsTranspose =
        llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *in) {
          return nhwcSource(in->get()) &&
                 op.getMatchingIndexingMap(in).isIdentity();
        });
    if (!readsTranspose)
      return failure();

    // New loop (n, h, w, c) is old loop (n, c, h, w) permuted: old maps
    // composed with this one read the same elements.
    MLIRContext *ctx = op.getContext();
    AffineMap newToOld = AffineMap::getPermutationMap(kNHWCToNCHW, ctx);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    Location loc = op.getLoc();
    SmallVector<Value> inputs, inits;
    SmallVector<AffineMap> newMaps;
    for (OpOperand *in : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(in);
      Value source = nhwcSource(in->get());
      if (source && map.isIdentity()) {
        inputs.push_back(source);
        newMaps.push_back(identity);
      } else {
        inputs.push_back(in->get());
        newMaps.push_back(map.compose(newToOld));
      }
    }
    for (OpOperand &init : op.getDpsInitsMutable()) {
      inits.push_back(nhwcInit(rewriter, loc, init.get()));
      newMaps.push_back(identity);
    }
    auto nhwc = linalg::GenericOp::create(
        rewriter, loc, ValueRange(inits).getTypes(), inputs, inits, newMaps,
        op.getIteratorTypesArray());
    rewriter.inlineRegionBefore(op.getRegion(), nhwc.getRegion(),
                                nhwc.getRegion().begin());
    SmallVector<Value> results;
    for (Value result : nhwc.getResults())
      results.push_back(transposeOrFold(rewriter, loc, result, kNHWCToNCHW));
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// NCHW pooling of an NHWC->NCHW transpose: NHWC pooling, then the transpose.
template <typename NCHWPool, typename NHWCPool>
struct SinkTransposeThroughPooling : OpRewritePattern<NCHWPool> {
  using OpRewritePattern<NCHWPool>::OpRewritePattern;

  LogicalResult matchAndRewrite(NCHWPool op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op->getNumResults() != 1)
      return failure();
    Value source = nhwcSource(op.getInputs()[0]);
    if (!source)
      return failure();
    Location loc = op.getLoc();
    Value init = nhwcInit(rewriter, loc, op.getOutputs()[0]);
    // A max pool's init is its -inf fill: fill the NHWC tensor instead.
    if (auto fill = op.getOutputs()[0].template getDefiningOp<linalg::FillOp>())
      init =
          linalg::FillOp::create(rewriter, loc, fill.getInputs()[0],
                                 nhwcInit(rewriter, loc, fill.getOutputs()[0]))
              .getResult(0);
    auto pool =
        NHWCPool::create(rewriter, loc, TypeRange{init.getType()},
                         ValueRange{source, op.getInputs()[1]},
                         ValueRange{init}, op.getStrides(), op.getDilations());
    rewriter.replaceOp(
        op, transposeOrFold(rewriter, loc, pool.getResult(0), kNHWCToNCHW));
    return success();
  }
};

/// A constant-value pad of an NHWC->NCHW transpose: the same pad of the NHWC
/// source (amounts permuted), then the transpose.
struct SinkTransposeThroughPad : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp op,
                                PatternRewriter &rewriter) const override {
    Value source = nhwcSource(op.getSource());
    Value padValue = op.getConstantPaddingValue();
    if (!source || !padValue || op.getNofold())
      return failure();
    SmallVector<OpFoldResult> low = op.getMixedLowPad(),
                              high = op.getMixedHighPad(), newLow, newHigh;
    for (int64_t dim : kNCHWToNHWC) {
      newLow.push_back(low[dim]);
      newHigh.push_back(high[dim]);
    }
    auto pad = tensor::PadOp::create(rewriter, op.getLoc(), Type(), source,
                                     newLow, newHigh, padValue);
    rewriter.replaceOp(op, transposeOrFold(rewriter, op.getLoc(),
                                           pad.getResult(), kNHWCToNCHW));
    return success();
  }
};

} // namespace

void mlir::mlg::populateSinkLayoutTransposePatterns(
    RewritePatternSet &patterns) {
  patterns.add<SinkTransposeThroughElementwise, SinkTransposeThroughPad,
               SinkTransposeThroughPooling<linalg::PoolingNchwMaxOp,
                                           linalg::PoolingNhwcMaxOp>,
               SinkTransposeThroughPooling<linalg::PoolingNchwSumOp,
                                           linalg::PoolingNhwcSumOp>>(
      patterns.getContext());
}
