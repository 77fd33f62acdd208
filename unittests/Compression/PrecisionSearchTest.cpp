//===- PrecisionSearchTest.cpp - Bit-width searches against brute force ---===//

#include "mlg/Compression/PrecisionSearch.h"
#include "mlg/Compression/Quantization.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir::mlg::compression;

namespace {

std::vector<double> randomVector(size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(0.0, 1.0);
  std::vector<double> v(n);
  for (double &x : v)
    x = dist(rng);
  return v;
}

Generators randomGenerators(const GeneratorShape &shape, unsigned seed) {
  return {randomVector(shape.basisSize(), seed),
          randomVector(shape.coeffInSize(), seed + 1),
          randomVector(shape.coeffOutSize(), seed + 2)};
}

/// What the generators encode plus `noise` relative to its RMS, so that the
/// generators are a decomposition of the reference with that much error.
std::vector<double> noisyReference(const Generators &gens,
                                   const GeneratorShape &shape, double noise,
                                   unsigned seed) {
  std::vector<double> w = reconstruct(gens, shape);
  double rms = 0;
  for (double x : w)
    rms += x * x;
  rms = std::sqrt(rms / double(w.size()));
  std::vector<double> n = randomVector(w.size(), seed);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] += noise * rms * n[i];
  return w;
}

/// The real error of `gens` stored at `p`, computed independently of the
/// search (public quantizers, reconstruct, relativeError).
double realError(const std::vector<double> &reference, const Generators &gens,
                 const GeneratorShape &shape, const LayerPrecision &p) {
  Generators q = gens;
  auto apply = [](std::vector<double> &values, std::vector<int64_t> dims,
                  TensorPrecision t) {
    if (values.empty())
      return;
    QuantizedTensor qt =
        t.axis < 0 ? quantizeMidrise(values, t.bits)
                   : quantizeMidrisePerChannel(values, dims, t.bits, t.axis);
    values = dequantize(qt, dims);
  };
  apply(q.basis,
        {shape.bc, shape.hasIntra() ? shape.bi : shape.ci, shape.kh, shape.kw},
        p.basis);
  apply(q.coeffIn, {shape.bc, shape.ci, shape.bi}, p.coeffIn);
  apply(q.coeffOut, {shape.co, shape.bc}, p.coeffOut);
  return relativeError(reference, reconstruct(q, shape));
}

TensorPrecision &tensor(LayerPrecision &p, int role) {
  return role == 0 ? p.basis : role == 1 ? p.coeffIn : p.coeffOut;
}

bool isPresent(const GeneratorShape &shape, int role) {
  return role == 0 || (role == 1 ? shape.hasIntra() : shape.hasCross());
}

TEST(CompressionPrecisionSearchTest, StoredBitsByHand) {
  // basis [4,2,3,3] = 72, coeffIn [4,6,2] = 48, coeffOut [8,4] = 32 values.
  GeneratorShape shape{8, 6, 3, 3, 2, 4};
  LayerPrecision p{{3, -1}, {5, 0}, {4, 0}};
  EXPECT_EQ(storedBits(shape, p),
            72 * 3 + 32 + 48 * 5 + 4 * 32 + 32 * 4 + 8 * 32);
  EXPECT_EQ(storedBits(shape, p, 16),
            72 * 3 + 16 + 48 * 5 + 4 * 16 + 32 * 4 + 8 * 16);
  // A scale per index of another dimension: basis axis 3 has 3 of them.
  p.basis.axis = 3;
  EXPECT_EQ(storedBits(shape, p),
            72 * 3 + 3 * 32 + 48 * 5 + 4 * 32 + 32 * 4 + 8 * 32);

  // Level 2 only: basis [4,6,1,1] = 24 values; coeffIn is ignored, even
  // with an invalid precision.
  GeneratorShape cross{8, 6, 1, 1, 0, 4};
  LayerPrecision q{{2, -1}, {0, 7}, {6, -1}};
  EXPECT_EQ(storedBits(cross, q), 24 * 2 + 32 + 32 * 6 + 32);
  // Level 1 only: no coeffOut.
  GeneratorShape intra{8, 6, 3, 3, 2, 8};
  LayerPrecision r{{4, 0}, {3, -1}, {0, 9}};
  EXPECT_EQ(storedBits(intra, r), 144 * 4 + 8 * 32 + 96 * 3 + 32);

  // Invalid precisions of present tensors, invalid shapes.
  LayerPrecision bad = p;
  bad.basis.bits = 0;
  EXPECT_EQ(storedBits(shape, bad), -1);
  bad = p;
  bad.coeffIn.bits = 17;
  EXPECT_EQ(storedBits(shape, bad), -1);
  bad = p;
  bad.coeffOut.axis = 2;
  EXPECT_EQ(storedBits(shape, bad), -1);
  bad = p;
  bad.basis.axis = -2;
  EXPECT_EQ(storedBits(shape, bad), -1);
  EXPECT_EQ(storedBits({8, 6, 3, 3, 2, 0}, p), -1);
}

