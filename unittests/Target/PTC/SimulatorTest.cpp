//===- SimulatorTest.cpp - ptc-sim semantics on hand-computed cases -------===//

#include "mlg/Target/PTC/Simulator.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>
#include <vector>

#include <algorithm>
#include <cstring>

using namespace mlg::ptc;
using namespace mlg::ptc::sim;
using isa::MemId;

namespace {

/// A 1x1 tile of a 4x2x4 core: BATCH 2, BLOCK_IN 4, BLOCK_OUT 4; exact
/// 16-bit ADC, no time accumulation, unless a test changes it.
AcceleratorModel makeTinyModel() {
  llvm::Expected<AcceleratorModel> model = loadAcceleratorModel("dptc-hbm");
  EXPECT_TRUE(static_cast<bool>(model));
  AcceleratorModel m = *model;
  m.tiles = 1;
  m.coresPerTile = 1;
  m.height = 4;
  m.width = 2;
  m.wavelengths = 4;
  m.adcBits = 16;
  m.timeAccumulation = 1;
  m.laserSplitWays = 8;
  return m;
}

isa::Instruction finish() { return isa::FinishInsn(); }

isa::Instruction loadUops(int64_t count) {
  isa::LoadInsn load;
  load.memId = static_cast<int64_t>(MemId::Uop);
  load.xSize = count;
  load.xStride = count;
  load.elemBits = 0;
  return load;
}

isa::Instruction cfg(isa::CfgReg reg, int64_t value) {
  isa::CfgInsn insn;
  insn.reg = static_cast<int64_t>(reg);
  insn.value = value;
  return insn;
}

/// Runs `program` after `setup` filled buffers; returns the error text.
std::string run(Simulator &sim) {
  llvm::Error error = sim.run();
  return error ? llvm::toString(std::move(error)) : std::string();
}

void fill(Simulator &sim, MemId mem, uint64_t first,
          std::initializer_list<int64_t> values) {
  uint64_t i = first;
  for (int64_t v : values)
    ASSERT_FALSE(static_cast<bool>(sim.setBufferElement(mem, i++, v)));
}

/// Elements [first, first + n) of `mem`.
std::vector<int64_t> elements(const Simulator &sim, MemId mem, uint64_t first,
                              uint64_t n) {
  std::vector<int64_t> values;
  for (uint64_t i = 0; i < n; ++i)
    values.push_back(sim.getBufferElement(mem, first + i));
  return values;
}

TEST(PTCSimGeometryTest, DefaultPresetRows) {
  llvm::Expected<AcceleratorModel> model = loadAcceleratorModel("dptc-hbm");
  ASSERT_TRUE(static_cast<bool>(model));
  Geometry g = Geometry::fromModel(*model);
  EXPECT_EQ(g.batch, 12u);
  EXPECT_EQ(g.blockIn, 24u);
  EXPECT_EQ(g.blockOut, 48u);
  auto at = [&](MemId m) { return static_cast<unsigned>(m); };
  EXPECT_EQ(g.rowElements[at(MemId::Inp)], 288u);
  EXPECT_EQ(g.rowElements[at(MemId::Wgt)], 1152u);
  EXPECT_EQ(g.rowElements[at(MemId::Acc)], 576u);
  EXPECT_EQ(g.rowElements[at(MemId::Basis)], 48u);
  EXPECT_EQ(g.rowElements[at(MemId::CoeffV)], 2304u);
  // 32 KiB / 288 B, 256 KiB / 1152 B, 128 KiB / 2304 B, 16 KiB / 48 B,
  // 32 KiB / 1152 B, 32 KiB / 2304 B, 32 KiB / 4 B.
  EXPECT_EQ(g.depth[at(MemId::Inp)], 113u);
  EXPECT_EQ(g.depth[at(MemId::Wgt)], 227u);
  EXPECT_EQ(g.depth[at(MemId::Acc)], 56u);
  EXPECT_EQ(g.depth[at(MemId::Basis)], 341u);
  EXPECT_EQ(g.depth[at(MemId::CoeffU)], 28u);
  EXPECT_EQ(g.depth[at(MemId::CoeffV)], 14u);
  EXPECT_EQ(g.depth[at(MemId::Uop)], 8192u);
}

TEST(PTCSimAdcTest, RoundingShiftAndSaturation) {
  // 4-bit x 4-bit over 24 terms: 7 + 5 = 12 full-scale bits; an 8-bit ADC
  // drops 4 bits, rounding half up.
  EXPECT_EQ(getAdcFullScaleBits(4, 4, 24), 12u);
  EXPECT_EQ(convertAdc(7, 12, 8), 0);
  EXPECT_EQ(convertAdc(8, 12, 8), 16);
  EXPECT_EQ(convertAdc(-8, 12, 8), 0);
  EXPECT_EQ(convertAdc(-9, 12, 8), -16);
  EXPECT_EQ(convertAdc(100, 12, 8), 96);
  // Saturation at the code range [-128, 127] (x 16).
  EXPECT_EQ(convertAdc(5000, 12, 8), 127 * 16);
  EXPECT_EQ(convertAdc(-5000, 12, 8), -128 * 16);
  // A wide ADC is exact.
  EXPECT_EQ(convertAdc(-1234, 12, 16), -1234);
  // Noise is in ADC steps: +0.6 step rounds 7/16 + 0.6 = 1.04 to 1.
  EXPECT_EQ(convertAdc(7, 12, 8, 0.6), 16);
}

TEST(PTCSimTest, GemmAccumulatesRowProducts) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  p.uops = {isa::Uop{0, 0, 0}};
  isa::GemmInsn gemm;
  gemm.iterIn = 2;
  gemm.srcIn = 1;
  gemm.wgtIn = 1;
  p.instructions = {loadUops(1), gemm, finish()};
  Simulator sim(model, p);
  // inp row 0: x[b][k]; row 1 likewise; wgt row 0/1: w[o][k].
  fill(sim, MemId::Inp, 0, {1, 2, 3, 4, -1, 0, 1, 2});
  fill(sim, MemId::Inp, 8, {1, 1, 1, 1, 2, 2, 2, 2});
  fill(sim, MemId::Wgt, 0, {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
  fill(sim, MemId::Wgt, 16, {1, 1, 1, 1, -1, -1, -1, -1, 0, 0, 0, 0, 7, 7, 7, -8});
  fill(sim, MemId::Acc, 0, {100, 0, 0, 0, 0, 0, 0, 0});
  ASSERT_EQ(run(sim), "");
  // acc[b][o] = 100*[b=o=0] + x0[b].w0[o] + x1[b].w1[o]
  // b=0: x0=(1,2,3,4) -> (1,2,3,4); x1=(1,1,1,1) -> (4,-4,0,13)
  // b=1: x0=(-1,0,1,2) -> (-1,0,1,2); x1=(2,2,2,2) -> (8,-8,0,26)
  int64_t want[] = {105, -2, 3, 17, 7, -8, 1, 28};
  for (unsigned e = 0; e < 8; ++e)
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, e), want[e]) << e;
  // OUT mirrors ACC.
  EXPECT_EQ(sim.getBufferElement(MemId::Out, 3), 17);
}

