//===- GeneratedWeights.h - MLG-generated weights on the core ---*- C++ -*-===//
//
// Layers whose filter is an MLG generator chain (docs/ptc-lowering.md,
// "Generated weights"): recognition of the chain into integer levels, the
// plan that maps it onto GEN level 1 / RECOMP / GEN level 2 of a 4-bit core,
// and a bit-exact emulation of the weight codes the core generates (the
// rules of docs/ptc-sim.md §1.5-1.7), from which the rest of the layer's
// quantization proceeds as for a dense layer.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_GENERATEDWEIGHTS_H
#define LIB_CONVERSION_MLGTOPTC_GENERATEDWEIGHTS_H

#include "mlg/Dialect/PTC/IR/PTCOps.h"
#include "mlir/IR/Location.h"

#include "mlir/IR/Value.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir::mlg::ptc_lowering {

struct CoreGeometry;

/// A generator chain as integers: every midrise value is (scale / 2) * m
/// with the odd level m = 2c + 1. Layouts follow the dialect (docs/dialect.md
/// §2.1) with the kernel taps flattened: basis [Bc][Bi][T] with level 1, or
/// the level-1 kernels themselves, [Bc][Ci][T], without it; coeffU
/// [Bc][Ci][Bi]; coeffV [Co][Bc].
struct GeneratorLevels {
  bool level1 = false, level2 = false;
  int64_t outChannels = 0, inChannels = 0, taps = 1, bc = 0, bi = 0;
  std::vector<int64_t> basis, coeffU, coeffV;
  double scaleB = 0, scaleU = 0, scaleV = 0;
  unsigned bitsB = 0, bitsU = 0, bitsV = 0;
};

/// How the core computes the layer's weights, and the codes it gets.
struct GeneratedWeights {
  GeneratorLevels levels;
  /// Level 1: U's odd levels m = 16 h + (2 l + 1) are split into two 4-bit
  /// coefficient tensors (`high` = h, `low` = 2 l + 1) when m does not fit
  /// w_bits; each is one GEN level-1 run into a scratch row, and RECOMP adds
  /// low + 16 high with a rounding right shift of `level1Shift`, giving the
  /// W1 codes in in_bits. Without the split one run and n_slices = 1.
  bool splitU = false;
  int64_t level1Shift = 0;
  int64_t recompSlices = 1, recompSliceBits = 4, highSlice = 0;
  int64_t recompRshift = 0;
  /// Level 2: t_acc and the calibrated ADC full scale (CFG adc_fs_bits,
  /// ptc-sim.md §1.7) give the ADC's shift `level2AdcShift` (it rounds half
  /// up); requant shifts by `level2ReqShift` to w_bits.
  int64_t level2TimeAccumulation = 1, level2FullScaleBits = 0;
  int64_t level2AdcShift = 0, level2ReqShift = 0;
  /// The generated codes [outChannels][inChannels * taps] (K tap-major,
  /// unpadded) and the float value of one code step.
  std::vector<int64_t> codes;
  double weightScale = 0;
  /// Largest |W1| before RECOMP and |level-2 sum|, for reports and tests.
  int64_t maxLevel1 = 0, maxLevel2 = 0;
};

/// Recognises `filter` as a generator chain: `generate_cross(dequantize V,
/// generate_intra(dequantize U, dequantize B))`, `generate_cross(dequantize
/// V, dequantize B)` or `generate_intra(dequantize U, dequantize B)`, all
/// per-tensor midrise grids on constant codes. Returns null when `filter`
/// is no generator op (a dense weight); an unsupported chain is reported
/// at `loc`.
FailureOr<std::shared_ptr<GeneratedWeights>> matchGeneratedFilter(Value filter,
                                                                  Location loc);

/// The same from the generator operands of a fused mlg.generated_conv2d /
/// mlg.generated_matmul (`coeffIn`, `coeffOut` null when absent).
FailureOr<std::shared_ptr<GeneratedWeights>>
matchGenerators(Value basis, Value coeffIn, Value coeffOut, int64_t outChannels,
                int64_t inChannels, int64_t taps, Location loc);

/// The dequantized float filter [o][c][t] (o-major, taps innermost).
std::vector<double> dequantizedFilter(const GeneratorLevels &levels);

/// Chooses the plan for `geometry` and emulates the core's codes; fails,
/// saying why in `whyNot`, for generators the core cannot run (operands
/// wider than its converters, level-1 sums beyond the 8-bit lanes).
LogicalResult planGeneration(GeneratedWeights &weights,
                             const CoreGeometry &geometry, std::string &whyNot);

/// The ADC of ptc-sim.md §1.7 (no noise): the value of window sum `x` after
/// conversion with `fullScaleBits`.
int64_t convertAdc(int64_t x, unsigned fullScaleBits, unsigned adcBits);

/// F of ptc-sim.md §1.7 for windows of `terms` products.
unsigned adcFullScaleBits(unsigned inBits, unsigned wBits, int64_t terms);

class ProgramBuilder;

