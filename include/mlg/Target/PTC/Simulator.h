//===- Simulator.h - Functional and timing simulator of the PTC -*- C++ -*-===//
//
// Executes a decoded PTC program (Binary.h) on a machine sized from an
// AcceleratorModel: bit-exact integer semantics of every instruction
// (docs/isa.md §4 with the operand geometry of docs/ptc-sim.md), DAC
// saturation, ADC quantization with optional seeded Gaussian noise, and the
// latency/energy of every executed instruction through CostModel.h, with the
// load/compute/store overlap resolved by Timeline.h from the dependency
// tokens. Every buffer and DRAM access is bounds-checked: a bad program is an
// llvm::Error naming the instruction and its byte offset, never UB.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_SIMULATOR_H
#define MLG_TARGET_PTC_SIMULATOR_H

#include "mlg/Target/PTC/AcceleratorModel.h"
#include "mlg/Target/PTC/Binary.h"
#include "mlg/Target/PTC/CostModel.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlg::ptc::sim {

/// What one row of each on-chip buffer holds (docs/ptc-sim.md, "Operand
/// geometry"). BATCH = the array's columns, BLOCK_IN its reduction per
/// intrinsic, BLOCK_OUT its output rows.
struct Geometry {
  unsigned batch = 0;    ///< W (dynamic) or Nλ (weight-stationary)
  unsigned blockIn = 0;  ///< C·Nλ (dynamic) or C·W
  unsigned blockOut = 0; ///< R·H

  /// Elements per row and rows per buffer, indexed by isa::MemId (UOP rows
  /// are micro-op entries).
  uint64_t rowElements[isa::kNumMemIds] = {};
  uint64_t depth[isa::kNumMemIds] = {};
  /// Bits one element occupies on chip (8-bit operand lanes, 32-bit
  /// accumulator/scale lanes, 32-bit micro-ops).
  unsigned laneBits[isa::kNumMemIds] = {};

  static Geometry fromModel(const AcceleratorModel &model);
};

/// Bits of the ADC's full scale for a reduction of `terms` products of
/// `inBits` x `wBits` signed operands: inBits + wBits - 1 + ceil(log2 terms).
unsigned getAdcFullScaleBits(unsigned inBits, unsigned wBits, uint64_t terms);

/// ADC conversion of an exact analog partial sum (plus `noise`, in units of
/// the ADC step): shift s = max(0, fullScaleBits - adcBits); the code is
/// round-half-up(x / 2^s) saturated to adcBits signed bits; the result is
/// code * 2^s (back in product units).
int64_t convertAdc(int64_t sum, unsigned fullScaleBits, unsigned adcBits,
                   double noise = 0);

struct Options {
  /// Executed-instruction and intrinsic-step limits (a program over them is
  /// refused with an error, so a hostile file cannot run for hours).
  uint64_t maxInstructions = 100'000'000;
  uint64_t maxSteps = 4'000'000'000;
  /// Wall-clock limit of run() in seconds (0: none), checked between
  /// instructions and every few thousand steps inside one: a step may be
  /// thousands of multiply-accumulates, so the step limit alone does not
  /// bound the time.
  double maxSeconds = 0;
  /// DRAM grows on demand up to this many bytes.
  uint64_t maxDramBytes = uint64_t(512) << 20;
  /// Capacity of each of the four token queues.
  unsigned tokenQueueDepth = 256;
  /// Gaussian noise added to every analog partial sum before the ADC, in
  /// units of the ADC step (0: off). Seeded by `seed`, reseeded by CFG
  /// noise_seed.
  double noiseStd = 0;
  uint64_t seed = 0;
};

/// Totals of one layer (or of the whole program).
struct Stats {
  uint64_t instructions = 0;
  uint64_t steps = 0;        ///< GEMM/GEN intrinsic steps
  uint64_t macs = 0;         ///< multiply-accumulates of GEMM and GEN
  uint64_t busyCycles[3] = {}; ///< per module: load, compute, store
  double startNs = 0, finishNs = 0; ///< span on the timeline
  EnergyBreakdown energy;
  /// Bits moved per level: DRAM (LOAD/STORE), global SRAM (not addressed
  /// by this ISA: always 0), local buffers (reads and writes).
  uint64_t dramBits = 0, globalSramBits = 0, localBits = 0;
  /// DRAM bits by role (docs/ptc-sim.md §2): parameters (LOADs into wgt,
  /// basis, coeff_u, coeff_v, and LOADs into acc/scale of constant data:
  /// bytes inside one symbol with the data role),
  /// activations (every other LOAD and every STORE), micro-op table loads;
  /// they add up to dramBits.
  uint64_t dramWeightBits = 0, dramActivationBits = 0, dramUopBits = 0;
  uint64_t byClassInstructions[isa::kNumOpcodes] = {};
  double byClassEnergy[isa::kNumOpcodes] = {};

  double latencyNs() const { return finishNs - startNs; }
};

struct LayerReport {
  std::string name;
  uint64_t firstInstruction = 0, endInstruction = 0;
  Stats stats;
};

struct Report {
  std::string modelName;
  double clockGHz = 0;
  std::vector<LayerReport> layers;
  Stats total;
};

/// A host-visible tensor of the program (a data symbol flagged input or
/// output).
struct TensorValue {
  std::string name;
  std::vector<int64_t> shape;
  std::vector<int64_t> values;
};

/// Simulates one run of `program` (which must outlive the simulator) on
/// `model`. Typical use: setInput for each input, run, readSymbol for each
/// output, getReport.
class Simulator {
public:
  Simulator(const AcceleratorModel &model, const bin::Program &program,
            Options options = {});
  ~Simulator();
  Simulator(const Simulator &) = delete;
  Simulator &operator=(const Simulator &) = delete;

  const Geometry &getGeometry() const;

  /// The program's input and output symbols, in file order.
  std::vector<const bin::DataSymbol *> getInputs() const;
  std::vector<const bin::DataSymbol *> getOutputs() const;

  /// Writes values into an input's DRAM region (checks count and range).
  llvm::Error setInput(llvm::StringRef name, llvm::ArrayRef<int64_t> values);
  /// Reads an output (or any symbol) from DRAM after run().
  llvm::Expected<TensorValue> readSymbol(llvm::StringRef name) const;

  /// Runs the program to FINISH. Errors name the instruction and offset.
  llvm::Error run();
  const Report &getReport() const;

  /// Direct access for tests: buffer element `index` (flat, row-major) of
  /// `mem`, and DRAM bytes.
  int64_t getBufferElement(isa::MemId mem, uint64_t index) const;
  llvm::Error setBufferElement(isa::MemId mem, uint64_t index, int64_t value);
  llvm::ArrayRef<uint8_t> getDram() const;

  class Impl;

private:
  Impl *impl;
};

/// The per-layer table and totals as text.
void printReport(const Report &report, llvm::raw_ostream &os);
/// The same as JSON (stable keys; docs/ptc-sim.md).
void printReportJSON(const Report &report, llvm::raw_ostream &os);

} // namespace mlg::ptc::sim

#endif // MLG_TARGET_PTC_SIMULATOR_H