TEST(PTCSimTest, GemmMatchesADotProductOnOddShapes) {
  // BLOCK_OUT 7 and BLOCK_IN 5: the kernel's remainder paths (outputs past
  // a multiple of 4, an unpaired k). Exact ADC: F = 4 + 4 - 1 + 3 <= 16.
  AcceleratorModel model = makeTinyModel();
  model.height = 7;
  model.wavelengths = 5;
  Geometry g = Geometry::fromModel(model);
  ASSERT_EQ(g.blockOut, 7u);
  ASSERT_EQ(g.blockIn, 5u);
  ASSERT_EQ(g.batch, 2u);
  bin::Program p;
  p.uops = {isa::Uop{0, 0, 0}};
  isa::GemmInsn gemm;
  gemm.iterIn = 3;
  gemm.srcIn = 1;
  gemm.wgtIn = 1;
  p.instructions = {loadUops(1), gemm, finish()};
  Simulator sim(model, p);
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int64_t> value(-8, 7);
  int64_t x[3][2][5], w[3][7][5];
  for (unsigned s = 0; s < 3; ++s) {
    for (unsigned b = 0; b < 2; ++b)
      for (unsigned k = 0; k < 5; ++k) {
        x[s][b][k] = value(rng);
        ASSERT_FALSE(static_cast<bool>(sim.setBufferElement(
            MemId::Inp, s * 10 + b * 5 + k, x[s][b][k])));
      }
    for (unsigned o = 0; o < 7; ++o)
      for (unsigned k = 0; k < 5; ++k) {
        w[s][o][k] = value(rng);
        ASSERT_FALSE(static_cast<bool>(sim.setBufferElement(
            MemId::Wgt, s * 35 + o * 5 + k, w[s][o][k])));
      }
  }
  ASSERT_EQ(run(sim), "");
  for (unsigned b = 0; b < 2; ++b)
    for (unsigned o = 0; o < 7; ++o) {
      int64_t want = 0;
      for (unsigned s = 0; s < 3; ++s)
        for (unsigned k = 0; k < 5; ++k)
          want += x[s][b][k] * w[s][o][k];
      EXPECT_EQ(sim.getBufferElement(MemId::Acc, b * 7 + o), want)
          << b << " " << o;
    }
}

TEST(PTCSimTest, GemmSeesWeightsRewrittenBetweenInstructions) {
  // The kernel's copy of a wgt row must follow writes of the row.
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  p.uops = {isa::Uop{0, 0, 0}, isa::Uop{1, 0, 0}};
  isa::GemmInsn first;
  isa::GemmInsn second;
  second.uopBgn = 1;
  second.uopEnd = 2;
  // wgt row 0 = U . basis (GEN level 1) between the two GEMMs: all 2s.
  isa::GenInsn gen;
  p.instructions = {loadUops(2), first, gen, second, finish()};
  Simulator sim(model, p);
  fill(sim, MemId::Inp, 0, {1, 1, 1, 1, 2, 0, 0, 0});
  for (unsigned e = 0; e < 16; ++e) {
    fill(sim, MemId::Wgt, e, {1});
    fill(sim, MemId::CoeffU, e, {1});
  }
  fill(sim, MemId::Basis, 0, {2, 2, 2, 2});
  ASSERT_EQ(run(sim), "");
  // Before: every weight 1 (b0: 4, b1: 2); after: every weight 2.
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 0), 4);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 4), 2);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 8), 8);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 12), 4);
}

TEST(PTCSimTest, GemmSaturatesAtTheDacAndQuantizesAtTheAdc) {
  AcceleratorModel model = makeTinyModel();
  model.adcBits = 8;
  bin::Program p;
  p.uops = {isa::Uop{0, 0, 0}};
  isa::GemmInsn gemm;
  p.instructions = {loadUops(1), gemm, finish()};
  Simulator sim(model, p);
  // 100 saturates to 7 (4-bit input DAC); -100 to -8 (weight DAC).
  fill(sim, MemId::Inp, 0, {100, 1, 0, 0, 3, 0, 0, 0});
  fill(sim, MemId::Wgt, 0, {-100, 0, 0, 0, 1, 1, 0, 0});
  ASSERT_EQ(run(sim), "");
  // Full scale 4+4-1+2 = 9 bits, 8-bit ADC: step 2, round half up.
  // b0 o0: 7*-8 = -56; b0 o1: 7+1 = 8; b1 o0: 3*-8 = -24; b1 o1: 3 -> 4.
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 0), -56);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 1), 8);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 4), -24);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 5), 4);
}

TEST(PTCSimTest, CalibratedAdcFullScaleQuantizesFinerAndSaturates) {
  AcceleratorModel model = makeTinyModel();
  model.adcBits = 6;
  bin::Program p;
  p.uops = {isa::Uop{0, 0, 0}, isa::Uop{1, 0, 0}, isa::Uop{2, 0, 0}};
  auto gemmInto = [](int64_t uop) {
    isa::GemmInsn gemm;
    gemm.uopBgn = uop;
    gemm.uopEnd = uop + 1;
    return gemm;
  };
  // acc row 0: worst-case full scale; row 1: adc_fs_bits 7; row 2: back to
  // the worst case with adc_fs_bits 0.
  p.instructions = {loadUops(3),
                    gemmInto(0),
                    cfg(isa::CfgReg::AdcFsBits, 7),
                    gemmInto(1),
                    cfg(isa::CfgReg::AdcFsBits, 0),
                    gemmInto(2),
                    finish()};
  Simulator sim(model, p);
  fill(sim, MemId::Inp, 0, {3, 0, 0, 0, 7, 7, 0, 0});
  fill(sim, MemId::Wgt, 0,
       {1, 0, 0, 0, 2, 0, 0, 0, 7, 7, 0, 0, -8, -8, 0, 0});
  ASSERT_EQ(run(sim), "");
  // Exact sums [b][o]: b0 (3, 6, 21, -24), b1 (7, 14, 98, -112).
  // Worst case F = 4 + 4 - 1 + 2 = 9, 6-bit ADC: shift 3, steps of 8.
  int64_t worst[] = {0, 8, 24, -24, 8, 16, 96, -112};
  // F = 7: shift 1, steps of 2, codes [-32, 31], so values [-64, 62]: 98
  // and -112 saturate.
  int64_t calibrated[] = {4, 6, 22, -24, 8, 14, 62, -64};
  for (unsigned e = 0; e < 8; ++e) {
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, e), worst[e]) << e;
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, 8 + e), calibrated[e]) << e;
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, 16 + e), worst[e]) << e;
  }
}

