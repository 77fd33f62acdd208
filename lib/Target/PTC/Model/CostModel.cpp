//===- CostModel.cpp - Latency and energy of PTC operations ---------------===//

#include "mlg/Target/PTC/CostModel.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace llvm;

namespace mlg::ptc {

EnergyBreakdown &EnergyBreakdown::operator+=(const EnergyBreakdown &o) {
  dac += o.dac;
  modulator += o.modulator;
  adc += o.adc;
  receiver += o.receiver;
  laser += o.laser;
  digital += o.digital;
  programming += o.programming;
  dram += o.dram;
  globalSram += o.globalSram;
  localBuffers += o.localBuffers;
  return *this;
}

EnergyBreakdown EnergyBreakdown::scaled(double f) const {
  EnergyBreakdown e = *this;
  for (double *v :
       {&e.dac, &e.modulator, &e.adc, &e.receiver, &e.laser, &e.digital,
        &e.programming, &e.dram, &e.globalSram, &e.localBuffers})
    *v *= f;
  return e;
}

static uint64_t cyclesFor(const AcceleratorModel &model, double ns) {
  return static_cast<uint64_t>(std::ceil(ns * model.clockGHz - 1e-9));
}

static Cost fromCycles(const AcceleratorModel &model, uint64_t cycles) {
  Cost cost;
  cost.cycles = cycles;
  cost.latencyNs = static_cast<double>(cycles) / model.clockGHz;
  return cost;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

static double &energyBucket(EnergyBreakdown &e, MemoryLevel level) {
  switch (level) {
  case MemoryLevel::Dram:
    return e.dram;
  case MemoryLevel::GlobalSram:
    return e.globalSram;
  case MemoryLevel::Local:
    return e.localBuffers;
  }
  llvm_unreachable("unknown memory level");
}

static double energyPerBit(const AcceleratorModel &model, MemoryEndpoint end) {
  switch (end.level) {
  case MemoryLevel::Dram:
    return model.dram.energyPerBitPJ;
  case MemoryLevel::GlobalSram:
    return model.globalSram.energyPerBitPJ;
  case MemoryLevel::Local:
    return model.getLocal(end.buffer).energyPerBitPJ;
  }
  llvm_unreachable("unknown memory level");
}

static const MemoryLevelSpec *getSharedLevel(const AcceleratorModel &model,
                                             MemoryEndpoint end) {
  switch (end.level) {
  case MemoryLevel::Dram:
    return &model.dram;
  case MemoryLevel::GlobalSram:
    return &model.globalSram;
  case MemoryLevel::Local:
    return nullptr;
  }
  llvm_unreachable("unknown memory level");
}

static uint64_t capacityBits(const AcceleratorModel &model,
                             MemoryEndpoint end) {
  switch (end.level) {
  case MemoryLevel::Dram:
    return std::numeric_limits<uint64_t>::max();
  case MemoryLevel::GlobalSram:
    return model.globalSram.sizeBytes * 8;
  case MemoryLevel::Local:
    return model.getLocal(end.buffer).sizeBytes * 8;
  }
  llvm_unreachable("unknown memory level");
}

Expected<Cost> estimateTransfer(const AcceleratorModel &model,
                                const DmaTransfer &t) {
  if (t.source.level == t.destination.level &&
      t.source.level != MemoryLevel::Local)
    return createStringError("DMA transfer within one memory level");
  for (MemoryEndpoint end : {t.source, t.destination})
    if (t.bits > capacityBits(model, end))
      return createStringError(formatv(
          "DMA transfer of {0} bits exceeds the capacity of {1}", t.bits,
          end.level == MemoryLevel::Local ? getLocalBufferName(end.buffer)
                                          : StringRef("the global SRAM")));
  double bandwidth = std::numeric_limits<double>::infinity();
  double latency = 0;
  unsigned outstanding = 0;
  for (MemoryEndpoint end : {t.source, t.destination}) {
    if (const MemoryLevelSpec *level = getSharedLevel(model, end)) {
      bandwidth = std::min(bandwidth, level->bandwidthGBps);
      latency = std::max(latency, level->accessLatencyNs);
      outstanding = outstanding ? std::min(outstanding,
                                           level->outstandingRequests)
                                : level->outstandingRequests;
    }
  }
  Cost cost;
  // Local-to-local moves are limited by neither; they take no modelled time.
  double streaming = std::isfinite(bandwidth)
                         ? static_cast<double>(t.bits) / 8.0 / bandwidth
                         : 0;
  latency += streaming;
  cost.latencyNs = latency;
  cost.cycles = cyclesFor(model, latency);
  cost.outstandingRequests = std::max(1u, outstanding);
  cost.occupancyNs = cost.outstandingRequests > 1 ? streaming : latency;
  double bits = static_cast<double>(t.bits);
  energyBucket(cost.energy, t.source.level) +=
      bits * energyPerBit(model, t.source);
  energyBucket(cost.energy, t.destination.level) +=
      bits * energyPerBit(model, t.destination);
  return cost;
}

//===----------------------------------------------------------------------===//
// GEMM
//===----------------------------------------------------------------------===//

namespace {
/// A GemmDesc with the model defaults filled in and checked.
struct ResolvedGemm {
  GemmDesc desc;
  unsigned outputBits, signPasses, timeAccumulation;
};
} // namespace

static Expected<ResolvedGemm> resolve(const AcceleratorModel &model,
                                      const GemmDesc &g) {
  if (g.rows == 0 || g.reduction == 0 || g.columns == 0 || g.batch == 0)
    return createStringError("GEMM with an empty dimension");
  // Every event count is at most N1*D*N2*B*passes; keep that in 63 bits.
  bool overflow = false;
  uint64_t work = SaturatingMultiply(g.rows, g.reduction, &overflow);
  for (uint64_t factor : {g.columns, g.batch, uint64_t(2)})
    if (!overflow)
      work = SaturatingMultiply(work, factor, &overflow);
  if (overflow || work >> 62)
    return createStringError(
        formatv("GEMM of {0} x {1} x {2} (batch {3}) is too large to cost",
                g.rows, g.reduction, g.columns, g.batch));
  if (g.weightBits == 0 || g.weightBits > model.weightBits)
    return createStringError(formatv(
        "GEMM weight operand of {0} bits: the array converts 1..{1} bits "
        "(slice wider operands and recompose them with RECOMP)",
        g.weightBits, model.weightBits));
  if (g.inputBits == 0 || g.inputBits > model.inputBits)
    return createStringError(formatv(
        "GEMM input operand of {0} bits: the array converts 1..{1} bits "
        "(slice wider operands and recompose them with RECOMP)",
        g.inputBits, model.inputBits));
  ResolvedGemm r{g, g.outputBits ? g.outputBits : model.adcBits,
                 g.signPasses ? g.signPasses : model.signPasses,
                 g.timeAccumulation ? g.timeAccumulation
                                    : model.timeAccumulation};
  if (r.outputBits > model.adcBits)
    return createStringError(formatv("GEMM output of {0} bits exceeds the "
                                     "{1}-bit ADC",
                                     r.outputBits, model.adcBits));
  if (r.signPasses < model.signPasses || r.signPasses > 2)
    return createStringError(
        formatv("GEMM sign passes {0}: the array needs {1}..2", r.signPasses,
                model.signPasses));
  if (model.kind == CoreKind::WeightStationary && r.timeAccumulation != 1)
    return createStringError(
        "a weight-stationary mesh reads out every cycle (time accumulation 1)");
  return r;
}

Expected<GemmEvents> countGemmEvents(const AcceleratorModel &model,
                                     const GemmDesc &gemm) {
  Expected<ResolvedGemm> resolved = resolve(model, gemm);
  if (!resolved)
    return resolved.takeError();
  const GemmDesc &g = resolved->desc;
  uint64_t rowTiles = ceilDiv(g.rows, model.intrinsicRows());
  uint64_t reductionTiles = ceilDiv(g.reduction, model.intrinsicReduction());
  uint64_t columnTiles = ceilDiv(g.columns, model.intrinsicColumns());
  // Every event repeats per sign pass (positive-only cores run W+ and W-
  // separately and subtract digitally) and per batched GEMM.
  uint64_t repeat = g.batch * resolved->signPasses;

  GemmEvents e;
  e.cycles = rowTiles * reductionTiles * columnTiles * repeat;
  // A dynamic array re-modulates each weight once per column tile; a
  // weight-stationary one holds it (PROG pays instead).
  e.weightConversions = model.kind == CoreKind::Dynamic
                            ? g.rows * g.reduction * columnTiles * repeat
                            : 0;
  // Inputs are broadcast across tiles and shared by a core's rows, so each
  // is modulated once per row tile of R*H.
  e.inputConversions = g.columns * g.reduction * rowTiles * repeat;
  // Each core reads out one partial sum per output per reduction chunk.
  e.readouts = g.rows * g.columns *
               ceilDiv(g.reduction, model.reductionPerCore()) * repeat;
  // Cores of a tile sum optically; T_acc reduction steps integrate before
  // one conversion.
  e.adcConversions = g.rows * g.columns *
                     ceilDiv(reductionTiles, resolved->timeAccumulation) *
                     repeat;
  return e;
}

Expected<Cost> estimateGemm(const AcceleratorModel &model,
                            const GemmDesc &gemm) {
  Expected<ResolvedGemm> resolved = resolve(model, gemm);
  if (!resolved)
    return resolved.takeError();
  Expected<GemmEvents> events = countGemmEvents(model, gemm);
  if (!events)
    return events.takeError();
  const GemmDesc &g = resolved->desc;
  const GemmEvents &e = *events;

  Cost cost = fromCycles(model, e.cycles);
  double activeNs = cost.latencyNs;
  EnergyBreakdown &E = cost.energy;
  E.dac = e.weightConversions * model.dacEnergyPJ(g.weightBits) +
          e.inputConversions * model.dacEnergyPJ(g.inputBits);
  double routers = static_cast<double>(model.wdmRoutersPerChannel) *
                   model.numCores() * model.wavelengths *
                   (model.height + model.width);
  E.modulator =
      (e.weightConversions + e.inputConversions) * model.modulatorEnergyPJ +
      routers * model.wdmRouterPowerMW * activeNs;
  E.receiver = e.readouts *
               (model.photodetectorsPerReadout * model.photodetectorPowerMW +
                model.tiaPowerMW) /
               model.clockGHz;
  E.adc = e.adcConversions * model.adcEnergyPJ(resolved->outputBits);
  E.laser =
      model.numCores() * model.laserPowerMW(resolved->outputBits) * activeNs;
  // One digital accumulation per conversion (also subtracts sign passes).
  E.digital = e.adcConversions * model.digitalAddPJ;
  // Operands are read from their buffers once per conversion; partial sums
  // are read and written back once per ADC conversion.
  double accBits = 2.0 * model.accumulatorBits * e.adcConversions;
  E.localBuffers = e.weightConversions * g.weightBits *
                       model.getLocal(g.weightBuffer).energyPerBitPJ +
                   e.inputConversions * g.inputBits *
                       model.getLocal(g.inputBuffer).energyPerBitPJ +
                   accBits * model.getLocal(g.accumulatorBuffer).energyPerBitPJ;
  return cost;
}

//===----------------------------------------------------------------------===//
// Generation
//===----------------------------------------------------------------------===//

Expected<GemmDesc> getGenerationGemm(const GenerationDesc &gen) {
  GemmDesc g;
  g.weightBits = gen.coeffBits;
  g.inputBits = gen.operandBits;
  g.outputBits = gen.outputBits;
  g.weightBuffer = LocalBuffer::Coeff;
  if (gen.level == 1) {
    if (!gen.bc || !gen.ci || !gen.bi || !gen.k2)
      return createStringError("level-1 generation needs bc, ci, bi, k2 > 0");
    g.rows = gen.ci;
    g.reduction = gen.bi;
    g.columns = gen.k2;
    g.batch = gen.bc;
    g.inputBuffer = LocalBuffer::Basis;
    return g;
  }
  if (gen.level == 2) {
    if (!gen.co || !gen.bc || !gen.ci || !gen.k2)
      return createStringError("level-2 generation needs co, bc, ci, k2 > 0");
    g.rows = gen.co;
    g.reduction = gen.bc;
    g.columns = gen.ci * gen.k2;
    // W1 was written to WGT by level 1 (or is the basis when level 1 is
    // skipped; the energy per bit of both buffers is what differs).
    g.inputBuffer = LocalBuffer::Wgt;
    return g;
  }
  return createStringError(
      formatv("generation level {0} (expected 1 or 2)", gen.level));
}

Expected<Cost> estimateGeneration(const AcceleratorModel &model,
                                  const GenerationDesc &gen) {
  Expected<GemmDesc> gemm = getGenerationGemm(gen);
  if (!gemm)
    return gemm.takeError();
  if (gen.storeBits == 0 || gen.storeBits > 32)
    return createStringError("generation store width must be 1..32 bits");
  Expected<Cost> cost = estimateGemm(model, *gemm);
  if (!cost)
    return cost.takeError();
  double written = static_cast<double>(gemm->rows) * gemm->columns *
                   gemm->batch * gen.storeBits;
  cost->energy.localBuffers +=
      written * model.getLocal(LocalBuffer::Wgt).energyPerBitPJ;
  return cost;
}

//===----------------------------------------------------------------------===//
// Digital and programming
//===----------------------------------------------------------------------===//

/// `ops` shift-adds spread over the ALU lanes: their cycles and energy.
static Cost shiftAddCost(const AcceleratorModel &model, uint64_t ops) {
  Cost cost = fromCycles(model, ceilDiv(ops, model.aluLanes));
  cost.energy.digital = ops * model.digitalShiftAddPJ;
  return cost;
}

Expected<Cost> estimateRecomp(const AcceleratorModel &model,
                              const RecompDesc &r) {
  if (r.slices == 0 || r.length == 0)
    return createStringError("RECOMP with no slices or no elements");
  Cost cost = shiftAddCost(model, r.slices * r.length);
  double bits =
      static_cast<double>(r.slices + 1) * r.length * model.accumulatorBits;
  cost.energy.localBuffers =
      bits * model.getLocal(LocalBuffer::Acc).energyPerBitPJ;
  return cost;
}

Expected<Cost> estimateShiftAdd(const AcceleratorModel &model,
                                const ShiftAddDesc &s) {
  if (s.terms == 0 || s.elements == 0)
    return createStringError("SHADD with no terms or no elements");
  uint64_t ops = s.terms * s.elements;
  Cost cost = shiftAddCost(model, ops);
  // 8-bit lanes: a code and a basis value per shift-add, a weight written.
  double operandBits = 8.0 * ops;
  cost.energy.localBuffers =
      operandBits * (model.getLocal(LocalBuffer::Coeff).energyPerBitPJ +
                     model.getLocal(LocalBuffer::Basis).energyPerBitPJ) +
      8.0 * s.elements * model.getLocal(LocalBuffer::Wgt).energyPerBitPJ;
  return cost;
}

Expected<Cost> estimateAlu(const AcceleratorModel &model, const AluDesc &a) {
  if (a.elements == 0)
    return createStringError("ALU operation on no elements");
  Cost cost = fromCycles(model, ceilDiv(a.elements, model.aluLanes));
  cost.energy.digital =
      a.elements * (a.opClass == AluOpClass::Multiply ? model.digitalMultiplyPJ
                                                      : model.digitalAddPJ);
  cost.energy.localBuffers = 2.0 * a.elements * model.accumulatorBits *
                             model.getLocal(LocalBuffer::Acc).energyPerBitPJ;
  return cost;
}

uint64_t getProgramRounds(const AcceleratorModel &model, uint64_t rows,
                          uint64_t reduction) {
  return ceilDiv(rows, model.intrinsicRows()) *
         ceilDiv(reduction, uint64_t(model.coresPerTile) * model.width);
}

Expected<Cost> estimateProgram(const AcceleratorModel &model,
                               const ProgramDesc &p) {
  if (model.kind != CoreKind::WeightStationary)
    return createStringError("PROG on '" + model.name +
                             "': only weight-stationary cores are programmed");
  if (p.rounds == 0)
    return createStringError("PROG of no weight blocks");
  if (p.weightBits == 0 || p.weightBits > model.weightBits)
    return createStringError(
        formatv("PROG weights of {0} bits: the mesh DACs convert 1..{1} bits",
                p.weightBits, model.weightBits));
  Cost cost;
  cost.latencyNs = static_cast<double>(p.rounds) * model.programTimeNs;
  cost.cycles = cyclesFor(model, cost.latencyNs);
  // Every phase shifter of every core gets one DAC conversion and is driven
  // for the settling time.
  double shifters =
      static_cast<double>(p.rounds) * model.numCores() * model.shiftersPerCore;
  cost.energy.programming =
      shifters * (model.dacEnergyPJ(p.weightBits) +
                  model.shifterPowerMW * model.programTimeNs);
  double weightBitsRead = static_cast<double>(p.rounds) * model.numCores() *
                          model.height * model.width * p.weightBits;
  cost.energy.localBuffers =
      weightBitsRead * model.getLocal(LocalBuffer::Wgt).energyPerBitPJ;
  return cost;
}

} // namespace mlg::ptc
