//===- Report.cpp - Per-layer simulation report as text and JSON ----------===//

#include "mlg/Target/PTC/Simulator.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlg::ptc;
using namespace mlg::ptc::sim;

static const char *const kModuleNames[] = {"load", "compute", "store"};

static void printRow(llvm::raw_ostream &os, llvm::StringRef name,
                     const Stats &s) {
  const EnergyBreakdown &e = s.energy;
  os << llvm::formatv("{0,-16} {1,8} {2,12} {3,12} {4,12} {5,12:F3} "
                      "{6,12:F1} {7,10:F1} {8,10:F1} {9,10:F1} {10,12} "
                      "{11,12} {12,12} {13,12}\n",
                      name, s.instructions, s.busyCycles[0], s.busyCycles[1],
                      s.busyCycles[2], s.latencyNs() * 1e-3, e.total() * 1e-3,
                      e.compute() * 1e-3, e.dram * 1e-3,
                      (e.globalSram + e.localBuffers) * 1e-3, s.dramBits / 8,
                      s.dramWeightBits / 8, s.dramActivationBits / 8,
                      s.localBits / 8);
}

void mlg::ptc::sim::printReport(const Report &report, llvm::raw_ostream &os) {
  os << "ptc-sim report: model " << report.modelName << " ("
     << llvm::formatv("{0:F1}", report.clockGHz) << " GHz)\n";
  os << llvm::formatv("{0,-16} {1,8} {2,12} {3,12} {4,12} {5,12} {6,12} "
                      "{7,10} {8,10} {9,10} {10,12} {11,12} {12,12} {13,12}\n",
                      "layer", "insns", "load-cyc", "compute-cyc",
                      "store-cyc", "latency-us", "energy-nJ", "compute",
                      "dram", "sram", "dram-B", "dram-wgt-B", "dram-act-B",
                      "local-B");
  for (const LayerReport &layer : report.layers)
    printRow(os, layer.name, layer.stats);
  printRow(os, "total", report.total);
  const Stats &t = report.total;
  os << "energy by component (nJ)\n";
  os << llvm::formatv("{0,-16} {1,10} {2,10} {3,10} {4,10} {5,10} {6,10} "
                      "{7,10} {8,10} {9,10} {10,10}\n",
                      "layer", "dac", "modulator", "adc", "receiver", "laser",
                      "digital", "program", "dram", "gsram", "local");
  auto printEnergy = [&](llvm::StringRef name, const EnergyBreakdown &e) {
    os << llvm::formatv("{0,-16} {1,10:F3} {2,10:F3} {3,10:F3} {4,10:F3} "
                        "{5,10:F3} {6,10:F3} {7,10:F3} {8,10:F3} {9,10:F3} "
                        "{10,10:F3}\n",
                        name, e.dac * 1e-3, e.modulator * 1e-3, e.adc * 1e-3,
                        e.receiver * 1e-3, e.laser * 1e-3, e.digital * 1e-3,
                        e.programming * 1e-3, e.dram * 1e-3,
                        e.globalSram * 1e-3, e.localBuffers * 1e-3);
  };
  for (const LayerReport &layer : report.layers)
    printEnergy(layer.name, layer.stats.energy);
  printEnergy("total", t.energy);
  os << "by instruction class:";
  for (unsigned op = 0; op < isa::kNumOpcodes; ++op)
    if (t.byClassInstructions[op])
      os << llvm::formatv(" {0} {1} ({2:F3} nJ)",
                          isa::getMnemonic(static_cast<isa::Opcode>(op)),
                          t.byClassInstructions[op],
                          t.byClassEnergy[op] * 1e-3);
  os << "\n";
  os << llvm::formatv("steps {0}, MACs {1}, makespan {2:F3} us\n", t.steps,
                      t.macs, t.latencyNs() * 1e-3);
}

static void writeStats(llvm::json::OStream &j, const Stats &s) {
  j.attribute("instructions", int64_t(s.instructions));
  j.attribute("steps", int64_t(s.steps));
  j.attribute("macs", int64_t(s.macs));
  j.attributeObject("busy_cycles", [&] {
    for (unsigned q = 0; q < 3; ++q)
      j.attribute(kModuleNames[q], int64_t(s.busyCycles[q]));
  });
  j.attribute("start_ns", s.startNs);
  j.attribute("finish_ns", s.finishNs);
  j.attribute("latency_ns", s.latencyNs());
  const EnergyBreakdown &e = s.energy;
  j.attributeObject("energy_pj", [&] {
    j.attribute("dac", e.dac);
    j.attribute("modulator", e.modulator);
    j.attribute("adc", e.adc);
    j.attribute("receiver", e.receiver);
    j.attribute("laser", e.laser);
    j.attribute("digital", e.digital);
    j.attribute("programming", e.programming);
    j.attribute("dram", e.dram);
    j.attribute("global_sram", e.globalSram);
    j.attribute("local_buffers", e.localBuffers);
    j.attribute("total", e.total());
  });
  j.attributeObject("traffic_bits", [&] {
    j.attribute("dram", int64_t(s.dramBits));
    j.attribute("global_sram", int64_t(s.globalSramBits));
    j.attribute("local", int64_t(s.localBits));
  });
  // DRAM traffic by role; with dram_uop_bits it adds up to traffic_bits.dram.
  j.attribute("dram_weight_bits", int64_t(s.dramWeightBits));
  j.attribute("dram_activation_bits", int64_t(s.dramActivationBits));
  j.attribute("dram_uop_bits", int64_t(s.dramUopBits));
  j.attributeObject("by_class", [&] {
    for (unsigned op = 0; op < isa::kNumOpcodes; ++op)
      if (s.byClassInstructions[op])
        j.attributeObject(isa::getMnemonic(static_cast<isa::Opcode>(op)), [&] {
          j.attribute("instructions", int64_t(s.byClassInstructions[op]));
          j.attribute("energy_pj", s.byClassEnergy[op]);
        });
  });
}

void mlg::ptc::sim::printReportJSON(const Report &report,
                                    llvm::raw_ostream &os) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("model", report.modelName);
    j.attribute("clock_ghz", report.clockGHz);
    j.attributeArray("layers", [&] {
      for (const LayerReport &layer : report.layers)
        j.object([&] {
          j.attribute("name", layer.name);
          j.attribute("first_instruction", int64_t(layer.firstInstruction));
          j.attribute("end_instruction", int64_t(layer.endInstruction));
          writeStats(j, layer.stats);
        });
    });
    j.attributeObject("total", [&] { writeStats(j, report.total); });
  });
  os << "\n";
}
