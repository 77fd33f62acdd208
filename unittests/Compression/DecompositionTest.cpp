//===- DecompositionTest.cpp - SVD init and ALS against closed forms ------===//

#include "mlg/Compression/Decomposition.h"

#include "gtest/gtest.h"

#include <Eigen/Dense>
#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace mlir::mlg::compression;

namespace {

std::vector<double> randomVector(size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> v(n);
  for (double &x : v)
    x = dist(rng);
  return v;
}

/// Column j of the orthonormal DCT-II matrix of size n: a closed-form
/// orthonormal basis, so test matrices have singular values known exactly.
double dct(int64_t n, int64_t i, int64_t j) {
  double scale = std::sqrt((j == 0 ? 1.0 : 2.0) / double(n));
  return scale * std::cos(M_PI * (double(i) + 0.5) * double(j) / double(n));
}

/// [rows, cols] row-major sum_k sigma_k dct_rows(:,k) dct_cols(:,k)^T.
std::vector<double> withSingularValues(int64_t rows, int64_t cols,
                                       const std::vector<double> &sigma) {
  std::vector<double> w(rows * cols, 0.0);
  for (size_t k = 0; k < sigma.size(); ++k)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        w[i * cols + j] += sigma[k] * dct(rows, i, k) * dct(cols, j, k);
  return w;
}

using RowMat =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// One ALS iteration as first written, from the definitions: each
/// least-squares step with its whole dense design matrix, solved by complete
/// orthogonal decomposition. The library gets there through small Grams.
void denseALSIteration(const std::vector<double> &weight,
                       const GeneratorShape &shape, Generators &g) {
  const int64_t co = shape.co, ci = shape.ci, k = shape.kernelSize(),
                bi = shape.bi, bc = shape.bc, n = ci * k;
  Eigen::MatrixXd w = Eigen::Map<const RowMat>(weight.data(), co, n);
  auto u = [&](int64_t b, int64_t c, int64_t j) -> double & {
    return g.coeffIn[(b * ci + c) * bi + j];
  };
  auto basis = [&](int64_t b, int64_t j, int64_t s) -> double & {
    return g.basis[(b * bi + j) * k + s];
  };
  auto kernels = [&] {
    Eigen::MatrixXd wc = Eigen::MatrixXd::Zero(bc, n);
    for (int64_t b = 0; b < bc; ++b)
      for (int64_t c = 0; c < ci; ++c)
        for (int64_t s = 0; s < k; ++s)
          for (int64_t j = 0; j < bi; ++j)
            wc(b, c * k + s) += u(b, c, j) * basis(b, j, s);
    return wc;
  };

  // (a) V: min ||Wc^T V^T - W^T||.
  Eigen::MatrixXd wc = kernels();
  Eigen::MatrixXd v = wc.transpose()
                          .completeOrthogonalDecomposition()
                          .solve(w.transpose())
                          .transpose();
  // (b) U: rows (o, s), columns (b, j), one right-hand side per channel c.
  Eigen::MatrixXd design(co * k, bc * bi), rhs(co * k, ci);
  for (int64_t o = 0; o < co; ++o)
    for (int64_t s = 0; s < k; ++s) {
      for (int64_t b = 0; b < bc; ++b)
        for (int64_t j = 0; j < bi; ++j)
          design(o * k + s, b * bi + j) = v(o, b) * basis(b, j, s);
      for (int64_t c = 0; c < ci; ++c)
        rhs(o * k + s, c) = w(o, c * k + s);
    }
  Eigen::MatrixXd x = design.completeOrthogonalDecomposition().solve(rhs);
  for (int64_t b = 0; b < bc; ++b)
    for (int64_t c = 0; c < ci; ++c)
      for (int64_t j = 0; j < bi; ++j)
        u(b, c, j) = x(b * bi + j, c);
  // (c) Bases: rows (o, c), columns (b, j), one right-hand side per s.
  design.resize(co * ci, bc * bi);
  for (int64_t o = 0; o < co; ++o)
    for (int64_t c = 0; c < ci; ++c)
      for (int64_t b = 0; b < bc; ++b)
        for (int64_t j = 0; j < bi; ++j)
          design(o * ci + c, b * bi + j) = v(o, b) * u(b, c, j);
  x = design.completeOrthogonalDecomposition().solve(
      Eigen::MatrixXd(Eigen::Map<const RowMat>(weight.data(), co * ci, k)));
  for (int64_t b = 0; b < bc; ++b)
    for (int64_t j = 0; j < bi; ++j)
      for (int64_t s = 0; s < k; ++s)
        basis(b, j, s) = x(b * bi + j, s);
  // (d) Per basis kernel, the rank-Bi truncation of v_b^T R_b / ||v_b||^2.
  wc = kernels();
  Eigen::MatrixXd residual = w - v * wc;
  for (int64_t b = 0; b < bc; ++b) {
    double vv = v.col(b).squaredNorm();
    if (vv == 0)
      continue;
    residual += v.col(b) * wc.row(b);
    Eigen::RowVectorXd target = v.col(b).transpose() * residual / vv;
    Eigen::MatrixXd kernel = Eigen::Map<const RowMat>(target.data(), ci, k);
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(kernel, Eigen::ComputeThinU |
                                                      Eigen::ComputeThinV);
    for (int64_t j = 0; j < bi; ++j)
      for (int64_t c = 0; c < ci; ++c)
        u(b, c, j) = svd.matrixU()(c, j) * svd.singularValues()(j);
    for (int64_t j = 0; j < bi; ++j)
      for (int64_t s = 0; s < k; ++s)
        basis(b, j, s) = svd.matrixV()(s, j);
    wc = kernels();
    residual -= v.col(b) * wc.row(b);
  }
  Eigen::Map<RowMat>(g.coeffOut.data(), co, bc) = v;
}

bool bitIdentical(const std::vector<double> &a, const std::vector<double> &b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 8) == 0);
}

