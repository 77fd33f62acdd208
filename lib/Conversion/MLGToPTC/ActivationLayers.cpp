//===- ActivationLayers.cpp - Residual adds and pooling on the ALU --------===//
//
// Schedule: output blocks of BLOCK_OUT channels outermost, then tiles of up
// to BATCH result rows (add: consecutive pixels; max pooling: pixels of one
// output row; average pooling: one image). Each tile's activation codes are
// LOADed into acc rows (the compute module), combined with the ALU,
// requantized and STOREd. Result rows alternate acc rows 0 and 1 with the
// token scheme of the GEMM layers (a row is reused once the store two tiles
// before has read it); rows from 2 on hold the second operand.
//
//===----------------------------------------------------------------------===//

#include "ActivationLayers.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::mlg;
using namespace mlir::mlg::ptc_lowering;

std::vector<double>
ptc_lowering::evaluateActivationLayer(const DenseLayer &layer,
                                      ArrayRef<ArrayRef<double>> inputs) {
  const int64_t channels = layer.outFeatures;
  std::vector<double> y;
  switch (layer.kind) {
  case LayerKind::Add:
    y.resize(inputs[0].size());
    for (size_t i = 0; i < y.size(); ++i)
      y[i] = inputs[0][i] + inputs[1][i];
    break;
  case LayerKind::MaxPool: {
    const ConvGeometry &g = *layer.conv;
    y.assign(g.images * g.outH * g.outW * channels,
             -std::numeric_limits<double>::infinity());
    for (int64_t n = 0; n < g.images; ++n)
      for (int64_t yo = 0; yo < g.outH; ++yo)
        for (int64_t xo = 0; xo < g.outW; ++xo)
          for (int64_t t = 0; t < g.kernel * g.kernel; ++t) {
            int64_t yi = yo * g.stride + t / g.kernel - g.pad;
            int64_t xi = xo * g.stride + t % g.kernel - g.pad;
            if (yi < 0 || yi >= g.inH || xi < 0 || xi >= g.inW)
              continue;
            double *out = &y[((n * g.outH + yo) * g.outW + xo) * channels];
            const double *in =
                &inputs[0][((n * g.inH + yi) * g.inW + xi) * channels];
            for (int64_t c = 0; c < channels; ++c)
              out[c] = std::max(out[c], in[c]);
          }
    break;
  }
  case LayerKind::AvgPool: {
    const ConvGeometry &g = *layer.conv;
    const int64_t pixels = g.inH * g.inW;
    y.assign(g.images * channels, 0.0);
    for (int64_t n = 0; n < g.images; ++n)
      for (int64_t p = 0; p < pixels; ++p)
        for (int64_t c = 0; c < channels; ++c)
          y[n * channels + c] +=
              inputs[0][(n * pixels + p) * channels + c] * layer.poolScale;
    break;
  }
  case LayerKind::Gemm:
    llvm_unreachable("GEMM layers are evaluated by evaluateLayer");
  }
  if (layer.relu)
    for (double &v : y)
      v = std::max(v, 0.0);
  return y;
}

double ptc_lowering::boundActivationLayer(const DenseLayer &layer,
                                          ArrayRef<double> inputs) {
  switch (layer.kind) {
  case LayerKind::Add:
    return inputs[0] + inputs[1];
  case LayerKind::AvgPool:
    return inputs[0] * std::fabs(layer.poolScale) * layer.conv->inH *
           layer.conv->inW;
  default:
    return inputs[0];
  }
}

