//===- StrategyCostModelTest.cpp - Strategy costs on hand-computed cases --===//
//
// MAC counts follow method.md §1.4: dense = generation + plain conv,
// factorized = HW (Ci Bc Bi + Bc Bi k^2 + Co Bc Bi) for convolutions (the
// basis stage depthwise, V repeated along Bi), HW (Ci Bc Bi + Bc Bi + Co Bc)
// for matmuls, tiled = dense's MACs.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/MLG/Transforms/StrategyCostModel.h"

#include "gtest/gtest.h"

using namespace mlir::mlg;

namespace {

/// A square stride-1 "same" kxk convolution at `size` x `size`.
GeneratedLayerShape conv(int64_t ci, int64_t co, int64_t k, int64_t size,
                         int64_t bi, int64_t bc) {
  GeneratedLayerShape s;
  s.inChannels = ci, s.outChannels = co;
  s.inHeight = s.inWidth = s.outHeight = s.outWidth = size;
  s.kernelHeight = s.kernelWidth = k;
  int64_t pad = k / 2;
  s.padding = {pad, pad, pad, pad};
  s.bi = bi, s.bc = bc, s.hasCoeffOut = bc != co;
  return s;
}

MachineModel machine() {
  MachineModel m; // fixed sizes: independent of the host running the test
  m.cacheBytes = {32 << 10, 1 << 20, 32 << 20};
  // Every kernel at the peak: the hand computations below are rooflines.
  m.efficiency = {1, 1, 1, 1};
  return m;
}

/// Every level 1 KiB at 1 GB/s, compute 1 GFLOP/s (2 flop per MAC), every
/// kernel at the peak: hand-computable rooflines for tiny layers.
MachineModel unitMachine() {
  MachineModel m;
  m.cacheBytes = {1024, 1024, 1024};
  m.cacheGBps = {1, 1, 1};
  m.dramGBps = 1;
  m.peakGflops = 1;
  m.efficiency = {1, 1, 1, 1};
  m.smartDealEfficiency = {1, 1};
  return m;
}

TEST(StrategyCostModel, MacsOf512x512At7WithBi2Bc44) {
  StrategyCosts c =
      estimateStrategyCosts(conv(512, 512, 3, 7, 2, 44), machine());
  // Conv 49*512*512*9 = 115605504; generation: level 1 44*512*2*9 = 405504,
  // level 2 512*44*512*9 = 103809024.
  EXPECT_EQ(c.dense.macs, 115605504 + 405504 + 103809024);
  EXPECT_EQ(c.tiled.macs, c.dense.macs);
  // 49*512*44*2 + 49*44*2*9 + 49*512*44*2.
  EXPECT_EQ(c.factorized.macs, 2207744 + 38808 + 2207744);
  EXPECT_EQ(c.best(), ExecutionStrategy::factorized);
  // W row = 512*9*4 B = 18432 B; half of a 1 MiB L2 holds 28 rows.
  EXPECT_EQ(c.tiled.blockChannels, 28);
}

TEST(StrategyCostModel, MacsOf1x1Layer) {
  // 512 -> 512 1x1 at 7x7 with Bc = int(0.9 * 512) = 460, no level 1.
  StrategyCosts c =
      estimateStrategyCosts(conv(512, 512, 1, 7, 0, 460), machine());
  EXPECT_EQ(c.dense.macs, 49 * 512 * 512 + 512 * 460 * 512);
  EXPECT_EQ(c.factorized.macs, 49 * 460 * 512 + 49 * 512 * 460);
}

TEST(StrategyCostModel, StridedFirstStageRunsOnReadPixelsOnly) {
  // 1x1 stride 2 on 14x14 -> 7x7: the U stage needs only 49 input pixels.
  GeneratedLayerShape s = conv(64, 128, 1, 14, 0, 0);
  s.outHeight = s.outWidth = 7;
  s.strides = {2, 2};
  s.padding = {0, 0, 0, 0};
  // Give it both levels on a 1x1 kernel to exercise the U stage: Bi = 1.
  s.bi = 1, s.bc = 16, s.hasCoeffOut = true;
  StrategyCosts c = estimateStrategyCosts(s, machine());
  EXPECT_EQ(c.factorized.macs,
            49 * 64 * 1 * 16 + 49 * 16 * 1 * 1 + 49 * 128 * 16);
}

TEST(StrategyCostModel, MacsOfDepthwiseAndGroupedLayers) {
  // Depthwise 32 channels, 3x3 at 8x8, one shared basis of Bi = 2 filters:
  // generating W costs 32*2*9; the cascade runs each channel through both
  // filters (64*32*2*9) and weights the responses (64*32*2).
  GeneratedLayerShape dw = conv(32, 32, 3, 8, 2, 1);
  dw.depthwise = true, dw.groups = 32, dw.hasCoeffOut = false;
  StrategyCosts c = estimateStrategyCosts(dw, machine());
  EXPECT_EQ(c.dense.macs, 64 * 32 * 9 + 32 * 2 * 9);
  EXPECT_EQ(c.factorized.macs, 64 * 32 * 2 * 9 + 64 * 32 * 2);
  EXPECT_NE(c.best(), ExecutionStrategy::factorized);
  // 2 groups, 8 -> 8 channels (4 per group), 3x3 at 4x4, Bi = 2, Bc = 3:
  // every group needs all 3 basis kernels (6 streams).
  GeneratedLayerShape g = conv(8, 8, 3, 4, 2, 3);
  g.groups = 2;
  c = estimateStrategyCosts(g, machine());
  EXPECT_EQ(c.dense.macs, 3 * 4 * 2 * 9 + 8 * 3 * 4 * 9 + 16 * 8 * 4 * 9);
  EXPECT_EQ(c.factorized.macs,
            16 * 4 * 2 * 6 + 16 * 6 * 2 * 9 + 16 * 8 * 3 * 2);
}

TEST(StrategyCostModel, ChoiceFlipsWithSpatialSize) {
  // 1x1, 512 -> 512, Bc = 460: generating W (120.6 M MACs) pays off once
  // more than ~577 output positions share it.
  EXPECT_EQ(
      estimateStrategyCosts(conv(512, 512, 1, 7, 0, 460), machine()).best(),
      ExecutionStrategy::factorized);
  ExecutionStrategy large =
      estimateStrategyCosts(conv(512, 512, 1, 56, 0, 460), machine()).best();
  EXPECT_NE(large, ExecutionStrategy::factorized);
  // A matmul with one row (tiny "spatial" size, large Co*Ci) factorizes.
  GeneratedLayerShape fc;
  fc.inChannels = 512, fc.outChannels = 1000, fc.bc = 460;
  fc.hasCoeffOut = true;
  EXPECT_EQ(estimateStrategyCosts(fc, machine()).best(),
            ExecutionStrategy::factorized);
  fc.batch = 4096;
  EXPECT_NE(estimateStrategyCosts(fc, machine()).best(),
            ExecutionStrategy::factorized);
}

TEST(StrategyCostModel, RooflineOnAHandComputedMatmul) {
  // M = 1, Ci = 8, Co = 4, basis [2, 8], V [4, 2]; everything fits L1 at
  // 1 GB/s, compute 1 GFLOP/s (2 flop per MAC).
  GeneratedLayerShape s;
  s.inChannels = 8, s.outChannels = 4, s.bc = 2, s.hasCoeffOut = true;
  StrategyCosts c = estimateStrategyCosts(s, unitMachine());
  // Dense: generate 64 MACs reading 96 B of generators, writing 128 B of W
  // (max(128, 224) ns); matmul 32 MACs reading W 128 B and x 32 B, writing
  // 16 B (max(64, 176) ns).
  EXPECT_EQ(c.dense.macs, 96);
  EXPECT_EQ(c.dense.bytes, 400);
  EXPECT_DOUBLE_EQ(c.dense.nanoseconds, 400);
  // Factorized: x basis^T 16 MACs (32 + 64 + 8 B), then V 8 MACs
  // (8 + 32 + 16 B).
  EXPECT_EQ(c.factorized.macs, 24);
  EXPECT_EQ(c.factorized.bytes, 160);
  EXPECT_DOUBLE_EQ(c.factorized.nanoseconds, 160);
  // One block holds all of W: tiled is dense, and the tie goes to dense.
  EXPECT_EQ(c.tiled.blockChannels, 4);
  EXPECT_DOUBLE_EQ(c.tiled.nanoseconds, c.dense.nanoseconds);
  EXPECT_EQ(c.best(), ExecutionStrategy::factorized);
}

TEST(StrategyCostModel, TiledWinsWhenGenerationIsMemoryBound) {
  // W (9.4 MB) spills to L3 in the dense form; blocks stay in L2. With
  // compute made free, only bytes and bandwidths decide.
  MachineModel m = machine();
  m.peakGflops = 1e9;
  StrategyCosts c = estimateStrategyCosts(conv(512, 512, 3, 7, 0, 44), m);
  EXPECT_LT(c.tiled.nanoseconds, c.dense.nanoseconds);
}

TEST(StrategyCostModel, HostCachesArePositiveAndOrdered) {
  MachineModel m = MachineModel::host();
  EXPECT_GT(m.cacheBytes[0], 0);
  EXPECT_LE(m.cacheBytes[0], m.cacheBytes[1]);
  EXPECT_EQ(m.bandwidthFor(1), m.cacheGBps[0]);
  EXPECT_EQ(m.bandwidthFor(double(m.cacheBytes[2]) * 2), m.dramGBps);
}

} // namespace

