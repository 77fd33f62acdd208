//===- ProgramEmitter.h - Dense layers as a PTC program ---------*- C++ -*-===//

#ifndef LIB_CONVERSION_MLGTOPTC_PROGRAMEMITTER_H
#define LIB_CONVERSION_MLGTOPTC_PROGRAMEMITTER_H

#include "DenseLayers.h"

#include "mlg/Target/PTC/AcceleratorModel.h"

#include "mlir/IR/BuiltinOps.h"

#include <optional>

namespace mlir::mlg::ptc_lowering {

/// The operand geometry of docs/ptc-sim.md §1 for one accelerator model.
struct CoreGeometry {
  int64_t batch = 0, blockIn = 0, blockOut = 0;
  int64_t inpRows = 0, wgtRows = 0, accRows = 0, uopEntries = 0;
  unsigned inputBits = 0, weightBits = 0, adcBits = 0, timeAccumulation = 1;
  /// Dense weights are stored as this many signed digits of weightBits
  /// (1, or 2 for weights twice as wide as the core's).
  unsigned weightDigits = 1;
  /// Bytes of the global SRAM for intermediate results (0: all in DRAM).
  int64_t globalSramBytes = 0;
  /// Rows of the MLG generator buffers (docs/ptc-sim.md §1.2).
  int64_t basisRows = 0, coeffURows = 0, coeffVRows = 0;
};

CoreGeometry getCoreGeometry(const ::mlg::ptc::AcceleratorModel &model);

/// BATCH (or fewer) consecutive rows of a layer's result; for a convolution
/// they lie in one output row (image, outY) from column outX on.
struct Tile {
  int64_t firstRow, rows, image, outY, outX;
};

/// Per-layer sizes after padding to the core's blocks.
struct LayerShape {
  int64_t inColumns = 0;  // columns of the input in DRAM (channels, padded)
  int64_t tapColumns = 0; // reduction columns per tap: channels to BLOCK_IN
  int64_t kPadded = 0, nPadded = 0, kChunks = 0, outBlocks = 0;
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

/// A GEMM layer's reduction and tiles padded to the core's blocks, and the
/// schedule planSegments gives them (segments, tile groups, weight
/// residency); `packedRows` for the convolution whose input rows are packed
/// (LayerShape::packedRows). The DRAM columns (inColumns, nPadded,
/// outBlocks) are the network's and left to the caller. Fails when the
/// buffers are too small for any schedule.
FailureOr<LayerShape> planGemmLayer(const DenseLayer &layer,
                                    const CoreGeometry &geometry,
                                    bool packedRows = false);

/// The convolution whose input rows the schedule packs (LayerShape::
/// packedRows) when its weights are dense: the network input's only
/// reader, with `kernel * channels` fitting one reduction chunk.
std::optional<size_t> packableInputReader(const DenseNetwork &net,
                                          const CoreGeometry &geometry);

/// Appends to `module` one ptc.program computing `net` with the integer
/// parameters `layers`; reports layers that do not fit the buffers.
LogicalResult emitDenseProgram(ModuleOp module, const DenseNetwork &net,
                               ArrayRef<QuantizedLayer> layers,
                               const CoreGeometry &geometry);

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_PROGRAMEMITTER_H
