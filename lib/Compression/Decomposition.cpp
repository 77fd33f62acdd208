//===- Decomposition.cpp - Two-level generator decomposition --------------===//
//
// Eigen does the linear algebra internally (column-major); the interface stays
// row-major std::vector so callers need no Eigen. Everything is sequential and
// sign-normalised, so the same input gives bit-identical output.
//
//===----------------------------------------------------------------------===//

#include "mlg/Compression/Decomposition.h"
#include "EigenSupport.h"
#include "Numerics.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <Eigen/SVD>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::mlg::compression;

namespace {
/// Rank-`rank` truncated SVD a ~ u diag(s) vt, zero-padded to `rank` when a has
/// fewer singular values. Each pair's sign is fixed: the largest-magnitude
/// entry of u's column (first on ties) is made non-negative.
struct TruncatedSVD {
  MatrixXd u;  // rows x rank
  VectorXd s;  // rank
  MatrixXd vt; // rank x cols
};

TruncatedSVD truncatedSVD(const MatrixXd &a, int64_t rank) {
  TruncatedSVD r{MatrixXd::Zero(a.rows(), rank), VectorXd::Zero(rank),
                 MatrixXd::Zero(rank, a.cols())};
  // A Householder QR first reduces the long side of `a`, so that the SVD
  // (BDCSVD; Jacobi for small matrices, both deterministic) runs on a square
  // triangle and forms no long singular vectors beyond the `rank` kept: for
  // the wide weights of convolutions that is three times faster.
  const bool wide = a.cols() > a.rows();
  const Eigen::Index side = std::min(a.rows(), a.cols());
  Eigen::HouseholderQR<MatrixXd> qr(wide ? MatrixXd(a.transpose()) : a);
  MatrixXd triangle =
      qr.matrixQR().topRows(side).triangularView<Eigen::Upper>();
  // wide:  a^T = Q R, R^T = A S B^T  =>  a = A S (Q B)^T;
  // tall:  a = Q R,   R = A S B^T    =>  a = (Q A) S B^T.
  if (wide)
    triangle.transposeInPlace();
  Eigen::BDCSVD<MatrixXd> svd(triangle,
                              Eigen::ComputeThinU | Eigen::ComputeThinV);
  const int64_t kept = std::min<int64_t>(rank, svd.singularValues().size());
  auto expand = [&](const MatrixXd &small) {
    MatrixXd full = MatrixXd::Zero(qr.rows(), kept);
    full.topRows(side) = small.leftCols(kept);
    return MatrixXd(qr.householderQ() * full);
  };
  MatrixXd left = wide ? svd.matrixU().leftCols(kept) : expand(svd.matrixU());
  MatrixXd right = wide ? expand(svd.matrixV()) : svd.matrixV().leftCols(kept);
  for (int64_t i = 0; i < kept; ++i) {
    VectorXd u = left.col(i);
    VectorXd v = right.col(i);
    Eigen::Index pivot = 0;
    u.cwiseAbs().maxCoeff(&pivot);
    if (u(pivot) < 0) {
      u = -u;
      v = -v;
    }
    r.u.col(i) = u;
    r.s(i) = svd.singularValues()(i);
    r.vt.row(i) = v.transpose();
  }
  return r;
}

/// Level 1 on one kernel `row` (length ci*K, viewed [ci, K]): U = u*s into
/// `coeffIn` ([ci, bi]) and basis = vt into `basis` ([bi, K]).
void factorKernel(const Eigen::RowVectorXd &row, const GeneratorShape &shape,
                  double *coeffIn, double *basis) {
  MatrixXd kernel = fromRowMajor(row.data(), shape.ci, shape.kernelSize());
  TruncatedSVD t = truncatedSVD(kernel, shape.bi);
  toRowMajor(t.u * t.s.asDiagonal(), coeffIn);
  toRowMajor(t.vt, basis);
}

/// Wc [bc, ci*K]: the generated basis kernels (U (x) basis, or the basis).
MatrixXd basisKernels(const Generators &g, const GeneratorShape &shape) {
  int64_t n = shape.ci * shape.kernelSize();
  if (!shape.hasIntra())
    return fromRowMajor(g.basis.data(), shape.bc, n);
  return kernelsFromFactors(g.coeffIn.data(), g.basis.data(), shape);
}

/// Adds to tail[j], j in [0, min(rows, cols)], the sum of the squared
/// singular values of `m` from the j-th on (tail[min(rows, cols)] gets 0).
void addSquaredTails(const MatrixXd &m, double *tail) {
  // Values only; m is tall or wide, and a plain QR reduces it well enough.
  Eigen::JacobiSVD<MatrixXd, Eigen::HouseholderQRPreconditioner> svd(m);
  const VectorXd &sigma = svd.singularValues();
  double sum = 0; // smallest first, so the small tails stay accurate
  for (Eigen::Index j = sigma.size() - 1; j >= 0; --j) {
    sum += sigma(j) * sigma(j);
    tail[j] += sum;
  }
}

/// The SVD W = sum_b s_b u_b v_b^T, as its values s_b (returned) and the rows
/// s_b v_b^T, which are all the level-1 step sees: visit(b, row) for each b
/// in [0, min(m, n)). A Householder QR first reduces the long side of W so
/// that the SVD runs on a square triangle, which for the wide weights of
/// convolutions halves the cost of the SVD. The rows are made a band at a
/// time: all at once they would be as large as W.
template <typename Visit>
VectorXd visitSpectrum(const Eigen::Map<const RowMat> &w, Visit visit) {
  if (w.rows() >= w.cols()) {
    // W = Q R and R = A S B^T give W = (Q A) S B^T: the rows are S B^T.
    MatrixXd r = w;
    if (w.rows() > w.cols()) {
      Eigen::HouseholderQR<MatrixXd> qr(r);
      r = qr.matrixQR().topRows(w.cols()).triangularView<Eigen::Upper>();
    }
    Eigen::BDCSVD<MatrixXd> svd(r, Eigen::ComputeThinV);
    VectorXd values = svd.singularValues();
    RowMat rows = values.asDiagonal() * svd.matrixV().transpose();
    for (Eigen::Index b = 0; b < rows.rows(); ++b)
      visit(b, rows.row(b));
    return values;
  }
  // W^T = Q R and R = A S B^T give W = B S (Q A)^T: the left singular
  // vectors are B, and the rows B^T W.
  Eigen::HouseholderQR<MatrixXd> qr(w.transpose());
  MatrixXd r = qr.matrixQR().topRows(w.rows()).triangularView<Eigen::Upper>();
  Eigen::BDCSVD<MatrixXd> svd(r, Eigen::ComputeThinV);
  constexpr Eigen::Index kBand = 32;
  RowMat band(kBand, w.cols());
  for (Eigen::Index first = 0; first < w.rows(); first += kBand) {
    Eigen::Index count = std::min(kBand, w.rows() - first);
    band.topRows(count).noalias() =
        svd.matrixV().middleCols(first, count).transpose() * w;
    for (Eigen::Index b = 0; b < count; ++b)
      visit(first + b, band.row(b));
  }
  return svd.singularValues();
}

/// Minimiser X of ||D X - Y||_F given only G = D^T D and D^T Y (`rhs`): the
/// ALS design matrices D are far larger than their Grams. Variables whose
/// column of D is zero (zero-padded ranks) get 0, as in the minimum-norm
/// solution. The rest is scaled to a unit diagonal (so that the columns'
/// norms do not matter) and solved by Cholesky; when that fails or its
/// pivots show near rank deficiency, by the eigendecomposition's
/// pseudo-inverse, which drops the directions round-off cannot resolve.
MatrixXd solveGram(const MatrixXd &gram, const MatrixXd &rhs) {
  // Cholesky solves of normal equations lose about cond(G) * eps; below this
  // pivot ratio (cond(G) >~ 1e10) the pseudo-inverse is the safer answer.
  constexpr double kMinPivotRatio = 1e-10;
  std::vector<Eigen::Index> active;
  for (Eigen::Index i = 0; i < gram.rows(); ++i)
    if (gram(i, i) > 0)
      active.push_back(i);
  MatrixXd x = MatrixXd::Zero(gram.rows(), rhs.cols());
  auto m = Eigen::Index(active.size());
  if (m == 0)
    return x;
  VectorXd scale(m);
  for (Eigen::Index p = 0; p < m; ++p)
    scale(p) = 1 / std::sqrt(gram(active[p], active[p]));
  MatrixXd g(m, m), r(m, rhs.cols());
  for (Eigen::Index p = 0; p < m; ++p) {
    for (Eigen::Index q = 0; q < m; ++q)
      g(p, q) = gram(active[p], active[q]) * scale(p) * scale(q);
    r.row(p) = rhs.row(active[p]) * scale(p);
  }

  MatrixXd y;
  Eigen::LLT<MatrixXd> llt(g);
  VectorXd pivots = llt.matrixLLT().diagonal().cwiseAbs2();
  if (llt.info() == Eigen::Success &&
      pivots.minCoeff() > kMinPivotRatio * pivots.maxCoeff()) {
    y = llt.solve(r);
  } else {
    Eigen::SelfAdjointEigenSolver<MatrixXd> eig(g);
    const VectorXd &lambda = eig.eigenvalues(); // ascending
    double cutoff =
        lambda(m - 1) * double(m) * std::numeric_limits<double>::epsilon();
    VectorXd inverse = lambda.unaryExpr(
        [cutoff](double l) { return l > cutoff ? 1 / l : 0.0; });
    y = eig.eigenvectors() *
        (inverse.asDiagonal() * (eig.eigenvectors().transpose() * r));
  }
  for (Eigen::Index p = 0; p < m; ++p)
    x.row(active[p]) = y.row(p) * scale(p);
  return x;
}

/// inner ∘ (gv ⊗ 1_{bi x bi}): the Gram of an ALS design whose columns
/// (b, j) are v_b times a factor row (b, j), with `inner` the factor rows'
/// Gram and gv = V^T V.
MatrixXd blockScaledGram(const MatrixXd &inner, const MatrixXd &gv,
                         int64_t bi) {
  MatrixXd g = inner;
  for (Eigen::Index p = 0; p < g.rows(); ++p)
    for (Eigen::Index q = 0; q < g.cols(); ++q)
      g(p, q) *= gv(p / bi, q / bi);
  return g;
}

/// ||W - V Wc||_F^2 from ||W||^2 - 2 <W, V Wc> + ||V Wc||^2, whose two last
/// terms the ALS steps get cheaply from small Grams. The expansion loses about
/// eps * ||W||^2 to cancellation, so near an exact fit it forms the residual.
class ResidualMeter {
public:
  explicit ResidualMeter(const Eigen::Map<const RowMat> &w)
      : w(w), normSq(w.squaredNorm()) {}
  double squaredNorm() const { return normSq; }
  double operator()(const MatrixXd &v, const RowMat &wc, double inner,
                    double quad) const {
    // Below this relative level the expansion keeps < ~1e-11 of its digits.
    constexpr double kExpansionFloor = 1e-4;
    double e = normSq - 2 * inner + quad;
    if (e >= kExpansionFloor * normSq)
      return e;
    return squaredResidual(w, v, wc);
  }

private:
  const Eigen::Map<const RowMat> &w;
  double normSq;
};
} // namespace