// Both levels on, co=2 ci=2 kh=1 kw=2 bi=1 bc=1: Wc = [3,-1]^T [1,2] and
// W = [2, 0.5]^T Wc, worked out by hand.
TEST(CompressionDecompositionTest, ReconstructHandComputed) {
  GeneratorShape shape{2, 2, 1, 2, 1, 1};
  Generators g{{1, 2}, {3, -1}, {2, 0.5}};
  std::vector<double> expected{6, 12, -2, -4, 1.5, 3, -0.5, -1};
  EXPECT_EQ(reconstruct(g, shape), expected);

  // Level 2 only, 1x1 kernels: W = [3, 4]^T [1, 2].
  GeneratorShape cross{2, 2, 1, 1, 0, 1};
  Generators gc{{1, 2}, {}, {3, 4}};
  EXPECT_EQ(reconstruct(gc, cross), (std::vector<double>{3, 6, 4, 8}));

  // Level 1 only (bc == co): kernel o is coeffIn[o] (x) basis[o].
  GeneratorShape intra{2, 2, 1, 2, 1, 2};
  Generators gi{{1, 2, 0, 1}, {3, -1, 1, 2}, {}};
  EXPECT_EQ(reconstruct(gi, intra),
            (std::vector<double>{3, 6, -1, -2, 0, 1, 0, 2}));
}

TEST(CompressionDecompositionTest, RelativeError) {
  EXPECT_EQ(relativeError({0, 0}, {0, 0}), 0.0);
  EXPECT_DOUBLE_EQ(relativeError({3, 4}, {3, 0}), 0.8);
  EXPECT_TRUE(std::isinf(relativeError({0, 0}, {1, 0})));
  EXPECT_TRUE(std::isnan(relativeError({1}, {1, 2})));
}

// A rank-3 weight is recovered exactly once Bc >= 3 (level 2 only).
TEST(CompressionDecompositionTest, LowRankRecoveredByLevel2) {
  GeneratorShape shape{8, 3, 3, 3, 0, 3};
  std::vector<double> w = withSingularValues(8, 27, {4, 2, 1});
  for (int64_t bc : {3, 5}) {
    shape.bc = bc;
    Generators g = initializeBySVD(w, shape);
    ASSERT_TRUE(matchesShape(g, shape));
    EXPECT_LT(relativeError(w, reconstruct(g, shape)), 1e-12) << bc;
  }
}

