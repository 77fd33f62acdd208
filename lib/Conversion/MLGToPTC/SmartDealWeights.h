//===- SmartDealWeights.h - SmartDeal weights made by SHADD -----*- C++ -*-===//
//
// Layers whose filter is a SmartDeal chain (mlg-decompose family=smartdeal:
// power-of-two codes C through mlg.decode_pow2, times a float basis B per
// block, reshaped to the filter) generated on the core's digital lanes by
// SHADD (docs/isa.md), as docs/ptc-lowering.md "SmartDeal weights"
// describes: recognition, the integer plan (basis codes and shifts), a
// bit-exact emulation of the weight codes SHADD writes, and the data and
// instructions. The rest of the layer is quantized as a dense layer from
// those codes and per-channel scales, as for MLG-generated weights
// (GeneratedWeights.h, whose entry points dispatch here).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_SMARTDEALWEIGHTS_H
#define LIB_CONVERSION_MLGTOPTC_SMARTDEALWEIGHTS_H

#include "GeneratedWeights.h"

namespace mlir::mlg::ptc_lowering {

/// How the filter is cut into blocks (mlg::SmartDealLayout): a 3x3 kernel
/// (kernel 3) into blocks of rows (ci, kh) over `rows / 3` input channels,
/// `splits` per output channel; a 1x1 (kernel 1) or linear (kernel 0) row
/// padded to `paddedCi` into `splits` blocks of `rows` rows of 3.
struct SmartDealBlocks {
  int64_t co = 0, ci = 0, kernel = 0, splits = 0, rows = 0, paddedCi = 0;
};

struct SmartDealWeights {
  SmartDealBlocks blocks;
  int64_t minExponent = 0;
  unsigned codeBits = 0;
  std::vector<int64_t> codes; // C [co * splits][rows][3], decode_pow2 codes
  std::vector<double> basis;  // B [co * splits][3][3]
  /// The plan: integer basis codes (|b| <= 127, B ~ s_B[o] b) and SHADD's
  /// rshift per output block of BLOCK_OUT channels.
  std::vector<int64_t> basisCodes;
  std::vector<int64_t> shifts;
};

/// Recognises `filter` as a SmartDeal chain (traced through reshapes and
/// the crop of a 1x1 or linear weight) and returns it with the filter's
/// shape in `levels`; null when `filter` is no SmartDeal weight. Chains the
/// core cannot take are reported at `loc`.
FailureOr<std::shared_ptr<GeneratedWeights>> matchSmartDealFilter(Value filter,
                                                                  Location loc);

/// The float filter [o][c][t] the chain computes.
std::vector<double> smartDealFilter(const SmartDealWeights &sd);

/// Quantizes the basis per output channel, picks each output block's SHADD
/// shift (least squared error of the weights) and emulates the codes SHADD
/// writes; fails, saying why in `whyNot`, when the core cannot run it.
LogicalResult planSmartDeal(GeneratedWeights &weights,
                            const CoreGeometry &geometry, std::string &whyNot);

/// The layout of a SmartDeal layer whose taps read `inColumns` (padded)
/// channels; the weight slots take `slotRows` wgt rows (no scratch rows).
GeneratedLayout layoutSmartDealLayer(const GeneratedWeights &weights,
                                     const CoreGeometry &geometry,
                                     int64_t inColumns, int64_t slotRows);

LogicalResult checkSmartDealBuffers(const GeneratedLayout &layout,
                                    const CoreGeometry &geometry,
                                    std::string &whyNot);

/// The K chunk (tap * channel chunks + channel chunk, the im2col order of
/// the inputs and of the filter) at reduction position `position`: the
/// identity, except for 3x3 layers, whose reduction runs channel chunk by
/// channel chunk, the 9 taps of each together (kernel row by kernel row),
/// so that the three taps reading one code unit are adjacent and a unit is
/// loaded once per block. The sum is the same; the ADC windows are those of
/// this order.
int64_t smartDealChunkAt(const GeneratedLayout &layout, int64_t position);

/// The most chunks per reduction segment (at most `maxChunks`, a multiple
/// of `timeAccumulation` when above it) whose code units fit one half of
/// coeff_u in every segment; 0 when not even one chunk does.
int64_t smartDealSegmentChunks(const GeneratedLayout &layout, int64_t maxChunks,
                               int64_t timeAccumulation);

/// What a SmartDeal layer's weights cost under the schedule: the bits of
/// codes and basis codes crossing DRAM, the weights SHADD writes and the
/// SHADD instructions, for segments of `segmentChunks` chunks generated
/// `generations` times per output block (once when the block's weights stay
/// resident).
struct SmartDealWork {
  int64_t codeBits = 0, basisBits = 0, weights = 0, instructions = 0;
  int64_t firstBlockBits = 0;
};
SmartDealWork smartDealWork(const GeneratedWeights &weights,
                            const GeneratedLayout &layout,
                            const CoreGeometry &geometry, int64_t segmentChunks,
                            int64_t generations);

/// Appends `<name>_codes` ([out block][unit][o][unitCodes], the codes'
/// width) and `<name>_basis` ([out block][o][block][9], 8-bit) to the data.
void addSmartDealData(ProgramBuilder &builder, StringRef name,
                      const GeneratedWeights &weights,
                      const CoreGeometry &geometry, GeneratedLayout &layout);

/// Load module, per generation: output block `ob`'s basis (when the block
/// changes) and the code units of chunks [kcBegin, kcEnd), into alternating
/// halves of their buffers. `firstLoad` goes on the first LOAD.
LogicalResult
emitSmartDealLoads(ProgramBuilder &builder, const GeneratedWeights &weights,
                   const CoreGeometry &geometry, const GeneratedLayout &layout,
                   int64_t ob, int64_t kcBegin, int64_t kcEnd,
                   GenerationState &state, ptc::DepFlags &firstLoad);

/// Compute module: SHADDs writing wgt rows [wgtBase, wgtBase + kcEnd -
/// kcBegin) of output block `ob` (reduction positions kcBegin ..), one per run
/// of a chunk (a channel group or block boundary splits it), each repeated over
/// the block's BLOCK_OUT output channels. `computeFirst` goes on the first
/// SHADD.
void emitSmartDealRows(ProgramBuilder &builder, const GeneratedWeights &weights,
                       const CoreGeometry &geometry,
                       const GeneratedLayout &layout, int64_t ob,
                       int64_t kcBegin, int64_t kcEnd, int64_t wgtBase,
                       const GenerationState &state,
                       ptc::DepFlags &computeFirst);

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_SMARTDEALWEIGHTS_H
