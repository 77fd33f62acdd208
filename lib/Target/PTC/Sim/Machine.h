//===- Machine.h - State of the simulated PTC (private) ---------*- C++ -*-===//
//
// DRAM, the on-chip buffers, the configuration registers and the noise
// generator of the simulator, with bounds-checked accessors. Errors are
// plain strings; the executor prefixes the instruction and its offset.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_LIB_TARGET_PTC_SIM_MACHINE_H
#define MLG_LIB_TARGET_PTC_SIM_MACHINE_H

#include "mlg/Target/PTC/Simulator.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlg::ptc::sim {

/// Saturates `value` to a signed `bits`-bit range.
inline int64_t saturateSigned(int64_t value, unsigned bits) {
  int64_t hi = (int64_t(1) << (bits - 1)) - 1;
  int64_t lo = -hi - 1;
  return value < lo ? lo : value > hi ? hi : value;
}

/// Two's-complement wrap to 32 bits without UB.
inline int32_t wrap32(int64_t value) {
  return static_cast<int32_t>(static_cast<uint32_t>(
      static_cast<uint64_t>(value) & 0xFFFFFFFFull));
}

/// Configuration registers, with their reset values taken from the model.
struct ConfigRegisters {
  unsigned inBits = 0, wBits = 0, adcBits = 0, tAcc = 1;
  unsigned signMode = 0, wsrc = 0, dataflow = 0;
  int64_t reqScale = 1, reqShift = 0, reqZp = 0;
  /// Calibrated ADC full scale in bits; 0 = the worst case of the operands.
  unsigned adcFsBits = 0;

  /// Full-scale bits of one ADC window over `terms` products
  /// (docs/ptc-sim.md §1.7).
  unsigned adcFullScaleBits(uint64_t terms) const {
    return adcFsBits ? adcFsBits : getAdcFullScaleBits(inBits, wBits, terms);
  }
};

/// A deterministic Gaussian source (xorshift64* + Box-Muller), so that a
/// seed gives the same noise on every platform and standard library.
class NoiseSource {
public:
  void seed(uint64_t value);
  double next(); // standard normal
private:
  uint64_t state = 0x9E3779B97F4A7C15ull;
  std::optional<double> spare;
  double uniform();
};

class Machine {
public:
  /// Allocates the buffers unless `allocate` is false (a model too large
  /// to simulate, reported by the caller).
  Machine(const AcceleratorModel &model, const Geometry &geometry,
          const Options &options, bool allocate = true);

  const Geometry &geometry;
  const Options &options;
  ConfigRegisters cfg;
  NoiseSource noise;
  std::vector<uint8_t> dram;
  /// The global SRAM, addressed from isa::kGlobalSramBase (its full size,
  /// zero at start).
  std::vector<uint8_t> globalSram;
  /// Buffers as 32-bit lanes; operand buffers saturate writes to 8 bits.
  std::vector<int32_t> buffers[isa::kNumMemIds];
  std::vector<isa::Uop> uops;
  /// Counts writes of wgt lanes: the key of the GEMM weight cache.
  uint64_t wgtGeneration = 0;
  /// When run() must stop (Options::maxSeconds), if there is a limit.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  /// True once the deadline has passed.
  bool isPastDeadline() const {
    return deadline && std::chrono::steady_clock::now() > *deadline;
  }
  /// The error of a run stopped by the deadline.
  std::string getDeadlineMessage() const;

  /// Bounds-checked row access: the row's first lane, or an error message.
  std::optional<std::string> checkRows(isa::MemId mem, uint64_t firstRow,
                                       uint64_t numRows,
                                       llvm::StringRef role) const;
  std::optional<std::string> checkElements(isa::MemId mem, uint64_t first,
                                           uint64_t count) const;
  int32_t *row(isa::MemId mem, uint64_t r) {
    return buffers[static_cast<unsigned>(mem)].data() +
           r * geometry.rowElements[static_cast<unsigned>(mem)];
  }
  /// Writes a value into a lane of `mem`, saturating to its lane width
  /// (operand buffers) or wrapping to 32 bits (acc, out, scale).
  void writeLane(isa::MemId mem, uint64_t index, int64_t value) {
    unsigned i = static_cast<unsigned>(mem);
    if (mem == isa::MemId::Wgt)
      ++wgtGeneration;
    buffers[i][index] =
        geometry.laneBits[i] < 32
            ? int32_t(saturateSigned(value, geometry.laneBits[i]))
            : wrap32(value);
  }
  /// Row `r` of wgt as the GEMM kernel reads it: saturated to the weight
  /// DAC's `wBits`, as int16 pairs of consecutive k per output,
  /// [ceil(BLOCK_IN / 2)][BLOCK_OUT][2] (an odd BLOCK_IN padded with 0): the
  /// operand of a pairwise multiply-add. Cached until the next write of wgt
  /// (every write goes through writeLane).
  const int16_t *getGemmWeights(uint64_t r, unsigned wBits);
  /// Writes row `r` of acc and mirrors it into out (docs/ptc-sim.md).
  void mirrorAccRow(uint64_t r);

  /// Packed element access (`bits` wide, LSB-first from byte `base`) to
  /// DRAM or, for `base` >= isa::kGlobalSramBase, the global SRAM
  /// (docs/ptc-sim.md §1.3): checkDram rejects an extent that leaves the
  /// space it starts in.
  static bool isGlobalSram(uint64_t base) {
    return base >= isa::kGlobalSramBase;
  }
  std::optional<std::string> checkDram(uint64_t base, uint64_t firstElement,
                                       uint64_t numElements, unsigned bits,
                                       bool forWrite);
  int64_t readDram(uint64_t base, uint64_t element, unsigned bits,
                   bool isSigned) const;
  void writeDram(uint64_t base, uint64_t element, unsigned bits,
                 int64_t value);
  /// Writes the low `bits` bits of `count` values as consecutive elements
  /// from element `first` (checked with checkDram first).
  void writeDramElements(uint64_t base, uint64_t first, uint64_t count,
                         unsigned bits, const int32_t *values);
  /// `count` consecutive sign-extended elements from element `first`
  /// (checked with checkDram first), into `out`.
  void readDramElements(uint64_t base, uint64_t first, uint64_t count,
                        unsigned bits, int64_t *out) const;

private:
  /// The bytes `base` addresses, and the offset of `base` in them.
  const std::vector<uint8_t> &storage(uint64_t base) const {
    return isGlobalSram(base) ? globalSram : dram;
  }
  std::vector<uint8_t> &storage(uint64_t base) {
    return isGlobalSram(base) ? globalSram : dram;
  }
  static uint64_t offsetIn(uint64_t base) {
    return isGlobalSram(base) ? base - isa::kGlobalSramBase : base;
  }

  /// The GEMM weight cache: transposed rows and, per row, the
  /// (wgtGeneration, wBits) they were made at.
  std::vector<int16_t> gemmWeights;
  std::vector<uint64_t> gemmWeightsGeneration;
  std::vector<unsigned> gemmWeightsBits;
};

} // namespace mlg::ptc::sim

#endif // MLG_LIB_TARGET_PTC_SIM_MACHINE_H
