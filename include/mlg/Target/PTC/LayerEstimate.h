//===- LayerEstimate.h - Per-layer cost: dense vs generated -----*- C++ -*-===//
//
// Analytical estimate of one convolution layer on a PTC, used by the
// compiler to choose per layer between loading dense weights and loading
// the MLG generator (bit-packed basis/U/V) then generating the weights on
// the array. Both options share the activation traffic and the
// convolution GEMM; they differ in DRAM weight traffic and generation work.
//
// Schedule assumed (photonic-core.md §5 "Scheduling"): weights are loaded
// or generated once per layer invocation and every WGT tile serves all
// N2 = outH*outW*batch columns before eviction; DMA is double-buffered
// against compute, so latency = max(load queue, prerequisite + compute
// queue, store queue), where the prerequisite is what compute must wait
// for (the whole generator, or the first R*H-row block of dense weights).
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_LAYERESTIMATE_H
#define MLG_TARGET_PTC_LAYERESTIMATE_H

#include "mlg/Target/PTC/CostModel.h"

#include <optional>
#include <string>

namespace mlg::ptc {

/// A k x k convolution as an implicit GEMM W[Co x Ci*k*k] . X[Ci*k*k x N2].
struct ConvLayerDesc {
  uint64_t outChannels = 0, inChannels = 0, kernelSize = 0;
  uint64_t outHeight = 0, outWidth = 0;
  uint64_t inHeight = 0, inWidth = 0; // 0 = same as the output
  uint64_t batch = 1;
  unsigned activationBits = 8;
  unsigned weightBits = 8; // dense weights in DRAM and generated W in WGT
  unsigned outputBits = 0; // ADC resolution of every GEMM; 0 = model's
};

/// MLG generator of one layer: (Bi, Bc, qb, qu, qv) as in the paper, plus
/// the width W1 is requantised to between the two levels.
struct GeneratorDesc {
  unsigned bi = 0, bc = 0, qb = 0, qu = 0, qv = 0;
  unsigned intermediateBits = 8;
};

/// Which generation levels apply (MLG code `enable_dynamic_weight`: level 1
/// only if Bi < min(Ci, k^2), level 2 only if Bc < min(Co, Ci*k^2)) and the
/// stored tensors: basis [Bc' x Bi x k^2] (or [Bc' x Ci x k^2] without
/// level 1), U [Bc' x Ci x Bi], V [Co x Bc'], with Bc' = Co without level 2.
struct GeneratorShape {
  bool level1 = false, level2 = false;
  uint64_t basisElements = 0, uElements = 0, vElements = 0;
  uint64_t basisBits = 0, coeffBits = 0; // in the BASIS / COEFF buffers
  uint64_t totalBits() const { return basisBits + coeffBits; }
};
llvm::Expected<GeneratorShape> getGeneratorShape(const ConvLayerDesc &layer,
                                                 const GeneratorDesc &gen);

enum class WeightSource { Dense, Generated };

struct LayerEstimate {
  WeightSource source = WeightSource::Dense;
  double latencyNs = 0;
  uint64_t cycles = 0;
  double loadNs = 0, computeNs = 0, storeNs = 0, prerequisiteNs = 0;
  uint64_t dramWeightBits = 0, dramActivationBits = 0;
  Cost weightLoad, activationLoad, outputStore, generation, convolution;
  EnergyBreakdown energy; // everything above
};

/// Dense when `generator` is empty, else generated.
llvm::Expected<LayerEstimate>
estimateConvLayer(const AcceleratorModel &model, const ConvLayerDesc &layer,
                  const std::optional<GeneratorDesc> &generator);

/// What the per-layer choice optimises. `EnergyAndLatency` is the rule of
/// photonic-core.md §5: generate only if it spends less energy and is not
/// slower.
enum class ChoiceObjective { Energy, Latency, EnergyAndLatency };

struct WeightSourceChoice {
  WeightSource choice = WeightSource::Dense;
  LayerEstimate dense;
  std::optional<LayerEstimate> generated; // empty if generation is off/unfit
  std::string reason; // why generation was rejected, when it was
};

/// Estimates both options and picks one. A layer whose generator is off
/// (level rules) or does not fit on chip stays dense; the reason says why.
llvm::Expected<WeightSourceChoice> chooseWeightSource(
    const AcceleratorModel &model, const ConvLayerDesc &layer,
    const GeneratorDesc &generator,
    ChoiceObjective objective = ChoiceObjective::EnergyAndLatency);

/// A GEMM whose operands may be wider than the converters: it runs once per
/// (weight slice, input slice) pair at ceil(bits/slices) bits each, then
/// RECOMP adds the partial products (skipped with one pair). On a
/// weight-stationary model each weight slice is programmed (PROG) once.
llvm::Expected<Cost> estimateSlicedGemm(const AcceleratorModel &model,
                                        GemmDesc gemm, unsigned weightBits,
                                        unsigned inputBits);

} // namespace mlg::ptc

#endif // MLG_TARGET_PTC_LAYERESTIMATE_H
