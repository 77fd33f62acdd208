//===- MLGToLinalg.cpp - Reference lowering of mlg to linalg --------------===//
//
// Every mlg op becomes linalg.generic on tensors computing the semantics of
// docs/dialect.md literally. Speed is not a goal here: this is the executable
// definition the optimised lowerings are checked against.
//
//===----------------------------------------------------------------------===//

#include "mlg/Conversion/MLGToLinalg/MLGToLinalg.h"
#include "ConvBuilders.h"
#include "LinalgBuilders.h"
#include "StrategyPatterns.h"
#include "mlg/Dialect/MLG/IR/MLGOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_CONVERTMLGTOLINALG
#include "mlg/Conversion/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

using utils::IteratorType;

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

/// Splits `bias[Co]` into `[groups, Co/groups]`.
static Value groupedBias(OpBuilder &b, Location loc, Value bias,
                         int64_t groups) {
  if (!bias)
    return bias;
  auto type = cast<RankedTensorType>(bias.getType());
  int64_t co = type.getDimSize(0);
  auto grouped =
      RankedTensorType::get({groups, co / groups}, type.getElementType());
  return tensor::ExpandShapeOp::create(b, loc, grouped, bias,
                                       SmallVector<ReassociationIndices>{{0, 1}});
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getResult().getType();
    auto floatType = cast<FloatType>(resultType.getElementType());
    QuantGrid grid = op.getQuantGrid();
    int64_t rank = resultType.getRank();
    MLIRContext *ctx = rewriter.getContext();

    // Scales are rounded to the element type once, as docs/dialect.md says.
    SmallVector<Value> inputs{adaptor.getCodes()};
    SmallVector<AffineMap> scaleMaps;
    Value scalarScale;
    if (grid.isPerTensor()) {
      scalarScale = arith::ConstantOp::create(
          rewriter, loc, floatType,
          rewriter.getFloatAttr(floatType, grid.scales.front()));
    } else {
      SmallVector<Attribute> scaleAttrs;
      for (double scale : grid.scales)
        scaleAttrs.push_back(rewriter.getFloatAttr(floatType, scale));
      auto scalesType = RankedTensorType::get(
          {static_cast<int64_t>(grid.scales.size())}, floatType);
      inputs.push_back(arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(scalesType, scaleAttrs)));
      scaleMaps.push_back(
          AffineMap::get(rank, 0, getAffineDimExpr(grid.axis, ctx)));
    }
    Value offset;
    if (grid.codeOffset() != 0.0)
      offset = arith::ConstantOp::create(
          rewriter, loc, floatType,
          rewriter.getFloatAttr(floatType, grid.codeOffset()));
    Value result = buildElementwise(
        rewriter, loc, resultType, inputs, scaleMaps,
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          // Codes are signed; c + 1/2 is exact for codes of up to 16 bits.
          Value level = arith::SIToFPOp::create(b, nloc, floatType, args[0]);
          if (offset)
            level = arith::AddFOp::create(b, nloc, level, offset);
          Value scale = scalarScale ? scalarScale : args[1];
          return arith::MulFOp::create(b, nloc, level, scale);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Decodes through a table of the 2^b values, indexed by `c + 2^(b-1)`:
/// exact for every float type the verifier accepts, and a code tensor is
/// decoded once per generation, so the gather costs nothing that matters.
struct DecodePow2Lowering : OpConversionPattern<DecodePow2Op> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DecodePow2Op op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getResult().getType();
    auto floatType = cast<FloatType>(resultType.getElementType());
    unsigned bits = op.getBitWidth();
    int64_t half = int64_t(1) << (bits - 1);
    SmallVector<Attribute> values;
    for (int64_t code = -half; code < half; ++code) {
      APFloat value = APFloat::getZero(floatType.getFloatSemantics());
      if (code != 0) {
        int64_t exponent = op.getSmallestExponent() + std::abs(code) - 1;
        value = scalbn(APFloat::getOne(floatType.getFloatSemantics(),
                                       /*Negative=*/code < 0),
                       int(exponent), APFloat::rmNearestTiesToEven);
      }
      values.push_back(rewriter.getFloatAttr(floatType, value));
    }
    auto tableType = RankedTensorType::get({2 * half}, floatType);
    Value table = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(tableType, values));
    Value offset = arith::ConstantIndexOp::create(rewriter, loc, half);
    Value result = buildElementwise(
        rewriter, loc, resultType, adaptor.getCodes(), {},
        [&](OpBuilder &b, Location nloc, ValueRange args) -> Value {
          Value index =
              arith::IndexCastOp::create(b, nloc, b.getIndexType(), args[0]);
          index = arith::AddIOp::create(b, nloc, index, offset);
          return tensor::ExtractOp::create(b, nloc, table, index);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GenerateIntraLowering : OpConversionPattern<GenerateIntraOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GenerateIntraOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildIntraGeneration(rewriter, op.getLoc(),
                                                adaptor.getCoeff(),
                                                adaptor.getBasis()));
    return success();
  }
};