// Level 1 only: every output kernel [ci, K] of rank 2 is exact with Bi = 2.
TEST(CompressionDecompositionTest, LowRankRecoveredByLevel1) {
  GeneratorShape shape{3, 4, 3, 3, 2, 3};
  std::vector<double> w;
  for (int o = 0; o < 3; ++o) {
    std::vector<double> k = withSingularValues(4, 9, {3.0 + o, 0.5});
    w.insert(w.end(), k.begin(), k.end());
  }
  Generators g = initializeBySVD(w, shape);
  ASSERT_TRUE(matchesShape(g, shape));
  EXPECT_TRUE(g.coeffOut.empty());
  EXPECT_LT(relativeError(w, reconstruct(g, shape)), 1e-12);
}

// Eckart-Young: level 2 alone leaves sqrt(sum of discarded sigma^2) / ||W||,
// with sigma known by construction. The rank-Bc factor is written to the
// basis (the official code's caveat) and V has orthonormal columns.
TEST(CompressionDecompositionTest, EckartYoungLevel2) {
  std::vector<double> sigma{5, 3, 2, 1, 0.5, 0.25};
  GeneratorShape shape{6, 2, 2, 2, 0, 3};
  std::vector<double> w = withSingularValues(6, 8, sigma);
  Generators g = initializeBySVD(w, shape);
  ASSERT_TRUE(matchesShape(g, shape));
  double kept = 0, all = 0;
  for (size_t i = 0; i < sigma.size(); ++i) {
    all += sigma[i] * sigma[i];
    if (int64_t(i) >= shape.bc)
      kept += sigma[i] * sigma[i];
  }
  double expected = std::sqrt(kept / all);
  EXPECT_NEAR(relativeError(w, reconstruct(g, shape)), expected, 1e-12);
  // Already optimal: ALS leaves it alone.
  EXPECT_NEAR(refineByALS(w, shape, g), expected, 1e-12);
  for (int64_t a = 0; a < 3; ++a)
    for (int64_t b = 0; b < 3; ++b) {
      double dot = 0;
      for (int64_t o = 0; o < 6; ++o)
        dot += g.coeffOut[o * 3 + a] * g.coeffOut[o * 3 + b];
      EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-12);
    }
}

// A weight generated exactly by V (U (x) basis) is recovered by init + ALS,
// although the SVD initialisation alone is not exact (its basis kernels are a
// rotation of the true ones, which breaks their per-kernel rank). The shape is
// comfortably over-determined: on barely determined ones (e.g. 6x4x2x2 with
// Bi = 2, Bc = 3) ALS, as for any block-term decomposition, can stall in a
// local minimum.
TEST(CompressionDecompositionTest, ExactGeneratorsRecoveredByALS) {
  GeneratorShape shape{8, 6, 3, 3, 2, 3};
  Generators truth{randomVector(shape.basisSize(), 1),
                   randomVector(shape.coeffInSize(), 2),
                   randomVector(shape.coeffOutSize(), 3)};
  std::vector<double> w = reconstruct(truth, shape);
  Generators g = initializeBySVD(w, shape);
  double init = relativeError(w, reconstruct(g, shape));
  EXPECT_GT(init, 1e-3);
  double err = refineByALS(w, shape, g, {500, 0.0});
  EXPECT_LT(err, 1e-10);
  EXPECT_LT(relativeError(w, reconstruct(g, shape)), 1e-10);
}

// ALS never increases the error, one iteration at a time, and ends below
// the SVD initialisation on a generic weight.
TEST(CompressionDecompositionTest, ALSMonotone) {
  GeneratorShape shape{8, 4, 3, 3, 2, 4};
  std::vector<double> w = randomVector(shape.weightSize(), 7);
  Generators g = initializeBySVD(w, shape);
  double init = relativeError(w, reconstruct(g, shape));
  double prev = init;
  for (int it = 0; it < 30; ++it) {
    double cur = refineByALS(w, shape, g, {1, 0.0});
    EXPECT_LE(cur, prev * (1 + 1e-12)) << "iteration " << it;
    prev = cur;
  }
  EXPECT_LT(prev, init);
  Generators fresh = initializeBySVD(w, shape);
  EXPECT_LE(refineByALS(w, shape, fresh), init);
}