LogicalResult ptc_lowering::quantizeActivationLayer(
    const DenseLayer &layer, ArrayRef<double> inputScales, unsigned inputBits,
    QuantizedLayer &q) {
  SmallVector<double, 2> ratios;
  for (double scale : inputScales)
    ratios.push_back(scale / q.outputScale);
  double terms = 1;
  if (layer.kind == LayerKind::AvgPool) {
    ratios[0] *= layer.poolScale;
    terms = layer.conv->inH * layer.conv->inW;
  }
  const double xTop = std::ldexp(1.0, inputBits - 1);
  // Equal scales (max pooling) need no arithmetic.
  if (llvm::all_of(ratios, [](double r) { return r == 1.0; })) {
    q.multipliers.assign(ratios.size(), 1);
    q.shift = 0;
    return success();
  }
  // The largest shift whose multipliers fit 16 bits and whose sum of
  // products stays in 32 bits.
  auto fits = [&](int64_t shift) {
    double sum = std::ldexp(1.0, shift);
    for (double r : ratios) {
      double m = std::fabs(std::round(r * std::ldexp(1.0, shift)));
      if (m > 32767)
        return false;
      sum += terms * xTop * m;
    }
    return sum < 2147483647.0;
  };
  int64_t shift = 15;
  while (shift > 0 && !fits(shift))
    --shift;
  if (!fits(shift))
    return emitError(layer.loc, "PTC lowering: requantization multiplier ")
           << ratios[0] << " does not fit the 16-bit ALU constants";
  q.shift = shift;
  q.multipliers.clear();
  for (double r : ratios)
    q.multipliers.push_back(std::llround(r * std::ldexp(1.0, shift)));
  return success();
}

namespace {

using ptcir::AluOpcode;
using ptcir::DepFlags;
using ptcir::MemId;

/// A tile: `rows` result rows from `firstRow`; for max pooling they lie in
/// output row `outY` of `image` from column `outX`.
struct ActivationTile {
  int64_t block, firstRow, rows, image, outY, outX;
};

constexpr int64_t kOperandRow = 2;

class ActivationLayerEmitter {
public:
  explicit ActivationLayerEmitter(const ActivationLayerContext &c)
      : c(c), e(c.builder), g(c.geometry), layer(c.layer),
        q(c.quantized) {}

  LogicalResult emit() {
    SmallVector<ActivationTile> tiles = makeTiles();
    for (size_t t = 0; t < tiles.size(); ++t) {
      const ActivationTile &tile = tiles[t];
      const int64_t row = t % 2;
      // The first compute instruction of a tile waits until its acc row's
      // previous contents (tile t - 2) have been stored.
      DepFlags first = when(t >= 2, DepFlags::pop_next);
      LogicalResult loaded = failure();
      switch (layer.kind) {
      case LayerKind::Add:
        loaded = emitAdd(tile, row, first);
        break;
      case LayerKind::MaxPool:
        loaded = emitMaxPool(tile, row, first);
        break;
      case LayerKind::AvgPool:
        loaded = emitAvgPool(tile, row, first);
        break;
      case LayerKind::Gemm:
        break;
      }
      if (failed(loaded))
        return failure();
      emitRequantization(row);
      FailureOr<int64_t> address =
          byteAddress(c.result,
                      tile.firstRow * c.resultColumns + tile.block * g.blockOut,
                      q.outputBits);
      if (failed(address))
        return failure();
      const size_t count = tiles.size();
      e.memory(true, MemId::acc, row, *address, tile.rows, g.blockOut,
               c.resultColumns, q.outputBits, 0,
               DepFlags::pop_prev | when(t + 2 <= count - 1 || t == count - 1,
                                         DepFlags::push_prev));
    }
    return success();
  }

private:
  SmallVector<ActivationTile> makeTiles() const {
    SmallVector<ActivationTile> tiles;
    const int64_t blocks = c.resultColumns / g.blockOut;
    for (int64_t ob = 0; ob < blocks; ++ob) {
      if (layer.kind == LayerKind::Add) {
        for (int64_t r = 0; r < layer.outRows; r += g.batch)
          tiles.push_back({ob, r, std::min(g.batch, layer.outRows - r), 0, 0,
                           0});
      } else if (layer.kind == LayerKind::AvgPool) {
        for (int64_t n = 0; n < layer.conv->images; ++n)
          tiles.push_back({ob, n, 1, n, 0, 0});
      } else {
        const ConvGeometry &cv = *layer.conv;
        for (int64_t n = 0; n < cv.images; ++n)
          for (int64_t y = 0; y < cv.outH; ++y)
            for (int64_t x = 0; x < cv.outW; x += g.batch)
              tiles.push_back({ob, (n * cv.outH + y) * cv.outW + x,
                               std::min(g.batch, cv.outW - x), n, y, x});
      }
    }
    return tiles;
  }

  FailureOr<int64_t> byteAddress(int64_t base, int64_t element,
                                 unsigned bits) const {
    return byteAddressOf(layer.loc, base, element, bits);
  }

