//===- ProgramEmitter.cpp - Dense layers as a PTC program -----------------===//
//
// Schedule (docs/ptc-lowering.md): per GEMM layer, output blocks of
// BLOCK_OUT channels outermost; a block's weight rows are loaded once and
// reused by every batch tile of BATCH rows. Input rows and accumulators
// alternate two slots, so tile t+1 loads while tile t computes and tile t-1
// is stored; the tokens follow test/Tools/ptc-sim/Inputs/tiled_gemm.py.
// Reductions longer than the buffers run in segments over groups of tiles
// whose acc rows stay live. Adds and pooling are ActivationLayers.cpp's.
// Between layers the last store hands a token to the compute module, which
// hands one to the load module before a GEMM layer reads earlier results.
//
//===----------------------------------------------------------------------===//

#include "ProgramEmitter.h"
#include "ActivationLayers.h"
#include "ActivationPlacement.h"
#include "AdcCalibration.h"
#include "HostViews.h"
#include "ProgramBuilder.h"
#include "SmartDealWeights.h"

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
  g.adcBits = model.adcBits;
  g.weightBits = model.weightBits;
  g.timeAccumulation = model.timeAccumulation;
  g.globalSramBytes = model.globalSram.sizeBytes;
  g.basisRows = model.getLocal(LocalBuffer::Basis).sizeBytes / g.blockOut;
  const int64_t coeffBytes = model.getLocal(LocalBuffer::Coeff).sizeBytes / 2;
  g.coeffURows = coeffBytes / (g.blockOut * g.blockIn);
  g.coeffVRows = coeffBytes / (g.blockOut * g.blockOut);
  return g;
}

namespace {

/// BATCH (or fewer) consecutive rows of a layer's result; for a convolution
/// they lie in one output row (image, outY) from column outX on.
struct Tile {
  int64_t firstRow, rows, image, outY, outX;
};

/// Per-layer sizes after padding to the core's blocks.
struct LayerShape {
  int64_t inColumns;  // columns of the input in DRAM (channels, padded)
  int64_t tapColumns; // reduction columns per tap: channels to BLOCK_IN
  int64_t kPadded, nPadded, kChunks, outBlocks;
  /// A convolution on the network input with kernel * channels <= BLOCK_IN
  /// (the ResNet stem): the input is stored unpadded, [N][H][W + 2 pad][C],
  /// and a chunk is one kernel row, its kernel * C values contiguous.
  bool packedRows = false;
  SmallVector<Tile> tiles;
  /// The reduction in segments of at most segmentChunks chunks (one GEMM
  /// each); groupTiles tiles keep their acc rows across the segments.
  int64_t segmentChunks = 0, segments = 1, groupTiles = 1;
  /// Whether a block's whole weight stays in its wgt slot for all groups;
  /// otherwise each (group, segment) loads its segment. Rows per slot.
  bool residentWeights = true;
  int64_t wgtSlotRows = 0;
  /// Rows of one weight digit in a slot (the next digit's rows follow).
  int64_t digitRows = 0;
  /// Generated layers: level 1 per generation, for the segment's chunks
  /// (GeneratedLayout::w1PerSegment).
  bool w1PerSegment = false;
  /// Signed digits per dense weight (CoreGeometry::weightDigits; 1 for
  /// generated weights).
  int64_t weightDigits = 1;
  /// SmartDeal layers: resident weights are generated segment by segment
  /// (each at the block's first group), not all at the block's first unit.
  bool generatePerSegment = false;
};

/// DRAM addresses of a layer's tensors in the data segment.
struct LayerData {
  int64_t weight = 0, multiplier = 0, bias = 0, result = 0;
  /// The high weight digits (two-digit weights).
  int64_t weightHigh = 0;
  /// GEMM layers: the ADC full scale (CFG adc_fs_bits) of their windows.
  unsigned adcFullScaleBits = 0;
};

using ptcir::DepFlags;

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
  /// Generated layers: where the generator lives, whether level 1 has run,
  /// and the pops of the compute module's first instruction of the unit
  /// (consumed by the generation when it runs).
  const GeneratedLayout *generated = nullptr;
  GenerationState *state = nullptr;
  DepFlags *computeFirst = nullptr;

  /// The byte address of element `element` of `bits`-bit elements from
  /// `base`; tiles must start on a byte.
  FailureOr<int64_t> byteAddress(int64_t base, int64_t element,
                                 unsigned bits) const {
    return byteAddressOf(layer.loc, base, element, bits);
  }
};

