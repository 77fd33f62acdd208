//===- QuantizationTest.cpp - Grid quantizers against closed forms --------===//

#include "mlg/Compression/Quantization.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir::mlg;
using namespace mlir::mlg::compression;

namespace {

// 3-bit midrise with r = 0.7: scale 0.2 and levels +-0.1, +-0.3, +-0.5, +-0.7.
// Ties round to even as torch.round: 0 -> n = round(3.5) = 4 -> +0.1.
TEST(CompressionQuantizationTest, Midrise3BitLevels) {
  std::vector<double> x{0.7, -0.7, 0.05, -0.05, 0.31, 0.45, -0.62, 0.0};
  QuantizedTensor q = quantizeMidrise(x, 3);
  ASSERT_TRUE(q.isValid());
  EXPECT_EQ(q.grid.scheme, GridScheme::Midrise);
  EXPECT_TRUE(q.grid.isPerTensor());
  EXPECT_DOUBLE_EQ(q.grid.scales[0], 0.2);
  const double levels[] = {-0.7, -0.5, -0.3, -0.1, 0.1, 0.3, 0.5, 0.7};
  for (int64_t c = -4; c <= 3; ++c)
    EXPECT_NEAR(q.grid.decode(c), levels[c + 4], 1e-15) << c;
  EXPECT_EQ(q.codes, (std::vector<int64_t>{3, -4, 0, -1, 1, 2, -4, 0}));
  std::vector<double> expected{0.7, -0.7, 0.1, -0.1, 0.3, 0.5, -0.7, 0.1};
  std::vector<double> y = dequantize(q, {8});
  ASSERT_EQ(y.size(), expected.size());
  for (size_t i = 0; i < y.size(); ++i)
    EXPECT_NEAR(y[i], expected[i], 1e-15) << i;
}

// applyTanh reproduces the official dorefa_sym formula elementwise.
TEST(CompressionQuantizationTest, TanhMatchesOfficialFormula) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> dist(0.0, 0.8);
  std::vector<double> x(257);
  for (double &v : x)
    v = dist(rng);
  for (unsigned bits = 2; bits <= 8; ++bits) {
    QuantizedTensor q = quantizeMidrise(x, bits, /*applyTanh=*/true);
    std::vector<double> y = dequantize(q, {257});
    ASSERT_EQ(y.size(), x.size());
    double r = 0;
    for (double v : x)
      r = std::max(r, std::abs(std::tanh(v)));
    double n = std::pow(2.0, bits) - 1;
    for (size_t i = 0; i < x.size(); ++i) {
      double t = std::tanh(x[i]);
      double official = std::nearbyint((t / (2 * r) + 0.5) * n) / n * 2 * r - r;
      EXPECT_NEAR(y[i], official, 1e-12) << "bits " << bits << " i " << i;
    }
  }
}

// Official 1-bit rule: sign(x) * mean|x|, i.e. midrise with scale 2E.
TEST(CompressionQuantizationTest, OneBitRule) {
  std::vector<double> x{0.5, -1.5, 2.0, 0.0};
  QuantizedTensor q = quantizeMidrise(x, 1);
  ASSERT_TRUE(q.isValid());
  EXPECT_DOUBLE_EQ(q.grid.scales[0], 2.0); // E = 4 / 4 = 1
  EXPECT_EQ(dequantize(q, {4}), (std::vector<double>{1, -1, 1, 1}));
  // tanh does not apply at 1 bit (as in the official code).
  EXPECT_EQ(quantizeMidrise(x, 1, true).grid.scales, q.grid.scales);
}

TEST(CompressionQuantizationTest, MidtreadPerChannelScales) {
  std::vector<double> x{1.0, -2.0, 0.5, 0.3, 0.1, -0.15};
  QuantizedTensor rows = quantizeMidtread(x, {2, 3}, 4, 0);
  ASSERT_TRUE(rows.isValid());
  EXPECT_EQ(rows.grid.scheme, GridScheme::Midtread);
  EXPECT_EQ(rows.grid.axis, 0);
  ASSERT_EQ(rows.grid.scales.size(), 2u);
  EXPECT_DOUBLE_EQ(rows.grid.scales[0], 2.0 / 7);
  EXPECT_DOUBLE_EQ(rows.grid.scales[1], 0.3 / 7);
  // 1/(2/7) = 3.5 -> 4 (away from zero); 0.5 -> 1.75 -> 2; 0.1 -> 2.33 -> 2.
  EXPECT_EQ(rows.codes, (std::vector<int64_t>{4, -7, 2, 7, 2, -4}));

  QuantizedTensor cols = quantizeMidtread(x, {2, 3}, 4, 1);
  ASSERT_EQ(cols.grid.scales.size(), 3u);
  EXPECT_DOUBLE_EQ(cols.grid.scales[0], 1.0 / 7);
  EXPECT_DOUBLE_EQ(cols.grid.scales[1], 2.0 / 7);
  EXPECT_DOUBLE_EQ(cols.grid.scales[2], 0.5 / 7);
  std::vector<double> y = dequantize(cols, {2, 3});
  ASSERT_EQ(y.size(), 6u);
  for (size_t i = 0; i < 6; ++i)
    EXPECT_LE(std::abs(y[i] - x[i]), cols.grid.scales[i % 3] / 2 + 1e-15);

  QuantizedTensor tensor = quantizeMidtread(x, {2, 3}, 8);
  EXPECT_TRUE(tensor.grid.isPerTensor());
  EXPECT_DOUBLE_EQ(tensor.grid.scales[0], 2.0 / 127);
  EXPECT_EQ(tensor.codes[1], -127);
}