// The Gram-based ALS follows the dense formulation step for step: same
// errors after every iteration, never above the previous one, and below the
// SVD initialisation. The weight is structured (generated plus noise) so that
// ALS has something to find.
TEST(CompressionDecompositionTest, ALSMatchesDenseReference) {
  GeneratorShape shape{64, 48, 3, 3, 2, 8};
  Generators truth{randomVector(shape.basisSize(), 21),
                   randomVector(shape.coeffInSize(), 22),
                   randomVector(shape.coeffOutSize(), 23)};
  std::vector<double> w = reconstruct(truth, shape);
  std::vector<double> noise = randomVector(w.size(), 24);
  for (size_t i = 0; i < w.size(); ++i)
    w[i] += 0.5 * noise[i];

  Generators fast = initializeBySVD(w, shape), dense = fast;
  double init = relativeError(w, reconstruct(fast, shape));
  double prev = init;
  for (int it = 0; it < 8; ++it) {
    double got = refineByALS(w, shape, fast, {1, 0.0});
    denseALSIteration(w, shape, dense);
    double expected = relativeError(w, reconstruct(dense, shape));
    EXPECT_NEAR(got, expected, 1e-9 * expected) << "iteration " << it;
    EXPECT_NEAR(relativeError(w, reconstruct(fast, shape)), got, 1e-12);
    EXPECT_LE(got, prev * (1 + 1e-12)) << "iteration " << it;
    prev = got;
  }
  EXPECT_LT(prev, 0.99 * init);
}

TEST(CompressionDecompositionTest, Deterministic) {
  GeneratorShape shape{8, 4, 3, 3, 2, 4};
  std::vector<double> w = randomVector(shape.weightSize(), 11);
  Generators a = initializeBySVD(w, shape), b = initializeBySVD(w, shape);
  EXPECT_TRUE(bitIdentical(a.basis, b.basis));
  EXPECT_TRUE(bitIdentical(a.coeffIn, b.coeffIn));
  EXPECT_TRUE(bitIdentical(a.coeffOut, b.coeffOut));
  double ea = refineByALS(w, shape, a), eb = refineByALS(w, shape, b);
  EXPECT_EQ(std::memcmp(&ea, &eb, sizeof(double)), 0);
  EXPECT_TRUE(bitIdentical(a.basis, b.basis));
  EXPECT_TRUE(bitIdentical(a.coeffIn, b.coeffIn));
  EXPECT_TRUE(bitIdentical(a.coeffOut, b.coeffOut));
}

// Ranks beyond what exists are zero-padded, not rejected.
TEST(CompressionDecompositionTest, OversizedRanksPadded) {
  // Bi = 3 > min(ci = 2, K = 4): each kernel has rank <= 2, so exact.
  GeneratorShape intra{3, 2, 2, 2, 3, 3};
  std::vector<double> w = randomVector(intra.weightSize(), 5);
  Generators g = initializeBySVD(w, intra);
  ASSERT_TRUE(matchesShape(g, intra));
  EXPECT_LT(relativeError(w, reconstruct(g, intra)), 1e-12);

  // Bc = 3 > min(co = 4, ci*K = 2) with both levels: rank <= 2, exact.
  GeneratorShape both{4, 2, 1, 1, 1, 3};
  w = randomVector(both.weightSize(), 6);
  g = initializeBySVD(w, both);
  ASSERT_TRUE(matchesShape(g, both));
  double init = relativeError(w, reconstruct(g, both));
  double refined = refineByALS(w, both, g);
  EXPECT_LE(refined, init * (1 + 1e-12) + 1e-15);
  EXPECT_FALSE(std::isnan(refined));

  // Bc > Co (level 2 "on" by the bc != co rule).
  GeneratorShape wide{2, 3, 1, 1, 0, 4};
  w = randomVector(wide.weightSize(), 8);
  g = initializeBySVD(w, wide);
  ASSERT_TRUE(matchesShape(g, wide));
  EXPECT_LT(relativeError(w, reconstruct(g, wide)), 1e-12);
}