TEST(CompressionPrecisionSearchTest, QuantizeGeneratorsIsPerTensorQuantizers) {
  GeneratorShape shape{8, 6, 3, 3, 2, 4};
  Generators gens = randomGenerators(shape, 3);
  LayerPrecision p{{3, -1}, {5, 0}, {4, 1}};
  Generators q = quantizeGenerators(gens, shape, p);
  ASSERT_TRUE(matchesShape(q, shape));
  EXPECT_EQ(q.basis, dequantize(quantizeMidrise(gens.basis, 3), {4, 2, 3, 3}));
  EXPECT_EQ(q.coeffIn,
            dequantize(quantizeMidrisePerChannel(gens.coeffIn, {4, 6, 2}, 5, 0),
                       {4, 6, 2}));
  EXPECT_EQ(q.coeffOut,
            dequantize(quantizeMidrisePerChannel(gens.coeffOut, {8, 4}, 4, 1),
                       {8, 4}));

  // Absent tensors stay absent; the level-2-only basis is [Bc, Ci, kh, kw].
  GeneratorShape cross{8, 6, 1, 2, 0, 4};
  Generators gc = randomGenerators(cross, 7);
  Generators qc = quantizeGenerators(gc, cross, {{2, 0}, {}, {6, -1}});
  ASSERT_TRUE(matchesShape(qc, cross));
  EXPECT_EQ(qc.basis,
            dequantize(quantizeMidrisePerChannel(gc.basis, {4, 6, 1, 2}, 2, 0),
                       {4, 6, 1, 2}));

  // Invalid: wrong sizes, bad precision, non-finite values.
  Generators wrong = gens;
  wrong.coeffOut.pop_back();
  EXPECT_TRUE(quantizeGenerators(wrong, shape, p).basis.empty());
  LayerPrecision bad = p;
  bad.coeffIn.bits = 0;
  EXPECT_TRUE(quantizeGenerators(gens, shape, bad).basis.empty());
  Generators nan = gens;
  nan.basis[0] = NAN;
  EXPECT_TRUE(quantizeGenerators(nan, shape, p).basis.empty());
}

/// The plan meets the target (by an independent reconstruction), reports
/// its real error and size, and is locally optimal: no tensor can lose a bit
/// (with either scale layout), or drop its per-channel scales, and still
/// meet the target for fewer bits.
void expectMinimalPlan(const std::vector<double> &reference,
                       const GeneratorShape &shape, const Generators &gens,
                       double target, const PrecisionSearchOptions &options) {
  std::optional<LayerPrecisionPlan> plan =
      minimizeBitsForError(reference, shape, gens, target, options);
  ASSERT_TRUE(plan) << "target " << target;
  double real = realError(reference, gens, shape, plan->precision);
  EXPECT_LE(real, target);
  EXPECT_NEAR(plan->relError, real, 1e-12);
  EXPECT_EQ(plan->storedBits,
            storedBits(shape, plan->precision, options.scaleBits));

  for (int role = 0; role < 3; ++role) {
    if (!isPresent(shape, role))
      continue;
    TensorPrecision t = tensor(plan->precision, role);
    EXPECT_GE(t.bits, options.minBits);
    EXPECT_LE(t.bits, options.maxBits);
    EXPECT_TRUE(t.axis == -1 || (t.axis == 0 && options.allowPerChannel));
    for (unsigned bits : {t.bits - 1, t.bits}) {
      if (bits < options.minBits)
        continue;
      for (int64_t axis : {int64_t(-1), int64_t(0)}) {
        if ((axis == 0 && !options.allowPerChannel) ||
            (bits == t.bits && axis == t.axis))
          continue;
        LayerPrecision fewer = plan->precision;
        tensor(fewer, role) = {bits, axis};
        int64_t cost = storedBits(shape, fewer, options.scaleBits);
        if (cost >= plan->storedBits)
          continue;
        EXPECT_GT(realError(reference, gens, shape, fewer), target)
            << "role " << role << " bits " << bits << " axis " << axis
            << " target " << target;
      }
    }
  }
}

