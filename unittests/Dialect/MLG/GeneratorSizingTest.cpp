//===- GeneratorSizingTest.cpp - Paper rules and the size search ----------===//
//
// The official code's per-layer gating on the ResNet-18 layers of method.md
// §3.1, and the cheapest-size search on weights of known structure.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/MLG/Transforms/GeneratorSizing.h"

#include "gtest/gtest.h"

#include <random>

using namespace mlir::mlg;
using compression::GeneratorShape;

namespace {

WeightedLayer layer(LayerKind kind, int64_t co, int64_t ci, int64_t k) {
  WeightedLayer l;
  l.kind = kind;
  l.co = co, l.ci = ci, l.kh = l.kw = k;
  l.outChannels = kind == LayerKind::DepthwiseConv2D ? ci : co;
  return l;
}

WeightedLayer conv(int64_t co, int64_t ci, int64_t k) {
  return layer(LayerKind::Conv2D, co, ci, k);
}

void expectSizes(std::optional<GeneratorShape> s, int64_t bi, int64_t bc,
                 int64_t basis, int64_t coeffIn, int64_t coeffOut) {
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->bi, bi);
  EXPECT_EQ(s->bc, bc);
  EXPECT_EQ(s->basisSize(), basis);
  EXPECT_EQ(s->coeffInSize(), coeffIn);
  EXPECT_EQ(s->coeffOutSize(), coeffOut);
}

// method.md §3.1, per-layer view for (Bi, Bc) = (2, 44).
TEST(GeneratorSizingTest, PaperRulesOnResNet18) {
  // First conv: 44 >= min(64, 27), so Bc = Co and only level 1 runs.
  expectSizes(paperGeneratorShape(conv(64, 3, 3), 2, 44), 2, 64, 64 * 2 * 9,
              64 * 3 * 2, 0);
  expectSizes(paperGeneratorShape(conv(64, 64, 3), 2, 44), 2, 44, 792, 5632,
              64 * 44);
  expectSizes(paperGeneratorShape(conv(128, 128, 3), 2, 44), 2, 44, 792, 11264,
              5632);
  expectSizes(paperGeneratorShape(conv(512, 512, 3), 2, 44), 2, 44, 792, 45056,
              22528);
  // 1x1 shortcut 64 -> 128: 44 < min(128, 64) stays; it stores more than
  // the 8192 dense values, which the official code accepts.
  std::optional<GeneratorShape> shortcut =
      paperGeneratorShape(conv(128, 64, 1), 2, 44);
  expectSizes(shortcut, 0, 44, 44 * 64, 0, 128 * 44);
  EXPECT_GT(shortcut->basisSize() + shortcut->coeffOutSize(), 128 * 64);
  expectSizes(paperGeneratorShape(conv(512, 256, 1), 2, 44), 0, 44, 11264, 0,
              22528);
}

TEST(GeneratorSizingTest, PaperRuleForWide1x1Bases) {
  // Bc >= min(Co, Ci) on a 1x1 becomes int(0.9 * min(Co, Ci)).
  expectSizes(paperGeneratorShape(conv(32, 48, 1), 2, 44), 0, 28, 28 * 48, 0,
              32 * 28);
  // int(0.9 * 1) = 0 disables level 2, and level 1 never runs on 1x1.
  EXPECT_FALSE(paperGeneratorShape(conv(1, 4, 1), 2, 44).has_value());
}

TEST(GeneratorSizingTest, PaperGatingBoundaries) {
  // Bi must be strictly below min(Ci, k*k).
  EXPECT_EQ(paperGeneratorShape(conv(64, 3, 3), 3, 44), std::nullopt);
  expectSizes(paperGeneratorShape(conv(64, 16, 3), 8, 0), 8, 64, 64 * 8 * 9,
              64 * 16 * 8, 0);
  EXPECT_EQ(paperGeneratorShape(conv(64, 16, 3), 9, 0), std::nullopt);
  // Bc must be strictly below min(Co, Ci*k*k); 0 disables level 2.
  expectSizes(paperGeneratorShape(conv(64, 16, 3), 0, 63), 0, 63, 63 * 16 * 9,
              0, 64 * 63);
  EXPECT_EQ(paperGeneratorShape(conv(64, 16, 3), 0, 64), std::nullopt);
  EXPECT_EQ(paperGeneratorShape(conv(64, 16, 3), 0, 0), std::nullopt);
}

TEST(GeneratorSizingTest, PaperDepthwiseAndLinear) {
  WeightedLayer depthwise = layer(LayerKind::DepthwiseConv2D, 1, 32, 3);
  expectSizes(paperGeneratorShape(depthwise, 2, 44), 2, 1, 2 * 9, 32 * 2, 0);
  EXPECT_EQ(paperGeneratorShape(depthwise, 9, 44), std::nullopt);
  WeightedLayer linear = layer(LayerKind::Linear, 10, 512, 1);
  EXPECT_EQ(paperGeneratorShape(linear, 2, 4), std::nullopt);
  expectSizes(paperGeneratorShape(linear, 2, 4, /*linearToo=*/true), 0, 4,
              4 * 512, 0, 40);
}

TEST(GeneratorSizingTest, CostBits) {
  GeneratorShape s{64, 64, 3, 3, 2, 44};
  EXPECT_DOUBLE_EQ(generatorCostBits(s, {3, 6, 3}),
                   792.0 * 3 + 5632.0 * 6 + 2816.0 * 3);
}

std::vector<double> randomGenerated(const GeneratorShape &s, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  compression::Generators g;
  g.basis.resize(s.basisSize());
  g.coeffIn.resize(s.coeffInSize());
  g.coeffOut.resize(s.coeffOutSize());
  for (auto *v : {&g.basis, &g.coeffIn, &g.coeffOut})
    for (double &x : *v)
      x = normal(rng);
  return compression::reconstruct(g, s);
}

// A weight that is exactly a level-2 product (Bi = 0, Bc = 3) is found
// exactly; a loose target takes the smallest form; an impossible one keeps
// the layer dense.
TEST(GeneratorSizingTest, CheapestShapeOnKnownStructure) {
  GeneratorShape truth{16, 8, 3, 3, 0, 3};
  std::vector<double> w = randomGenerated(truth, 3);
  std::optional<compression::SpectralProfile> profile =
      compression::SpectralProfile::compute(w, 16, 8, 3, 3);
  ASSERT_TRUE(profile.has_value());
  std::array<double, 3> cost{32, 32, 32};
  double dense = 32.0 * 16 * 8 * 9;
  std::optional<GeneratorShape> exact =
      cheapestGeneratorShape(*profile, conv(16, 8, 3), 1e-9, cost, dense);
  ASSERT_TRUE(exact.has_value());
  EXPECT_LE(profile->relativeError(exact->bi, exact->bc), 1e-9);
  EXPECT_LE(generatorCostBits(*exact, cost), generatorCostBits(truth, cost));

  std::optional<GeneratorShape> loose =
      cheapestGeneratorShape(*profile, conv(16, 8, 3), 1.0, cost, dense);
  expectSizes(loose, 1, 1, 9, 8, 16);

  std::vector<double> noise = randomGenerated({16, 8, 3, 3, 0, 16}, 5);
  std::optional<compression::SpectralProfile> full =
      compression::SpectralProfile::compute(noise, 16, 8, 3, 3);
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(cheapestGeneratorShape(*full, conv(16, 8, 3), 1e-6, cost, dense),
            std::nullopt);
}

} // namespace