/// Load module: fills wgt rows [wgtBase, wgtBase + kcEnd - kcBegin) with
/// chunks [kcBegin, kcEnd) of output block `ob` of the layer's weights;
/// `firstLoad` goes on the first LOAD and is consumed. A generated layer's
/// rows are generated by the compute module instead (GeneratedWeights.h).
LogicalResult emitWeightRows(const GemmLayerContext &c, int64_t ob,
                             int64_t kcBegin, int64_t kcEnd, int64_t wgtBase,
                             DepFlags &firstLoad) {
  const CoreGeometry &g = c.geometry;
  const LayerShape &s = c.shape;
  if (c.layer.generator && c.layer.generator->smartDeal) {
    if (failed(emitSmartDealLoads(c.builder, *c.layer.generator, g,
                                  *c.generated, ob, kcBegin, kcEnd, *c.state,
                                  firstLoad)))
      return failure();
    emitSmartDealRows(c.builder, *c.layer.generator, g, *c.generated, ob,
                      kcBegin, kcEnd, wgtBase, *c.state, *c.computeFirst);
    return success();
  }
  if (c.layer.generator) {
    if (c.generated->level1Staged && !c.state->level1Done)
      emitStagedLevel1(c.builder, *c.layer.generator, g, *c.generated, *c.state,
                       firstLoad);
    emitGeneratorReloads(c.builder, *c.layer.generator, g, *c.generated, ob,
                         kcBegin, kcEnd, *c.state, firstLoad);
    emitGeneratedRows(c.builder, *c.layer.generator, g, *c.generated, ob,
                      kcBegin, kcEnd, wgtBase, *c.state, *c.computeFirst);
    return success();
  }
  for (unsigned digit = 0; digit < s.weightDigits; ++digit) {
    const int64_t tensor = digit ? c.data.weightHigh : c.data.weight;
    for (int64_t kc = kcBegin; kc < kcEnd; ++kc) {
      FailureOr<int64_t> address = c.byteAddress(
          tensor, ob * g.blockOut * s.kPadded + kc * g.blockIn, g.weightBits);
      if (failed(address))
        return failure();
      c.builder.memory(false, ptcir::MemId::wgt,
                       wgtBase + digit * s.digitRows + kc - kcBegin, *address,
                       g.blockOut, g.blockIn, s.kPadded, g.weightBits, 0,
                       firstLoad);
      firstLoad = DepFlags::none;
    }
  }
  return success();
}

/// Load module: the inp row of chunk `kc` for `tile` into row `row`.
LogicalResult emitInputRow(const GemmLayerContext &c, const Tile &tile,
                           int64_t kc, int64_t row, DepFlags flags) {
  ProgramBuilder &e = c.builder;
  const CoreGeometry &g = c.geometry;
  const LayerShape &s = c.shape;
  const DenseLayer &layer = c.layer;
  // DRAM element of the first loaded row, the rows, their stride and the
  // zero rows around them (dense: one block of the input).
  int64_t element = tile.firstRow * s.inColumns + kc * g.blockIn;
  int64_t loaded = tile.rows, stride = s.inColumns, top = 0;
  if (s.packedRows) {
    // Kernel row kc of every pixel: kernel * C contiguous values of input
    // row y (whose stored columns include the zero padding), then zeros.
    const ConvGeometry &cv = *layer.conv;
    const int64_t y = tile.outY * cv.stride + kc - cv.pad;
    const int64_t values = cv.kernel * cv.channels;
    if (y < 0 || y >= cv.inH) {
      FailureOr<int64_t> address = c.byteAddress(c.zeros, 0, g.inputBits);
      if (failed(address))
        return failure();
      e.memory(false, ptcir::MemId::inp, row, *address, g.batch, g.blockIn,
               0, g.inputBits, 0, flags);
      return success();
    }
    FailureOr<int64_t> address = c.byteAddress(
        c.inputAddress,
        ((tile.image * cv.inH + y) * (cv.inW + 2 * cv.pad) +
         tile.outX * cv.stride) *
            cv.channels,
        g.inputBits);
    if (failed(address))
      return failure();
    e.memory(false, ptcir::MemId::inp, row, *address, tile.rows, values,
             cv.stride * cv.channels, g.inputBits, g.batch - tile.rows, flags,
             0, g.blockIn - values);
    return success();
  }
  if (const std::optional<ConvGeometry> &cv = layer.conv) {
    // im2col: tap t, channels c0..; output pixels outX.. of the row read
    // input pixels xStart + j * stride of input row y.
    const int64_t tap = kc * g.blockIn / s.tapColumns;
    const int64_t c0 = kc * g.blockIn % s.tapColumns;
    const int64_t y =
        tile.outY * cv->stride + tap / cv->kernel * cv->dilation - cv->pad;
    const int64_t xStart =
        tile.outX * cv->stride + tap % cv->kernel * cv->dilation - cv->pad;
    top = xStart < 0
              ? std::min(tile.rows, (-xStart + cv->stride - 1) / cv->stride)
              : 0;
    int64_t end = std::clamp<int64_t>(
        (cv->inW - xStart + cv->stride - 1) / cv->stride, 0, tile.rows);
    loaded = end - top;
    stride = cv->stride * s.inColumns;
    element = ((tile.image * cv->inH + y) * cv->inW + xStart + top * cv->stride) *
                  s.inColumns +
              c0;
    if (y < 0 || y >= cv->inH || loaded <= 0) {
      element = 0;
      loaded = g.batch;
      stride = 0;
      top = 0;
    }
  }
  const bool zero = loaded == g.batch && stride == 0;
  FailureOr<int64_t> address =
      c.byteAddress(zero ? c.zeros : c.inputAddress, element, g.inputBits);
  if (failed(address))
    return failure();
  if (top > 15 || g.batch - top - loaded > 15)
    return emitError(layer.loc, "PTC lowering: a tile needs more than 15 "
                                "padding rows");
  e.memory(false, ptcir::MemId::inp, row, *address, loaded, g.blockIn, stride,
           g.inputBits, g.batch - top - loaded, flags, top);
  return success();
}

