//===- FactorizedStrategy.cpp - Convolve with the generators --------------===//
//
// W = V * (U (x) basis) is never built: the activation goes through the
// generators instead, 1x1 conv with U (Ci/G -> Bc*Bi channels per group),
// depthwise kxk conv with the basis (one filter per (kernel, j) channel), 1x1
// conv with V repeated along j (Bc*Bi -> Co/G per group); without V a grouped
// kxk conv sums each kernel's Bi channels. With groups, U and the basis are
// shared by the G groups when V is present (W's rows of every group are
// combinations of the same Bc kernels); without V, Bc = Co and each group owns
// its rows. Absent levels drop their stage.
//
//===----------------------------------------------------------------------===//

#include "ConvBuilders.h"
#include "LinalgBuilders.h"
#include "StrategyPatterns.h"
#include "mlg/Conversion/MLGToLinalg/Strategies.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::mlg;

using utils::IteratorType;

/// `shape` (4-D, activation layout) with `channels` channels.
static SmallVector<int64_t> withChannels(ArrayRef<int64_t> shape, bool nchw,
                                         int64_t channels) {
  SmallVector<int64_t> result(shape);
  result[nchw ? 1 : 3] = channels;
  return result;
}

/// K[o, b, j] = V[0, b] * U[b, o, j]: the depthwise per-channel coefficients
/// of every basis filter response.
static Value depthwiseCoefficients(OpBuilder &b, Location loc, Value coeffIn,
                                   Value coeffOut) {
  ArrayRef<int64_t> u = shapeOf(coeffIn);
  if (!coeffOut)
    return transposed(b, loc, coeffIn, {1, 0, 2});
  MLIRContext *ctx = b.getContext();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  Type elementType = cast<RankedTensorType>(coeffIn.getType()).getElementType();
  Value init = tensor::EmptyOp::create(b, loc, {u[1], u[0], u[2]}, elementType);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{coeffOut, coeffIn}, init,
             SmallVector<AffineMap>{
                 AffineMap::get(3, 0, {getAffineConstantExpr(0, ctx), d(1)},
                                ctx),
                 AffineMap::get(3, 0, {d(1), d(0), d(2)}, ctx),
                 AffineMap::get(3, 0, {d(0), d(1), d(2)}, ctx)},
             SmallVector<IteratorType>(3, IteratorType::parallel),
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               linalg::YieldOp::create(
                   nb, nloc,
                   Value(arith::MulFOp::create(nb, nloc, args[0], args[1])));
             })
      .getResult(0);
}

