//===- CostModelTest.cpp - Cost model on hand-computed cases --------------===//

#include "mlg/Target/PTC/CostModel.h"

#include "ModelTestSupport.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace llvm;
using namespace mlg::ptc;
using mlg::ptc::testing::load;
using mlg::ptc::testing::unwrap;

namespace {

std::string errorOf(Expected<Cost> cost) {
  return cost ? "" : toString(cost.takeError());
}

/// Laser power of one dptc-hbm core at `bits` output resolution (LT's
/// link budget, see docs/ptc-model.md).
double dptcLaserMW(unsigned bits) {
  return std::pow(10.0, (-25.0 + 4.22 + 10.0 * std::log10(144.0)) / 10.0) /
         0.2 * std::ldexp(1.0, static_cast<int>(bits));
}

// The 4-bit DOTA-B calibration of photonic-core.md §2.1: at full use the
// array spends, per cycle, DAC 579 + MZM 648 + MRR 253 + ADC 142 + TIA 691
// + PD 507 + laser 154 = 2.97 nJ on 13,824 MACs = 0.215 pJ/MAC.
// W[48 x 72] . X[72 x 12] fills the [48 x 24].[24 x 12] intrinsic for
// 3 = T_acc cycles, so per-cycle counts are exact:
//   weight conversions 48*72*1 = 3456 = 3 * 1152 (R*H*C*L per cycle)
//   input conversions  12*72*1 =  864 = 3 *  288 (W*C*L, broadcast)
//   readouts 48*12*ceil(72/12) = 3456 = 3 * 1152 (H*W*R*C)
//   ADC      48*12*ceil(3/3)   =  576 = 3 *  192 (H*W*R / T_acc)
TEST(CostModel, GemmReproducesTheDotaBCalibration) {
  AcceleratorModel m = load("dptc-hbm");
  GemmDesc g;
  g.rows = 48;
  g.reduction = 72;
  g.columns = 12;
  g.weightBits = g.inputBits = g.outputBits = 4;
  GemmEvents e = unwrap(countGemmEvents(m, g));
  EXPECT_EQ(e.cycles, 3u);
  EXPECT_EQ(e.weightConversions, 3456u);
  EXPECT_EQ(e.inputConversions, 864u);
  EXPECT_EQ(e.readouts, 3456u);
  EXPECT_EQ(e.adcConversions, 576u);

  Cost c = unwrap(estimateGemm(m, g));
  EXPECT_EQ(c.cycles, 3u);
  EXPECT_DOUBLE_EQ(c.latencyNs, 0.6);
  EXPECT_DOUBLE_EQ(c.seconds(), 0.6e-9);
  const EnergyBreakdown &E = c.energy;
  EXPECT_NEAR(E.dac / 3, 579, 1);
  EXPECT_NEAR(E.modulator / 3, 648 + 253, 1);
  EXPECT_NEAR(E.adc / 3, 142, 1);
  EXPECT_NEAR(E.receiver / 3, 691 + 507, 1);
  EXPECT_NEAR(E.laser / 3, 154, 1);
  double photonicPerMAC = (E.compute() - E.digital) / (3.0 * 13824);
  EXPECT_NEAR(photonicPerMAC, 0.215, 0.001);
}

// A padded case, worked by hand on dptc-hbm (R=4, C=2, H=W=L=12, T_acc=3,
// 5 GHz), W[50 x 30] . X[30 x 13], 4-bit operands, 8-bit ADC:
//   row tiles ceil(50/48)=2, reduction tiles ceil(30/24)=2, column tiles
//   ceil(13/12)=2 -> 8 cycles = 1.6 ns
//   weight conversions 50*30*2 = 3000; input 13*30*2 = 780
//   readouts 50*13*ceil(30/12) = 1950; ADC 50*13*ceil(2/3) = 650
//   DAC  3780 * 0.401786                  = 1518.75 pJ
//   mod  3780 * 0.45 + 4608 * 0.275 * 1.6 = 1701 + 2027.52 pJ
//   rx   1950 * (2*1.1 + 3) / 5           = 2028 pJ
//   ADC  650 * 1.48                       = 962 pJ
//   laser 8 * P(8) * 1.6, P(8) = 1540.2 mW = 19714 pJ
//   digital 650 * 0.009                   = 5.85 pJ
//   local (3000*4 + 780*4) * 0.0575 + 650*2*32 * 0.0575 = 869.4 + 2392 pJ
TEST(CostModel, PaddedGemmByHand) {
  AcceleratorModel m = load("dptc-hbm");
  GemmDesc g;
  g.rows = 50;
  g.reduction = 30;
  g.columns = 13;
  g.weightBits = g.inputBits = 4;
  Cost c = unwrap(estimateGemm(m, g));
  EXPECT_EQ(c.cycles, 8u);
  EXPECT_NEAR(c.latencyNs, 1.6, 1e-12);
  EXPECT_NEAR(c.energy.dac, 3780 * 50.0 / 14.0 * 0.1125, 1e-9);
  EXPECT_NEAR(c.energy.modulator, 1701 + 2027.52, 1e-6);
  EXPECT_NEAR(c.energy.receiver, 2028, 1e-9);
  EXPECT_NEAR(c.energy.adc, 962, 1e-9);
  EXPECT_NEAR(c.energy.laser, 8 * dptcLaserMW(8) * 1.6, 1e-6);
  EXPECT_NEAR(c.energy.digital, 5.85, 1e-12);
  EXPECT_NEAR(c.energy.localBuffers, 869.4 + 2392, 1e-6);
  EXPECT_EQ(c.energy.dram, 0);
}

TEST(CostModel, SignPassesDoubleEveryEvent) {
  AcceleratorModel m = load("dptc-hbm");
  GemmDesc g;
  g.rows = 50;
  g.reduction = 30;
  g.columns = 13;
  g.weightBits = g.inputBits = 4;
  Cost one = unwrap(estimateGemm(m, g));
  g.signPasses = 2;
  Cost two = unwrap(estimateGemm(m, g));
  EXPECT_EQ(two.cycles, 2 * one.cycles);
  EXPECT_NEAR(two.energy.total(), 2 * one.energy.total(), 1e-6);
}

TEST(CostModel, GemmRejectsOperandsWiderThanTheConverters) {
  AcceleratorModel m = load("dptc-hbm");
  GemmDesc g;
  g.rows = g.reduction = g.columns = 4;
  g.weightBits = 8;
  g.inputBits = 4;
  std::string message = errorOf(estimateGemm(m, g));
  EXPECT_NE(message.find("weight operand of 8 bits"), std::string::npos)
      << message;
  EXPECT_NE(message.find("RECOMP"), std::string::npos) << message;
  g.weightBits = 4;
  g.rows = 0;
  EXPECT_NE(errorOf(estimateGemm(m, g)), "");
  g.rows = g.reduction = g.columns = uint64_t(1) << 21;
  EXPECT_NE(errorOf(estimateGemm(m, g)).find("too large"), std::string::npos);
}

// mzi-ws holds a [48 x 24] block (R*H x C*W) and streams one column
// (L = 1) per cycle. W[48 x 24] . X[24 x 5]: 5 cycles; no weight
// conversions; inputs 5*24*1 = 120; readouts 48*5*ceil(24/12) = 480;
// ADC 48*5*ceil(1/1) = 240.
TEST(CostModel, WeightStationaryGemmByHand) {
  AcceleratorModel m = load("mzi-ws");
  GemmDesc g;
  g.rows = 48;
  g.reduction = 24;
  g.columns = 5;
  g.weightBits = g.inputBits = 4;
  GemmEvents e = unwrap(countGemmEvents(m, g));
  EXPECT_EQ(e.cycles, 5u);
  EXPECT_EQ(e.weightConversions, 0u);
  EXPECT_EQ(e.inputConversions, 120u);
  EXPECT_EQ(e.readouts, 480u);
  EXPECT_EQ(e.adcConversions, 240u);
}

// PROG on mzi-ws: 3 rounds of 2 us = 6 us = 30,000 cycles at 5 GHz; each
// round sets 8 cores x 144 shifters with one 4-bit DAC conversion each
// (MEMS shifters hold no power): 3 * 1152 * 0.401786 = 1388.57 pJ.
TEST(CostModel, WeightStationaryProgramming) {
  AcceleratorModel m = load("mzi-ws");
  Cost c = unwrap(estimateProgram(m, {3, 4}));
  EXPECT_DOUBLE_EQ(c.latencyNs, 6000.0);
  EXPECT_EQ(c.cycles, 30000u);
  EXPECT_NEAR(c.energy.programming, 3 * 1152 * 50.0 / 14.0 * 0.1125, 1e-9);
  // A [100 x 50] weight needs ceil(100/48) * ceil(50/24) = 3 * 3 blocks.
  EXPECT_EQ(getProgramRounds(m, 100, 50), 9u);
  // A dynamic core is never programmed.
  AcceleratorModel dptc = load("dptc-hbm");
  EXPECT_NE(errorOf(estimateProgram(dptc, {1, 4}))
                .find("only weight-stationary cores are programmed"),
            std::string::npos);
}

// 64 KiB from DRAM into WGT on dptc-hbm: 20 ns + 65536 B / 1099.51 B/ns
// = 79.6046 ns; energy 524288 bit * 3.9 pJ (DRAM) + 524288 * 0.0575 (WGT).
// The same on dptc-edge-lpddr: 20 ns + 65536 / 25.6 = 2580 ns, 20 pJ/bit.
TEST(CostModel, DmaPerLevel) {
  AcceleratorModel hbm = load("dptc-hbm");
  DmaTransfer t{8 * 65536, MemoryEndpoint::dram(),
                MemoryEndpoint::local(LocalBuffer::Wgt)};
  Cost c = unwrap(estimateTransfer(hbm, t));
  EXPECT_NEAR(c.latencyNs, 20 + 65536 / 1099.511627776, 1e-9);
  EXPECT_EQ(c.cycles, static_cast<uint64_t>(std::ceil(c.latencyNs * 5)));
  EXPECT_NEAR(c.energy.dram, 524288 * 3.9, 1e-6);
  EXPECT_NEAR(c.energy.localBuffers, 524288 * 0.0575, 1e-6);
  EXPECT_EQ(c.energy.compute(), 0);
  // Pipelined DMA: the queue is held only while the bits stream.
  EXPECT_EQ(c.outstandingRequests, 16u);
  EXPECT_NEAR(c.occupancyNs, 65536 / 1099.511627776, 1e-9);

  AcceleratorModel edge = load("dptc-edge-lpddr");
  Cost e = unwrap(estimateTransfer(edge, t));
  EXPECT_NEAR(e.latencyNs, 2580, 1e-9);
  EXPECT_EQ(e.outstandingRequests, 8u);
  EXPECT_NEAR(e.occupancyNs, 2560, 1e-9);
  // One outstanding request serializes: the occupancy is the latency.
  edge.dram.outstandingRequests = 1;
  Cost serial = unwrap(estimateTransfer(edge, t));
  EXPECT_EQ(serial.outstandingRequests, 1u);
  EXPECT_NEAR(serial.occupancyNs, 2580, 1e-9);
  EXPECT_NEAR(e.energy.dram, 524288 * 20.0, 1e-6);

  // Global SRAM to INP, 1 KiB: 2 ns + 1024 / 7300 ns.
  Cost s =
      unwrap(estimateTransfer(hbm, {8192, MemoryEndpoint::globalSram(),
                                    MemoryEndpoint::local(LocalBuffer::Inp)}));
  EXPECT_NEAR(s.latencyNs, 2 + 1024 / 7300.0, 1e-9);
  // One request in flight per 32 KiB bank: only the streaming holds the
  // queue.
  EXPECT_EQ(s.outstandingRequests, 64u);
  EXPECT_NEAR(s.occupancyNs, 1024 / 7300.0, 1e-9);
  EXPECT_NEAR(s.energy.globalSram, 8192 * 0.103, 1e-9);
  EXPECT_NEAR(s.energy.localBuffers, 8192 * 0.0575, 1e-9);

  // DRAM to global SRAM runs at the DRAM rate and latency.
  Cost d = unwrap(estimateTransfer(
      hbm, {8192, MemoryEndpoint::dram(), MemoryEndpoint::globalSram()}));
  EXPECT_NEAR(d.latencyNs, 20 + 1024 / 1099.511627776, 1e-9);
  EXPECT_EQ(d.outstandingRequests, 16u); // the fewer of the two ends

  // More than the destination holds, or DRAM to DRAM, is an error.
  EXPECT_NE(errorOf(estimateTransfer(
                hbm, {8ull * 256 * 1024 + 8, MemoryEndpoint::dram(),
                      MemoryEndpoint::local(LocalBuffer::Wgt)})),
            "");
  EXPECT_NE(errorOf(estimateTransfer(
                hbm, {8, MemoryEndpoint::dram(), MemoryEndpoint::dram()})),
            "");
}

// RECOMP of 2 slices x 1000 elements: 2000 shift-adds on 576 lanes (one
// per ADC output of the array) = 4 cycles = 0.8 ns, 2000 * 0.021 pJ; ACC
// traffic (2+1) * 1000 * 32 bits.
TEST(CostModel, RecompAndAlu) {
  AcceleratorModel m = load("dptc-hbm");
  Cost r = unwrap(estimateRecomp(m, {2, 1000}));
  EXPECT_EQ(r.cycles, 4u);
  EXPECT_DOUBLE_EQ(r.latencyNs, 0.8);
  EXPECT_NEAR(r.energy.digital, 42.0, 1e-12);
  EXPECT_NEAR(r.energy.localBuffers, 3 * 1000 * 32 * 0.0575, 1e-9);
  Cost a = unwrap(estimateAlu(m, {1000, AluOpClass::Multiply}));
  EXPECT_EQ(a.cycles, 2u); // ceil(1000/576)
  EXPECT_NEAR(a.energy.digital, 1000 * 0.2, 1e-12);
}

// SHADD of 576 weights with 3 power-of-two terms each (a SmartDeal 3x3
// block row): 1728 shift-adds on 576 lanes = 3 cycles = 0.6 ns at 5 GHz,
// 1728 * 0.021 pJ; local buffers: an 8-bit code and an 8-bit basis value
// per shift-add (0.0575 pJ/bit each) and 576 8-bit WGT writes.
TEST(CostModel, ShiftAddGeneration) {
  AcceleratorModel m = load("dptc-hbm");
  Cost s = unwrap(estimateShiftAdd(m, {3, 576}));
  EXPECT_EQ(s.cycles, 3u);
  EXPECT_DOUBLE_EQ(s.latencyNs, 0.6);
  EXPECT_NEAR(s.energy.digital, 36.288, 1e-9);
  EXPECT_NEAR(s.energy.localBuffers, 8 * 1728 * 2 * 0.0575 + 8 * 576 * 0.0575,
              1e-9);
  EXPECT_NE(errorOf(estimateShiftAdd(m, {0, 576})), "");
  EXPECT_NE(errorOf(estimateShiftAdd(m, {3, 0})), "");
}

// Level-1 generation of ResNet-18 layer2 (Bc=44, Ci=128, Bi=2, k^2=9):
// 44 GEMMs [128 x 2] . [2 x 9], each ceil(128/48)=3 row tiles x 1 x 1 =
// 3 cycles -> 132 cycles; W1 (44*128*9 elements) written to WGT at 8 bits.
// Level 2 [128 x 44] . [44 x 1152]: 3 * ceil(44/24)=2 * ceil(1152/12)=96
// = 576 cycles.
TEST(CostModel, GenerationLevels) {
  AcceleratorModel m = load("dptc-hbm");
  GenerationDesc l1;
  l1.level = 1;
  l1.bc = 44;
  l1.ci = 128;
  l1.bi = 2;
  l1.k2 = 9;
  l1.coeffBits = 3;
  l1.operandBits = 3;
  l1.storeBits = 8;
  Cost c1 = unwrap(estimateGeneration(m, l1));
  EXPECT_EQ(c1.cycles, 132u);
  GemmDesc g1 = unwrap(getGenerationGemm(l1));
  Cost plain = unwrap(estimateGemm(m, g1));
  EXPECT_NEAR(c1.energy.localBuffers - plain.energy.localBuffers,
              44.0 * 128 * 9 * 8 * 0.0575, 1e-6);

  GenerationDesc l2;
  l2.level = 2;
  l2.bc = 44;
  l2.ci = 128;
  l2.k2 = 9;
  l2.co = 128;
  l2.coeffBits = 3;
  l2.operandBits = 4;
  Cost c2 = unwrap(estimateGeneration(m, l2));
  EXPECT_EQ(c2.cycles, 576u);

  l2.level = 3;
  EXPECT_NE(errorOf(estimateGeneration(m, l2)), "");
}

} // namespace