/// wgt rows a layer needs beyond its two weight slots of `chunks` rows,
/// shared by them: 0 for dense weights; the level-1 kernels (of the layer,
/// or of a segment) and RECOMP slices for generated ones.
int64_t weightScratchRows(const DenseLayer &layer, const CoreGeometry &g,
                          int64_t tapColumns, int64_t chunks,
                          bool w1PerSegment) {
  if (!layer.generator)
    return 0;
  return generatedScratchRows(layoutGeneratedLayer(
      *layer.generator, g, tapColumns, 0, chunks, w1PerSegment));
}

/// Splits the reduction into segments whose inp and wgt rows fit twice
/// (double buffering), and groups tiles so that their acc rows stay live
/// across the segments (two groups alternate, plus the two constant rows).
LogicalResult planSegments(const DenseLayer &layer, const CoreGeometry &g,
                           LayerShape &s) {
  // Scratch rows (generation) are shared by the two weight slots. A
  // generator whose level-1 kernels do not fit whole generates them per
  // segment; a reloaded U then bounds the segment, as it does for a
  // level-1-only layer (GeneratedLayout). Whole level-1 kernels with a
  // reloaded U are generated once, U staged (level1Staged).
  int64_t uChunkLimit = 0;
  if (const std::shared_ptr<GeneratedWeights> &w = layer.generator) {
    GeneratedLayout whole = layoutGeneratedLayer(*w, g, s.tapColumns, 0);
    s.w1PerSegment = level1PerSegment(*w, whole, g);
    if (uReloadedPerSegment(*w, whole, g))
      uChunkLimit = whole.uCcPerHalf;
  }
  s.weightDigits = layer.generator ? 1 : g.weightDigits;
  auto scratch = [&](int64_t chunks) {
    return weightScratchRows(layer, g, s.tapColumns, chunks, s.w1PerSegment);
  };
  int64_t maxChunks = g.inpRows / 2;
  if (uChunkLimit)
    maxChunks = std::min(maxChunks, uChunkLimit);
  while (maxChunks > 0 &&
         2 * s.weightDigits * maxChunks + scratch(maxChunks) > g.wgtRows)
    --maxChunks;
  // A SmartDeal generation's code units must fit a half of coeff_u; its
  // blocks stay resident, each segment generated at the block's first group.
  s.generatePerSegment = layer.generator && layer.generator->smartDeal;
  if (s.generatePerSegment)
    maxChunks = smartDealSegmentChunks(
        layoutGeneratedLayer(*layer.generator, g, s.tapColumns, 0), maxChunks,
        g.timeAccumulation);
  // Per tile one acc row per weight digit, two groups, two constant rows.
  const int64_t accPerTile = 2 * s.weightDigits;
  if (maxChunks == 0 || g.accRows < accPerTile + 2)
    return emitError(layer.loc, "PTC lowering: the accelerator's buffers "
                                "are too small for this schedule");
  const int64_t tiles = s.tiles.size();
  if (s.kChunks <= maxChunks) {
    s.segmentChunks = s.kChunks;
    s.segments = 1;
    s.groupTiles = 1;
    s.residentWeights = true;
    s.wgtSlotRows = s.weightDigits * s.kChunks;
    s.digitRows = s.kChunks;
    s.w1PerSegment = false;
    return success();
  }
  // Segments of whole ADC windows, so that the windows do not depend on the
  // segmentation.
  s.segmentChunks = maxChunks;
  if (maxChunks >= g.timeAccumulation)
    s.segmentChunks -= maxChunks % g.timeAccumulation;
  s.segments = (s.kChunks + s.segmentChunks - 1) / s.segmentChunks;
  s.groupTiles = std::min(tiles, (g.accRows - 2) / accPerTile);
  const int64_t groups = (tiles + s.groupTiles - 1) / s.groupTiles;
  s.residentWeights =
      groups > 1 && !s.w1PerSegment && !uChunkLimit &&
      2 * s.weightDigits * s.kChunks + scratch(s.kChunks) <= g.wgtRows;
  s.digitRows = s.residentWeights ? s.kChunks : s.segmentChunks;
  s.wgtSlotRows = s.weightDigits * s.digitRows;
  return success();
}

