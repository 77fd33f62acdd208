//===- ActivationLayers.h - Residual adds and pooling on the ALU -*- C++ -*-===//
//
// The layers of a network that are not GEMMs: residual adds, max pooling and
// global average pooling. Their float evaluation, their per-tensor integer
// requantization, and their schedule on the core's accumulator and ALU
// (LOAD acc of the activation codes, ALU, STORE; docs/ptc-lowering.md).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_ACTIVATIONLAYERS_H
#define LIB_CONVERSION_MLGTOPTC_ACTIVATIONLAYERS_H

#include "DenseLayers.h"
#include "ProgramBuilder.h"
#include "ProgramEmitter.h"

namespace mlir::mlg::ptc_lowering {

/// The layer's result in float64 from its input tensors (NHWC rows).
std::vector<double> evaluateActivationLayer(const DenseLayer &layer,
                                            ArrayRef<ArrayRef<double>> inputs);

/// The fixed rule's bound of max |result| from the inputs' bounds.
double boundActivationLayer(const DenseLayer &layer, ArrayRef<double> inputs);

/// Fills the multipliers (one per input: y = clip((sum_i x_i * M_i + round)
/// >> shift), pooling sums first) and the shift of `q`, whose output scale
/// and bits are set; `inputScales` are the scales of the layer's inputs.
LogicalResult quantizeActivationLayer(const DenseLayer &layer,
                                      ArrayRef<double> inputScales,
                                      unsigned inputBits, QuantizedLayer &q);

/// What the emission of one such layer reads: DRAM addresses and columns
/// (padded channels) of its inputs and of its result.
struct ActivationLayerContext {
  ProgramBuilder &builder;
  const CoreGeometry &geometry;
  const DenseLayer &layer;
  const QuantizedLayer &quantized;
  SmallVector<int64_t, 2> inputAddresses, inputColumns;
  int64_t result, resultColumns;
};

/// The layer on the compute and store modules; its first instruction
/// follows the caller's CFG, its last STORE pushes a token to the compute
/// module (the next layer's CFG pops it).
LogicalResult emitActivationLayer(const ActivationLayerContext &c);

/// Copies `codes` consecutive `bits`-bit codes from address `source` to
/// `destination` (e.g. the network input into the global SRAM) through acc
/// rows 0 and 1, in tiles of BATCH x BLOCK_OUT codes with the token scheme
/// of the activation layers: the compute module LOADs, the store module
/// STOREs, and the last STORE pushes a token to the compute module (the
/// next layer's CFG pops it).
LogicalResult emitCopy(ProgramBuilder &builder, const CoreGeometry &geometry,
                       Location loc, int64_t source, int64_t destination,
                       int64_t codes, unsigned bits);

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_ACTIVATIONLAYERS_H