TEST(CompressionDecompositionTest, InvalidInputsAreGraceful) {
  GeneratorShape shape{2, 2, 1, 2, 1, 1};
  std::vector<double> w{1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_TRUE(initializeBySVD({1, 2, 3}, shape).basis.empty());
  EXPECT_TRUE(initializeBySVD(w, {2, 2, 1, 2, -1, 1}).basis.empty());
  EXPECT_TRUE(initializeBySVD(w, {2, 2, 1, 2, 1, 0}).basis.empty());
  EXPECT_TRUE(initializeBySVD(w, {0, 2, 1, 2, 1, 1}).basis.empty());
  EXPECT_FALSE(GeneratorShape({INT64_MAX, 2, 2, 2, 1, 1}).isValid());
  std::vector<double> bad = w;
  bad[0] = NAN;
  EXPECT_TRUE(initializeBySVD(bad, shape).basis.empty());

  Generators wrong{{1}, {}, {}};
  EXPECT_TRUE(reconstruct(wrong, shape).empty());
  EXPECT_TRUE(std::isnan(refineByALS(w, shape, wrong)));
  EXPECT_EQ(wrong.basis, std::vector<double>{1});

  // An all-zero weight gives zero generators and zero error.
  std::vector<double> zero(8, 0.0);
  Generators g = initializeBySVD(zero, shape);
  ASSERT_TRUE(matchesShape(g, shape));
  EXPECT_EQ(refineByALS(zero, shape, g), 0.0);
  EXPECT_EQ(reconstruct(g, shape), zero);
}

/// Every (bi, bc) the profile answers for a weight of these sizes, including
/// no level 1 (bi = 0), no level 2 (bc = co), ranks beyond what exists and
/// bc > co, against the SVD initialisation itself.
void expectProfileMatchesInit(const std::vector<double> &w, int64_t co,
                              int64_t ci, int64_t kh, int64_t kw) {
  std::optional<SpectralProfile> profile =
      SpectralProfile::compute(w, co, ci, kh, kw);
  ASSERT_TRUE(profile);
  double normSq = 0;
  for (double x : w)
    normSq += x * x;
  EXPECT_NEAR(profile->squaredNorm(), normSq, 1e-12 * normSq);
  for (int64_t bi = 0; bi <= std::min(ci, kh * kw) + 1; ++bi)
    for (int64_t bc = 1; bc <= co + 1; ++bc) {
      GeneratorShape shape{co, ci, kh, kw, bi, bc};
      Generators g = initializeBySVD(w, shape);
      ASSERT_TRUE(matchesShape(g, shape));
      double expected = relativeError(w, reconstruct(g, shape));
      EXPECT_NEAR(profile->relativeError(bi, bc), expected, 1e-10)
          << co << "x" << ci << "x" << kh << "x" << kw << " bi " << bi << " bc "
          << bc;
    }
}

TEST(CompressionDecompositionTest, SpectralProfileMatchesInitialization) {
  // Wide and tall views of W, 1x1 and non-square kernels, ci < K and ci > K.
  expectProfileMatchesInit(randomVector(8 * 6 * 9, 31), 8, 6, 3, 3);
  expectProfileMatchesInit(randomVector(6 * 4, 32), 6, 4, 1, 1);
  expectProfileMatchesInit(randomVector(4 * 6, 33), 4, 6, 1, 1);
  expectProfileMatchesInit(randomVector(5 * 3 * 4, 34), 5, 3, 2, 2);
  expectProfileMatchesInit(randomVector(3 * 10 * 2, 35), 3, 10, 1, 2);
  expectProfileMatchesInit(randomVector(12 * 2 * 3, 36), 12, 2, 1, 3);
  expectProfileMatchesInit(randomVector(7 * 7 * 9, 37), 7, 7, 3, 3);
  expectProfileMatchesInit(randomVector(1 * 4 * 9, 38), 1, 4, 3, 3);
}

TEST(CompressionDecompositionTest, SpectralProfileRankDeficient) {
  // W = A B with A [8, 2]: rank 2, so level 2 is exact from bc = 2 on.
  int64_t co = 8, ci = 6, k = 9, n = ci * k;
  std::vector<double> a = randomVector(co * 2, 41), b = randomVector(2 * n, 42);
  std::vector<double> w(co * n, 0.0);
  for (int64_t o = 0; o < co; ++o)
    for (int64_t r = 0; r < 2; ++r)
      for (int64_t i = 0; i < n; ++i)
        w[o * n + i] += a[o * 2 + r] * b[r * n + i];
  expectProfileMatchesInit(w, co, ci, 3, 3);
  std::optional<SpectralProfile> profile =
      SpectralProfile::compute(w, co, ci, 3, 3);
  ASSERT_TRUE(profile);
  EXPECT_LT(profile->relativeError(0, 2), 1e-12);
  EXPECT_GT(profile->relativeError(0, 1), 1e-3);
}

// Closed forms from DCT-built weights, whose singular values are exact.
TEST(CompressionDecompositionTest, SpectralProfileClosedForms) {
  // Level 2 alone: Eckart-Young.
  std::vector<double> sigma{5, 3, 2, 1, 0.5, 0.25};
  std::vector<double> w = withSingularValues(6, 8, sigma);
  std::optional<SpectralProfile> profile =
      SpectralProfile::compute(w, 6, 2, 2, 2);
  ASSERT_TRUE(profile);
  double all = 0;
  for (double s : sigma)
    all += s * s;
  EXPECT_NEAR(profile->squaredNorm(), all, 1e-12);
  for (int64_t bc = 1; bc < 6; ++bc) {
    double dropped = 0;
    for (size_t i = bc; i < sigma.size(); ++i)
      dropped += sigma[i] * sigma[i];
    EXPECT_NEAR(profile->relativeError(0, bc), std::sqrt(dropped / all), 1e-12)
        << bc;
  }
  EXPECT_EQ(profile->relativeError(0, 6), 0.0); // neither level

  // Level 1 alone: output kernel o has singular values {3 + o, 0.5}.
  w.clear();
  double kept = 0, lost = 0;
  for (int o = 0; o < 3; ++o) {
    std::vector<double> kernel = withSingularValues(4, 9, {3.0 + o, 0.5});
    w.insert(w.end(), kernel.begin(), kernel.end());
    kept += (3.0 + o) * (3.0 + o);
    lost += 0.25;
  }
  profile = SpectralProfile::compute(w, 3, 4, 3, 3);
  ASSERT_TRUE(profile);
  EXPECT_NEAR(profile->relativeError(1, 3), std::sqrt(lost / (kept + lost)),
              1e-12);
  EXPECT_LT(profile->relativeError(2, 3), 1e-12);
  EXPECT_LT(profile->relativeError(5, 3), 1e-12);
}

TEST(CompressionDecompositionTest, SpectralProfileInvalidAndZero) {
  std::vector<double> w = randomVector(2 * 3 * 4, 51);
  EXPECT_FALSE(SpectralProfile::compute(w, 2, 3, 2, 3));
  EXPECT_FALSE(SpectralProfile::compute(w, 0, 3, 2, 2));
  EXPECT_FALSE(SpectralProfile::compute(w, 2, 3, -2, -2));
  EXPECT_FALSE(SpectralProfile::compute(w, INT64_MAX, 3, 2, 2));
  std::vector<double> bad = w;
  bad[3] = INFINITY;
  EXPECT_FALSE(SpectralProfile::compute(bad, 2, 3, 2, 2));

  std::optional<SpectralProfile> profile =
      SpectralProfile::compute(w, 2, 3, 2, 2);
  ASSERT_TRUE(profile);
  EXPECT_TRUE(std::isnan(profile->relativeError(-1, 1)));
  EXPECT_TRUE(std::isnan(profile->relativeError(1, 0)));

  std::vector<double> zero(w.size(), 0.0);
  profile = SpectralProfile::compute(zero, 2, 3, 2, 2);
  ASSERT_TRUE(profile);
  EXPECT_EQ(profile->squaredNorm(), 0.0);
  EXPECT_EQ(profile->relativeError(1, 1), 0.0);
  EXPECT_EQ(profile->relativeError(1, 2), 0.0);
}

} // namespace

namespace {

// With V held fixed (a power-of-two V, say) and level 2 alone, refineByALS
// fits the kernels to V by least squares and leaves V as it is.
TEST(RefineByALS, FixedCoeffOutLevel2OnlyFitsTheKernels) {
  GeneratorShape shape{6, 2, 1, 1, 0, 3};
  std::vector<double> weight = randomVector(12, 11);
  Generators g = initializeBySVD(weight, shape);
  for (double &v : g.coeffOut)
    v = v > 0 ? 0.5 : -0.25; // anything that is not the SVD's V
  std::vector<double> v = g.coeffOut;
  RefineOptions options;
  options.fixCoeffOut = true;
  double error = refineByALS(weight, shape, g, options);
  EXPECT_EQ(g.coeffOut, v);
  EXPECT_NEAR(error, relativeError(weight, reconstruct(g, shape)), 1e-12);
  for (size_t i = 0; i < g.basis.size(); ++i)
    for (double step : {1e-3, -1e-3}) {
      Generators moved = g;
      moved.basis[i] += step;
      EXPECT_GE(relativeError(weight, reconstruct(moved, shape)), error);
    }
}

} // namespace