bool GeneratorShape::isValid() const {
  if (co <= 0 || ci <= 0 || kh <= 0 || kw <= 0 || bi < 0 || bc <= 0)
    return false;
  // Reject shapes whose element counts overflow (user-reachable input).
  int64_t k, n, w, bs, us, vs;
  return !llvm::MulOverflow(kh, kw, k) && !llvm::MulOverflow(ci, k, n) &&
         !llvm::MulOverflow(co, n, w) &&
         !llvm::MulOverflow(bc, hasIntra() ? bi : ci, bs) &&
         !llvm::MulOverflow(bs, k, bs) && !llvm::MulOverflow(bc, ci, us) &&
         !llvm::MulOverflow(us, bi, us) && !llvm::MulOverflow(co, bc, vs);
}

int64_t GeneratorShape::basisSize() const {
  return bc * (hasIntra() ? bi : ci) * kernelSize();
}
int64_t GeneratorShape::coeffInSize() const {
  return hasIntra() ? bc * ci * bi : 0;
}
int64_t GeneratorShape::coeffOutSize() const {
  return hasCross() ? co * bc : 0;
}

bool GeneratorShape::has(GeneratorRole role) const {
  switch (role) {
  case GeneratorRole::Basis:
    return true;
  case GeneratorRole::CoeffIn:
    return hasIntra();
  case GeneratorRole::CoeffOut:
    return hasCross();
  }
  llvm_unreachable("unknown generator role");
}