TEST(PTCSimTest, CalibratedAdcFullScaleAppliesToGen) {
  AcceleratorModel model = makeTinyModel();
  model.adcBits = 6;
  bin::Program p;
  // Level 1 into wgt rows 0 and 1 from coeff_u 0 x basis 0.
  p.uops = {isa::Uop{0, 0, 0}, isa::Uop{1, 0, 0}};
  isa::GenInsn worst;
  isa::GenInsn calibrated;
  calibrated.uopBgn = 1;
  calibrated.uopEnd = 2;
  p.instructions = {loadUops(2), worst, cfg(isa::CfgReg::AdcFsBits, 6),
                    calibrated, finish()};
  Simulator sim(model, p);
  fill(sim, MemId::CoeffU, 0, {3, 7, -8, 1});
  fill(sim, MemId::Basis, 0, {5});
  ASSERT_EQ(run(sim), "");
  // Products 15, 35, -40, 5. Worst case F = 4 + 4 - 1 + 0 = 7: shift 1;
  // F = 6: shift 0, exact within the codes [-32, 31].
  int64_t wantWorst[] = {16, 36, -40, 6};
  int64_t wantCalibrated[] = {15, 31, -32, 5};
  for (unsigned e = 0; e < 4; ++e) {
    EXPECT_EQ(sim.getBufferElement(MemId::Wgt, e), wantWorst[e]) << e;
    EXPECT_EQ(sim.getBufferElement(MemId::Wgt, 16 + e), wantCalibrated[e])
        << e;
  }
}

TEST(PTCSimTest, AluOperations) {
  struct Case {
    isa::AluOp op;
    int64_t useImm, imm;
    int64_t a, b, want;
  } cases[] = {
      {isa::AluOp::Min, 1, 5, 9, 0, 5},     {isa::AluOp::Max, 1, 0, -3, 0, 0},
      {isa::AluOp::Add, 0, 0, 9, -4, 5},    {isa::AluOp::Shr, 1, 2, -9, 0, -3},
      {isa::AluOp::Mul, 1, 3, -7, 0, -21},  {isa::AluOp::Shl, 1, 4, 3, 0, 48},
      {isa::AluOp::ShlAdd, 1, 3, 1, 2, 17}, {isa::AluOp::Clip, 1, 7, 100, 0, 7},
      {isa::AluOp::Clip, 1, 7, -100, 0, -8}, {isa::AluOp::Mul, 1, 2, 0x40000000, 0, INT32_MIN},
  };
  for (const Case &c : cases) {
    AcceleratorModel model = makeTinyModel();
    bin::Program p;
    p.uops = {isa::Uop{0, 1, 0}};
    isa::AluInsn alu;
    alu.aluOp = static_cast<int64_t>(c.op);
    alu.useImm = c.useImm;
    alu.imm = c.imm;
    p.instructions = {loadUops(1), alu, finish()};
    Simulator sim(model, p);
    fill(sim, MemId::Acc, 0, {c.a});
    fill(sim, MemId::Acc, 8, {c.b});
    ASSERT_EQ(run(sim), "");
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, 0), c.want)
        << isa::stringifyAluOp(c.op).str() << " " << c.a;
  }
}

TEST(PTCSimTest, GenLevelsAndRequant) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  // Level 1 into wgt 0 from coeff_u 0 x basis 0 and coeff_u 1 x basis 1
  // (one run: same destination); level 2 into wgt 1 from coeff_v 0 x wgt 0.
  p.uops = {isa::Uop{0, 0, 0}, isa::Uop{0, 1, 1}, isa::Uop{1, 0, 0}};
  isa::GenInsn l1;
  l1.uopEnd = 2;
  isa::GenInsn l2;
  l2.level = 2;
  l2.uopBgn = 2;
  l2.uopEnd = 3;
  l2.requant = 1;
  p.instructions = {loadUops(3),
                    l1,
                    cfg(isa::CfgReg::ReqScale, 3),
                    cfg(isa::CfgReg::ReqShift, 1),
                    l2,
                    finish()};
  Simulator sim(model, p);
  // coeff_u rows [c][k] (4x4): row 0 all 1, row 1 = k.
  for (unsigned e = 0; e < 16; ++e) {
    fill(sim, MemId::CoeffU, e, {1});
    fill(sim, MemId::CoeffU, 16 + e, {int64_t(e % 4)});
  }
  fill(sim, MemId::Basis, 0, {1, 2, -1, 0});
  fill(sim, MemId::Basis, 4, {1, 1, 1, 1});
  // W1[c][k] = basis0[c] + k * basis1[c] = basis0[c] + k.
  // coeff_v row [o][c]: o=0 sums c; o=1 takes c=1; o=2 is 0; o=3 = -c0.
  fill(sim, MemId::CoeffV, 0, {1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0});
  ASSERT_EQ(run(sim), "");
  const int64_t basis0[] = {1, 2, -1, 0};
  for (unsigned c = 0; c < 4; ++c)
    for (unsigned k = 0; k < 4; ++k)
      EXPECT_EQ(sim.getBufferElement(MemId::Wgt, c * 4 + k), basis0[c] + k);
  // Level 2 before requant: o0 = (2 + 4k), o1 = 2 + k, o2 = 0, o3 = -(1 + k);
  // requant (x3 >> 1), clamped to 4 bits [-8, 7].
  for (unsigned k = 0; k < 4; ++k) {
    auto rq = [](int64_t r) { return std::clamp<int64_t>((r * 3) >> 1, -8, 7); };
    EXPECT_EQ(sim.getBufferElement(MemId::Wgt, 16 + k), rq(2 + 4 * k));
    EXPECT_EQ(sim.getBufferElement(MemId::Wgt, 16 + 4 + k), rq(2 + k));
    EXPECT_EQ(sim.getBufferElement(MemId::Wgt, 16 + 8 + k), 0);
    EXPECT_EQ(sim.getBufferElement(MemId::Wgt, 16 + 12 + k), rq(-1 - int64_t(k)));
  }
}