TEST(CompressionQuantizationTest, MidrisePerChannel) {
  std::vector<double> x{0.7, -0.1, 1.4, 0.3};
  QuantizedTensor q = quantizeMidrisePerChannel(x, {2, 2}, 3, 1);
  ASSERT_TRUE(q.isValid());
  ASSERT_EQ(q.grid.scales.size(), 2u);
  EXPECT_DOUBLE_EQ(q.grid.scales[0], 2.8 / 7);
  EXPECT_DOUBLE_EQ(q.grid.scales[1], 0.6 / 7);
  std::vector<double> y = dequantize(q, {2, 2});
  EXPECT_NEAR(y[0], 0.6, 1e-15);      // r = 1.4: levels 0.2, 0.6, 1.0, 1.4
  EXPECT_NEAR(y[1], -0.9 / 7, 1e-15); // r = 0.3: levels +-0.3/7 * {1,3,5,7}
  EXPECT_NEAR(y[2], 1.4, 1e-15);
  EXPECT_NEAR(y[3], 0.3, 1e-15);
}

TEST(CompressionQuantizationTest, AllZeroDoesNotCrash) {
  std::vector<double> zero(6, 0.0);
  for (unsigned bits : {1u, 3u, 16u}) {
    QuantizedTensor q = quantizeMidrise(zero, bits, bits == 3);
    ASSERT_TRUE(q.isValid());
    EXPECT_EQ(q.grid.scales[0], kZeroMidriseScale);
    for (double v : dequantize(q, {6}))
      EXPECT_EQ(v, kZeroMidriseScale / 2);
  }
  QuantizedTensor t = quantizeMidtread(zero, {6}, 4);
  EXPECT_EQ(t.grid.scales[0], 1.0);
  EXPECT_EQ(dequantize(t, {6}), zero);

  // One zero channel among non-zero ones.
  std::vector<double> x{0, 0, 0, 1, -1, 0.5};
  QuantizedTensor c = quantizeMidtread(x, {2, 3}, 4, 0);
  EXPECT_EQ(c.grid.scales[0], 1.0);
  QuantizedTensor r = quantizeMidrisePerChannel(x, {2, 3}, 4, 0);
  EXPECT_EQ(r.grid.scales[0], kZeroMidriseScale);
  EXPECT_DOUBLE_EQ(r.grid.scales[1], 2.0 / 15);
}

TEST(CompressionQuantizationTest, InvalidArgumentsAreEmpty) {
  std::vector<double> x{1, 2, 3, 4};
  EXPECT_FALSE(quantizeMidrise(x, 0).isValid());
  EXPECT_FALSE(quantizeMidrise(x, 17).isValid());
  EXPECT_FALSE(quantizeMidrise({1.0, NAN}, 4).isValid());
  EXPECT_FALSE(quantizeMidtread(x, {2, 2}, 1).isValid());
  EXPECT_FALSE(quantizeMidtread(x, {3}, 4).isValid());
  EXPECT_FALSE(quantizeMidtread(x, {2, 2}, 4, 2).isValid());
  EXPECT_FALSE(quantizeMidtread(x, {-2, -2}, 4).isValid());
  EXPECT_FALSE(quantizeMidrisePerChannel(x, {2, 2}, 4, -1).isValid());
  EXPECT_TRUE(dequantize(QuantizedTensor{}, {4}).empty());
  EXPECT_TRUE(dequantize(quantizeMidrise(x, 4), {5}).empty());
  // 16 bits is the widest grid and still round-trips closely.
  QuantizedTensor q = quantizeMidrise(x, 16);
  std::vector<double> y = dequantize(q, {4});
  for (size_t i = 0; i < 4; ++i)
    EXPECT_NEAR(y[i], x[i], q.grid.scales[0] / 2 + 1e-15);
}

} // namespace