bool mlir::mlg::compression::matchesShape(const Generators &g,
                                          const GeneratorShape &shape) {
  return shape.isValid() && int64_t(g.basis.size()) == shape.basisSize() &&
         int64_t(g.coeffIn.size()) == shape.coeffInSize() &&
         int64_t(g.coeffOut.size()) == shape.coeffOutSize();
}

std::vector<double>
mlir::mlg::compression::reconstruct(const Generators &g,
                                    const GeneratorShape &shape) {
  if (!matchesShape(g, shape))
    return {};
  MatrixXd w = basisKernels(g, shape);
  if (shape.hasCross())
    w = fromRowMajor(g.coeffOut.data(), shape.co, shape.bc) * w;
  std::vector<double> out(shape.weightSize());
  toRowMajor(w, out.data());
  return out;
}

double mlir::mlg::compression::relativeError(llvm::ArrayRef<double> weight,
                                             llvm::ArrayRef<double> approx) {
  if (weight.size() != approx.size())
    return std::numeric_limits<double>::quiet_NaN();
  double num = 0, den = 0;
  for (size_t i = 0; i < weight.size(); ++i) {
    double d = weight[i] - approx[i];
    num += d * d;
    den += weight[i] * weight[i];
  }
  if (den == 0)
    return num == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return std::sqrt(num / den);
}