TEST(PTCSimTest, RecompOfSignedSlices) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  isa::RecompInsn recomp;
  recomp.dst = 2;
  recomp.src = 0;
  recomp.numSlices = 2;
  recomp.sliceBits = 3;
  recomp.sliceStride = 1;
  recomp.signedMsb = 1;
  recomp.outBits = 6;
  isa::RecompInsn rounded = recomp;
  rounded.dst = 3;
  rounded.outBits = 4;
  rounded.round = 1;
  p.instructions = {recomp, rounded, finish()};
  Simulator sim(model, p);
  fill(sim, MemId::Acc, 0, {5, 7, 0, 3});
  fill(sim, MemId::Acc, 8, {-1, 3, -4, 0});
  ASSERT_EQ(run(sim), "");
  // lo - 8 * hi: 13, -17, 32 -> 31 (6-bit saturation), 3.
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 16), 13);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 17), -17);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 18), 31);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 19), 3);
  // out_bits 4: (v + 2) >> 2 saturated to [-8, 7]: 3, -4, 7, 1.
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 24), 3);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 25), -4);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 26), 7);
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 27), 1);
}

// SHADD: codes C = [[1, -2], [0, 3]] (pow2: +1, -2, 0, +4), basis
// B = [[3, -1, 2], [1, 4, -5]]: W = pow2(C) . B = [[1, -9, 12], [4, 16, -20]].
TEST(PTCSimTest, ShaddGeneratesPowerOfTwoWeights) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  isa::ShaddInsn whole;
  whole.len = 6;
  whole.rank = 2;
  whole.numCols = 3;
  // Positions 1..3 (a block piece), rounded shift by 2.
  isa::ShaddInsn piece = whole;
  piece.dst = 10;
  piece.start = 1;
  piece.len = 3;
  piece.rshift = 2;
  piece.round = 1;
  // The same positions truncated.
  isa::ShaddInsn truncated = piece;
  truncated.dst = 14;
  truncated.round = 0;
  // 4-bit weights saturate.
  isa::ShaddInsn narrow = whole;
  narrow.dst = 20;
  // Code 127 shifts by 126: the term saturates, then the weight.
  isa::ShaddInsn huge = whole;
  huge.dst = 30;
  huge.code = 4;
  huge.len = 3;
  p.instructions = {cfg(isa::CfgReg::WBits, 8), whole, piece, truncated,
                    cfg(isa::CfgReg::WBits, 4), narrow, huge, finish()};
  Simulator sim(model, p);
  fill(sim, MemId::CoeffU, 0, {1, -2, 0, 3, 127, 0});
  fill(sim, MemId::Basis, 0, {3, -1, 2, 1, 4, -5});
  ASSERT_EQ(run(sim), "");
  auto wgt = [&](uint64_t first, uint64_t n) {
    return elements(sim, MemId::Wgt, first, n);
  };
  EXPECT_EQ(wgt(0, 6), (std::vector<int64_t>{1, -9, 12, 4, 16, -20}));
  // (-9 + 2) >> 2, (12 + 2) >> 2, (4 + 2) >> 2.
  EXPECT_EQ(wgt(10, 3), (std::vector<int64_t>{-2, 3, 1}));
  EXPECT_EQ(wgt(14, 3), (std::vector<int64_t>{-3, 3, 1}));
  EXPECT_EQ(wgt(20, 6), (std::vector<int64_t>{1, -8, 7, 4, 7, -8}));
  EXPECT_EQ(wgt(30, 3), (std::vector<int64_t>{7, -8, 7}));
  // Untouched lanes stay 0.
  EXPECT_EQ(wgt(6, 4), (std::vector<int64_t>(4, 0)));
  const Stats &total = sim.getReport().total;
  EXPECT_EQ(total.byClassInstructions[unsigned(isa::Opcode::Shadd)], 5u);
  // 42 shift-adds at 0.021 pJ, plus the buffer accesses.
  EXPECT_GT(total.byClassEnergy[unsigned(isa::Opcode::Shadd)], 42 * 0.021);
  EXPECT_EQ(total.steps, 0u); // shift-adds are not intrinsic steps
}

// SHADD's repeat: three runs of two elements, each from its own codes
// (code_stride 2) and basis block (basis_stride 2), rows of one column
// (n_cols 1, rank 2), written 4 lanes apart; the cost counts every repeat.
TEST(PTCSimTest, ShaddRepeatsAdvanceEachOperand) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  isa::ShaddInsn shadd;
  shadd.len = 2;
  shadd.rank = 2;
  shadd.numCols = 1;
  shadd.numRepeats = 3;
  shadd.dstStride = 4;
  shadd.codeStride = 2;
  shadd.basisStride = 2;
  p.instructions = {cfg(isa::CfgReg::WBits, 8), shadd, finish()};
  Simulator sim(model, p);
  // Rows r of repeat i: codes[2i + 2r .. +2); basis block i: basis[2i ..+2).
  fill(sim, MemId::CoeffU, 0, {1, 2, 3, 0, -1, 1, 2, -2});
  fill(sim, MemId::Basis, 0, {3, 5, 2, -1, 4, 1});
  ASSERT_EQ(run(sim), "");
  auto wgt = [&](uint64_t first, uint64_t n) {
    return elements(sim, MemId::Wgt, first, n);
  };
  // Repeat 0, basis (3, 5): rows (1, 2) -> 3 + 10, (3, 0) -> 12.
  EXPECT_EQ(wgt(0, 4), (std::vector<int64_t>{13, 12, 0, 0}));
  // Repeat 1, codes from 2, basis (2, -1): (3, 0) -> 8, (-1, 1) -> -2 - 1.
  EXPECT_EQ(wgt(4, 4), (std::vector<int64_t>{8, -3, 0, 0}));
  // Repeat 2, codes from 4, basis (4, 1): (-1, 1) -> -4 + 1, (2, -2) -> 8 - 2.
  EXPECT_EQ(wgt(8, 2), (std::vector<int64_t>{-3, 6}));
  const Stats &total = sim.getReport().total;
  EXPECT_EQ(total.byClassInstructions[unsigned(isa::Opcode::Shadd)], 1u);
  // 12 shift-adds (2 terms x 2 elements x 3 repeats) at 0.021 pJ each.
  EXPECT_GT(total.byClassEnergy[unsigned(isa::Opcode::Shadd)], 12 * 0.021);
}

