//===- CostModel.h - Latency and energy of PTC operations -------*- C++ -*-===//
//
// Latency and energy of one operation on a photonic tensor core described by
// an AcceleratorModel. Inputs are plain descriptors, independent of the
// binary instruction encoding, so that the compiler (per-layer choices) and
// the simulator (per executed instruction) share one model. The formulas
// follow photonic-core.md §5 with the fixes listed in docs/ptc-model.md.
//
// Units: energy pJ, time ns, cycles of the core clock.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_TARGET_PTC_COSTMODEL_H
#define MLG_TARGET_PTC_COSTMODEL_H

#include "mlg/Target/PTC/AcceleratorModel.h"

#include "llvm/Support/Error.h"

#include <cstdint>

namespace mlg::ptc {

/// Energy split by component, in pJ. `modulator` includes the static power
/// of the WDM routers; `receiver` is photodetectors plus TIAs.
struct EnergyBreakdown {
  double dac = 0, modulator = 0, adc = 0, receiver = 0, laser = 0;
  double digital = 0, programming = 0;
  double dram = 0, globalSram = 0, localBuffers = 0;

  double compute() const {
    return dac + modulator + adc + receiver + laser + digital + programming;
  }
  double memory() const { return dram + globalSram + localBuffers; }
  double total() const { return compute() + memory(); }
  EnergyBreakdown &operator+=(const EnergyBreakdown &other);
  EnergyBreakdown scaled(double factor) const;
};

struct Cost {
  uint64_t cycles = 0; // core-clock cycles (transfers: rounded up)
  double latencyNs = 0;
  /// A DMA transfer with more than one outstanding request at its memory
  /// level holds its queue only for `occupancyNs` (bits / bandwidth); the
  /// rest of latencyNs (the access latency) overlaps the next requests, up
  /// to `outstandingRequests` in flight. 1 = serialized (occupancy =
  /// latency), as every other operation.
  unsigned outstandingRequests = 1;
  double occupancyNs = 0;
  EnergyBreakdown energy;
  double seconds() const { return latencyNs * 1e-9; }
};

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

enum class MemoryLevel { Dram, GlobalSram, Local };

struct MemoryEndpoint {
  MemoryLevel level = MemoryLevel::Dram;
  LocalBuffer buffer = LocalBuffer::Inp; // when level == Local
  static MemoryEndpoint dram() { return {MemoryLevel::Dram, LocalBuffer::Inp}; }
  static MemoryEndpoint globalSram() {
    return {MemoryLevel::GlobalSram, LocalBuffer::Inp};
  }
  static MemoryEndpoint local(LocalBuffer b) { return {MemoryLevel::Local, b}; }
};

/// One DMA transfer (LOAD or STORE). Time = the larger access latency of
/// the two ends + bits / the smaller bandwidth (local buffers are not a
/// bandwidth limit); energy = bits x (e_source + e_destination). The cost
/// also says how long the transfer occupies its queue when requests are
/// pipelined (bits / bandwidth) and how many may be in flight (the smaller
/// `outstanding_requests` of the DRAM / global-SRAM ends).
struct DmaTransfer {
  uint64_t bits = 0;
  MemoryEndpoint source, destination;
};
llvm::Expected<Cost> estimateTransfer(const AcceleratorModel &model,
                                      const DmaTransfer &transfer);

//===----------------------------------------------------------------------===//
// Optical GEMM: W[N1 x D] . X[D x N2], repeated `batch` times.
//===----------------------------------------------------------------------===//

struct GemmDesc {
  uint64_t rows = 0;             // N1 (weight rows / outputs)
  uint64_t reduction = 0;        // D
  uint64_t columns = 0;          // N2 (input columns)
  uint64_t batch = 1;            // independent GEMMs of this shape
  unsigned weightBits = 0;       // <= model.weightBits (slice wider operands)
  unsigned inputBits = 0;        // <= model.inputBits
  unsigned outputBits = 0;       // ADC resolution; 0 = model.adcBits
  unsigned signPasses = 0;       // 0 = model.signPasses
  unsigned timeAccumulation = 0; // 0 = model.timeAccumulation
  // Where the operands come from and where partial sums accumulate.
  LocalBuffer weightBuffer = LocalBuffer::Wgt;
  LocalBuffer inputBuffer = LocalBuffer::Inp;
  LocalBuffer accumulatorBuffer = LocalBuffer::Acc;
};

/// Event counts of a GEMM (the cost model's intermediate; exposed so that
/// tests and reports can check them).
struct GemmEvents {
  uint64_t cycles = 0;
  uint64_t weightConversions = 0; // weight-side DAC + modulator symbols
  uint64_t inputConversions = 0;  // input-side DAC + modulator symbols
  uint64_t readouts = 0;          // balanced-PD + TIA readouts
  uint64_t adcConversions = 0;    // also the digital accumulations
};
llvm::Expected<GemmEvents> countGemmEvents(const AcceleratorModel &model,
                                           const GemmDesc &gemm);
llvm::Expected<Cost> estimateGemm(const AcceleratorModel &model,
                                  const GemmDesc &gemm);

//===----------------------------------------------------------------------===//
// MLG weight generation on the array (GEN).
//===----------------------------------------------------------------------===//

/// Level 1: `bc` batched [ci x bi] . [bi x k2] (U . B). Level 2:
/// [co x bc] . [bc x ci*k2] (V . W1). The U/V coefficients are the
/// weight-side operand; B/W1 the input-side one. Each result element is
/// written to WGT with `storeBits`.
struct GenerationDesc {
  unsigned level = 1;
  uint64_t bc = 0, ci = 0, bi = 0, k2 = 0, co = 0;
  unsigned coeffBits = 0;   // U (level 1) or V (level 2); <= model.weightBits
  unsigned operandBits = 0; // B (level 1) or W1 (level 2); <= model.inputBits
  unsigned outputBits = 0;  // ADC resolution; 0 = model.adcBits
  unsigned storeBits = 8;   // bits per element written to WGT
};
/// The GEMM a generation step runs on the array.
llvm::Expected<GemmDesc> getGenerationGemm(const GenerationDesc &gen);
llvm::Expected<Cost> estimateGeneration(const AcceleratorModel &model,
                                        const GenerationDesc &gen);

//===----------------------------------------------------------------------===//
// Digital operations and weight-stationary programming.
//===----------------------------------------------------------------------===//

/// RECOMP: dst[j] = sum_s 2^(s*bits) src_s[j], j < length: slices x length
/// shift-adds on `aluLanes` lanes, reading the slices and writing dst in ACC.
struct RecompDesc {
  uint64_t slices = 0;
  uint64_t length = 0;
};
llvm::Expected<Cost> estimateRecomp(const AcceleratorModel &model,
                                    const RecompDesc &recomp);

/// SHADD: `elements` weight codes, each the sum of `terms` power-of-two
/// shifts of a basis code (SmartDeal): terms x elements shift-adds on
/// `aluLanes` lanes, reading one 8-bit code and one 8-bit basis lane per
/// shift-add and writing 8 bits of WGT per element.
struct ShiftAddDesc {
  uint64_t terms = 0;
  uint64_t elements = 0;
};
llvm::Expected<Cost> estimateShiftAdd(const AcceleratorModel &model,
                                      const ShiftAddDesc &shiftAdd);

/// ALU over `elements` ACC entries (read-modify-write).
enum class AluOpClass { AddLike, Multiply };
struct AluDesc {
  uint64_t elements = 0;
  AluOpClass opClass = AluOpClass::AddLike;
};
llvm::Expected<Cost> estimateAlu(const AcceleratorModel &model,
                                 const AluDesc &alu);

/// PROG: rewrite `rounds` weight blocks of [R*H x C*W] (all cores in
/// parallel) from WGT into the meshes. Weight-stationary models only.
struct ProgramDesc {
  uint64_t rounds = 0;
  unsigned weightBits = 0;
};
llvm::Expected<Cost> estimateProgram(const AcceleratorModel &model,
                                     const ProgramDesc &program);
/// Blocks a weight-stationary model must program for a [rows x reduction]
/// weight matrix: ceil(rows/(R*H)) * ceil(reduction/(C*W)).
uint64_t getProgramRounds(const AcceleratorModel &model, uint64_t rows,
                          uint64_t reduction);

/// ceil(a / b) for positive b.
inline uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

} // namespace mlg::ptc

#endif // MLG_TARGET_PTC_COSTMODEL_H