  /// LOAD acc: `rows` input rows of `columns`-wide tensor `input` from
  /// `element`, `stride` elements apart, into acc row `row` after `top`
  /// zero rows, zero rows up to BATCH after them.
  LogicalResult load(int64_t input, int64_t element, int64_t rows,
                     int64_t stride, int64_t top, int64_t row,
                     DepFlags &flags) {
    FailureOr<int64_t> address =
        byteAddress(c.inputAddresses[input], element, g.inputBits);
    if (failed(address))
      return failure();
    const int64_t bottom = std::max<int64_t>(0, g.batch - top - rows);
    if (top > 15 || bottom > 15)
      return emitError(layer.loc, "PTC lowering: a tile needs more than 15 "
                                  "padding rows");
    e.memory(false, MemId::acc, row, *address, rows, g.blockOut, stride,
             g.inputBits, bottom, flags, top);
    flags = DepFlags::none;
    return success();
  }

  LogicalResult emitAdd(const ActivationTile &tile, int64_t row,
                        DepFlags first) {
    for (int64_t i = 0; i < 2; ++i) {
      const int64_t element =
          tile.firstRow * c.inputColumns[i] + tile.block * g.blockOut;
      if (failed(load(i, element, tile.rows, c.inputColumns[i], 0,
                      i == 0 ? row : kOperandRow, first)))
        return failure();
    }
    const int64_t plain = e.uop(row, 0, 0), operand = e.uop(kOperandRow, 0, 0);
    if (q.multipliers[0] != 1)
      e.alu(AluOpcode::mul, plain, q.multipliers[0]);
    if (q.multipliers[1] != 1)
      e.alu(AluOpcode::mul, operand, q.multipliers[1]);
    e.alu(AluOpcode::add, e.uop(row, kOperandRow, 0), std::nullopt);
    return success();
  }

  /// The max over the window's taps inside the image (zero rows for the
  /// pixels left and right of it: the input is >= 0).
  LogicalResult emitMaxPool(const ActivationTile &tile, int64_t row,
                            DepFlags first) {
    const ConvGeometry &cv = *layer.conv;
    const int64_t columns = c.inputColumns[0];
    bool loadedAny = false;
    for (int64_t t = 0; t < cv.kernel * cv.kernel; ++t) {
      const int64_t y = tile.outY * cv.stride + t / cv.kernel - cv.pad;
      const int64_t xStart = tile.outX * cv.stride + t % cv.kernel - cv.pad;
      if (y < 0 || y >= cv.inH)
        continue;
      const int64_t top =
          xStart < 0
              ? std::min(tile.rows, (-xStart + cv.stride - 1) / cv.stride)
              : 0;
      const int64_t end = std::clamp<int64_t>(
          (cv.inW - xStart + cv.stride - 1) / cv.stride, 0, tile.rows);
      if (end - top <= 0)
        continue;
      const int64_t element =
          ((tile.image * cv.inH + y) * cv.inW + xStart + top * cv.stride) *
              columns +
          tile.block * g.blockOut;
      if (failed(load(0, element, end - top, cv.stride * columns, top,
                      loadedAny ? kOperandRow : row, first)))
        return failure();
      if (loadedAny)
        e.alu(AluOpcode::max, e.uop(row, kOperandRow, 0), std::nullopt);
      loadedAny = true;
    }
    if (!loadedAny)
      return emitError(layer.loc, "PTC lowering: a pooling window lies "
                                  "outside the image");
    return success();
  }