TEST(CompressionPrecisionSearchTest, MinimizeBitsMeetsTargetLocallyOptimal) {
  // Both levels, level 2 only (1x1), level 1 only.
  for (GeneratorShape shape :
       {GeneratorShape{16, 12, 3, 3, 2, 6}, GeneratorShape{16, 12, 1, 1, 0, 6},
        GeneratorShape{16, 12, 3, 3, 2, 16}}) {
    Generators gens = randomGenerators(shape, 11);
    std::vector<double> w = noisyReference(gens, shape, 0.02, 14);
    for (double target : {0.03, 0.06, 0.12}) {
      expectMinimalPlan(w, shape, gens, target, {});
      PrecisionSearchOptions tensorScales;
      tensorScales.allowPerChannel = false;
      tensorScales.minBits = 1;
      tensorScales.maxBits = 10;
      tensorScales.scaleBits = 16;
      expectMinimalPlan(w, shape, gens, target, tensorScales);
    }
  }
}

// Without a dense weight the reference is the float reconstruction.
TEST(CompressionPrecisionSearchTest, MinimizeBitsAgainstOwnReconstruction) {
  GeneratorShape shape{12, 8, 3, 3, 2, 5};
  Generators gens = randomGenerators(shape, 21);
  std::vector<double> w = reconstruct(gens, shape);
  expectMinimalPlan(w, shape, gens, 0.01, {});
  // A looser target never needs more bits.
  std::optional<LayerPrecisionPlan> tight =
      minimizeBitsForError(w, shape, gens, 0.01);
  std::optional<LayerPrecisionPlan> loose =
      minimizeBitsForError(w, shape, gens, 0.1);
  ASSERT_TRUE(tight && loose);
  EXPECT_LT(loose->storedBits, tight->storedBits);
}

TEST(CompressionPrecisionSearchTest, MinimizeBitsUnreachableOrInvalid) {
  GeneratorShape shape{16, 12, 3, 3, 2, 6};
  Generators gens = randomGenerators(shape, 31);
  // The decomposition alone is 5% off: no precision gets below 1%.
  std::vector<double> w = noisyReference(gens, shape, 0.05, 34);
  EXPECT_FALSE(minimizeBitsForError(w, shape, gens, 0.01));
  // Nor does 2-bit storage get within 1e-3 of its own reconstruction.
  std::vector<double> exact = reconstruct(gens, shape);
  PrecisionSearchOptions narrow;
  narrow.maxBits = 2;
  EXPECT_FALSE(minimizeBitsForError(exact, shape, gens, 1e-3, narrow));

  EXPECT_FALSE(minimizeBitsForError({1.0, 2.0}, shape, gens, 0.5));
  Generators wrong = gens;
  wrong.coeffIn.pop_back();
  EXPECT_FALSE(minimizeBitsForError(w, shape, wrong, 0.5));
  EXPECT_FALSE(minimizeBitsForError(w, shape, gens, NAN));
  PrecisionSearchOptions bad;
  bad.minBits = 9;
  EXPECT_FALSE(minimizeBitsForError(w, shape, gens, 0.5, bad));
  bad.minBits = 0;
  EXPECT_FALSE(minimizeBitsForError(w, shape, gens, 0.5, bad));
  bad.minBits = 2;
  bad.maxBits = 17;
  EXPECT_FALSE(minimizeBitsForError(w, shape, gens, 0.5, bad));
}