/// Where a generated layer's tensors and rows are: DRAM addresses of the
/// generator tensors (-1: absent) and wgt rows after the layer's two weight
/// slots: the level-1 kernels [bc block][w1Chunks] from `w1Base` (level 2),
/// then the RECOMP slice rows from `scratchBase` (level 1).
///
/// Generators larger than their buffers are reloaded (the halves of a buffer
/// alternate, so a LOAD never overwrites rows a pending GEN reads):
/// `uReload`: coeff_u per generation (one per output block, tile group and
/// reduction segment) with the segment's input-channel blocks only, at most
/// `uCcPerHalf` of them; `vReload`: coeff_v per output block. With
/// `w1PerSegment` level 1 runs per generation for the segment's chunks
/// (w1Chunks = the segment's) instead of once for the layer.
struct GeneratedLayout {
  int64_t inColumns = 0, ccCount = 0, kChunks = 0, bcBlocks = 0, outBlocks = 0;
  int64_t coeffU = -1, basis = -1, coeffV = -1, w1 = -1, zeros = -1;
  int64_t coeffURows = 0, basisRows = 0, coeffVRows = 0;
  int64_t w1Base = 0, scratchBase = 0, scratchRows = 0;
  /// The ADC full scale of the layer's GEMM windows (CFG adc_fs_bits), set
  /// again after each generation.
  unsigned gemmFullScaleBits = 0;
  /// coeff_u rows per input-channel block (U digits x Bi x bc blocks).
  int64_t uRowsPerCc = 0, uCcPerHalf = 0;
  bool uReload = false, vReload = false, w1PerSegment = false;
  /// A reloaded U whose layer keeps its level-1 kernels whole: level 1 runs
  /// once per layer, U streamed through the halves of coeff_u
  /// (emitStagedLevel1), so U crosses DRAM once.
  bool level1Staged = false;
  int64_t w1Chunks = 0;
};

/// What a generated layer's emission has done so far.
struct GenerationState {
  bool level1Done = false;
  int64_t uLoads = 0, vLoads = 0, vBlock = -1;
  /// The coeff_u half and first input-channel block of the last U load.
  int64_t uHalfBase = 0, uFirstCc = 0;
  int64_t vHalfBase = 0;
};

/// The layout of `weights` for a layer whose taps read `tapColumns`
/// (padded) channels and whose weight slots take `slotRows` wgt rows.
/// `segmentChunks`: the most chunks of one reduction segment; with
/// `w1PerSegment` the level-1 kernels are generated per segment.
GeneratedLayout layoutGeneratedLayer(const GeneratedWeights &weights,
                                     const CoreGeometry &geometry,
                                     int64_t tapColumns, int64_t slotRows,
                                     int64_t segmentChunks = 0,
                                     bool w1PerSegment = false);

/// Whether the layer's generator tensors fit their buffers whole; if not,
/// whether they fit reloaded (`whyNot` says which does not).
bool coeffUFits(const GeneratedLayout &layout, const CoreGeometry &geometry);
bool coeffVFits(const GeneratedLayout &layout, const CoreGeometry &geometry);
LogicalResult checkGeneratorBuffers(const GeneratedLayout &layout,
                                    const CoreGeometry &geometry,
                                    std::string &whyNot);

/// wgt rows a generated layer needs beyond its weight slots.
int64_t generatedScratchRows(const GeneratedLayout &layout);

/// For a layer laid out over its whole reduction (`whole`): whether level 1
/// runs per reduction segment (the layer's level-1 kernels do not fit the
/// wgt buffer beside two one-row weight slots), and whether coeff_u is then
/// reloaded per segment (so, too, for a level-1-only layer whose U does not
/// fit).
bool level1PerSegment(const GeneratedWeights &weights,
                      const GeneratedLayout &whole,
                      const CoreGeometry &geometry);
bool uReloadedPerSegment(const GeneratedWeights &weights,
                         const GeneratedLayout &whole,
                         const CoreGeometry &geometry);

/// Appends the generator tensors (4-bit levels, laid out row by row as the
/// buffers hold them, ptc-sim.md §1.5) to the data segment.
void addGeneratorData(ProgramBuilder &builder, StringRef name,
                      const GeneratedWeights &weights,
                      const CoreGeometry &geometry, GeneratedLayout &layout);

/// Load module, once per layer: the generator tensors not reloaded (and the
/// level-1 kernels of a level-2-only layer, and zero RECOMP slices) into
/// their buffers. `firstLoad` goes on the first LOAD and is consumed.
void emitGeneratorLoads(ProgramBuilder &builder, const GeneratedWeights &w,
                        const CoreGeometry &geometry,
                        const GeneratedLayout &layout,
                        ptc::DepFlags &firstLoad);

/// Load and compute modules, once per layer with `level1Staged`: level 1 of
/// every chunk into the layer's level-1 kernel rows, U loaded group by group
/// (uCcPerHalf input-channel blocks, the halves of coeff_u alternating;
/// each load pushes a token its GENs pop, and the GENs free a half for the
/// load two groups on). `firstLoad` goes on the first LOAD and is consumed.
void emitStagedLevel1(ProgramBuilder &builder, const GeneratedWeights &w,
                      const CoreGeometry &geometry,
                      const GeneratedLayout &layout, GenerationState &state,
                      ptc::DepFlags &firstLoad);

/// Load module, per generation: the coeff_u rows of chunks [kcBegin, kcEnd)
/// and the coeff_v rows of block `ob` when they are reloaded. `firstLoad`
/// goes on the first LOAD and is consumed.
void emitGeneratorReloads(ProgramBuilder &builder, const GeneratedWeights &w,
                          const CoreGeometry &geometry,
                          const GeneratedLayout &layout, int64_t ob,
                          int64_t kcBegin, int64_t kcEnd,
                          GenerationState &state, ptc::DepFlags &firstLoad);

/// Compute module: generates weight rows [wgtBase, wgtBase + kcEnd -
/// kcBegin) of output block `ob` (level 1 first: of the whole layer once,
/// or of the segment's chunks with w1PerSegment). `computeFirst` goes on
/// the first instruction and is consumed; the GEMM's t_acc is restored at
/// the end.
void emitGeneratedRows(ProgramBuilder &builder, const GeneratedWeights &w,
                       const CoreGeometry &geometry,
                       const GeneratedLayout &layout, int64_t ob,
                       int64_t kcBegin, int64_t kcEnd, int64_t wgtBase,
                       GenerationState &state, ptc::DepFlags &computeFirst);

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_GENERATEDWEIGHTS_H