  /// The sum of the image's pixels: each pixel's BLOCK_OUT channels into
  /// the first lanes of its own acc row, then one ALU add over the rows.
  LogicalResult emitAvgPool(const ActivationTile &tile, int64_t row,
                            DepFlags first) {
    const ConvGeometry &cv = *layer.conv;
    const int64_t pixels = cv.inH * cv.inW, columns = c.inputColumns[0];
    const int64_t perPass = g.accRows - kOperandRow;
    if (perPass < 1)
      return emitError(layer.loc, "PTC lowering: the acc buffer is too "
                                  "small for pooling");
    e.gemm(true, e.uop(row, 0, 0), 1, first);
    for (int64_t p0 = 0; p0 < pixels; p0 += perPass) {
      const int64_t count = std::min(perPass, pixels - p0);
      for (int64_t p = 0; p < count; ++p) {
        FailureOr<int64_t> address = byteAddress(
            c.inputAddresses[0],
            (tile.image * pixels + p0 + p) * columns + tile.block * g.blockOut,
            g.inputBits);
        if (failed(address))
          return failure();
        e.memory(false, MemId::acc, kOperandRow + p, *address, 1, g.blockOut,
                 columns, g.inputBits);
      }
      e.alu(AluOpcode::add, e.uop(row, kOperandRow, 0), std::nullopt,
            DepFlags::none, count, 1);
    }
    if (q.multipliers[0] != 1)
      e.alu(AluOpcode::mul, e.uop(row, 0, 0), q.multipliers[0]);
    return success();
  }

  /// Rounding shift, ReLU and clip; the clip hands the row to the store.
  void emitRequantization(int64_t row) {
    const int64_t plain = e.uop(row, 0, 0);
    if (layer.kind == LayerKind::MaxPool && q.multipliers[0] != 1)
      e.alu(AluOpcode::mul, plain, q.multipliers[0]);
    if (q.shift > 0) {
      e.alu(AluOpcode::add, plain, int64_t{1} << (q.shift - 1));
      e.alu(AluOpcode::shr, plain, q.shift);
    }
    if (layer.relu)
      e.alu(AluOpcode::max, plain, 0);
    e.alu(AluOpcode::clip, plain, (int64_t{1} << (q.outputBits - 1)) - 1,
          DepFlags::push_next);
  }

  const ActivationLayerContext &c;
  ProgramBuilder &e;
  const CoreGeometry &g;
  const DenseLayer &layer;
  const QuantizedLayer &q;
};

} // namespace

LogicalResult
ptc_lowering::emitActivationLayer(const ActivationLayerContext &c) {
  return ActivationLayerEmitter(c).emit();
}

LogicalResult ptc_lowering::emitCopy(ProgramBuilder &e, const CoreGeometry &g,
                                     Location loc, int64_t source,
                                     int64_t destination, int64_t codes,
                                     unsigned bits) {
  struct Piece {
    int64_t accRow, first, rows, columns;
  };
  const int64_t tileCodes = g.batch * g.blockOut;
  const int64_t count = (codes + tileCodes - 1) / tileCodes;
  for (int64_t t = 0; t < count; ++t) {
    // The tile's whole rows of BLOCK_OUT codes into acc row 0 or 1, then the
    // remainder (the last tile only) as one shorter row into acc row 2.
    const int64_t first = t * tileCodes;
    const int64_t size = std::min(tileCodes, codes - first);
    const int64_t whole = size / g.blockOut * g.blockOut;
    SmallVector<Piece, 2> pieces;
    if (whole)
      pieces.push_back({t % 2, first, whole / g.blockOut, g.blockOut});
    if (size > whole)
      pieces.push_back({kOperandRow, first + whole, 1, size - whole});
    auto emit = [&](bool store) -> LogicalResult {
      for (auto [index, piece] : llvm::enumerate(pieces)) {
        FailureOr<int64_t> address =
            byteAddressOf(loc, store ? destination : source, piece.first, bits);
        if (failed(address))
          return failure();
        // LOADs: the first waits until the store two tiles before has read
        // its acc row, the last lets the store module go. STOREs: the first
        // waits for the LOADs, the last frees the row (and after the last
        // tile lets the next layer's CFG go).
        const bool firstPiece = index == 0,
                   lastPiece = index + 1 == pieces.size();
        DepFlags flags =
            store
                ? when(firstPiece, DepFlags::pop_prev) |
                      when(lastPiece && (t + 2 <= count - 1 || t == count - 1),
                           DepFlags::push_prev)
                : when(firstPiece && t >= 2, DepFlags::pop_next) |
                      when(lastPiece, DepFlags::push_next);
        e.memory(store, MemId::acc, piece.accRow, *address, piece.rows,
                 piece.columns, piece.columns, bits, 0, flags);
      }
      return success();
    };
    if (failed(emit(/*store=*/false)) || failed(emit(/*store=*/true)))
      return failure();
  }
  return success();
}