TEST(StrategyCostModel, KernelEfficiencyScalesComputeBoundPhases) {
  // The 512x512 layer at 7x7 is compute bound in every phase: halving every
  // kernel's efficiency doubles every strategy's time.
  GeneratedLayerShape s = conv(512, 512, 3, 7, 2, 44);
  MachineModel half = machine();
  half.efficiency = {0.5, 0.5, 0.5, 0.5};
  StrategyCosts full = estimateStrategyCosts(s, machine());
  StrategyCosts slow = estimateStrategyCosts(s, half);
  EXPECT_DOUBLE_EQ(slow.dense.nanoseconds, 2 * full.dense.nanoseconds);
  EXPECT_DOUBLE_EQ(slow.factorized.nanoseconds,
                   2 * full.factorized.nanoseconds);
}

TEST(StrategyCostModel, MeasuredEfficienciesPickDenseForTheCifarStem) {
  // CIFAR ResNet-18's first conv, 3 -> 64 at 32x32, compressed at level 1
  // only (Bc = 64, Bi = 2): the factorized form does fewer MACs (a 1x1 conv
  // over 3 channels and a depthwise stage), but at the fractions of the
  // peak those kernels reach, the dense convolution is faster (bench/cpu:
  // 0.34 ms dense against 1.08 ms factorized).
  GeneratedLayerShape s = conv(3, 64, 3, 32, 2, 64);
  MachineModel calibrated;
  calibrated.cacheBytes = machine().cacheBytes;
  StrategyCosts c = estimateStrategyCosts(s, calibrated);
  EXPECT_LT(c.factorized.macs, c.dense.macs);
  EXPECT_EQ(c.best(), ExecutionStrategy::dense);
  EXPECT_EQ(estimateStrategyCosts(s, machine()).best(),
            ExecutionStrategy::factorized);
  // Deep layers keep the factorized form: 512x512 at 7x7.
  EXPECT_EQ(
      estimateStrategyCosts(conv(512, 512, 3, 7, 2, 44), calibrated).best(),
      ExecutionStrategy::factorized);
}