TEST(PTCSimTest, ShaddOperandsAreBoundsChecked) {
  AcceleratorModel model = makeTinyModel();
  Geometry g = Geometry::fromModel(model);
  uint64_t basisLanes = g.depth[unsigned(MemId::Basis)] *
                        g.rowElements[unsigned(MemId::Basis)];
  bin::Program p;
  isa::ShaddInsn shadd;
  shadd.rank = 2;
  shadd.numCols = 3;
  shadd.basis = int64_t(basisLanes) - 5; // B needs 6 lanes
  p.instructions = {shadd, finish()};
  Simulator sim(model, p);
  std::string error = run(sim);
  EXPECT_NE(error.find("basis elements"), std::string::npos) << error;
}

TEST(PTCSimTest, RecompOfWideSlicesWithAnExtraShift) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  // Two slices holding run sums wider than slice_bits (W1 = lo + 8 * hi),
  // brought to 4 bits: excess 2*3 - 4 = 2, plus rshift 5: shift by 7.
  isa::RecompInsn recomp;
  recomp.dst = 2;
  recomp.src = 0;
  recomp.numSlices = 2;
  recomp.sliceBits = 3;
  recomp.sliceStride = 1;
  recomp.outBits = 4;
  recomp.rshift = 5;
  isa::RecompInsn rounded = recomp;
  rounded.dst = 3;
  rounded.round = 1;
  // out_bits 8 covers the 6 slice bits: no excess, the shift is rshift alone.
  isa::RecompInsn onlyExtra = recomp;
  onlyExtra.dst = 4;
  onlyExtra.outBits = 8;
  onlyExtra.rshift = 3;
  onlyExtra.round = 1;
  p.instructions = {recomp, rounded, onlyExtra, finish()};
  Simulator sim(model, p);
  fill(sim, MemId::Acc, 0, {100, -112, 64, 112});
  fill(sim, MemId::Acc, 8, {-50, -100, 31, 112});
  ASSERT_EQ(run(sim), "");
  // lo + 8 * hi: -300, -912, 312, 1008.
  // Truncated >> 7: -3, -8 (-7.1 floors to -8), 2, 7.
  int64_t truncated[] = {-3, -8, 2, 7};
  // (v + 64) >> 7: -2, -7, 2, 8 -> 7 (4-bit saturation).
  int64_t nearest[] = {-2, -7, 2, 7};
  // (v + 4) >> 3 saturated to 8 bits: -37, -114, 39, 126.
  int64_t extraOnly[] = {-37, -114, 39, 126};
  for (unsigned e = 0; e < 4; ++e) {
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, 16 + e), truncated[e]) << e;
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, 24 + e), nearest[e]) << e;
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, 32 + e), extraOnly[e]) << e;
  }
}

TEST(PTCSimTest, LoadPadsAndStorePacks) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  bin::DataSymbol data;
  data.name = "d";
  data.elemBits = 3;
  data.shape = {2, 3};
  data.bytes = *bin::packElements({1, -2, 3, -4, 0, 2}, 3, true);
  p.symbols = {data};
  // 2x3 block, stride 3, padded by one column on each side: rows of 5.
  isa::LoadInsn load;
  load.memId = static_cast<int64_t>(MemId::Acc);
  load.ySize = 2;
  load.xSize = 3;
  load.xStride = 3;
  load.xPad0 = 1;
  load.xPad1 = 1;
  load.elemBits = 3;
  isa::StoreInsn store;
  store.memId = static_cast<int64_t>(MemId::Acc);
  store.dramBase = 64;
  store.ySize = 1;
  store.xSize = 10;
  store.xStride = 10;
  store.elemBits = 4;
  p.instructions = {load, store, finish()};
  Simulator sim(model, p);
  ASSERT_EQ(run(sim), "");
  int64_t want[] = {0, 1, -2, 3, 0, 0, -4, 0, 2, 0};
  for (unsigned e = 0; e < 10; ++e)
    EXPECT_EQ(sim.getBufferElement(MemId::Acc, e), want[e]) << e;
  llvm::ArrayRef<uint8_t> dram = sim.getDram();
  ASSERT_GE(dram.size(), 69u);
  std::vector<int64_t> stored = bin::unpackElements(dram.slice(64, 5), 10, 4, true);
  EXPECT_EQ(stored, std::vector<int64_t>(std::begin(want), std::end(want)));
}

TEST(PTCSimTest, OutMirrorsAccAndLoadsDirectly) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  bin::DataSymbol data;
  data.name = "d";
  data.elemBits = 8;
  data.shape = {8};
  data.bytes = *bin::packElements({1, 2, 3, 4, 5, 6, 7, -8}, 8, true);
  p.symbols = {data};
  isa::LoadInsn load;
  load.memId = static_cast<int64_t>(MemId::Out);
  load.sramBase = 1;
  load.xSize = 8;
  load.xStride = 8;
  isa::AluInsn alu; // acc[0] = max(acc[0], 9): mirrored into out[0]
  alu.aluOp = static_cast<int64_t>(isa::AluOp::Max);
  alu.useImm = 1;
  alu.imm = 9;
  p.uops = {isa::Uop{0, 0, 0}};
  p.instructions = {load, loadUops(1), alu, finish()};
  Simulator sim(model, p);
  ASSERT_EQ(run(sim), "");
  EXPECT_EQ(sim.getBufferElement(MemId::Out, 8 + 7), -8); // loaded
  EXPECT_EQ(sim.getBufferElement(MemId::Acc, 8 + 7), 0);  // acc untouched
  EXPECT_EQ(sim.getBufferElement(MemId::Out, 3), 9);      // mirror of acc
}

