//===- SmartDeal.cpp - Power-of-two sparse coefficient factors ------------===//

#include "mlg/Compression/SmartDeal.h"
#include "EigenSupport.h"
#include "Numerics.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <numeric>

using namespace mlir::mlg::compression;

int64_t Pow2Grid::encode(double value, double threshold) const {
  double magnitude = std::fabs(value);
  if (!(magnitude > 0) || magnitude < threshold)
    return 0;
  double exponent = std::round(std::log2(magnitude));
  exponent = std::clamp(exponent, double(minExponent()), double(maxExponent));
  int64_t code = int64_t(exponent) - minExponent() + 1;
  return value < 0 ? -code : code;
}

double mlir::mlg::compression::decodePow2Code(int64_t code,
                                              int64_t minExponent) {
  if (code == 0)
    return 0;
  double value = std::ldexp(1.0, int(minExponent + std::abs(code) - 1));
  return code < 0 ? -value : value;
}

double Pow2Grid::decode(int64_t code) const {
  return decodePow2Code(code, minExponent());
}

bool SmartDealShape::isValid() const {
  int64_t product = 0;
  return blocks > 0 && rows > 0 && k > 0 &&
         !llvm::MulOverflow(blocks, rows, product) &&
         !llvm::MulOverflow(product, k, product);
}

namespace {

/// A power of two near the largest |x| (1 when all are 0).
double powerOfTwoScale(const MatrixXd &a) {
  double largest = a.cwiseAbs().maxCoeff();
  return largest > 0 ? std::ldexp(1.0, int(std::round(std::log2(largest))))
                     : 1.0;
}

/// Least squares with a rank-revealing solver: the zero rows and columns of
/// a pruned C make the systems singular.
MatrixXd solveLeastSquares(const MatrixXd &lhs, const MatrixXd &rhs) {
  return lhs.completeOrthogonalDecomposition().solve(rhs);
}

/// One block A [rows, k] ~ C B with C on the grid; `keep` marks the rows of
/// C that may be non-zero. Follows se/alg.py::core_decompose.
void decomposeBlock(const MatrixXd &a, const std::vector<bool> &keep,
                    const SmartDealOptions &options, int64_t *codes,
                    double *basis) {
  const Pow2Grid &grid = options.grid;
  int64_t rows = a.rows(), k = a.cols();
  double scale = powerOfTwoScale(a);
  MatrixXd target = a / scale;
  auto round = [&](const MatrixXd &c, Eigen::MatrixX<int64_t> &code) {
    MatrixXd rounded(rows, k);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < k; ++j) {
        code(r, j) = keep[r] ? grid.encode(c(r, j), options.threshold) : 0;
        rounded(r, j) = grid.decode(code(r, j));
      }
    return rounded;
  };
  MatrixXd c = target;
  MatrixXd b = MatrixXd::Identity(k, k);
  Eigen::MatrixX<int64_t> code(rows, k), previous(rows, k);
  previous.setConstant(std::numeric_limits<int64_t>::min());
  for (int it = 0; it < options.maxIterations; ++it) {
    MatrixXd rounded = round(c, code);
    if (code == previous)
      break;
    previous = code;
    b = solveLeastSquares(rounded, target);
    // C = lstsq(B, A): min ||C B - A|| row by row, i.e. B^T C^T = A^T.
    c = solveLeastSquares(b.transpose(), target.transpose()).transpose();
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t j = 0; j < k; ++j)
        if (std::fabs(c(r, j)) < options.threshold)
          c(r, j) = 0;
      if (c.row(r).cwiseAbs().sum() < 5 * options.threshold)
        c.row(r).setZero();
    }
  }
  MatrixXd rounded = round(c, code);
  b = solveLeastSquares(rounded, target) * scale;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < k; ++j)
      codes[r * k + j] = code(r, j);
  toRowMajor(b, basis);
}

/// The rows to keep after pruning `fraction` of them by least l1 norm
/// (ties: the later row goes first, so the result is deterministic).
std::vector<bool> rowsToKeep(const MatrixXd &a, double fraction) {
  int64_t rows = a.rows();
  std::vector<bool> keep(rows, true);
  int64_t pruned = int64_t(std::floor(fraction * double(rows)));
  if (pruned <= 0)
    return keep;
  std::vector<int64_t> order(rows);
  std::iota(order.begin(), order.end(), 0);
  VectorXd norms = a.cwiseAbs().rowwise().sum();
  std::sort(order.begin(), order.end(), [&](int64_t x, int64_t y) {
    if (norms(x) != norms(y))
      return norms(x) < norms(y);
    return x > y;
  });
  for (int64_t i = 0; i < std::min(pruned, rows); ++i)
    keep[order[i]] = false;
  return keep;
}

} // namespace