Generators
mlir::mlg::compression::initializeBySVD(llvm::ArrayRef<double> weight,
                                        const GeneratorShape &shape) {
  if (!shape.isValid() || int64_t(weight.size()) != shape.weightSize() ||
      !allFinite(weight))
    return {};
  int64_t n = shape.ci * shape.kernelSize();
  MatrixXd w = fromRowMajor(weight.data(), shape.co, n);
  Generators g;

  // Level 2: V = U_r (orthonormal columns), Wc = S_r Vt_r. Without it the
  // basis kernels are the output kernels themselves (bc == co).
  MatrixXd wc = w;
  if (shape.hasCross()) {
    TruncatedSVD t = truncatedSVD(w, shape.bc);
    g.coeffOut.resize(shape.coeffOutSize());
    toRowMajor(t.u, g.coeffOut.data());
    wc = t.s.asDiagonal() * t.vt;
  }

  // Level 1 per basis kernel; without it Wc is the basis (the official code
  // leaves the basis stale in that case, which we do not reproduce).
  g.basis.resize(shape.basisSize());
  if (!shape.hasIntra()) {
    toRowMajor(wc, g.basis.data());
    return g;
  }
  g.coeffIn.resize(shape.coeffInSize());
  for (int64_t b = 0; b < shape.bc; ++b)
    factorKernel(wc.row(b), shape, g.coeffIn.data() + b * shape.ci * shape.bi,
                 g.basis.data() + b * shape.bi * shape.kernelSize());
  return g;
}

std::optional<SpectralProfile>
SpectralProfile::compute(llvm::ArrayRef<double> weight, int64_t co, int64_t ci,
                         int64_t kh, int64_t kw) {
  GeneratorShape sizes{co, ci, kh, kw, 0, co};
  if (!sizes.isValid() || int64_t(weight.size()) != sizes.weightSize() ||
      !allFinite(weight))
    return std::nullopt;
  int64_t k = sizes.kernelSize(), n = ci * k;
  SpectralProfile p;
  p.co = co;
  p.rank = std::min(co, n);
  p.maxBi = std::min(ci, k);
  Eigen::Map<const RowMat> w(weight.data(), co, n);
  p.normSq = w.squaredNorm();

  // Level 1 on each component, accumulated over bc.
  int64_t stride = p.rank + 1;
  p.componentTail.assign((p.maxBi + 1) * stride, 0.0);
  std::vector<double> tail(p.maxBi + 1);
  VectorXd values =
      visitSpectrum(w, [&](Eigen::Index b, const Eigen::RowVectorXd &row) {
        std::fill(tail.begin(), tail.end(), 0.0);
        addSquaredTails(fromRowMajor(row.data(), ci, k), tail.data());
        for (int64_t bi = 0; bi <= p.maxBi; ++bi)
          p.componentTail[bi * stride + b + 1] =
              p.componentTail[bi * stride + b] + tail[bi];
      });
  p.crossTail.assign(p.rank + 1, 0.0);
  for (int64_t b = p.rank - 1; b >= 0; --b)
    p.crossTail[b] = p.crossTail[b + 1] + values(b) * values(b);

  // Level 1 alone works on the output kernels themselves.
  p.kernelTail.assign(p.maxBi + 1, 0.0);
  for (int64_t o = 0; o < co; ++o)
    addSquaredTails(fromRowMajor(weight.data() + o * n, ci, k),
                    p.kernelTail.data());
  return p;
}

double SpectralProfile::relativeError(int64_t bi, int64_t bc) const {
  if (bi < 0 || bc < 1)
    return std::numeric_limits<double>::quiet_NaN();
  if (normSq == 0)
    return 0;
  int64_t level1 = std::min(bi, maxBi);
  double error = 0;
  if (bc == co) {
    if (bi > 0)
      error = kernelTail[level1];
  } else {
    int64_t kept = std::min(bc, rank);
    error = crossTail[kept];
    if (bi > 0)
      error += componentTail[level1 * (rank + 1) + kept];
  }
  return std::sqrt(error / normSq);
}