/// One GEMM with 8 T_acc windows against a 6-bit ADC, with noise σ.
std::vector<int64_t> runNoisy(double sigma, uint64_t seed) {
  AcceleratorModel model = makeTinyModel();
  model.adcBits = 6;
  bin::Program p;
  p.uops = {isa::Uop{0, 0, 0}};
  isa::GemmInsn gemm;
  gemm.iterIn = 8;
  p.instructions = {loadUops(1), gemm, finish()};
  Options options;
  options.noiseStd = sigma;
  options.seed = seed;
  Simulator sim(model, p, options);
  for (unsigned e = 0; e < 8; ++e)
    fill(sim, MemId::Inp, e, {int64_t(e % 5) - 2});
  for (unsigned e = 0; e < 16; ++e)
    fill(sim, MemId::Wgt, e, {int64_t(e % 7) - 3});
  EXPECT_EQ(run(sim), "");
  std::vector<int64_t> acc;
  for (unsigned e = 0; e < 8; ++e)
    acc.push_back(sim.getBufferElement(MemId::Acc, e));
  return acc;
}

TEST(PTCSimTest, NoiseIsReproducibleBySeedAndOffByDefault) {
  std::vector<int64_t> clean = runNoisy(0, 1);
  EXPECT_EQ(clean, runNoisy(0, 99)); // the seed does not matter without noise
  std::vector<int64_t> a = runNoisy(1.5, 7), b = runNoisy(1.5, 7),
                       c = runNoisy(1.5, 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, clean);
  EXPECT_NE(a, c);
}

/// `iterations` x (LOAD inp tile, GEMM on it); double-buffered programs
/// alternate two inp rows and let the load run one tile ahead.
double makespan(bool doubleBuffered, unsigned iterations) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  bin::DataSymbol data;
  data.name = "x";
  data.shape = {4096};
  data.bytes.assign(4096, 1);
  p.symbols = {data};
  p.uops = {isa::Uop{0, 0, 0}};
  p.instructions.push_back(loadUops(1));
  for (unsigned i = 0; i < iterations; ++i) {
    isa::LoadInsn load;
    load.ySize = 64; // a long DMA of 64 x 8 elements
    load.xSize = 8;
    load.xStride = 8;
    load.sramBase = doubleBuffered ? (i % 2) * 64 : 0;
    load.deps.pushNext = 1;
    // Wait until the GEMM that used this slot is done.
    unsigned window = doubleBuffered ? 2 : 1;
    load.deps.popNext = i >= window;
    isa::GemmInsn gemm;
    gemm.iterOut = 64; // 64 intrinsic steps over the tile
    gemm.srcOut = 1;
    gemm.uopBgn = 0;
    gemm.deps.popPrev = 1;
    gemm.deps.pushPrev = i + window < iterations;
    // GEMM's source rows start at the slot: encoded by a per-slot uop.
    if (doubleBuffered && i % 2)
      gemm.uopBgn = 1, gemm.uopEnd = 2;
    p.instructions.push_back(load);
    p.instructions.push_back(gemm);
  }
  p.uops.push_back(isa::Uop{0, 64, 0});
  p.instructions[0] = loadUops(2);
  p.instructions.push_back(finish());
  Simulator sim(model, p);
  EXPECT_EQ(run(sim), "");
  return sim.getReport().total.latencyNs();
}

TEST(PTCSimTimingTest, HandComputedLoadGemmFinish) {
  // dptc-hbm memory: DRAM 1 TiB/s, 20 ns per transfer, 3.9 pJ/bit; 5 GHz.
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  bin::DataSymbol data;
  data.name = "x";
  data.shape = {512};
  data.bytes.assign(512, 1);
  p.symbols = {data};
  p.uops = {isa::Uop{0, 0, 0}};
  isa::LoadInsn load; // 64 x 8 8-bit elements = 512 B, load module
  load.ySize = 64;
  load.xSize = 8;
  load.xStride = 8;
  load.deps.pushNext = 1;
  isa::GemmInsn gemm; // 64 steps = 64 cycles = 12.8 ns
  gemm.iterOut = 64;
  gemm.srcOut = 1;
  gemm.deps.popPrev = 1;
  p.instructions = {loadUops(1), load, gemm, finish()};
  Simulator sim(model, p);
  ASSERT_EQ(run(sim), "");
  const Stats &t = sim.getReport().total;
  const double tib = 1099.511627776; // bytes per ns
  double uopLoad = 20 + 4 / tib, inpLoad = 20 + 512 / tib;
  // The uop LOAD (compute module) overlaps the inp LOAD (load module); the
  // GEMM waits for the inp token, then FINISH takes one cycle.
  EXPECT_NEAR(t.latencyNs(), std::max(uopLoad, inpLoad) + 12.8 + 0.2, 1e-6);
  // DMA is pipelined (16 outstanding requests on dptc-hbm): the uop LOAD
  // keeps the compute module busy only while its 4 bytes stream (1 cycle),
  // and the GEMM still waits for its data (the access latency).
  EXPECT_EQ(t.busyCycles[1] - uint64_t(std::ceil(4 / tib * 5)), 64u + 1u);
  EXPECT_EQ(t.busyCycles[0], uint64_t(std::ceil(512 / tib * 5)));
  EXPECT_EQ(t.dramBits, 4096u + 32u);
  EXPECT_NEAR(t.energy.dram, (4096 + 32) * 3.9, 1e-6);
  EXPECT_EQ(t.macs, 64u * 2 * 4 * 4);

  // Four back-to-back inp LOADs before the GEMM: pipelined, the last one's
  // data arrives at 4 x 512 B / bandwidth + 20 ns; one outstanding request
  // serializes them (4 x (20 ns + 512 B / bandwidth)).
  isa::LoadInsn quiet = load;
  quiet.deps.pushNext = 0;
  p.instructions = {loadUops(1), quiet, quiet, quiet, load, gemm, finish()};
  for (unsigned outstanding : {16u, 1u}) {
    model.dram.outstandingRequests = outstanding;
    Simulator four(model, p);
    ASSERT_EQ(run(four), "");
    double lastData = outstanding == 1 ? 4 * inpLoad : 4 * 512 / tib + 20;
    EXPECT_NEAR(four.getReport().total.latencyNs(), lastData + 12.8 + 0.2,
                1e-6)
        << outstanding;
    EXPECT_EQ(four.getReport().total.busyCycles[0],
              outstanding == 1 ? 4 * uint64_t(std::ceil(inpLoad * 5))
                               : 4 * uint64_t(std::ceil(512 / tib * 5)));
  }
}

