//===- ProgramEmitter.cpp - Dense layers as a PTC program -----------------===//
//
// Schedule (docs/ptc-lowering.md): per layer, output blocks of BLOCK_OUT
// channels outermost; a block's weight rows are loaded once and reused by
// every batch tile of BATCH rows. Input rows and accumulators alternate two
// slots, so tile t+1 loads while tile t computes and tile t-1 is stored;
// the tokens follow test/Tools/ptc-sim/Inputs/tiled_gemm.py. Between
// layers the last store hands a token to the compute module, which hands
// one to the load module before the next layer reads the stored result.
//
//===----------------------------------------------------------------------===//

#include "ProgramEmitter.h"
#include "HostViews.h"
#include "ProgramBuilder.h"

#include "mlg/Dialect/PTC/IR/PTCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"

#include <map>
#include <numeric>
#include <tuple>

using namespace mlir;
using namespace mlir::mlg;
using namespace mlir::mlg::ptc_lowering;

CoreGeometry
ptc_lowering::getCoreGeometry(const ::mlg::ptc::AcceleratorModel &model) {
  using ::mlg::ptc::LocalBuffer;
  CoreGeometry g;
  g.batch = model.intrinsicColumns();
  g.blockIn = model.intrinsicReduction();
  g.blockOut = model.intrinsicRows();
  g.inpRows =
      model.getLocal(LocalBuffer::Inp).sizeBytes / (g.batch * g.blockIn);
  g.wgtRows =
      model.getLocal(LocalBuffer::Wgt).sizeBytes / (g.blockOut * g.blockIn);
  g.accRows =
      model.getLocal(LocalBuffer::Acc).sizeBytes / (4 * g.batch * g.blockOut);
  g.uopEntries = model.getLocal(LocalBuffer::Uop).sizeBytes / 4;
  g.inputBits = model.inputBits;
  g.weightBits = model.weightBits;
  g.timeAccumulation = model.timeAccumulation;
  return g;
}

namespace {

constexpr int64_t kMultiplierRow = 2, kBiasRow = 3, kAccRowsUsed = 4;

/// BATCH (or fewer) consecutive rows of a layer's result; for a convolution
/// they lie in one output row (image, outY) from column outX on.
struct Tile {
  int64_t firstRow, rows, image, outY, outX;
};

/// Per-layer sizes after padding to the core's blocks.
struct LayerShape {
  int64_t inColumns; // columns of the input in DRAM (channels, padded)
  int64_t kPadded, nPadded, kChunks, outBlocks;
  SmallVector<Tile> tiles;
};

/// DRAM addresses of a layer's tensors in the data segment.
struct LayerData {
  int64_t weight, multiplier, bias, result;
};

/// What the emission of one GEMM layer reads.
struct GemmLayerContext {
  ProgramBuilder &builder;
  const CoreGeometry &geometry;
  const DenseLayer &layer;
  const QuantizedLayer &quantized;
  const LayerShape &shape;
  const LayerData &data;
  int64_t inputAddress, zeros;
  bool firstLayer;