double mlir::mlg::compression::refineByALS(llvm::ArrayRef<double> weight,
                                           const GeneratorShape &shape,
                                           Generators &g,
                                           const RefineOptions &options) {
  if (!matchesShape(g, shape) || int64_t(weight.size()) != shape.weightSize() ||
      !allFinite(weight) || !allFinite(g.basis) || !allFinite(g.coeffIn) ||
      !allFinite(g.coeffOut))
    return std::numeric_limits<double>::quiet_NaN();
  // V held fixed with level 2 only: the kernels' least-squares fit to it,
  // (V^T V) Wc = V^T W.
  if (options.fixCoeffOut && shape.hasCross() && !shape.hasIntra()) {
    int64_t n = shape.ci * shape.kernelSize();
    Eigen::Map<const RowMat> w(weight.data(), shape.co, n);
    MatrixXd v = fromRowMajor(g.coeffOut.data(), shape.co, shape.bc);
    MatrixXd wc = solveGram(v.transpose() * v, v.transpose() * w);
    toRowMajor(wc, g.basis.data());
    return relativeError(weight, reconstruct(g, shape));
  }
  // One level only: the truncated SVD is already the optimum (Eckart-Young).
  if (!shape.hasIntra() || !shape.hasCross())
    return relativeError(weight, reconstruct(g, shape));

  const int64_t co = shape.co, ci = shape.ci, k = shape.kernelSize(),
                bi = shape.bi, bc = shape.bc, n = ci * k;
  Eigen::Map<const RowMat> w(weight.data(), co, n);
  ResidualMeter meter(w);
  if (meter.squaredNorm() == 0)
    return relativeError(weight, reconstruct(g, shape));
  MatrixXd v = fromRowMajor(g.coeffOut.data(), co, bc);
  RowMat wc = kernelsFromFactors(g.coeffIn.data(), g.basis.data(), shape);
  double error = squaredResidual(w, v, wc);
  double prev = std::sqrt(error / meter.squaredNorm());

  // Every step below minimises exactly, but through Grams (the design
  // matrices would be (co*ci) x (bc*bi)), so round-off could still raise the
  // error a little: a step that would is not taken.
  std::vector<double> &coeffIn = g.coeffIn, &basis = g.basis;
  for (int it = 0; it < options.maxIterations && prev > 0; ++it) {
    // (a) V = argmin ||W - V Wc||: V (Wc Wc^T) = W Wc^T.
    if (!options.fixCoeffOut) {
      MatrixXd gc = wc * wc.transpose();
      MatrixXd r = w * wc.transpose();
      MatrixXd candidate = solveGram(gc, r.transpose()).transpose();
      auto errorWith = [&](const MatrixXd &vx) {
        return meter(vx, wc, r.cwiseProduct(vx).sum(),
                     (vx.transpose() * vx).cwiseProduct(gc).sum());
      };
      double before = errorWith(v), after = errorWith(candidate);
      if (after <= before)
        v = std::move(candidate);
    }

    // V is fixed from here on, and with it everything the Grams need of W:
    // P = V^T W ([bc, ci*K]) and V^T V.
    MatrixXd gv = v.transpose() * v;
    RowMat p = v.transpose() * w;
    auto errorWith = [&](const RowMat &wcx) {
      return meter(v, wcx, p.cwiseProduct(wcx).sum(),
                   gv.cwiseProduct(wcx * wcx.transpose()).sum());
    };
    error = errorWith(wc);

    // (b) U given V and the bases. For each input channel c the design has
    // rows (o, s) and columns (b, j): V[o,b] basis[b,j,s]. Its Gram is
    // (V^T V)[b,b'] <basis[b,j], basis[b',j']>, its right-hand side
    // sum_s basis[b,j,s] P[b,(c,s)].
    {
      Eigen::Map<const RowMat> basisRows(basis.data(), bc * bi, k);
      MatrixXd gram =
          blockScaledGram(basisRows * basisRows.transpose(), gv, bi);
      MatrixXd rhs = MatrixXd::Zero(bc * bi, ci);
      for (int64_t b = 0; b < bc; ++b)
        for (int64_t j = 0; j < bi; ++j)
          for (int64_t c = 0; c < ci; ++c)
            for (int64_t s = 0; s < k; ++s)
              rhs(b * bi + j, c) +=
                  basis[(b * bi + j) * k + s] * p(b, c * k + s);
      MatrixXd x = solveGram(gram, rhs);
      std::vector<double> candidate(coeffIn.size());
      for (int64_t b = 0; b < bc; ++b)
        for (int64_t c = 0; c < ci; ++c)
          for (int64_t j = 0; j < bi; ++j)
            candidate[(b * ci + c) * bi + j] = x(b * bi + j, c);
      RowMat wcx = kernelsFromFactors(candidate.data(), basis.data(), shape);
      double after = errorWith(wcx);
      if (after <= error) {
        coeffIn = std::move(candidate);
        wc = std::move(wcx);
        error = after;
      }
    }

    // (c) The bases given V and U, likewise per kernel position s: columns
    // (b, j) are V[o,b] U[b,c,j] over rows (o, c), so the Gram is
    // (V^T V)[b,b'] <U[b,:,j], U[b',:,j']> and the right-hand side
    // sum_c U[b,c,j] P[b,(c,s)].
    {
      MatrixXd uRows(bc * bi, ci);
      for (int64_t b = 0; b < bc; ++b)
        for (int64_t c = 0; c < ci; ++c)
          for (int64_t j = 0; j < bi; ++j)
            uRows(b * bi + j, c) = coeffIn[(b * ci + c) * bi + j];
      MatrixXd gram = blockScaledGram(uRows * uRows.transpose(), gv, bi);
      MatrixXd rhs = MatrixXd::Zero(bc * bi, k);
      for (int64_t b = 0; b < bc; ++b)
        for (int64_t c = 0; c < ci; ++c)
          for (int64_t j = 0; j < bi; ++j) {
            double u = coeffIn[(b * ci + c) * bi + j];
            for (int64_t s = 0; s < k; ++s)
              rhs(b * bi + j, s) += u * p(b, c * k + s);
          }
      MatrixXd x = solveGram(gram, rhs);
      std::vector<double> candidate(basis.size());
      toRowMajor(x, candidate.data());
      RowMat wcx = kernelsFromFactors(coeffIn.data(), candidate.data(), shape);
      double after = errorWith(wcx);
      if (after <= error) {
        basis = std::move(candidate);
        wc = std::move(wcx);
        error = after;
      }
    }

    // (d) Block coordinate descent over basis kernels, U and basis jointly.
    // For fixed v_b and residual R_b = W - sum_{b' != b} v_b' Wc[b'],
    // ||R_b - v_b X||^2 = const + ||v_b||^2 ||T - X||^2 with
    // T = v_b^T R_b / ||v_b||^2 = (P[b] - sum_{b' != b} (V^T V)[b,b'] Wc[b'])
    // / ||v_b||^2, so the rank-Bi truncated SVD of T is exact; it also
    // rebalances U = u*s, basis = vt.
    for (int64_t b = 0; b < bc; ++b) {
      double vv = gv(b, b);
      if (vv == 0)
        continue; // Wc[b] does not affect the error; keep it.
      Eigen::RowVectorXd target = p.row(b);
      for (int64_t other = 0; other < bc; ++other)
        if (other != b)
          target -= gv(b, other) * wc.row(other);
      target /= vv;
      double *u = coeffIn.data() + b * ci * bi;
      double *basisB = basis.data() + b * bi * k;
      std::vector<double> oldU(u, u + ci * bi),
          oldBasis(basisB, basisB + bi * k);
      factorKernel(target, shape, u, basisB);
      RowMat kernel = fromRowMajor(u, ci, bi) * fromRowMajor(basisB, bi, k);
      Eigen::Map<const Eigen::RowVectorXd> row(kernel.data(), n);
      if ((target - row).squaredNorm() <= (target - wc.row(b)).squaredNorm()) {
        wc.row(b) = row;
      } else {
        std::copy(oldU.begin(), oldU.end(), u);
        std::copy(oldBasis.begin(), oldBasis.end(), basisB);
      }
    }
    error = errorWith(wc);
    toRowMajor(v, g.coeffOut.data());

    double cur = std::sqrt(std::max(error, 0.0) / meter.squaredNorm());
    bool converged = prev - cur <= options.relativeTolerance * prev;
    prev = cur;
    if (converged)
      break;
  }
  // The exact error of what `g` now holds (the loop's is an expansion).
  return std::sqrt(squaredResidual(w, v, wc) / meter.squaredNorm());
}