TEST(PTCSimTimingTest, DramTrafficSplitsIntoWeightsAndActivations) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  auto symbol = [](const char *name, uint32_t offset, uint32_t bytes,
                   bin::SymbolRole role) {
    bin::DataSymbol data;
    data.name = name;
    data.offset = offset;
    data.shape = {bytes};
    data.bytes.assign(bytes, 1);
    data.role = role;
    return data;
  };
  // A constant (bias / scales), an input, an output and an intermediate
  // result (activation).
  p.symbols = {symbol("bias", 0, 16, bin::SymbolRole::Data),
               symbol("x", 16, 16, bin::SymbolRole::Input),
               symbol("y", 32, 16, bin::SymbolRole::Output),
               symbol("h", 48, 16, bin::SymbolRole::Activation)};
  auto load = [](MemId mem, int64_t dram, int64_t count, int64_t bits) {
    isa::LoadInsn insn;
    insn.memId = static_cast<int64_t>(mem);
    insn.dramBase = dram;
    insn.xSize = count;
    insn.xStride = count;
    insn.elemBits = bits;
    return insn;
  };
  isa::StoreInsn store;
  store.memId = static_cast<int64_t>(MemId::Acc);
  store.dramBase = 32;
  store.xSize = 8;
  store.xStride = 8;
  store.elemBits = 8;
  p.uops = {isa::Uop{0, 0, 0}};
  p.instructions = {
      load(MemId::Wgt, 0, 16, 8),    // 128 bits of weights
      load(MemId::Basis, 0, 4, 4),   // 16
      load(MemId::CoeffV, 0, 16, 3), // 48
      load(MemId::Acc, 0, 8, 16),    // 128: constant data (bias)
      loadUops(1),                   // 32 bits of micro-ops
      load(MemId::Acc, 16, 8, 8),    // 64: the input (a residual operand)
      load(MemId::Inp, 16, 8, 8),    // 64
      store,                         // 64
      load(MemId::Acc, 48, 4, 8),    // 32: an intermediate result (residual)
      load(MemId::Scale, 48, 2, 8),  // 16: likewise
      finish()};
  p.layers = {{"params", 0, 4}, {"acts", 4, 11}};
  Simulator sim(model, p);
  ASSERT_EQ(run(sim), "");
  const Report &report = sim.getReport();
  ASSERT_EQ(report.layers.size(), 2u);
  const Stats &params = report.layers[0].stats, &acts = report.layers[1].stats;
  EXPECT_EQ(params.dramWeightBits, 128u + 16 + 48 + 128);
  EXPECT_EQ(params.dramActivationBits, 0u);
  EXPECT_EQ(acts.dramWeightBits, 0u);
  EXPECT_EQ(acts.dramActivationBits, 64u + 64 + 64 + 32 + 16);
  EXPECT_EQ(acts.dramUopBits, 32u);
  const Stats &t = report.total;
  EXPECT_EQ(t.dramWeightBits, 320u);
  EXPECT_EQ(t.dramActivationBits, 240u);
  EXPECT_EQ(t.dramWeightBits + t.dramActivationBits + t.dramUopBits,
            t.dramBits);

  // The same intermediate result without the activation role is a constant
  // as far as the file says: its LOADs count as weights.
  p.symbols[3].role = bin::SymbolRole::Data;
  Simulator plain(model, p);
  ASSERT_EQ(run(plain), "");
  EXPECT_EQ(plain.getReport().total.dramWeightBits, 320u + 32 + 16);
  EXPECT_EQ(plain.getReport().total.dramActivationBits, 192u);
}

TEST(PTCSimTimingTest, DoubleBufferingOverlapsLoadAndCompute) {
  double single = makespan(false, 8), dual = makespan(true, 8);
  EXPECT_LT(dual, 0.75 * single) << "single " << single << " ns, double "
                                 << dual << " ns";
}

TEST(PTCSimTest, RuntimeErrorsNameTheInstruction) {
  AcceleratorModel model = makeTinyModel();
  bin::Program p;
  p.uops = {isa::Uop{0, 0, 0}};
  isa::GemmInsn gemm;
  gemm.iterOut = 2;
  gemm.dstOut = 1000000 % 2048; // acc has 4096 rows: fine
  gemm.srcOut = 2047;           // inp row 2047 exists (4096 rows)
  isa::LoadInsn bad;
  bad.memId = static_cast<int64_t>(MemId::Inp);
  bad.sramBase = 65535;
  p.instructions = {loadUops(1), gemm, bad, finish()};
  Simulator sim(model, p);
  std::string error = run(sim);
  EXPECT_NE(error.find("instruction #2 (offset 96): load: inp elements"),
            std::string::npos)
      << error;
}

TEST(PTCSimTest, RefusesModelsTooLargeToSimulate) {
  AcceleratorModel model = makeTinyModel();
  model.local[static_cast<unsigned>(LocalBuffer::Wgt)].sizeBytes =
      uint64_t(1) << 45;
  bin::Program p;
  p.instructions = {finish()};
  Simulator sim(model, p);
  llvm::Error unallocated = sim.setBufferElement(MemId::Wgt, 0, 1);
  EXPECT_TRUE(static_cast<bool>(unallocated));
  llvm::consumeError(std::move(unallocated));
  std::string error = run(sim);
  EXPECT_NE(error.find("on-chip buffers need"), std::string::npos) << error;
}