struct GenerateCrossLowering : OpConversionPattern<GenerateCrossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GenerateCrossOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildCrossGeneration(rewriter, op.getLoc(),
                                                adaptor.getCoeff(),
                                                adaptor.getKernels()));
    return success();
  }
};

/// Materialises W, pads the input, and convolves in the grouped form
/// (N, G, Cg, H, W) x (G, Fg, Cg, kh, kw) -> (N, G, Fg, Ho, Wo) (or the NHWC
/// equivalent), where every loop appears alone in some operand's indexing map.
struct GeneratedConv2DLowering : OpConversionPattern<GeneratedConv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GeneratedConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    RankedTensorType resultType = op.getResult().getType();
    Type elementType = resultType.getElementType();
    bool nchw = op.getLayout() == ConvLayout::nchw_fchw;
    int64_t groups = op.getGroups();
    ArrayRef<int64_t> strides = op.getStrides();
    ArrayRef<int64_t> dilations = op.getDilations();
    ArrayRef<int64_t> padding = op.getPadding();

    Value weight = buildGeneratedWeight(rewriter, loc, adaptor.getBasis(),
                                        adaptor.getCoeffIn(),
                                        adaptor.getCoeffOut());
    auto weightType = cast<RankedTensorType>(weight.getType());
    int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
    int64_t co = nchw ? resultType.getDimSize(1) : resultType.getDimSize(3);
    int64_t ci = nchw ? inputType.getDimSize(1) : inputType.getDimSize(3);
    int64_t fg = co / groups, cg = ci / groups;

    Value input =
        padActivation(rewriter, loc, adaptor.getInput(), nchw, padding);
    auto paddedType = cast<RankedTensorType>(input.getType());

    // Split channels into (groups, channels per group).
    SmallVector<int64_t> groupedInputShape, groupedOutputShape;
    SmallVector<ReassociationIndices> inputReassoc, outputReassoc;
    int64_t n = inputType.getDimSize(0);
    int64_t ho = nchw ? resultType.getDimSize(2) : resultType.getDimSize(1);
    int64_t wo = nchw ? resultType.getDimSize(3) : resultType.getDimSize(2);
    int64_t hp = paddedType.getDimSize(nchw ? 2 : 1);
    int64_t wp = paddedType.getDimSize(nchw ? 3 : 2);
    if (nchw) {
      groupedInputShape = {n, groups, cg, hp, wp};
      groupedOutputShape = {n, groups, fg, ho, wo};
      inputReassoc = outputReassoc = {{0}, {1, 2}, {3}, {4}};
    } else {
      groupedInputShape = {n, hp, wp, groups, cg};
      groupedOutputShape = {n, ho, wo, groups, fg};
      inputReassoc = outputReassoc = {{0}, {1}, {2}, {3, 4}};
    }
    input = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(groupedInputShape, elementType),
        input, inputReassoc);

    // Weight as [G, Fg, Cg, kh, kw]; the depthwise generator's [1, Co, kh, kw]
    // becomes [1, G, Fg, kh, kw] and is indexed (c, g, f, kh, kw) with c = 0.
    bool depthwise = op.getDepthwise();
    SmallVector<int64_t> groupedWeightShape =
        depthwise ? SmallVector<int64_t>{1, groups, fg, kh, kw}
                  : SmallVector<int64_t>{groups, fg, cg, kh, kw};
    SmallVector<ReassociationIndices> weightReassoc =
        depthwise ? SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}}
                  : SmallVector<ReassociationIndices>{{0, 1}, {2}, {3}, {4}};
    weight = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(groupedWeightShape, elementType),
        weight, weightReassoc);

    // Loops: (n, g, f, oh, ow, c, kh, kw).
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr nD = d(0), gD = d(1), fD = d(2), ohD = d(3), owD = d(4),
               cD = d(5), khD = d(6), kwD = d(7);
    AffineExpr row = ohD * strides[0] + khD * dilations[0];
    AffineExpr col = owD * strides[1] + kwD * dilations[1];
    SmallVector<AffineExpr> inputMap =
        nchw ? SmallVector<AffineExpr>{nD, gD, cD, row, col}
             : SmallVector<AffineExpr>{nD, row, col, gD, cD};
    SmallVector<AffineExpr> weightMap =
        depthwise ? SmallVector<AffineExpr>{cD, gD, fD, khD, kwD}
                  : SmallVector<AffineExpr>{gD, fD, cD, khD, kwD};
    SmallVector<AffineExpr> outputMap =
        nchw ? SmallVector<AffineExpr>{nD, gD, fD, ohD, owD}
             : SmallVector<AffineExpr>{nD, ohD, owD, gD, fD};

    Value bias = groupedBias(rewriter, loc, adaptor.getBias(), groups);
    SmallVector<int64_t> channelDims =
        nchw ? SmallVector<int64_t>{1, 2} : SmallVector<int64_t>{3, 4};
    Value init = biasFilled(rewriter, loc, bias, groupedOutputShape,
                            channelDims, elementType);
    SmallVector<IteratorType> iterators(5, IteratorType::parallel);
    iterators.append(3, IteratorType::reduction);
    Value conv =
        linalg::GenericOp::create(
            rewriter, loc, init.getType(), ValueRange{input, weight}, init,
            SmallVector<AffineMap>{AffineMap::get(8, 0, inputMap, ctx),
                                   AffineMap::get(8, 0, weightMap, ctx),
                                   AffineMap::get(8, 0, outputMap, ctx)},
            iterators, macBody)
            .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, resultType, conv,
                                                         outputReassoc);
    return success();
  }
};