/// About how many times the GEMM layers read each code of the network
/// input: once per output block, and for a convolution kernel^2 / stride^2
/// times (the ResNet stem: 2 x 49 / 4).
double networkInputReads(const DenseNetwork &net, ArrayRef<LayerShape> shapes) {
  double reads = 0;
  for (auto [l, layer] : llvm::enumerate(net.layers)) {
    if (layer.kind != LayerKind::Gemm || !llvm::is_contained(layer.inputs, 0))
      continue;
    double windows = 1;
    if (const std::optional<ConvGeometry> &cv = layer.conv)
      windows = std::max(1.0, static_cast<double>(cv->kernel * cv->kernel) /
                                  static_cast<double>(cv->stride * cv->stride));
    reads += static_cast<double>(shapes[l].outBlocks) * windows;
  }
  return reads;
}

/// One layer (the schedule of the file comment): output blocks, groups of
/// batch tiles whose acc rows stay live across the reduction segments, then
/// segments, then the group's tiles. Each (tile, segment) is a unit: its
/// inp rows alternate two slots; its GEMM accumulates into the tile's acc
/// row. The layer's first instruction follows the caller's CFG.
LogicalResult emitGemmLayer(const GemmLayerContext &c) {
  ProgramBuilder &e = c.builder;
  const CoreGeometry &g = c.geometry;
  const DenseLayer &layer = c.layer;
  const QuantizedLayer &q = c.quantized;
  const LayerShape &s = c.shape;
  const LayerData &d = c.data;
  const int64_t tileCount = s.tiles.size();
  const int64_t groupsPerBlock = (tileCount + s.groupTiles - 1) / s.groupTiles;
  const int64_t units = s.outBlocks * tileCount * s.segments;
  // acc rows: two groups of groupTiles per weight digit, then the constants.
  const int64_t multiplierRow = 2 * s.weightDigits * s.groupTiles,
                biasRow = multiplierRow + 1;
  auto groupSize = [&](int64_t group) {
    if (group < 0 || group >= s.outBlocks * groupsPerBlock)
      return int64_t{0};
    int64_t first = group % groupsPerBlock * s.groupTiles;
    return std::min(s.groupTiles, tileCount - first);
  };
  int64_t u = 0, weightLoads = 0, stored = 0;
  const int64_t tiles = s.outBlocks * tileCount;
  for (int64_t ob = 0; ob < s.outBlocks; ++ob) {
    for (int64_t gb = 0; gb < groupsPerBlock; ++gb) {
      const int64_t group = ob * groupsPerBlock + gb;
      const int64_t firstTile = gb * s.groupTiles, size = groupSize(group);
      const int64_t accBase = (group % 2) * s.groupTiles;
      for (int64_t sg = 0; sg < s.segments; ++sg) {
        const int64_t kcBegin = sg * s.segmentChunks;
        const int64_t kcEnd = std::min(s.kChunks, kcBegin + s.segmentChunks);
        const int64_t chunks = kcEnd - kcBegin;
        // Weight rows of this segment: resident ones are loaded at the
        // block's first unit, the others per (group, segment).
        int64_t wgtBase;
        bool loadWeights;
        int64_t loadBegin = kcBegin, loadEnd = kcEnd;
        if (s.residentWeights && s.generatePerSegment) {
          wgtBase = (ob % 2) * s.wgtSlotRows + kcBegin;
          loadWeights = gb == 0;
        } else if (s.residentWeights) {
          wgtBase = (ob % 2) * s.wgtSlotRows + kcBegin;
          loadWeights = gb == 0 && sg == 0;
          loadBegin = 0;
          loadEnd = s.kChunks;
        } else {
          wgtBase = (weightLoads % 2) * s.wgtSlotRows;
          loadWeights = true;
        }
        const int64_t loadBase = s.residentWeights && !s.generatePerSegment
                                     ? (ob % 2) * s.wgtSlotRows
                                     : wgtBase;
        for (int64_t i = 0; i < size; ++i, ++u) {
          const Tile &tile = s.tiles[firstTile + i];
          const int64_t accRow = accBase + i;
          const int64_t inpBase = (u % 2) * s.segmentChunks;
          // Load module: the weights (first tile only), then the inputs.
          DepFlags firstLoad =
              when(u >= 2 || (u == 0 && !c.firstLayer), DepFlags::pop_next);
          // The unit's first compute instruction waits for its loads; a
          // generation takes that wait.
          DepFlags computeFirst = DepFlags::pop_prev;
          if (c.computeFirst)
            *c.computeFirst = computeFirst;
          if (u == 0 && layer.generator)
            emitGeneratorLoads(e, *layer.generator, g, *c.generated,
                               firstLoad);
          if (i == 0 && loadWeights) {
            if (failed(emitWeightRows(c, ob, loadBegin, loadEnd, loadBase,
                                      firstLoad)))
              return failure();
            ++weightLoads;
            if (c.computeFirst)
              computeFirst = *c.computeFirst;
          }
          for (int64_t kc = kcBegin; kc < kcEnd; ++kc) {
            // The chunk at this reduction position (a 3x3 SmartDeal layer
            // reduces channel chunk by channel chunk).
            const int64_t chunk = c.generated && c.generated->smartDeal
                                      ? smartDealChunkAt(*c.generated, kc)
                                      : kc;
            if (failed(emitInputRow(
                    c, tile, chunk, inpBase + kc - kcBegin,
                    firstLoad | when(kc + 1 == kcEnd, DepFlags::push_next))))
              return failure();
            firstLoad = DepFlags::none;
          }
          // Compute module: per-channel constants (first unit of a block),
          // GEMM, and after the last segment the requantization.
          if (gb == 0 && sg == 0 && i == 0) {
            e.memory(false, ptcir::MemId::acc, multiplierRow,
                     d.multiplier + ob * g.blockOut * 2, g.batch, g.blockOut,
                     0, 16);
            e.memory(false, ptcir::MemId::acc, biasRow,
                     d.bias + ob * g.blockOut * 2, g.batch, g.blockOut, 0, 16);
          }
          const int64_t plain = e.uop(accRow, 0, 0);
          // The high digit's products accumulate in their own acc row.
          const int64_t highRow = accRow + 2 * s.groupTiles;
          const bool twoDigits = s.weightDigits == 2;
          if (sg == 0) {
            // The acc row is free once the tile of the group two before
            // that used it has been stored.
            e.gemm(true, plain, 1,
                   computeFirst |
                       when(i < groupSize(group - 2), DepFlags::pop_next));
            if (twoDigits)
              e.gemm(true, e.uop(highRow, 0, 0), 1, DepFlags::none);
            computeFirst = DepFlags::none;
          }
          // The last GEMM reading this unit's inp rows frees their slot.
          const DepFlags inputsRead =
              when(u + 2 <= units - 1, DepFlags::push_prev);
          e.gemm(false, e.uop(accRow, inpBase, wgtBase), chunks,
                 computeFirst | (twoDigits ? DepFlags::none : inputsRead));
          if (twoDigits)
            e.gemm(false, e.uop(highRow, inpBase, wgtBase + s.digitRows),
                   chunks, inputsRead);
          if (sg + 1 < s.segments)
            continue;
          if (twoDigits)
            // acc = low + (high << weightBits): the two-digit product.
            e.alu(ptcir::AluOpcode::shladd, e.uop(accRow, highRow, 0),
                  int64_t{g.weightBits});
          e.alu(ptcir::AluOpcode::add, e.uop(accRow, biasRow, 0),
                std::nullopt);
          e.alu(ptcir::AluOpcode::mul, e.uop(accRow, multiplierRow, 0),
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
          FailureOr<int64_t> address =
              c.byteAddress(d.result, tile.firstRow * s.nPadded + ob * g.blockOut,
                            q.outputBits);
          if (failed(address))
            return failure();
          ++stored;
          e.memory(true, ptcir::MemId::acc, accRow, *address, tile.rows,
                   g.blockOut, s.nPadded, q.outputBits, 0,
                   DepFlags::pop_prev |
                       when(i < groupSize(group + 2) || stored == tiles,
                            DepFlags::push_prev));
        }
      }
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
  // Columns (padded channels) of every tensor in DRAM: results to whole
  // input and output blocks; the input to whole input chunks, or to whole
  // output blocks when the ALU layers read it in BLOCK_OUT columns.
  const bool inputReadByAlu = llvm::any_of(net.layers, [](const DenseLayer &l) {
    return l.kind != LayerKind::Gemm && llvm::is_contained(l.inputs, 0);
  });
  SmallVector<int64_t> columns{
      roundUp(net.features(0), inputReadByAlu ? columnMultiple : g.blockIn)};
  // A convolution with few input channels reading the network input alone
  // packs kernel rows (LayerShape::packedRows); 4-bit codes need every
  // loaded row to start on a byte.
  int64_t inputPackedBy = -1;
  for (size_t l = 0; l < net.layers.size(); ++l)
    if (llvm::is_contained(net.layers[l].inputs, 0))
      inputPackedBy = inputPackedBy == -1 ? static_cast<int64_t>(l) : -2;
  bool packInputRows = false;
  if (inputPackedBy >= 0) {
    const DenseLayer &layer = net.layers[inputPackedBy];
    const std::optional<ConvGeometry> &cv = layer.conv;
    // Generated weights are laid out per tap (GeneratedWeights.h): no
    // packing for them.
    packInputRows =
        layer.kind == LayerKind::Gemm && !layer.generator && cv &&
        cv->kernel > 1 && cv->dilation == 1 &&
        cv->kernel * cv->channels <= g.blockIn &&
        g.blockIn - cv->kernel * cv->channels <= 15 &&
        (cv->channels * g.inputBits % 8 == 0 ||
         ((cv->inW + 2 * cv->pad) * cv->channels * g.inputBits % 8 == 0 &&
          cv->stride * cv->channels * g.inputBits % 8 == 0));
    if (packInputRows)
      columns[0] = cv->channels;
  }
  for (const DenseLayer &layer : net.layers)
    columns.push_back(roundUp(layer.outFeatures, columnMultiple));

  // Every size the buffers and ISA fields must hold, checked before any op
  // is built.
  SmallVector<LayerShape> shapes(net.layers.size());
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer &layer = net.layers[l];
    if (columns[l + 1] > 65535 ||
        llvm::any_of(layer.inputs, [&](int64_t id) {
          return columns[id] * (layer.conv ? layer.conv->stride : 1) > 65535;
        }))
      return emitError(layer.loc, "PTC lowering: layer too wide for the "
                                  "DMA stride field");
    if (layer.kind != LayerKind::Gemm)
      continue;
    LayerShape &s = shapes[l];
    const int64_t channels =
        layer.conv ? layer.conv->channels : layer.inFeatures;
    s.inColumns = columns[layer.inputs[0]];
    // The reduction skips the stored columns beyond the last BLOCK_IN chunk
    // of channels (results are stored to whole BLOCK_OUT blocks).
    s.tapColumns = roundUp(channels, g.blockIn);
    s.kPadded = s.tapColumns * (layer.inFeatures / channels);
    if (packInputRows && static_cast<int64_t>(l) == inputPackedBy) {
      s.packedRows = true;
      s.kPadded = layer.conv->kernel * g.blockIn;
    }
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
    s.nPadded = columns[l + 1];
    s.kChunks = s.kPadded / g.blockIn;
    s.outBlocks = s.nPadded / g.blockOut;
    if (failed(planSegments(layer, g, s)))
      return failure();
    if (s.kPadded > 65535)
      return emitError(layer.loc, "PTC lowering: layer too wide for the "
                                  "DMA stride field");
  }

  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = net.layers.front().loc;
  auto program = ptcir::ProgramOp::create(b, loc);
  b.setInsertionPointToStart(&program.getBodyRegion().front());
  ProgramBuilder e(b, loc);

  // Data segment: the input, then per layer its weights, constants and
  // result. tensorAddress[id]: the DRAM address of tensor `id`.
  int64_t inputRows = net.rows;
  if (packInputRows) {
    const ConvGeometry &cv = *net.layers[inputPackedBy].conv;
    inputRows = cv.images * cv.inH * (cv.inW + 2 * cv.pad);
  }
  SmallVector<int64_t> tensorAddress{
      e.addData("input", {inputRows, columns[0]}, g.inputBits, {}, "input",
                layers[0].inputScale)};
  // A packed input stores each image row with `pad` zero pixels left and
  // right.
  setPixelHostView(e.lastData, net.inputShape,
                   packInputRows ? net.layers[inputPackedBy].conv->pad : 0);
  // A zero row source for im2col taps that fall outside the image (and
  // RECOMP's zero slices): the last bytes of the global SRAM, which nothing
  // else uses and which therefore stay zero (a padded 7 x 7 layer reads it
  // for a fifth of its taps), or DRAM without the global SRAM.
  int64_t zeros = -1;
  int64_t sramCapacity = g.globalSramBytes;
  if (llvm::any_of(net.layers, [](const DenseLayer &l) {
        return l.kind == LayerKind::Gemm && (l.conv || l.generator);
      })) {
    const int64_t zeroBytes = roundUp((g.blockIn * g.inputBits + 7) / 8, 16);
    if (sramCapacity >= zeroBytes) {
      sramCapacity -= zeroBytes;
      zeros =
          e.addGlobalSramData("zeros", {g.blockIn}, g.inputBits, sramCapacity);
    } else {
      zeros = e.addData("zeros", {g.blockIn}, g.inputBits, {}, "", 0);
    }
  }
  // Intermediate results in the global SRAM when they fit. The network
  // input is copied there first (emitCopy) when its readers would read it
  // from DRAM three times or more, so that the copy's extra write and read
  // pay.
  const int64_t inputCodes = inputRows * columns[0];
  const bool stageInput =
      sramCapacity > 0 && networkInputReads(net, shapes) >= 3;
  SmallVector<int64_t> resultBytes;
  for (size_t l = 0; l < net.layers.size(); ++l)
    resultBytes.push_back(
        (net.layers[l].outRows * columns[l + 1] * layers[l].outputBits + 7) /
        8);
  SmallVector<std::optional<int64_t>> sramOffsets = placeIntermediateResults(
      net, resultBytes, sramCapacity,
      stageInput ? (inputCodes * g.inputBits + 7) / 8 : 0);
  // The DRAM input the copy reads; the readers read the copy.
  const int64_t dramInput = tensorAddress[0];
  if (sramOffsets[0]) {
    tensorAddress[0] = e.addGlobalSramData(
        "input_staged", {inputRows, columns[0]}, g.inputBits, *sramOffsets[0]);
    e.lastData->setAttr("role", b.getStringAttr("activation"));
    e.lastData->setAttr("scale", b.getF64FloatAttr(layers[0].inputScale));
  }
  // The per-tensor requantization of an ALU layer's result, for emulations.
  auto annotateRequantization = [&](Operation *result, const DenseLayer &layer,
                                    const QuantizedLayer &q) {
    if (layer.kind == LayerKind::Gemm)
      return;
    result->setAttr("multipliers", b.getDenseI64ArrayAttr(q.multipliers));
    result->setAttr("shift", b.getI64IntegerAttr(q.shift));
  };
  SmallVector<LayerData> data(net.layers.size());
  SmallVector<GeneratedLayout> generated(net.layers.size());
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer &layer = net.layers[l];
    const QuantizedLayer &q = layers[l];
    const LayerShape &s = shapes[l];
    LayerData &d = data[l];
    if (layer.kind == LayerKind::Gemm) {
      const int64_t channels =
          layer.conv ? layer.conv->channels : layer.inFeatures;
      std::vector<int64_t> weight(s.nPadded * s.kPadded, 0);
      // Tap-major: k = tap * channels + c; a packed layer's chunk is a
      // kernel row (tap = dy * kernel + dx at dy * BLOCK_IN + dx * C + c).
      auto position = [&](int64_t k) {
        const int64_t tap = k / channels, c = k % channels;
        if (s.packedRows)
          return tap / layer.conv->kernel * g.blockIn +
                 tap % layer.conv->kernel * channels + c;
        return tap * s.tapColumns + c;
      };
      for (int64_t o = 0; o < layer.outFeatures; ++o)
        for (int64_t k = 0; k < layer.inFeatures; ++k)
          weight[o * s.kPadded + position(k)] =
              q.weightCodes[o * layer.inFeatures + k];
      std::vector<int64_t> multiplier(s.nPadded, 0), bias(s.nPadded, 0);
      std::copy(q.multipliers.begin(), q.multipliers.end(), multiplier.begin());
      std::copy(q.biasCodes.begin(), q.biasCodes.end(), bias.begin());
      if (layer.generator) {
        // No weight tensor: the generator's instead, and its scratch rows
        // after the two weight slots.
        generated[l] = layoutGeneratedLayer(*layer.generator, g, s.tapColumns,
                                            2 * s.wgtSlotRows, s.segmentChunks,
                                            s.w1PerSegment);
        generated[l].zeros = zeros;
        addGeneratorData(e, layer.name, *layer.generator, g, generated[l]);
        d.weight = -1;
        // The GEMM's ADC full scale, from the codes GEN will produce; the
        // generation restores it after its own.
        const int64_t windowColumns = g.timeAccumulation * g.blockIn;
        d.adcFullScaleBits = chooseFullScaleBits(
            weight, s.nPadded, s.kPadded, windowColumns, q.inputCodes,
            g.adcBits,
            worstCaseFullScaleBits(g.inputBits, g.weightBits, windowColumns));
        generated[l].gemmFullScaleBits = d.adcFullScaleBits;
      } else {
        // Two-digit weights: `_weight` holds the low digits, `_weight_high`
        // the high ones, each run through its own GEMM.
        std::vector<std::vector<int64_t>> digits(g.weightDigits, weight);
        if (g.weightDigits > 1)
          for (unsigned digit = 0; digit < g.weightDigits; ++digit)
            for (int64_t &code : digits[digit])
              code = weightDigit(code, g.weightBits, digit);
        d.weight = e.addData(layer.name + "_weight", {s.nPadded, s.kPadded},
                             g.weightBits, digits[0], "", 0);
        // Chunks per GEMM run (ADC windows restart there), for emulations.
        e.lastData->setAttr("segment", b.getI64IntegerAttr(s.segmentChunks));
        Operation *weightData = e.lastData;
        if (g.weightDigits > 1)
          d.weightHigh =
              e.addData(layer.name + "_weight_high", {s.nPadded, s.kPadded},
                        g.weightBits, digits[1], "", 0);
        // ADC windows are t_acc consecutive chunks of a stored weight row
        // (segments hold whole windows); one full scale covers every digit.
        const int64_t windowColumns = g.timeAccumulation * g.blockIn;
        for (const std::vector<int64_t> &digit : digits)
          d.adcFullScaleBits =
              std::max(d.adcFullScaleBits,
                       chooseFullScaleBits(
                           digit, s.nPadded, s.kPadded, windowColumns,
                           q.inputCodes, g.adcBits,
                           worstCaseFullScaleBits(g.inputBits, g.weightBits,
                                                  windowColumns)));
        weightData->setAttr("adc_fs_bits",
                            b.getI64IntegerAttr(d.adcFullScaleBits));
      }
      d.multiplier = e.addData(layer.name + "_multiplier", {s.nPadded}, 16,
                               multiplier, "", 0);
      if (layer.generator) {
        // A generated layer has no weight tensor to read these from.
        e.lastData->setAttr("segment", b.getI64IntegerAttr(s.segmentChunks));
        e.lastData->setAttr("reduction", b.getI64IntegerAttr(s.kPadded));
        e.lastData->setAttr("adc_fs_bits",
                            b.getI64IntegerAttr(d.adcFullScaleBits));
      }
      // The requantization shift, for hosts and tests that emulate it.
      e.lastData->setAttr("shift", b.getI64IntegerAttr(q.shift));
      d.bias = e.addData(layer.name + "_bias", {s.nPadded}, 16, bias, "", 0);
    }
    if (net.outputIndex(l) >= 0) {
      // The network's results follow, in the function's order.
      tensorAddress.push_back(-1);
    } else if (sramOffsets[l + 1]) {
      d.result = e.addGlobalSramData(layer.name + "_result",
                                     {layer.outRows, columns[l + 1]},
                                     q.outputBits, *sramOffsets[l + 1]);
      e.lastData->setAttr("role", b.getStringAttr("activation"));
      e.lastData->setAttr("scale", b.getF64FloatAttr(q.outputScale));
      annotateRequantization(e.lastData, layer, q);
      tensorAddress.push_back(d.result);
    } else {
      d.result =
          e.addData(layer.name + "_result", {layer.outRows, columns[l + 1]},
                    q.outputBits, {}, "activation", q.outputScale);
      annotateRequantization(e.lastData, layer, q);
      tensorAddress.push_back(d.result);
    }
  }
  // The network's results in DRAM, in the function's order (ptc-sim binds
  // unnamed --output files in symbol order): `output`, or `output0`,
  // `output1`, ... when there are several.
  for (auto [index, id] : llvm::enumerate(net.outputs)) {
    const size_t l = id - 1;
    const DenseLayer &layer = net.layers[l];
    const QuantizedLayer &q = layers[l];
    data[l].result =
        e.addData(net.outputs.size() == 1 ? std::string("output")
                                          : "output" + std::to_string(index),
                  {layer.outRows, columns[l + 1]}, q.outputBits, {}, "output",
                  q.outputScale);
    annotateRequantization(e.lastData, layer, q);
    setPixelHostView(e.lastData, net.outputShapes[index]);
    tensorAddress[id] = data[l].result;
  }

  ptcir::LoadOp uopLoad;
  auto emitSetup = [&] {
    e.cfg(ptcir::CfgReg::in_bits, g.inputBits);
    e.cfg(ptcir::CfgReg::w_bits, g.weightBits);
    e.cfg(ptcir::CfgReg::t_acc, g.timeAccumulation);
    uopLoad = cast<ptcir::LoadOp>(
        e.memory(false, ptcir::MemId::uop, 0, 0, 1, 1, 1, std::nullopt));
  };
  const bool staged = sramOffsets[0].has_value();
  if (staged) {
    ptcir::LayerOp::create(b, loc, b.getStringAttr("input_staging"));
    emitSetup();
    if (failed(emitCopy(e, g, loc, dramInput, tensorAddress[0], inputCodes,
                        g.inputBits)))
      return failure();
  }
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer &layer = net.layers[l];
    const bool gemm = layer.kind == LayerKind::Gemm;
    ptcir::LayerOp::create(b, loc, b.getStringAttr(layer.name));
    if (l == 0 && !staged) {
      emitSetup();
    } else {
      // The previous layer's last store has finished: the compute module
      // may read its result, and lets the load module read it.
      e.cfg(ptcir::CfgReg::in_bits, g.inputBits,
            DepFlags::pop_next | when(gemm, DepFlags::push_prev));
    }
    if (gemm)
      e.cfg(ptcir::CfgReg::adc_fs_bits, data[l].adcFullScaleBits);
    if (!gemm) {
      ActivationLayerContext c{e, g, layer, layers[l], {}, {}, data[l].result,
                               columns[l + 1]};
      for (int64_t id : layer.inputs) {
        c.inputAddresses.push_back(tensorAddress[id]);
        c.inputColumns.push_back(columns[id]);
      }
      if (failed(emitActivationLayer(c)))
        return failure();
      continue;
    }
    GemmLayerContext c{e,
                       g,
                       layer,
                       layers[l],
                       shapes[l],
                       data[l],
                       tensorAddress[layer.inputs[0]],
                       zeros,
                       /*firstLayer=*/l == 0 && !staged};
    GenerationState state;
    DepFlags computeFirst = DepFlags::none;
    if (layer.generator) {
      c.generated = &generated[l];
      c.state = &state;
      c.computeFirst = &computeFirst;
    }
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
  if (count > g.uopEntries)
    return emitError(loc, "PTC lowering: the program needs ")
           << count << " micro-ops, the uop buffer holds " << g.uopEntries;
  uopLoad.setXSize(count);
  uopLoad.setXStride(count);
  return mlir::verify(program);
}