/// Random valid instructions (fields drawn mostly from small values so
/// that rows are often in range) never crash the simulator: every run ends
/// with success or an error.
TEST(PTCSimTest, RandomProgramsNeverCrash) {
  std::mt19937_64 rng(12345);
  auto draw = [&](const isa::FieldSpec &field) -> int64_t {
    int64_t lo = field.min, hi = field.max;
    int64_t smallHi = std::min<int64_t>(hi, lo + 9);
    bool small = rng() % 4 != 0;
    // Unsigned arithmetic: a 64-bit field's span overflows int64_t.
    uint64_t span = (small ? uint64_t(smallHi) : uint64_t(hi)) - uint64_t(lo);
    if (span == UINT64_MAX)
      return int64_t(rng());
    return int64_t(uint64_t(lo) + rng() % (span + 1));
  };
  unsigned ran = 0, failed = 0;
  for (unsigned trial = 0; trial < 300; ++trial) {
    AcceleratorModel model = makeTinyModel();
    if (trial % 3 == 1)
      model.adcBits = 6;
    bin::Program p;
    bin::DataSymbol data;
    data.name = "d";
    data.shape = {256};
    for (unsigned i = 0; i < 256; ++i)
      data.bytes.push_back(uint8_t(rng()));
    p.symbols = {data};
    for (unsigned u = 0; u < 8; ++u)
      p.uops.push_back(isa::Uop{int64_t(rng() % 12), int64_t(rng() % 12),
                                int64_t(rng() % 12)});
    p.instructions.push_back(loadUops(8));
    while (p.instructions.size() < 5) {
      auto opcode = static_cast<isa::Opcode>(rng() % isa::kNumOpcodes);
      if (opcode == isa::Opcode::Finish || opcode == isa::Opcode::Prog)
        continue;
      isa::Instruction insn = isa::makeInstruction(opcode);
      std::visit(
          [&](auto &i) {
            std::decay_t<decltype(i)>::forEachField(
                i, [&](const isa::FieldSpec &field, int64_t &value) {
                  value = draw(field);
                });
            i.deps = isa::Deps(); // tokens are exercised elsewhere
          },
          insn);
      if (llvm::Error error = isa::validate(insn)) {
        llvm::consumeError(std::move(error));
        continue;
      }
      p.instructions.push_back(insn);
    }
    p.instructions.push_back(finish());
    Options options;
    options.maxSteps = 200000;
    options.maxDramBytes = 8 << 20;
    options.noiseStd = trial % 2 ? 0.5 : 0;
    Simulator sim(model, p, options);
    std::string error = run(sim);
    ++ran;
    failed += !error.empty();
    if (!error.empty())
      EXPECT_NE(error.find("instruction #"), std::string::npos) << error;
  }
  // Both outcomes occur, so the test exercises real execution.
  EXPECT_GT(failed, 0u);
  EXPECT_LT(failed, ran);
}

TEST(PTCSimBinaryTest, ActivationRoleRoundTripsAsVersion3) {
  bin::Program p;
  bin::DataSymbol in, hidden;
  in.name = "in";
  in.shape = {4};
  in.bytes.assign(4, 0);
  in.role = bin::SymbolRole::Input;
  hidden.name = "hidden";
  hidden.offset = 16;
  hidden.shape = {2, 3};
  hidden.bytes.assign(6, 0);
  hidden.role = bin::SymbolRole::Activation;
  p.symbols = {in, hidden};
  p.instructions = {finish()};
  EXPECT_EQ(bin::getFormatVersion(p), 3u);
  EXPECT_EQ(bin::getSymbolRoleName(bin::SymbolRole::Activation), "activation");
  llvm::Expected<std::vector<uint8_t>> bytes = bin::writeBinary(p);
  ASSERT_TRUE(static_cast<bool>(bytes)) << llvm::toString(bytes.takeError());
  llvm::Expected<bin::Program> back = bin::readBinary(*bytes);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->symbols[0].role, bin::SymbolRole::Input);
  EXPECT_EQ(back->symbols[1].role, bin::SymbolRole::Activation);
  llvm::Expected<std::vector<uint8_t>> again = bin::writeBinary(*back);
  ASSERT_TRUE(static_cast<bool>(again));
  EXPECT_EQ(*again, *bytes);

  // Symbol #1's flags byte: the symbol table offset is at header byte 48.
  uint32_t symtab;
  std::memcpy(&symtab, bytes->data() + 48, 4);
  const uint32_t flagsAt = symtab + 40 + 17;
  EXPECT_EQ((*bytes)[flagsAt], 1u | 3u << 1); // signed, role 3
  auto readError = [](const std::vector<uint8_t> &file) {
    llvm::Expected<bin::Program> read = bin::readBinary(file);
    return read ? std::string() : llvm::toString(read.takeError());
  };
  // Role 3 needs format version 3.
  std::vector<uint8_t> asVersion2 = *bytes;
  asVersion2[8] = 2;
  std::string error = readError(asVersion2);
  EXPECT_NE(error.find("offset " + std::to_string(flagsAt) +
                       ": symbol #1: flags 7 has an unknown role"),
            std::string::npos)
      << error;
  // Bits above the role and the global SRAM flag (bit 3) are reserved.
  std::vector<uint8_t> highBit = *bytes;
  highBit[flagsAt] |= 16;
  error = readError(highBit);
  EXPECT_NE(error.find("offset " + std::to_string(flagsAt) +
                       ": symbol #1: flags 23 has an unknown role"),
            std::string::npos)
      << error;
  // An activation has no host view.
  p.symbols[1].host = bin::HostView{bin::HostLayout::Identity, 0.5, {2, 3}};
  llvm::Expected<bin::Layout> layout = bin::computeLayout(p);
  ASSERT_FALSE(static_cast<bool>(layout));
  EXPECT_NE(llvm::toString(layout.takeError())
                .find("a host view needs an input or output symbol"),
            std::string::npos);
}

TEST(PTCSimBinaryTest, RolesAndLayersRoundTripAsVersion2) {
  bin::Program p;
  bin::DataSymbol in;
  in.name = "in";
  in.shape = {4};
  in.bytes.assign(4, 0);
  in.role = bin::SymbolRole::Input;
  p.symbols = {in};
  p.instructions = {cfg(isa::CfgReg::TAcc, 1), finish()};
  p.layers = {{"first", 0, 1}, {"last", 1, 2}};
  EXPECT_EQ(bin::getFormatVersion(p), 2u);
  llvm::Expected<std::vector<uint8_t>> bytes = bin::writeBinary(p);
  ASSERT_TRUE(static_cast<bool>(bytes));
  llvm::Expected<bin::Program> back = bin::readBinary(*bytes);
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->symbols[0].role, bin::SymbolRole::Input);
  ASSERT_EQ(back->layers.size(), 2u);
  EXPECT_EQ(back->layers[1].name, "last");
  EXPECT_EQ(back->layers[1].first, 1u);
  // Truncating the layer table is an error naming an offset.
  std::vector<uint8_t> cut(bytes->begin(), bytes->end() - 4);
  uint32_t size = cut.size();
  std::memcpy(cut.data() + 16, &size, 4); // keep file_bytes consistent
  llvm::Expected<bin::Program> bad = bin::readBinary(cut);
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("offset"), std::string::npos);
  // Without roles and layers the writer keeps version 1.
  p.layers.clear();
  p.symbols[0].role = bin::SymbolRole::Data;
  EXPECT_EQ(bin::getFormatVersion(p), 1u);
  // Overlapping layers are rejected.
  p.layers = {{"a", 0, 2}, {"b", 1, 2}};
  EXPECT_FALSE(static_cast<bool>(bin::computeLayout(p)));
  llvm::consumeError(bin::computeLayout(p).takeError());
}

} // namespace