struct GeneratedMatmulLowering : OpConversionPattern<GeneratedMatmulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GeneratedMatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType resultType = op.getResult().getType();
    Value weight = buildGeneratedWeight(rewriter, loc, adaptor.getBasis(),
                                        adaptor.getCoeffIn(),
                                        adaptor.getCoeffOut());
    Value init = biasFilled(rewriter, loc, adaptor.getBias(),
                            resultType.getShape(), {1},
                            resultType.getElementType());
    // Loops: (m, o, c); result[m, o] += input[m, c] * W[o, c].
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    Value product =
        linalg::GenericOp::create(
            rewriter, loc, resultType, ValueRange{adaptor.getInput(), weight},
            init,
            SmallVector<AffineMap>{AffineMap::get(3, 0, {d(0), d(2)}, ctx),
                                   AffineMap::get(3, 0, {d(1), d(2)}, ctx),
                                   AffineMap::get(3, 0, {d(0), d(1)}, ctx)},
            SmallVector<IteratorType>{IteratorType::parallel,
                                      IteratorType::parallel,
                                      IteratorType::reduction},
            macBody)
            .getResult(0);
    rewriter.replaceOp(op, product);
    return success();
  }
};

struct ConvertMLGToLinalgPass
    : mlg::impl::ConvertMLGToLinalgBase<ConvertMLGToLinalgPass> {
  void runOnOperation() override {
    // Report every unsupported op, not only the first, before converting.
    bool unsupported = false;
    getOperation()->walk([&](Operation *op) {
      if (isa<MLGDialect>(op->getDialect()) && !hasStaticShapes(op)) {
        op->emitError("convert-mlg-to-linalg requires static shapes");
        unsupported = true;
      }
    });
    if (unsupported)
      return signalPassFailure();

    ConversionTarget target(getContext());
    target.addIllegalDialect<MLGDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateMLGToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::mlg::populateMLGToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DequantizeLowering, DecodePow2Lowering, GenerateIntraLowering,
               GenerateCrossLowering, GeneratedConv2DLowering,
               GeneratedMatmulLowering>(patterns.getContext());
}
