//===- LayerEstimateTest.cpp - Per-layer dense vs generated estimate ------===//

#include "mlg/Target/PTC/LayerEstimate.h"

#include "ModelTestSupport.h"

#include <gtest/gtest.h>

using namespace llvm;
using namespace mlg::ptc;
using mlg::ptc::testing::load;
using mlg::ptc::testing::unwrap;

namespace {

constexpr double kHbmBytesPerNs = 1099.511627776; // 1 TiB/s

/// 48 x 8 x 3 x 3 conv to a 4x3 output, 4-bit everything: the convolution
/// is the GEMM W[48 x 72] . X[72 x 12], one full [48x24].[24x12] intrinsic
/// for 3 cycles (0.6 ns) on dptc-hbm.
ConvLayerDesc smallLayer() {
  ConvLayerDesc l;
  l.outChannels = 48;
  l.inChannels = 8;
  l.kernelSize = 3;
  l.outHeight = 4;
  l.outWidth = 3;
  l.activationBits = 4;
  l.weightBits = 4;
  l.outputBits = 4;
  return l;
}

// Dense, by hand (DRAM latency 20 ns per transfer, 1 TiB/s, 3.9 pJ/bit):
//   weights 48*72*4 = 13824 bit: 20 + 1728 B / 1099.51 = 21.5716 ns
//   inputs  8*4*3*4 =   384 bit: 20 +   48 B / 1099.51 = 20.0437 ns
//   outputs 48*12*4 =  2304 bit: 20 +  288 B / 1099.51 = 20.2619 ns
//   load queue 41.6153 ns; compute waits for the first (only) weight block:
//   21.5716 + 0.6; store 20.2619 -> latency = 41.6153 ns
//   DRAM energy (13824 + 384 + 2304) * 3.9 pJ
TEST(LayerEstimate, DenseLayerByHand) {
  AcceleratorModel m = load("dptc-hbm");
  LayerEstimate e = unwrap(estimateConvLayer(m, smallLayer(), std::nullopt));
  EXPECT_EQ(e.source, WeightSource::Dense);
  EXPECT_EQ(e.dramWeightBits, 13824u);
  EXPECT_EQ(e.dramActivationBits, 384u + 2304u);
  double weights = 20 + 1728 / kHbmBytesPerNs;
  double inputs = 20 + 48 / kHbmBytesPerNs;
  double outputs = 20 + 288 / kHbmBytesPerNs;
  EXPECT_NEAR(e.loadNs, weights + inputs, 1e-9);
  EXPECT_NEAR(e.prerequisiteNs, weights, 1e-9);
  EXPECT_NEAR(e.computeNs, 0.6, 1e-12);
  EXPECT_NEAR(e.storeNs, outputs, 1e-9);
  EXPECT_NEAR(e.latencyNs, weights + inputs, 1e-9);
  EXPECT_EQ(e.convolution.cycles, 3u);
  EXPECT_NEAR(e.energy.dram, (13824 + 384 + 2304) * 3.9, 1e-6);
  // Everything else is the convolution plus the buffer side of the DMAs.
  GemmDesc g;
  g.rows = 48;
  g.reduction = 72;
  g.columns = 12;
  g.weightBits = g.inputBits = g.outputBits = 4;
  Cost conv = unwrap(estimateGemm(m, g));
  EXPECT_NEAR(e.energy.compute(), conv.energy.compute(), 1e-9);
  EXPECT_NEAR(e.energy.localBuffers,
              conv.energy.localBuffers + (13824 + 384 + 2304) * 0.0575, 1e-6);
}

// Generated, (Bi, Bc, qb, qu, qv) = (2, 4, 4, 4, 4), W1 kept at 4 bits:
//   level 1 on (2 < min(8, 9)), level 2 on (4 < min(48, 72))
//   basis 4*2*9 = 72 x 4 bit = 288; U 4*8*2 = 64 x 4 = 256; V 48*4 = 192
//   x 4 = 768 -> 1312 bit from DRAM (vs 13824 dense)
//   loads: basis 20 + 36/1099.51, coeff 20 + 128/1099.51 (= prerequisite)
//   level 1: 4 x [8 x 2].[2 x 9], 1 cycle each = 4 cycles
//   level 2: [48 x 4].[4 x 72]: 1 * 1 * ceil(72/12) = 6 cycles
//   compute 10 cycles (2 ns) + conv 0.6 ns; load queue 40.149 + 20.044
//   = 60.193 ns > 40.149 + 2.6 -> latency = load queue
TEST(LayerEstimate, GeneratedLayerByHand) {
  AcceleratorModel m = load("dptc-hbm");
  GeneratorDesc gen{2, 4, 4, 4, 4, /*intermediateBits=*/4};
  GeneratorShape shape = unwrap(getGeneratorShape(smallLayer(), gen));
  EXPECT_TRUE(shape.level1);
  EXPECT_TRUE(shape.level2);
  EXPECT_EQ(shape.basisBits, 288u);
  EXPECT_EQ(shape.coeffBits, 256u + 768u);

  LayerEstimate e = unwrap(estimateConvLayer(m, smallLayer(), gen));
  EXPECT_EQ(e.source, WeightSource::Generated);
  EXPECT_EQ(e.dramWeightBits, 1312u);
  double generator = 40 + (36 + 128) / kHbmBytesPerNs;
  double inputs = 20 + 48 / kHbmBytesPerNs;
  EXPECT_NEAR(e.prerequisiteNs, generator, 1e-9);
  EXPECT_EQ(e.generation.cycles, 10u);
  EXPECT_NEAR(e.computeNs, 2.6, 1e-12);
  EXPECT_NEAR(e.latencyNs, generator + inputs, 1e-9);
  // Generation energy = its two GEMMs + the W1 and W writes to WGT.
  GemmDesc l1;
  l1.rows = 8;
  l1.reduction = 2;
  l1.columns = 9;
  l1.batch = 4;
  l1.weightBits = l1.inputBits = l1.outputBits = 4;
  l1.weightBuffer = LocalBuffer::Coeff;
  l1.inputBuffer = LocalBuffer::Basis;
  GemmDesc l2;
  l2.rows = 48;
  l2.reduction = 4;
  l2.columns = 72;
  l2.weightBits = l2.inputBits = l2.outputBits = 4;
  l2.weightBuffer = LocalBuffer::Coeff;
  double expected = unwrap(estimateGemm(m, l1)).energy.total() +
                    unwrap(estimateGemm(m, l2)).energy.total() +
                    (4 * 8 * 9 * 4 + 48 * 72 * 4) * 0.0575;
  EXPECT_NEAR(e.generation.energy.total(), expected, 1e-6);
}

// Generator layouts from method.md §3.1 (ResNet-18, (2,44,3,6,3)).
TEST(LayerEstimate, GeneratorShapesFollowTheLevelRules) {
  GeneratorDesc gen{2, 44, 3, 6, 3};
  // 3 -> 64, 3x3: level 2 off (44 >= min(64, 27)): basis [64,2,3,3], U
  // [64,3,2] = 720 bytes.
  ConvLayerDesc first{64, 3, 3, 32, 32};
  GeneratorShape s = unwrap(getGeneratorShape(first, gen));
  EXPECT_TRUE(s.level1);
  EXPECT_FALSE(s.level2);
  EXPECT_EQ(s.totalBits(), 720u * 8);
  // 64 -> 128, 1x1: level 1 off: basis [44,64,1,1], V [128,44] = 3168 B.
  ConvLayerDesc pointwise{128, 64, 1, 16, 16};
  s = unwrap(getGeneratorShape(pointwise, gen));
  EXPECT_FALSE(s.level1);
  EXPECT_TRUE(s.level2);
  EXPECT_EQ(s.totalBits(), 3168u * 8);
  // 512 -> 512, 3x3: 42,537 bytes.
  ConvLayerDesc wide{512, 512, 3, 4, 4};
  EXPECT_EQ(unwrap(getGeneratorShape(wide, gen)).totalBits(), 42537u * 8);
  // Bi = 9 >= min(Ci, 9) and Bc = 64 >= Co: no generation at all.
  Expected<GeneratorShape> none =
      getGeneratorShape(first, GeneratorDesc{9, 64, 3, 6, 3});
  ASSERT_FALSE(static_cast<bool>(none));
  consumeError(none.takeError());
}

// The paper's motivating case on an edge device: ResNet-18 layer2, 128 x
// 128 x 3 x 3, 16x16 output, 8-bit activations. Dense int8 weights are
// 128*128*9*8 bits; the MLG generator (2,44,3,6,3) is basis 44*2*9*3 +
// U 44*128*2*6 + V 128*44*3 bits (paper Eq. 4 numerator) = 10,857 bytes.
TEST(LayerEstimate, ResNet18LayerOnEdgeLpddr) {
  AcceleratorModel m = load("dptc-edge-lpddr");
  ConvLayerDesc layer{128, 128, 3, 16, 16};
  GeneratorDesc gen{2, 44, 3, 6, 3};
  LayerEstimate dense = unwrap(estimateConvLayer(m, layer, std::nullopt));
  LayerEstimate mlg = unwrap(estimateConvLayer(m, layer, gen));

  uint64_t denseBits = 128ull * 128 * 9 * 8;
  uint64_t mlgBits = 44ull * 2 * 9 * 3 + 44ull * 128 * 2 * 6 + 128ull * 44 * 3;
  EXPECT_EQ(dense.dramWeightBits, denseBits);
  EXPECT_EQ(mlg.dramWeightBits, mlgBits);
  double ratio = static_cast<double>(denseBits) / mlgBits;
  EXPECT_NEAR(ratio, 13.58, 0.01); // photonic-core.md §1.1: 14x vs int8
  // DRAM energy of the weights falls by the same ratio (activations equal).
  double actEnergy = dense.dramActivationBits * 20.0;
  EXPECT_EQ(dense.dramActivationBits, mlg.dramActivationBits);
  EXPECT_NEAR((dense.energy.dram - actEnergy) / (mlg.energy.dram - actEnergy),
              ratio, 1e-9);
  // At 25.6 GB/s the dense layer is load-bound; generating is faster and
  // spends less energy in total.
  EXPECT_GT(dense.loadNs, dense.computeNs);
  EXPECT_LT(mlg.latencyNs, dense.latencyNs);
  EXPECT_LT(mlg.energy.total(), dense.energy.total());
  // Identical convolution work either way.
  EXPECT_EQ(mlg.convolution.cycles, dense.convolution.cycles);
}

// On the weight-stationary mesh every GEMM pays PROG: generation needs its
// coefficient blocks programmed (2 us each), which costs more than it saves.
TEST(LayerEstimate, WeightStationaryPaysProgramming) {
  AcceleratorModel m = load("mzi-ws");
  ConvLayerDesc layer{128, 128, 3, 16, 16};
  LayerEstimate dense = unwrap(estimateConvLayer(m, layer, std::nullopt));
  // Dense: 8-bit weights -> 2 slices; ceil(128/48) * ceil(1152/24) = 144
  // blocks each: 288 PROGs of 2 us.
  EXPECT_GE(dense.convolution.latencyNs, 288 * 2000.0);
  EXPECT_GT(dense.convolution.energy.programming, 0);
  LayerEstimate mlg =
      unwrap(estimateConvLayer(m, layer, GeneratorDesc{2, 44, 3, 6, 3}));
  EXPECT_GT(mlg.generation.latencyNs, 0);
  EXPECT_GT(mlg.latencyNs, dense.latencyNs);
}

TEST(LayerEstimate, GeneratorThatDoesNotFitIsAnError) {
  AcceleratorModel m = load("dptc-hbm");
  // U = 44 * 2048 * 2 * 6 bits = 132 KiB > the 64 KiB COEFF buffer.
  ConvLayerDesc layer{2048, 2048, 3, 2, 2};
  Expected<LayerEstimate> e =
      estimateConvLayer(m, layer, GeneratorDesc{2, 44, 3, 6, 3});
  ASSERT_FALSE(static_cast<bool>(e));
  EXPECT_NE(toString(e.takeError()).find("does not fit on chip"),
            std::string::npos);
}

// The same 128-channel layer: on the edge preset generation is both faster
// and cheaper; on the weight-stationary mesh PROG makes it slower, and a
// layer without generation stays dense with the reason.
TEST(LayerEstimate, ChooseWeightSource) {
  ConvLayerDesc layer{128, 128, 3, 16, 16};
  GeneratorDesc gen{2, 44, 3, 6, 3};
  WeightSourceChoice edge =
      unwrap(chooseWeightSource(load("dptc-edge-lpddr"), layer, gen));
  EXPECT_EQ(edge.choice, WeightSource::Generated);
  ASSERT_TRUE(edge.generated.has_value());
  EXPECT_LT(edge.generated->latencyNs, edge.dense.latencyNs);

  WeightSourceChoice ws =
      unwrap(chooseWeightSource(load("mzi-ws"), layer, gen));
  EXPECT_EQ(ws.choice, WeightSource::Dense);
  EXPECT_NE(ws.reason.find("generation costs"), std::string::npos);
  // Asked for energy alone: on mzi-ws generation also spends more energy
  // (programming the coefficient blocks), so the answer stays dense; on the
  // edge preset asked for latency alone it generates.
  WeightSourceChoice wsEnergy = unwrap(
      chooseWeightSource(load("mzi-ws"), layer, gen, ChoiceObjective::Energy));
  EXPECT_GT(wsEnergy.generated->energy.total(), wsEnergy.dense.energy.total());
  EXPECT_EQ(wsEnergy.choice, WeightSource::Dense);
  EXPECT_EQ(unwrap(chooseWeightSource(load("dptc-edge-lpddr"), layer, gen,
                                      ChoiceObjective::Latency))
                .choice,
            WeightSource::Generated);

  ConvLayerDesc tiny{8, 3, 1, 4, 4}; // 1x1, Bc >= Co: nothing to generate
  WeightSourceChoice none =
      unwrap(chooseWeightSource(load("dptc-hbm"), tiny, gen));
  EXPECT_EQ(none.choice, WeightSource::Dense);
  EXPECT_FALSE(none.generated.has_value());
  EXPECT_NE(none.reason.find("generation is off"), std::string::npos);
}

// A SmartDeal layer: the dense estimate with the weight load replaced by the
// codes and bases, and the SHADD shift-adds added. Against 8-bit dense
// weights on the LPDDR preset the 5-bit codes win; against 4-bit ones
// (more bits than the weights) they lose.
TEST(LayerEstimate, SmartDealLayer) {
  AcceleratorModel edge = load("dptc-edge-lpddr");
  ConvLayerDesc layer{128, 128, 3, 16, 16};
  const uint64_t weights = 128 * 128 * 9;
  SmartDealDesc sd;
  sd.codeBits = weights * 5;
  sd.basisBits = 128 * 2 * 9 * 8;
  sd.weights = weights;
  sd.firstBlockBits = sd.codeBits / 3;
  sd.weightBits = 4;
  layer.weightBits = 4;
  LayerEstimate dense = unwrap(estimateConvLayer(edge, layer, std::nullopt));
  LayerEstimate generated = unwrap(estimateSmartDealLayer(edge, layer, sd));
  EXPECT_EQ(generated.source, WeightSource::Generated);
  EXPECT_EQ(generated.dramWeightBits, sd.codeBits + sd.basisBits);
  EXPECT_EQ(generated.dramActivationBits, dense.dramActivationBits);
  EXPECT_DOUBLE_EQ(generated.convolution.latencyNs,
                   dense.convolution.latencyNs);
  Cost shiftAdds = unwrap(estimateShiftAdd(edge, {3, weights}));
  EXPECT_DOUBLE_EQ(generated.generation.energy.total(),
                   shiftAdds.energy.total());
  EXPECT_GT(generated.weightLoad.energy.total(),
            dense.weightLoad.energy.total());
  EXPECT_EQ(unwrap(chooseSmartDealSource(edge, layer, sd)).choice,
            WeightSource::Dense);
  // Dense weights of 8 bits in DRAM; the generated ones stay 4-bit.
  layer.weightBits = 8;
  WeightSourceChoice wide = unwrap(chooseSmartDealSource(edge, layer, sd));
  EXPECT_EQ(wide.choice, WeightSource::Generated);
  EXPECT_LT(wide.generated->energy.total(), wide.dense.energy.total());
  sd.weights = 0;
  EXPECT_FALSE(bool(estimateSmartDealLayer(edge, layer, sd)));
}

} // namespace