struct BudgetLayer {
  GeneratorShape shape;
  Generators gens;
  std::vector<double> reference;
};

std::vector<BudgetLayer> budgetLayers() {
  std::vector<BudgetLayer> layers;
  unsigned seed = 41;
  for (GeneratorShape shape :
       {GeneratorShape{24, 16, 3, 3, 2, 8}, GeneratorShape{32, 24, 1, 1, 0, 10},
        GeneratorShape{8, 3, 3, 3, 2, 8}}) {
    Generators gens = randomGenerators(shape, seed);
    std::vector<double> w = noisyReference(gens, shape, 0.01, seed + 5);
    layers.push_back({shape, std::move(gens), std::move(w)});
    seed += 10;
  }
  return layers;
}

/// sqrt(sum_l ||ref_l - Wq_l||^2 / sum_l ||ref_l||^2), independently.
double combinedError(const std::vector<BudgetLayer> &layers,
                     const std::vector<LayerPrecision> &precisions) {
  double num = 0, den = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    double normSq = 0;
    for (double x : layers[l].reference)
      normSq += x * x;
    double e = realError(layers[l].reference, layers[l].gens, layers[l].shape,
                         precisions[l]);
    num += e * e * normSq;
    den += normSq;
  }
  return std::sqrt(num / den);
}

TEST(CompressionPrecisionSearchTest, MinimizeErrorForBitsRespectsBudget) {
  std::vector<BudgetLayer> layers = budgetLayers();
  std::vector<LayerInput> inputs;
  for (const BudgetLayer &l : layers)
    inputs.push_back({l.reference, l.shape, &l.gens});

  auto uniform = [&](unsigned bits) {
    return std::vector<LayerPrecision>(
        layers.size(), LayerPrecision{{bits, -1}, {bits, -1}, {bits, -1}});
  };
  auto totalBits = [&](const std::vector<LayerPrecision> &precisions) {
    int64_t total = 0;
    for (size_t l = 0; l < layers.size(); ++l)
      total += storedBits(layers[l].shape, precisions[l]);
    return total;
  };
  int64_t minimum = totalBits(uniform(2));
  EXPECT_FALSE(minimizeErrorForBits(inputs, minimum - 1));

  double previous = INFINITY;
  for (unsigned bits : {2u, 3u, 4u, 6u, 8u}) {
    int64_t budget = totalBits(uniform(bits));
    std::optional<std::vector<LayerPrecisionPlan>> plans =
        minimizeErrorForBits(inputs, budget);
    ASSERT_TRUE(plans) << bits;
    ASSERT_EQ(plans->size(), layers.size());
    int64_t total = 0;
    std::vector<LayerPrecision> chosen;
    for (size_t l = 0; l < layers.size(); ++l) {
      const LayerPrecisionPlan &plan = (*plans)[l];
      EXPECT_EQ(plan.storedBits, storedBits(layers[l].shape, plan.precision));
      EXPECT_NEAR(plan.relError,
                  realError(layers[l].reference, layers[l].gens,
                            layers[l].shape, plan.precision),
                  1e-12);
      total += plan.storedBits;
      chosen.push_back(plan.precision);
    }
    EXPECT_LE(total, budget);
    double error = combinedError(layers, chosen);
    if (bits == 2) {
      // Only the uniform minimum fits.
      EXPECT_EQ(total, budget);
    } else {
      // Spending the same bits where they help most beats spreading them.
      EXPECT_LE(error, combinedError(layers, uniform(bits))) << bits;
    }
    EXPECT_LE(error, previous * (1 + 1e-9)) << bits;
    previous = error;
  }

  // Invalid layers.
  std::vector<LayerInput> broken = inputs;
  broken[1].gens = nullptr;
  EXPECT_FALSE(minimizeErrorForBits(broken, 1 << 30));
  broken = inputs;
  broken[0].reference = broken[0].reference.drop_back();
  EXPECT_FALSE(minimizeErrorForBits(broken, 1 << 30));
  EXPECT_TRUE(minimizeErrorForBits({}, 0));
}

} // namespace