TEST(StrategyCostModel, SmartDealRooflineOnAHandComputedMatmul) {
  // M = 1, Ci = 8, Co = 4; one block per output channel of 3 rows x 3
  // columns (9 values, the last cropped off), each the sum of 3 code x basis
  // products: codes [4, 3, 3] (1 B each), bases [4, 3, 3] (4 B each).
  // Everything fits L1 at 1 GB/s, compute 1 GFLOP/s.
  GeneratedLayerShape s;
  s.matmul = true;
  s.inChannels = 8, s.outChannels = 4;
  SmartDealGenerator g{/*blocks=*/4, /*rows=*/3, /*taps=*/3, /*cols=*/3};
  MachineModel m = unitMachine();
  StrategyCosts c = estimateSmartDealCosts(s, g, m);
  EXPECT_FALSE(c.hasFactorized);
  EXPECT_EQ(c.strategies(),
            (mlir::SmallVector<ExecutionStrategy, 3>{
                ExecutionStrategy::dense, ExecutionStrategy::tiled}));
  // Regeneration 36 * 3 = 108 MACs, the matmul 32.
  EXPECT_EQ(c.dense.macs, 140);
  EXPECT_EQ(c.tiled.macs, 140);
  // Dense: codes 36 B, bases 144 B, the decoded codes written and read
  // (2 * 144 B), W 144 B (max(216, 612) ns); matmul: W 128 B, x 32 B,
  // y 16 B (max(64, 176) ns).
  EXPECT_EQ(c.dense.bytes, 788);
  EXPECT_DOUBLE_EQ(c.dense.nanoseconds, 788);
  // Tiled: one block of all 4 rows (half of L1 holds 16): codes, bases and
  // W's block (max(216, 324) ns), then the matmul.
  EXPECT_EQ(c.tiled.blockChannels, 4);
  EXPECT_EQ(c.tiled.bytes, 500);
  EXPECT_DOUBLE_EQ(c.tiled.nanoseconds, 500);
  EXPECT_EQ(c.best(), ExecutionStrategy::tiled);
  // Block regeneration at a tenth of the peak: 2160 ns of sums, so building
  // W whole is cheaper.
  m.smartDealEfficiency = {0.1, 1};
  StrategyCosts slowBlocks = estimateSmartDealCosts(s, g, m);
  EXPECT_DOUBLE_EQ(slowBlocks.tiled.nanoseconds, 2160 + 176);
  EXPECT_EQ(slowBlocks.best(), ExecutionStrategy::dense);
}

TEST(StrategyCostModel, SmartDealResNetLayerWithMeasuredEfficiencies) {
  // 512 -> 512 3x3 at 7x7 as mlg-decompose's SmartDeal layout stores it:
  // 8 blocks of 64 input channels per output channel, each [192 rows, 3]
  // from 3 taps. Regeneration is 6% of the convolution's MACs.
  GeneratedLayerShape s = conv(512, 512, 3, 7, 0, 0);
  SmartDealGenerator g{512 * 8, 192, 3, 3};
  MachineModel calibrated;
  calibrated.cacheBytes = machine().cacheBytes;
  StrategyCosts c = estimateSmartDealCosts(s, g, calibrated);
  EXPECT_EQ(c.dense.macs, 115605504 + 512 * 512 * 9 * 3);
  EXPECT_EQ(c.best(), ExecutionStrategy::tiled);
  // Half of a 1 MiB L2 holds 28 rows of W (18432 B each).
  EXPECT_EQ(c.tiled.blockChannels, 28);
}