SmartDealFactors
mlir::mlg::compression::decomposeSmartDeal(llvm::ArrayRef<double> weight,
                                           const SmartDealShape &shape,
                                           const SmartDealOptions &options) {
  if (!shape.isValid() || !options.grid.isValid() ||
      int64_t(weight.size()) != shape.size() || !allFinite(weight) ||
      !(options.rowPruneFraction >= 0 && options.rowPruneFraction < 1))
    return {};
  SmartDealFactors factors;
  factors.codes.resize(shape.size());
  factors.basis.resize(shape.blocks * shape.k * shape.k);
  int64_t blockSize = shape.rows * shape.k;
  for (int64_t block = 0; block < shape.blocks; ++block) {
    MatrixXd a =
        fromRowMajor(weight.data() + block * blockSize, shape.rows, shape.k);
    decomposeBlock(a, rowsToKeep(a, options.rowPruneFraction), options,
                   factors.codes.data() + block * blockSize,
                   factors.basis.data() + block * shape.k * shape.k);
  }
  return factors;
}

std::vector<double>
mlir::mlg::compression::reconstructSmartDeal(const SmartDealFactors &factors,
                                             const SmartDealShape &shape,
                                             const Pow2Grid &grid) {
  if (!shape.isValid() || int64_t(factors.codes.size()) != shape.size() ||
      int64_t(factors.basis.size()) != shape.blocks * shape.k * shape.k)
    return {};
  std::vector<double> result(shape.size(), 0.0);
  int64_t k = shape.k, blockSize = shape.rows * k;
  for (int64_t block = 0; block < shape.blocks; ++block) {
    const int64_t *c = factors.codes.data() + block * blockSize;
    const double *b = factors.basis.data() + block * k * k;
    double *out = result.data() + block * blockSize;
    for (int64_t r = 0; r < shape.rows; ++r)
      for (int64_t j = 0; j < k; ++j) {
        double coefficient = grid.decode(c[r * k + j]);
        if (coefficient == 0)
          continue;
        for (int64_t col = 0; col < k; ++col)
          out[r * k + col] += coefficient * b[j * k + col];
      }
  }
  return result;
}

std::vector<int64_t> mlir::mlg::compression::encodeColumnsPow2(
    llvm::ArrayRef<double> values, int64_t rows, int64_t cols,
    const Pow2Grid &grid, double threshold,
    std::vector<double> &columnScales) {
  std::vector<int64_t> codes(values.size(), 0);
  columnScales.assign(cols, 1.0);
  if (rows * cols != int64_t(values.size()) || !allFinite(values))
    return {};
  for (int64_t col = 0; col < cols; ++col) {
    double largest = 0;
    for (int64_t r = 0; r < rows; ++r)
      largest = std::max(largest, std::fabs(values[r * cols + col]));
    if (largest == 0)
      continue;
    double scale = std::ldexp(
        1.0, int(std::round(std::log2(largest))) - grid.maxExponent);
    columnScales[col] = scale;
    for (int64_t r = 0; r < rows; ++r)
      codes[r * cols + col] =
          grid.encode(values[r * cols + col] / scale, threshold);
  }
  return codes;
}

Pow2Storage mlir::mlg::compression::countPow2Storage(
    llvm::ArrayRef<int64_t> codes, int64_t rowLength, unsigned bits) {
  Pow2Storage storage;
  if (rowLength <= 0 || codes.size() % rowLength)
    return storage;
  int64_t rows = int64_t(codes.size()) / rowLength;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t nonzeros = llvm::count_if(codes.slice(r * rowLength, rowLength),
                                      [](int64_t c) { return c != 0; });
    storage.nonzeros += nonzeros;
    storage.nonzeroRows += nonzeros > 0;
  }
  int64_t allCodes = storage.nonzeroRows * rowLength * int64_t(bits);
  int64_t bitmapAndNonzeros =
      storage.nonzeroRows * rowLength + storage.nonzeros * int64_t(bits);
  storage.elementBitmap = bitmapAndNonzeros < allCodes;
  storage.bits = rows + std::min(allCodes, bitmapAndNonzeros);
  return storage;
}
