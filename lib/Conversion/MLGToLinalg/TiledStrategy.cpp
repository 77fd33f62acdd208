//===- TiledStrategy.cpp - Generate and consume W block by block ----------===//
//
// An scf.for walks blocks of output channels; each iteration generates only
// its rows of W (V's rows of the block times Wc = U (x) basis, which is built
// once before the loop since it is only Bc/Co the size of W) and convolves
// the input with them into the matching slice of the loop-carried output. A
// remainder block after the loop covers Co/G not divisible by the tile, so
// every shape stays static. With groups, an outer loop walks the groups so a
// block never straddles two of them.
//
//===----------------------------------------------------------------------===//

#include "ConvBuilders.h"
#include "LinalgBuilders.h"
#include "StrategyPatterns.h"
#include "mlg/Conversion/MLGToLinalg/Strategies.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::mlg;

/// Value of a block function: the updated output after one block.
using BlockFn =
    function_ref<Value(OpBuilder &, Location, Value output, Value offset)>;

/// Runs `block` on the blocks [first + i*size, first + (i+1)*size) for
/// i < count (an scf.for carrying `output`; `first` may be null for 0), and
/// returns the final output.
static Value forEachBlock(OpBuilder &b, Location loc, Value output,
                          Value first, int64_t count, int64_t size,
                          BlockFn block) {
  if (count == 0)
    return output;
  Value lower = arith::ConstantIndexOp::create(b, loc, 0);
  Value upper = arith::ConstantIndexOp::create(b, loc, count * size);
  Value step = arith::ConstantIndexOp::create(b, loc, size);
  auto loop = scf::ForOp::create(
      b, loc, lower, upper, step, ValueRange{output},
      [&](OpBuilder &nb, Location nloc, Value iv, ValueRange carried) {
        Value offset = first ? Value(arith::AddIOp::create(nb, nloc, first, iv))
                             : iv;
        scf::YieldOp::create(nb, nloc, block(nb, nloc, carried[0], offset));
      });
  return loop.getResult(0);
}

/// Blocks of `tile` over `extent` elements starting at `first`: a loop over
/// the full blocks, then the remainder block.
static Value tileRange(OpBuilder &b, Location loc, Value output, Value first,
                       int64_t extent, int64_t tile,
                       function_ref<Value(OpBuilder &, Location, Value, Value,
                                          int64_t)>
                           block) {
  int64_t full = extent / tile, remainder = extent % tile;
  output = forEachBlock(
      b, loc, output, first, full, tile,
      [&](OpBuilder &nb, Location nloc, Value carried, Value offset) {
        return block(nb, nloc, carried, offset, tile);
      });
  if (remainder) {
    Value offset = arith::ConstantIndexOp::create(b, loc, full * tile);
    if (first)
      offset = arith::AddIOp::create(b, loc, first, offset);
    output = block(b, loc, output, offset, remainder);
  }
  return output;
}

static Value mulIndex(OpBuilder &b, Location loc, Value value, int64_t factor) {
  if (factor == 1)
    return value;
  return arith::MulIOp::create(b, loc, value,
                               arith::ConstantIndexOp::create(b, loc, factor));
}

