//===- AcceleratorModel.h - Parameterised photonic tensor core --*- C++ -*-===//
//
// The description of a photonic tensor core (PTC) accelerator: array
// geometry, converter precisions, per-event energies, memory levels and
// (for weight-stationary meshes) programming cost. It is read from a JSON
// file whose quantities carry their unit ("5 GHz", "3.9 pJ/bit"); presets
// are embedded in the library and found by name. docs/ptc-model.md lists
// every field with its unit and source.
//
// All values are held in one coherent unit system so that products need no
// conversion factor: energy pJ, power mW, time ns, frequency GHz, bandwidth
// GB/s (= bytes per ns), sizes in bytes. mW x ns = pJ; GHz x ns = cycles.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_ACCELERATORMODEL_H
#define MLG_TARGET_PTC_ACCELERATORMODEL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlg::ptc {

/// How weights reach the optical array.
enum class CoreKind {
  /// Both operands are modulated every cycle (LT "DOTA", TeMPO): weights
  /// stream from the WGT buffer at the core clock.
  Dynamic,
  /// Weights are written into the mesh once (MZI phases) and held; the
  /// array then processes input vectors until the next PROG.
  WeightStationary,
};

/// How the DAC energy per conversion scales with resolution b, relative to
/// the reference resolution b0: 2^b/b (LT DAC.py) or 2^b/(b+1) (SimPhony).
enum class DacScaling { Pow2OverBits, Pow2OverBitsPlusOne };

/// The on-chip scratchpads addressed by LOAD/STORE/GEMM/GEN.
enum class LocalBuffer { Uop, Inp, Wgt, Acc, Basis, Coeff };
inline constexpr unsigned kNumLocalBuffers = 6;
llvm::StringRef getLocalBufferName(LocalBuffer buffer);

/// One on-chip buffer: capacity and access energy.
struct LocalBufferSpec {
  uint64_t sizeBytes = 0;
  double energyPerBitPJ = 0; // per bit read or written
};

/// An off-chip or shared memory level.
struct MemoryLevelSpec {
  double bandwidthGBps = 0; // bytes per ns
  double energyPerBitPJ = 0;
  double accessLatencyNs = 0; // fixed cost of one DMA transfer
  uint64_t sizeBytes = 0;     // 0 = unbounded (DRAM)
  /// DMA requests a queue keeps in flight at this level: a transfer holds
  /// its queue for bits / bandwidth and its data arrives accessLatencyNs
  /// later, overlapping the next requests (docs/ptc-model.md §3.2). 1 (the
  /// default) serializes the access latencies.
  unsigned outstandingRequests = 1;
};

struct AcceleratorModel {
  std::string name;
  std::string description;

  // Geometry (photonic-core.md §5). A dynamic array computes, per cycle,
  // [R*H x C*L] . [C*L x W] (tiles split rows, cores split the reduction,
  // the input is broadcast across tiles); a weight-stationary one holds an
  // [R*H x C*W] weight block and computes it against L input vectors.
  CoreKind kind = CoreKind::Dynamic;
  unsigned tiles = 0;        // R
  unsigned coresPerTile = 0; // C
  unsigned height = 0;       // H
  unsigned width = 0;        // W
  unsigned wavelengths = 0;  // L (N-lambda)
  double clockGHz = 0;

  // Converter precisions and analog accumulation.
  unsigned inputBits = 0;        // input-side DAC resolution (max)
  unsigned weightBits = 0;       // weight-side DAC resolution (max)
  unsigned adcBits = 0;          // ADC resolution (max)
  unsigned timeAccumulation = 1; // T_acc cycles integrated before an ADC
  unsigned signPasses = 1;       // 1 coherent full range, 2 positive-only