  /// The byte address of element `element` of `bits`-bit elements from
  /// `base`; tiles must start on a byte.
  FailureOr<int64_t> byteAddress(int64_t base, int64_t element,
                                 unsigned bits) const {
    if (element * bits % 8)
      return emitError(layer.loc, "PTC lowering: a tile does not start on a "
                                  "byte in DRAM");
    return base + element * bits / 8;
  }
};

using ptcir::DepFlags;

/// Load module: fills wgt rows [wgtBase, wgtBase + kChunks) with output
/// block `ob` of the layer's weights; `firstLoad` goes on the first LOAD and
/// is consumed.
LogicalResult emitWeightRows(const GemmLayerContext &c, int64_t ob,
                             int64_t wgtBase, DepFlags &firstLoad) {
  const CoreGeometry &g = c.geometry;
  const LayerShape &s = c.shape;
  for (int64_t kc = 0; kc < s.kChunks; ++kc) {
    FailureOr<int64_t> address = c.byteAddress(
        c.data.weight, ob * g.blockOut * s.kPadded + kc * g.blockIn,
        g.weightBits);
    if (failed(address))
      return failure();
    c.builder.memory(false, ptcir::MemId::wgt, wgtBase + kc, *address,
                     g.blockOut, g.blockIn, s.kPadded, g.weightBits, 0,
                     firstLoad);
    firstLoad = DepFlags::none;
  }
  return success();
}

/// One layer as output blocks x batch tiles (the schedule of the file
/// comment). The layer's first instruction follows the caller's CFG.
LogicalResult emitGemmLayer(const GemmLayerContext &c) {
  ProgramBuilder &e = c.builder;
  const CoreGeometry &g = c.geometry;
  const DenseLayer &layer = c.layer;
  const QuantizedLayer &q = c.quantized;
  const LayerShape &s = c.shape;
  const LayerData &d = c.data;
  const unsigned inputBits = g.inputBits;
  const int64_t tiles = s.outBlocks * s.tiles.size();
  int64_t t = 0;
  for (int64_t ob = 0; ob < s.outBlocks; ++ob) {
    for (size_t bt = 0; bt < s.tiles.size(); ++bt, ++t) {
      const Tile &tile = s.tiles[bt];
      const int64_t accSlot = t % 2;
      const int64_t inpBase = (t % 2) * s.kChunks;
      const int64_t wgtBase = (ob % 2) * s.kChunks;
      const int64_t tileRows = tile.rows;
      // Load module: the block's weights (first tile only), then inputs.
      DepFlags firstLoad =
          when(t >= 2 || (t == 0 && !c.firstLayer), DepFlags::pop_next);
      if (bt == 0 && failed(emitWeightRows(c, ob, wgtBase, firstLoad)))
        return failure();
      for (int64_t kc = 0; kc < s.kChunks; ++kc) {
        // DRAM element of the first loaded row, the rows, their stride and
        // the zero rows around them (dense: one block of the input).
        int64_t element = tile.firstRow * s.inColumns + kc * g.blockIn;
        int64_t loaded = tileRows, stride = s.inColumns, top = 0;
        if (const std::optional<ConvGeometry> &c = layer.conv) {
          // im2col: tap t, channels c0..; output pixels outX.. of the row
          // read input pixels xStart + j * stride of input row y.
          const int64_t tap = kc * g.blockIn / s.inColumns;
          const int64_t c0 = kc * g.blockIn % s.inColumns;
          const int64_t y = tile.outY * c->stride + tap / c->kernel - c->pad;
          const int64_t xStart =
              tile.outX * c->stride + tap % c->kernel - c->pad;
          top = xStart < 0
                    ? std::min(tileRows, (-xStart + c->stride - 1) / c->stride)
                    : 0;
          int64_t end = std::clamp<int64_t>(
              (c->inW - xStart + c->stride - 1) / c->stride, 0, tileRows);
          loaded = end - top;
          stride = c->stride * s.inColumns;
          element =
              ((tile.image * c->inH + y) * c->inW + xStart + top * c->stride) *
                  s.inColumns +
              c0;
          if (y < 0 || y >= c->inH || loaded <= 0) {
            element = 0;
            loaded = g.batch;
            stride = 0;
            top = 0;
          }
        }
        const bool zero = loaded == g.batch && stride == 0;
        FailureOr<int64_t> address =
            c.byteAddress(zero ? c.zeros : c.inputAddress, element, inputBits);
        if (failed(address))
          return failure();
        if (top > 15 || g.batch - top - loaded > 15)
          return emitError(layer.loc, "PTC lowering: a tile needs more "
                                      "than 15 padding rows");
        e.memory(false, ptcir::MemId::inp, inpBase + kc, *address, loaded,
                 g.blockIn, stride, inputBits, g.batch - top - loaded,
                 firstLoad | when(kc + 1 == s.kChunks, DepFlags::push_next),
                 top);
        firstLoad = DepFlags::none;
      }
      // Compute module: per-channel constants (first tile of a block),
      // GEMM, requantization.
      if (bt == 0) {
        e.memory(false, ptcir::MemId::acc, kMultiplierRow,
                 d.multiplier + ob * g.blockOut * 2, g.batch, g.blockOut, 0,
                 16);
        e.memory(false, ptcir::MemId::acc, kBiasRow,
                 d.bias + ob * g.blockOut * 2, g.batch, g.blockOut, 0, 16);
      }
      const int64_t plain = e.uop(accSlot, 0, 0);
      e.gemm(true, plain, 1,
             DepFlags::pop_prev | when(t >= 2, DepFlags::pop_next));
      e.gemm(false, e.uop(accSlot, inpBase, wgtBase), s.kChunks,
             when(t + 2 <= tiles - 1, DepFlags::push_prev));
      e.alu(ptcir::AluOpcode::add, e.uop(accSlot, kBiasRow, 0), std::nullopt);
      e.alu(ptcir::AluOpcode::mul, e.uop(accSlot, kMultiplierRow, 0),
            std::nullopt);
      if (q.shift > 0) {
        e.alu(ptcir::AluOpcode::add, plain, int64_t{1} << (q.shift - 1));
        e.alu(ptcir::AluOpcode::shr, plain, q.shift);
      }
      if (layer.relu)
        e.alu(ptcir::AluOpcode::max, plain, 0);
      e.alu(ptcir::AluOpcode::clip, plain,
            (int64_t{1} << (q.outputBits - 1)) - 1, DepFlags::push_next);
      // Store module.
      FailureOr<int64_t> address = c.byteAddress(
          d.result, tile.firstRow * s.nPadded + ob * g.blockOut, q.outputBits);
      if (failed(address))
        return failure();
      e.memory(true, ptcir::MemId::acc, accSlot, *address, tileRows, g.blockOut,
               s.nPadded, q.outputBits, 0,
               DepFlags::pop_prev | when(t + 2 <= tiles - 1 || t == tiles - 1,
                                         DepFlags::push_prev));
    }
  }
  return success();
}
} // namespace

