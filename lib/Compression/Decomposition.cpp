//===- Decomposition.cpp - Two-level generator decomposition --------------===//
//
// Eigen does the linear algebra internally (column-major); the interface stays
// row-major std::vector so callers need no Eigen. Everything is sequential and
// sign-normalised, so the same input gives bit-identical output.
//
//===----------------------------------------------------------------------===//

#include "mlg/Compression/Decomposition.h"
#include "Numerics.h"

#include "llvm/Support/MathExtras.h"

#include <Eigen/Dense>
#include <Eigen/SVD>

#include <cmath>
#include <limits>

using namespace mlir::mlg::compression;

namespace {
using Eigen::MatrixXd;
using Eigen::VectorXd;
using RowMat =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

MatrixXd fromRowMajor(const double *data, int64_t rows, int64_t cols) {
  return Eigen::Map<const RowMat>(data, rows, cols);
}

void toRowMajor(const MatrixXd &m, double *data) {
  Eigen::Map<RowMat>(data, m.rows(), m.cols()) = m;
}

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
  // BDCSVD falls back to Jacobi for small matrices; both are deterministic.
  Eigen::BDCSVD<MatrixXd> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
  int64_t kept = std::min<int64_t>(rank, svd.singularValues().size());
  for (int64_t i = 0; i < kept; ++i) {
    VectorXd u = svd.matrixU().col(i);
    VectorXd v = svd.matrixV().col(i);
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
  MatrixXd wc(shape.bc, n);
  for (int64_t b = 0; b < shape.bc; ++b) {
    MatrixXd u = fromRowMajor(g.coeffIn.data() + b * shape.ci * shape.bi,
                              shape.ci, shape.bi);
    MatrixXd basis =
        fromRowMajor(g.basis.data() + b * shape.bi * shape.kernelSize(),
                     shape.bi, shape.kernelSize());
    RowMat kernel = u * basis; // row-major so that it flattens as [ci, K]
    wc.row(b) = Eigen::Map<const Eigen::RowVectorXd>(kernel.data(), n);
  }
  return wc;
}
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

double mlir::mlg::compression::refineByALS(llvm::ArrayRef<double> weight,
                                           const GeneratorShape &shape,
                                           Generators &g,
                                           const RefineOptions &options) {
  if (!matchesShape(g, shape) || int64_t(weight.size()) != shape.weightSize() ||
      !allFinite(weight) || !allFinite(g.basis) || !allFinite(g.coeffIn) ||
      !allFinite(g.coeffOut))
    return std::numeric_limits<double>::quiet_NaN();
  // One level only: the truncated SVD is already the optimum (Eckart-Young).
  if (!shape.hasIntra() || !shape.hasCross())
    return relativeError(weight, reconstruct(g, shape));

  int64_t n = shape.ci * shape.kernelSize();
  MatrixXd w = fromRowMajor(weight.data(), shape.co, n);
  MatrixXd v = fromRowMajor(g.coeffOut.data(), shape.co, shape.bc);
  MatrixXd wc = basisKernels(g, shape);
  double normW = w.norm();
  if (normW == 0)
    return relativeError(weight, reconstruct(g, shape));
  double prev = (w - v * wc).norm() / normW;

  for (int it = 0; it < options.maxIterations && prev > 0; ++it) {
    // (a) V = argmin ||W - V Wc||, i.e. Wc^T V^T = W^T in the least-squares
    // sense; the COD gives the minimum-norm solution when Wc is rank
    // deficient (zero-padded ranks), without forming normal equations.
    Eigen::CompleteOrthogonalDecomposition<MatrixXd> cod(wc.transpose());
    v = cod.solve(w.transpose()).transpose();

    // (b) U with V and the bases fixed: for each input channel c,
    // W[:, c, :] = sum_{b,j} U[b,c,j] V[:,b] basis[b,j,:] is linear in U, and
    // all channels share the design matrix (rows (o,s), columns (b,j)).
    int64_t co = shape.co, ci = shape.ci, k = shape.kernelSize(), bi = shape.bi,
            bc = shape.bc;
    double *coeffIn = g.coeffIn.data(), *basis = g.basis.data();
    {
      MatrixXd design(co * k, bc * bi), rhs(co * k, ci);
      for (int64_t o = 0; o < co; ++o)
        for (int64_t s = 0; s < k; ++s) {
          for (int64_t b = 0; b < bc; ++b)
            for (int64_t j = 0; j < bi; ++j)
              design(o * k + s, b * bi + j) =
                  v(o, b) * basis[(b * bi + j) * k + s];
          for (int64_t c = 0; c < ci; ++c)
            rhs(o * k + s, c) = w(o, c * k + s);
        }
      MatrixXd x =
          Eigen::CompleteOrthogonalDecomposition<MatrixXd>(design).solve(rhs);
      for (int64_t b = 0; b < bc; ++b)
        for (int64_t c = 0; c < ci; ++c)
          for (int64_t j = 0; j < bi; ++j)
            coeffIn[(b * ci + c) * bi + j] = x(b * bi + j, c);
    }
    // (c) The bases with V and U fixed, likewise per kernel position s
    // (rows (o,c), columns (b,j)); the right-hand side is W as [co*ci, K].
    {
      MatrixXd design(co * ci, bc * bi);
      for (int64_t o = 0; o < co; ++o)
        for (int64_t c = 0; c < ci; ++c)
          for (int64_t b = 0; b < bc; ++b)
            for (int64_t j = 0; j < bi; ++j)
              design(o * ci + c, b * bi + j) =
                  v(o, b) * coeffIn[(b * ci + c) * bi + j];
      MatrixXd x =
          Eigen::CompleteOrthogonalDecomposition<MatrixXd>(design).solve(
              fromRowMajor(weight.data(), co * ci, k));
      for (int64_t b = 0; b < bc; ++b)
        for (int64_t j = 0; j < bi; ++j)
          for (int64_t s = 0; s < k; ++s)
            basis[(b * bi + j) * k + s] = x(b * bi + j, s);
    }
    wc = basisKernels(g, shape);

    // (d) Block coordinate descent over basis kernels, U and basis jointly.
    // For fixed v_b and residual R_b, ||R_b - v_b X||^2 = const + ||v_b||^2
    // ||v_b^T R_b / ||v_b||^2 - X||^2, so the rank-Bi truncated SVD of that
    // target is exact; it also rebalances U = u*s, basis = vt.
    MatrixXd residual = w - v * wc;
    for (int64_t b = 0; b < bc; ++b) {
      double vv = v.col(b).squaredNorm();
      if (vv == 0)
        continue; // Wc[b] does not affect the error; keep it.
      residual += v.col(b) * wc.row(b);
      Eigen::RowVectorXd target = v.col(b).transpose() * residual / vv;
      double *u = coeffIn + b * ci * bi;
      double *basisB = basis + b * bi * k;
      factorKernel(target, shape, u, basisB);
      RowMat kernel = fromRowMajor(u, ci, bi) * fromRowMajor(basisB, bi, k);
      wc.row(b) = Eigen::Map<const Eigen::RowVectorXd>(kernel.data(), n);
      residual -= v.col(b) * wc.row(b);
    }
    toRowMajor(v, g.coeffOut.data());

    double cur = residual.norm() / normW;
    bool converged = prev - cur <= options.relativeTolerance * prev;
    prev = cur;
    if (converged)
      break;
  }
  return relativeError(weight, reconstruct(g, shape));
}