  // Per-event energies.
  double dacReferencePowerMW = 0;
  double dacReferenceRateGHz = 0;
  unsigned dacReferenceBits = 0;
  DacScaling dacScaling = DacScaling::Pow2OverBits;
  double modulatorEnergyPJ = 0; // per modulated symbol
  double wdmRouterPowerMW = 0;  // static, per MRR router
  unsigned wdmRoutersPerChannel = 0;
  double adcReferencePowerMW = 0;
  double adcReferenceRateGHz = 0;
  unsigned adcReferenceBits = 0;
  double photodetectorPowerMW = 0;
  unsigned photodetectorsPerReadout = 0;
  double tiaPowerMW = 0;
  // Laser: either a fixed electrical power per core, or the LT link-budget
  // model P = 10^((S + IL + 10 log10 split)/10) / eta * 2^outputBits.
  std::optional<double> laserPowerPerCoreMW;
  double laserSensitivityDBm = 0;
  double laserInsertionLossDB = 0;
  double laserWallPlugEfficiency = 0;
  unsigned laserSplitWays = 0;
  // Digital periphery.
  double digitalAddPJ = 0;
  double digitalMultiplyPJ = 0;
  double digitalShiftAddPJ = 0;
  unsigned aluLanes = 0; // elements per cycle of ALU/RECOMP
  unsigned accumulatorBits = 0;

  // Memory hierarchy.
  MemoryLevelSpec dram;
  MemoryLevelSpec globalSram;
  LocalBufferSpec local[kNumLocalBuffers];

  // Weight-stationary programming (kind == WeightStationary only).
  double programTimeNs = 0;     // one PROG of all cores, in parallel
  unsigned shiftersPerCore = 0; // phase shifters rewritten per core
  double shifterPowerMW = 0;    // held during the programming time

  // Noise knobs for the simulator (torchonn conventions), dimensionless.
  double noiseInputStd = 0, noiseWeightStd = 0, noiseOutputStd = 0;
  double noisePhaseStd = 0, noiseGammaStd = 0, noiseCrosstalk = 0;

  const LocalBufferSpec &getLocal(LocalBuffer b) const {
    return local[static_cast<unsigned>(b)];
  }
  unsigned numCores() const { return tiles * coresPerTile; }

  // Intrinsic shape per cycle: rows (of W, i.e. N1), reduction (D),
  // columns (of X, i.e. N2); and the reduction one core sums per readout.
  unsigned intrinsicRows() const { return tiles * height; }
  unsigned reductionPerCore() const {
    return kind == CoreKind::Dynamic ? wavelengths : width;
  }
  unsigned intrinsicReduction() const {
    return coresPerTile * reductionPerCore();
  }
  unsigned intrinsicColumns() const {
    return kind == CoreKind::Dynamic ? width : wavelengths;
  }
  uint64_t macsPerCycle() const {
    return uint64_t(intrinsicRows()) * intrinsicReduction() *
           intrinsicColumns();
  }

  /// Energy of one DAC conversion at `bits` resolution, in pJ.
  double dacEnergyPJ(unsigned bits) const;
  /// Energy of one ADC conversion at `bits` resolution (linear in bits).
  double adcEnergyPJ(unsigned bits) const;
  /// Electrical laser power of one core when the ADC resolves `outputBits`.
  double laserPowerMW(unsigned outputBits) const;
};

/// Names of the embedded presets ("dptc-hbm" first: the default).
std::vector<llvm::StringRef> getPresetNames();
inline constexpr llvm::StringLiteral kDefaultPreset = "dptc-hbm";

/// JSON text of an embedded preset, or std::nullopt.
std::optional<llvm::StringRef> getPresetJSON(llvm::StringRef name);

/// Parses and validates a model. `sourceName` (a path or preset name)
/// prefixes error messages, which name the JSON path of the bad field,
/// e.g. "dptc.json: memory.dram.bandwidth: expected a bandwidth ...".
llvm::Expected<AcceleratorModel>
parseAcceleratorModel(llvm::StringRef json, llvm::StringRef sourceName);

/// Loads a preset by name, or else a JSON file by path.
llvm::Expected<AcceleratorModel>
loadAcceleratorModel(llvm::StringRef presetOrPath);

} // namespace mlg::ptc

#endif // MLG_TARGET_PTC_ACCELERATORMODEL_H