namespace {

struct FactorizedConv
    : StrategyPattern<GeneratedConv2DOp, ExecutionStrategy::factorized> {
  using StrategyPattern::StrategyPattern;

  Value lower(GeneratedConv2DOp op, PatternRewriter &rewriter) const override {
    ConvGeometry geo = getConvGeometry(op);
    return geo.depthwise ? lowerDepthwise(op, geo, rewriter)
                         : lowerGrouped(op, geo, rewriter);
  }

  Value lowerGrouped(GeneratedConv2DOp op, const ConvGeometry &geo,
                     PatternRewriter &b) const {
    Location loc = op.getLoc();
    Value basis = op.getBasis(), coeffIn = op.getCoeffIn(),
          coeffOut = op.getCoeffOut();
    int64_t groups = geo.groups;
    bool shared = static_cast<bool>(coeffOut);
    // Generated kernels each group convolves with.
    int64_t kernels = shared ? shapeOf(basis)[0] : geo.groupOut;
    // [Bc, r...] -> [G, kernels, r...]: shared or split by group.
    auto perGroup = [&](Value generator) {
      if (shared)
        return broadcastLeading(b, loc, generator, groups);
      SmallVector<int64_t> shape{groups, geo.groupOut};
      llvm::append_range(shape, shapeOf(generator).drop_front());
      return reshaped(b, loc, generator, shape);
    };
    auto init = [&](Value bias, int64_t channels) {
      return activationInit(b, loc, bias, geo.nchw,
                            withChannels(geo.resultShape, geo.nchw, channels),
                            geo.elementType);
    };
    SmallVector<int64_t> unit{1, 1};
    // Where the basis stage accumulates when U and V are not both present
    // (with both it writes one channel per (kernel, j) instead).
    Value responsesInit = shared && coeffIn ? Value()
                          : shared          ? init(nullptr, groups * kernels)
                                   : init(op.getBias(), geo.outChannels);

    Value responses;
    if (coeffIn) {
      int64_t bi = shapeOf(basis)[1];
      int64_t mixedChannels = groups * kernels * bi;
      // 1x1 conv with U: [Bc, Ci/G, Bi] as filters (b, j) over Ci/G.
      Value filters;
      if (groups == 1) {
        // Built as the HWCF filter [1, 1, Ci, Bc*Bi] the CPU schedule
        // convolves with, transposed to FCHW: that transpose cancels with
        // the schedule's own, and the one of U (whose dequantization fuses
        // into it) is then the only reordering left. Through FCHW, a
        // filter of Bc*Bi x Ci values was transposed at run time with
        // strides of Ci floats: 15% of the ImageNet ResNet-18 of
        // mode=auto max-rel-error=0.3 (docs/cpu-strategy.md).
        Value hwcf = reshaped(b, loc, transposed(b, loc, coeffIn, {1, 0, 2}),
                              {1, 1, geo.inChannels, kernels * bi});
        filters = reshaped(b, loc, transposed(b, loc, hwcf, {3, 2, 0, 1}),
                           {1, kernels * bi, geo.inChannels, 1, 1});
      } else {
        filters = perGroup(transposed(b, loc, coeffIn, {0, 2, 1}));
        filters = reshaped(b, loc, filters,
                           {groups, kernels * bi, geo.groupIn, 1, 1});
      }
      // A pointwise layer strides its first conv so that it only computes
      // the pixels the output reads; otherwise zero padding commutes with the
      // 1x1 conv and pads its output.
      bool pointwise = geo.kh == 1 && geo.kw == 1;
      ArrayRef<int64_t> firstStrides = pointwise ? geo.strides : unit;
      ArrayRef<int64_t> firstDilations = pointwise ? geo.dilations : unit;
      ArrayRef<int64_t> basisStrides = pointwise ? unit : geo.strides;
      ArrayRef<int64_t> basisDilations = pointwise ? unit : geo.dilations;
      Value input = pointwise ? padActivation(b, loc, op.getInput(), geo.nchw,
                                              geo.padding)
                              : op.getInput();
      Value mixed = buildGroupedConv(
          b, loc, geo.nchw, input, filters,
          activationInit(
              b, loc, nullptr, geo.nchw,
              withChannels(pointwise ? geo.resultShape : shapeOf(input),
                           geo.nchw, mixedChannels),
              geo.elementType),
          firstStrides, firstDilations);
      Value padded = pointwise
                         ? mixed
                         : padActivation(b, loc, mixed, geo.nchw, geo.padding);
      if (shared) {
        // With V the basis stage is a depthwise conv over every (kernel, j)
        // channel, and the sum over j joins V's 1x1 conv (V repeated along
        // j): depthwise and dense 1x1 convs vectorize, a grouped conv with
        // Bi channels per group would run as plain loops.
        Value basisFilters = reshaped(b, loc, perGroup(basis),
                                      {mixedChannels, 1, 1, geo.kh, geo.kw});
        responses = buildGroupedConv(b, loc, geo.nchw, padded, basisFilters,
                                     init(nullptr, mixedChannels), basisStrides,
                                     basisDilations);
        // V'[o, (b, j)] = V[o, b].
        Value repeatedInit = tensor::EmptyOp::create(
            b, loc, SmallVector<int64_t>{geo.outChannels, kernels, bi},
            geo.elementType);
        Value repeated =
            linalg::BroadcastOp::create(b, loc, coeffOut, repeatedInit,
                                        SmallVector<int64_t>{2})
                ->getResult(0);
        Value combine = reshaped(b, loc, repeated,
                                 {groups, geo.groupOut, kernels * bi, 1, 1});
        return buildGroupedConv(b, loc, geo.nchw, responses, combine,
                                init(op.getBias(), geo.outChannels), unit,
                                unit);
      }
      // Without V each output channel owns its kernel: a grouped conv with
      // Bi channels per group sums the basis responses.
      Value basisFilters = reshaped(b, loc, perGroup(basis),
                                    {groups * kernels, 1, bi, geo.kh, geo.kw});
      responses = buildGroupedConv(b, loc, geo.nchw, padded, basisFilters,
                                   responsesInit, basisStrides, basisDilations);
    } else {
      Value padded =
          padActivation(b, loc, op.getInput(), geo.nchw, geo.padding);
      responses = buildGroupedConv(b, loc, geo.nchw, padded, perGroup(basis),
                                   responsesInit, geo.strides, geo.dilations);
    }
    if (!coeffOut)
      return responses;
    // 1x1 conv with V: group g combines its own Bc responses into its rows.
    Value combine =
        reshaped(b, loc, coeffOut, {groups, geo.groupOut, kernels, 1, 1});
    return buildGroupedConv(b, loc, geo.nchw, responses, combine,
                            init(op.getBias(), geo.outChannels), unit, unit);
  }

  /// Depthwise: W[o] = sum_b V[0, b] sum_j U[b, o, j] basis[b, j]. Every
  /// input channel is convolved with the Bc*Bi shared basis filters, then
  /// each output channel combines its input channel's responses.
  Value lowerDepthwise(GeneratedConv2DOp op, const ConvGeometry &geo,
                       PatternRewriter &b) const {
    Location loc = op.getLoc();
    Value basis = op.getBasis(), coeffIn = op.getCoeffIn(),
          coeffOut = op.getCoeffOut();
    int64_t groups = geo.groups, multiplier = geo.groupOut;
    int64_t bc = shapeOf(basis)[0];
    SmallVector<int64_t> unit{1, 1};
    Value padded = padActivation(b, loc, op.getInput(), geo.nchw, geo.padding);
    Value output = activationInit(b, loc, op.getBias(), geo.nchw,
                                  geo.resultShape, geo.elementType);
    auto responsesInit = [&](int64_t channels) {
      return activationInit(b, loc, nullptr, geo.nchw,
                            withChannels(geo.resultShape, geo.nchw, channels),
                            geo.elementType);
    };

    if (coeffIn) {
      int64_t filters = bc * shapeOf(basis)[1];
      Value shared = broadcastLeading(
          b, loc, reshaped(b, loc, basis, {filters, 1, geo.kh, geo.kw}),
          groups);
      Value responses = buildGroupedConv(b, loc, geo.nchw, padded, shared,
                                         responsesInit(groups * filters),
                                         geo.strides, geo.dilations);
      Value combine =
          reshaped(b, loc, depthwiseCoefficients(b, loc, coeffIn, coeffOut),
                   {groups, multiplier, filters, 1, 1});
      return buildGroupedConv(b, loc, geo.nchw, responses, combine, output,
                              unit, unit);
    }
    if (!coeffOut) {
      Value weight =
          reshaped(b, loc, basis, {groups, multiplier, 1, geo.kh, geo.kw});
      return buildGroupedConv(b, loc, geo.nchw, padded, weight, output,
                              geo.strides, geo.dilations);
    }
    // Per-channel kernel bases: output channel o convolves its input channel
    // with basis[b, o] for every b, then combines with V[0, b].
    Value perChannel = reshaped(b, loc, transposed(b, loc, basis, {1, 0, 2, 3}),
                                {groups, multiplier * bc, 1, geo.kh, geo.kw});
    Value responses = buildGroupedConv(b, loc, geo.nchw, padded, perChannel,
                                       responsesInit(geo.outChannels * bc),
                                       geo.strides, geo.dilations);
    Value combine =
        reshaped(b, loc, broadcastLeading(b, loc, coeffOut, geo.outChannels),
                 {geo.outChannels, 1, bc, 1, 1});
    return buildGroupedConv(b, loc, geo.nchw, responses, combine, output, unit,
                            unit);
  }
};

/// input [M, Ci] -> [M, Bc*Bi] (x U^T) -> [M, Bc] (basis) -> [M, Co] (x V^T).
struct FactorizedMatmul
    : StrategyPattern<GeneratedMatmulOp, ExecutionStrategy::factorized> {
  using StrategyPattern::StrategyPattern;
  Value lower(GeneratedMatmulOp op, PatternRewriter &b) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = b.getContext();
    RankedTensorType resultType = op.getResult().getType();
    Type elementType = resultType.getElementType();
    Value basis = op.getBasis(), coeffIn = op.getCoeffIn(),
          coeffOut = op.getCoeffOut();
    int64_t rows = resultType.getDimSize(0);
    int64_t bc = shapeOf(basis)[0];
    Value output = biasFilled(b, loc, op.getBias(), resultType.getShape(), {1},
                              elementType);
    Value responsesInit =
        coeffOut ? zeroFilled(b, loc, {rows, bc}, elementType) : output;

    Value responses;
    if (coeffIn) {
      int64_t bi = shapeOf(basis)[1];
      int64_t ci = shapeOf(coeffIn)[1];
      Value filters = reshaped(b, loc, transposed(b, loc, coeffIn, {0, 2, 1}),
                               {bc * bi, ci});
      Value mixed = buildMatmulTransposedRhs(
          b, loc, op.getInput(), filters,
          zeroFilled(b, loc, {rows, bc * bi}, elementType));
      mixed = reshaped(b, loc, mixed, {rows, bc, bi});
      // responses[m, b] += mixed[m, b, j] * basis[b, j]
      auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
      responses = linalg::GenericOp::create(
                      b, loc, responsesInit.getType(), ValueRange{mixed, basis},
                      responsesInit,
                      SmallVector<AffineMap>{
                          AffineMap::get(3, 0, {d(0), d(1), d(2)}, ctx),
                          AffineMap::get(3, 0, {d(1), d(2)}, ctx),
                          AffineMap::get(3, 0, {d(0), d(1)}, ctx)},
                      SmallVector<IteratorType>{IteratorType::parallel,
                                                IteratorType::parallel,
                                                IteratorType::reduction},
                      macBody)
                      .getResult(0);
    } else {
      responses =
          buildMatmulTransposedRhs(b, loc, op.getInput(), basis, responsesInit);
    }
    if (!coeffOut)
      return responses;
    return buildMatmulTransposedRhs(b, loc, responses, coeffOut, output);
  }
};

} // namespace

void mlir::mlg::populateFactorizedStrategyPatterns(RewritePatternSet &patterns,
                                                   bool lowerAutomatic) {
  patterns.add<FactorizedConv, FactorizedMatmul>(patterns.getContext(),
                                                 lowerAutomatic);
}