LogicalResult ptc_lowering::emitDenseProgram(ModuleOp module,
                                             const DenseNetwork &net,
                                             ArrayRef<QuantizedLayer> layers,
                                             const CoreGeometry &g) {
  const int64_t columnMultiple = std::lcm(g.blockIn, g.blockOut);

  // Every size the buffers and ISA fields must hold, checked before any op
  // is built.
  SmallVector<LayerShape> shapes;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer &layer = net.layers[l];
    LayerShape s;
    const int64_t channels =
        layer.conv ? layer.conv->channels : layer.inFeatures;
    s.inColumns = l == 0 ? roundUp(channels, g.blockIn) : shapes.back().nPadded;
    s.kPadded = s.inColumns * (layer.inFeatures / channels);
    if (const std::optional<ConvGeometry> &c = layer.conv) {
      for (int64_t n = 0; n < c->images; ++n)
        for (int64_t y = 0; y < c->outH; ++y)
          for (int64_t x = 0; x < c->outW; x += g.batch)
            s.tiles.push_back(Tile{(n * c->outH + y) * c->outW + x,
                                   std::min(g.batch, c->outW - x), n, y, x});
    } else {
      for (int64_t r = 0; r < layer.outRows; r += g.batch)
        s.tiles.push_back(
            Tile{r, std::min(g.batch, layer.outRows - r), 0, 0, 0});
    }
    s.nPadded = roundUp(layer.outFeatures, columnMultiple);
    s.kChunks = s.kPadded / g.blockIn;
    s.outBlocks = s.nPadded / g.blockOut;
    if (2 * s.kChunks > g.inpRows || 2 * s.kChunks > g.wgtRows)
      return emitError(layer.loc, "PTC lowering: layer '")
             << layer.name << "' reduces over " << layer.inFeatures
             << " features: its double-buffered tiles need " << 2 * s.kChunks
             << " inp and wgt rows, the buffers hold " << g.inpRows << " and "
             << g.wgtRows;
    int64_t strideMax =
        s.kPadded * (layer.conv ? layer.conv->stride : int64_t{1});
    if (strideMax > 65535 || s.nPadded > 65535)
      return emitError(layer.loc, "PTC lowering: layer too wide for the "
                                  "DMA stride field");
    shapes.push_back(s);
  }
  if (g.accRows < kAccRowsUsed ||
      g.uopEntries < 8 * static_cast<int64_t>(net.layers.size()))
    return emitError(net.layers.front().loc,
                     "PTC lowering: the accelerator's buffers are too small "
                     "for this schedule");

  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = net.layers.front().loc;
  auto program = ptcir::ProgramOp::create(b, loc);
  b.setInsertionPointToStart(&program.getBodyRegion().front());
  ProgramBuilder e(b, loc);

  // Data segment: the input, then per layer its weights, constants and
  // result.
  int64_t input = e.addData("input", {net.rows, shapes.front().inColumns},
                            g.inputBits, {}, "input", layers[0].inputScale);
  setPixelHostView(e.lastData, net.inputShape);
  // A zero row source for im2col taps that fall outside the image.
  int64_t zeros = -1;
  if (llvm::any_of(net.layers, [](const DenseLayer &l) { return l.conv; }))
    zeros = e.addData("zeros", {g.blockIn}, g.inputBits, {}, "", 0);
  SmallVector<LayerData> data;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer &layer = net.layers[l];
    const QuantizedLayer &q = layers[l];
    const LayerShape &s = shapes[l];
    const int64_t channels =
        layer.conv ? layer.conv->channels : layer.inFeatures;
    std::vector<int64_t> weight(s.nPadded * s.kPadded, 0);
    for (int64_t o = 0; o < layer.outFeatures; ++o)
      for (int64_t k = 0; k < layer.inFeatures; ++k)
        weight[o * s.kPadded + k / channels * s.inColumns + k % channels] =
            q.weightCodes[o * layer.inFeatures + k];
    std::vector<int64_t> multiplier(s.nPadded, 0), bias(s.nPadded, 0);
    std::copy(q.multipliers.begin(), q.multipliers.end(), multiplier.begin());
    std::copy(q.biasCodes.begin(), q.biasCodes.end(), bias.begin());
    LayerData d;
    d.weight = e.addData(layer.name + "_weight", {s.nPadded, s.kPadded},
                         g.weightBits, weight, "", 0);
    d.multiplier = e.addData(layer.name + "_multiplier", {s.nPadded}, 16,
                             multiplier, "", 0);
    // The requantization shift, for hosts and tests that emulate it.
    e.lastData->setAttr("shift", b.getI64IntegerAttr(q.shift));
    d.bias = e.addData(layer.name + "_bias", {s.nPadded}, 16, bias, "", 0);
    const bool last = l + 1 == net.layers.size();
    d.result = e.addData(last ? std::string("output") : layer.name + "_result",
                         {layer.outRows, s.nPadded}, q.outputBits, {},
                         last ? "output" : "", q.outputScale);
    if (last)
      setPixelHostView(e.lastData, getOutputHostShape(net));
    data.push_back(d);
  }

  ptcir::LoadOp uopLoad;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    ptcir::LayerOp::create(b, loc, b.getStringAttr(net.layers[l].name));
    if (l == 0) {
      e.cfg(ptcir::CfgReg::in_bits, g.inputBits);
      e.cfg(ptcir::CfgReg::w_bits, g.weightBits);
      e.cfg(ptcir::CfgReg::t_acc, g.timeAccumulation);
      uopLoad = cast<ptcir::LoadOp>(
          e.memory(false, ptcir::MemId::uop, 0, 0, 1, 1, 1, std::nullopt));
    } else {
      // The previous layer's last store has finished: let the load module
      // read its result.
      e.cfg(ptcir::CfgReg::in_bits, g.inputBits,
            DepFlags::pop_next | DepFlags::push_prev);
    }
    GemmLayerContext c{e,
                       g,
                       net.layers[l],
                       layers[l],
                       shapes[l],
                       data[l],
                       l == 0 ? input : data[l - 1].result,
                       zeros,
                       /*firstLayer=*/l == 0};
    if (failed(emitGemmLayer(c)))
      return failure();
  }
  SmallVector<NamedAttribute> finishAttrs;
  e.deps(finishAttrs, DepFlags::pop_next);
  e.create<ptcir::FinishOp>(finishAttrs);

  // The micro-op table after the data, and its size in the LOAD that
  // copies it.
  b.setInsertionPointAfter(e.lastData);
  for (auto [dst, src, wgt] : e.uops)
    ptcir::UopOp::create(b, loc, dst, src, wgt);
  int64_t count = e.uops.size();
  uopLoad.setXSize(count);
  uopLoad.setXStride(count);
  return mlir::verify(program);
}