namespace {

struct TiledConv
    : StrategyPattern<GeneratedConv2DOp, ExecutionStrategy::tiled> {
  TiledConv(MLIRContext *ctx, bool lowerAutomatic, int64_t tileChannels)
      : StrategyPattern(ctx, lowerAutomatic),
        tileChannels(std::max<int64_t>(tileChannels, 1)) {}

  Value lower(GeneratedConv2DOp op, PatternRewriter &rewriter) const override {
    ConvGeometry geo = getConvGeometry(op);
    return geo.depthwise ? lowerDepthwise(op, geo, rewriter)
                         : lowerGrouped(op, geo, rewriter);
  }

  Value lowerGrouped(GeneratedConv2DOp op, const ConvGeometry &geo,
                     OpBuilder &b) const {
    Location loc = op.getLoc();
    Value basis = op.getBasis(), coeffIn = op.getCoeffIn(),
          coeffOut = op.getCoeffOut();
    int64_t channelDim = geo.channelDim();
    Value padded = padActivation(b, loc, op.getInput(), geo.nchw, geo.padding);
    Value output = activationInit(b, loc, op.getBias(), geo.nchw,
                                  geo.resultShape, geo.elementType);
    // Wc, shared by every block when V combines it, flat [Bc, Ci/G*kh*kw].
    Value kernels;
    if (coeffOut) {
      kernels = coeffIn ? generateIntra(b, loc, coeffIn, basis) : basis;
      kernels = reshaped(b, loc, kernels,
                         {shapeOf(kernels)[0], geo.groupIn * geo.kh * geo.kw});
    }

    // Rows [offset, offset + size) of W: [size, Ci/G, kh, kw] (or flat).
    auto blockWeight = [&](OpBuilder &nb, Location nloc, Value offset,
                           int64_t size) -> Value {
      if (coeffOut)
        return generateCross(
            nb, nloc, sliceAlong(nb, nloc, coeffOut, 0, offset, size),
            kernels);
      Value rows = sliceAlong(nb, nloc, basis, 0, offset, size);
      if (!coeffIn)
        return rows;
      return generateIntra(
          nb, nloc, sliceAlong(nb, nloc, coeffIn, 0, offset, size), rows);
    };
    auto convolveGroup = [&](OpBuilder &gb, Location gloc, Value result,
                             Value group) {
      Value input = padded;
      if (group)
        input = sliceAlong(gb, gloc, padded, channelDim,
                           mulIndex(gb, gloc, group, geo.groupIn),
                           geo.groupIn);
      Value first = group ? mulIndex(gb, gloc, group, geo.groupOut) : Value();
      int64_t tile = std::min(tileChannels, geo.groupOut);
      return tileRange(
          gb, gloc, result, first, geo.groupOut, tile,
          [&](OpBuilder &nb, Location nloc, Value carried, Value offset,
              int64_t size) {
            Value weight = reshaped(nb, nloc, blockWeight(nb, nloc, offset, size),
                                    {1, size, geo.groupIn, geo.kh, geo.kw});
            Value acc = sliceAlong(nb, nloc, carried, channelDim, offset, size);
            Value block = buildGroupedConv(nb, nloc, geo.nchw, input, weight,
                                           acc, geo.strides, geo.dilations);
            return insertAlong(nb, nloc, block, carried, channelDim, offset);
          });
    };
    if (geo.groups == 1)
      return convolveGroup(b, loc, output, Value());
    return forEachBlock(b, loc, output, Value(), geo.groups, 1,
                        [&](OpBuilder &nb, Location nloc, Value carried,
                            Value group) {
                          return convolveGroup(nb, nloc, carried, group);
                        });
  }

  /// Depthwise: blocks of whole input channels (a multiple of the channel
  /// multiplier M = Co/Ci of output channels); each block generates its
  /// channels' kernels from its columns of U (or the basis).
  Value lowerDepthwise(GeneratedConv2DOp op, const ConvGeometry &geo,
                       OpBuilder &b) const {
    Location loc = op.getLoc();
    Value basis = op.getBasis(), coeffIn = op.getCoeffIn(),
          coeffOut = op.getCoeffOut();
    int64_t channelDim = geo.channelDim();
    int64_t multiplier = geo.groupOut;
    int64_t tile = std::min(std::max<int64_t>(tileChannels / multiplier, 1),
                            geo.inChannels);
    Value padded = padActivation(b, loc, op.getInput(), geo.nchw, geo.padding);
    Value output = activationInit(b, loc, op.getBias(), geo.nchw,
                                  geo.resultShape, geo.elementType);
    // Flat taps, reshaped once outside the loop.
    ArrayRef<int64_t> basisShape = shapeOf(basis);
    basis = reshaped(b, loc, basis,
                     {basisShape[0], basisShape[1], geo.kh * geo.kw});
    return tileRange(
        b, loc, output, Value(), geo.inChannels, tile,
        [&](OpBuilder &nb, Location nloc, Value carried, Value inOffset,
            int64_t inSize) {
          Value offset = mulIndex(nb, nloc, inOffset, multiplier);
          int64_t size = inSize * multiplier;
          Value kernels =
              coeffIn ? generateIntra(
                            nb, nloc,
                            sliceAlong(nb, nloc, coeffIn, 1, offset, size),
                            basis)
                      : sliceAlong(nb, nloc, basis, 1, offset, size);
          if (coeffOut)
            kernels = generateCross(nb, nloc, coeffOut, kernels);
          Value weight = reshaped(nb, nloc, kernels,
                                  {inSize, multiplier, 1, geo.kh, geo.kw});
          Value input =
              sliceAlong(nb, nloc, padded, channelDim, inOffset, inSize);
          Value acc = sliceAlong(nb, nloc, carried, channelDim, offset, size);
          Value block = buildGroupedConv(nb, nloc, geo.nchw, input, weight,
                                         acc, geo.strides, geo.dilations);
          return insertAlong(nb, nloc, block, carried, channelDim, offset);
        });
  }

private:
  int64_t tileChannels;
};

struct TiledMatmul
    : StrategyPattern<GeneratedMatmulOp, ExecutionStrategy::tiled> {
  TiledMatmul(MLIRContext *ctx, bool lowerAutomatic, int64_t tileChannels)
      : StrategyPattern(ctx, lowerAutomatic),
        tileChannels(std::max<int64_t>(tileChannels, 1)) {}

  Value lower(GeneratedMatmulOp op, PatternRewriter &b) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getResult().getType();
    Value basis = op.getBasis(), coeffIn = op.getCoeffIn(),
          coeffOut = op.getCoeffOut();
    int64_t outChannels = resultType.getDimSize(1);
    Value output = biasFilled(b, loc, op.getBias(), resultType.getShape(), {1},
                              resultType.getElementType());
    Value kernels;
    if (coeffOut)
      kernels = coeffIn ? generateIntra(b, loc, coeffIn, basis) : basis;
    return tileRange(
        b, loc, output, Value(), outChannels,
        std::min(tileChannels, outChannels),
        [&](OpBuilder &nb, Location nloc, Value carried, Value offset,
            int64_t size) {
          Value weight;
          if (coeffOut) {
            weight = generateCross(
                nb, nloc, sliceAlong(nb, nloc, coeffOut, 0, offset, size),
                kernels);
          } else {
            weight = sliceAlong(nb, nloc, basis, 0, offset, size);
            if (coeffIn)
              weight = generateIntra(
                  nb, nloc, sliceAlong(nb, nloc, coeffIn, 0, offset, size),
                  weight);
          }
          Value acc = sliceAlong(nb, nloc, carried, 1, offset, size);
          Value block =
              buildMatmulTransposedRhs(nb, nloc, op.getInput(), weight, acc);
          return insertAlong(nb, nloc, block, carried, 1, offset);
        });
  }

private:
  int64_t tileChannels;
};

} // namespace

void mlir::mlg::populateTiledStrategyPatterns(RewritePatternSet &patterns,
                                              int64_t tileChannels,
                                              bool lowerAutomatic) {
  patterns.add<TiledConv, TiledMatmul>(patterns.getContext(), lowerAutomatic,
                                       tileChannels);
}
