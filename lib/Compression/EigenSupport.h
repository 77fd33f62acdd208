//===- EigenSupport.h - Eigen helpers private to the library ----*- C++ -*-===//
//
// Shared by the .cpp files of the compression library, which use Eigen
// internally (column-major by default) behind row-major std::vector
// interfaces. Not installed: public headers stay free of Eigen.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_LIB_COMPRESSION_EIGENSUPPORT_H
#define MLG_LIB_COMPRESSION_EIGENSUPPORT_H

#include "mlg/Compression/Decomposition.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cstdint>

namespace mlir::mlg::compression {

using Eigen::MatrixXd;
using Eigen::VectorXd;
using RowMat =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

inline MatrixXd fromRowMajor(const double *data, int64_t rows, int64_t cols) {
  return Eigen::Map<const RowMat>(data, rows, cols);
}

inline void toRowMajor(const MatrixXd &m, double *data) {
  Eigen::Map<RowMat>(data, m.rows(), m.cols()) = m;
}

/// Wc [bc, ci*K] from level-1 factors U [bc, ci, bi] and bases [bc, bi, K];
/// row b is basis kernel b flattened as [ci, K].
inline RowMat kernelsFromFactors(const double *coeffIn, const double *basis,
                                 const GeneratorShape &shape) {
  int64_t n = shape.ci * shape.kernelSize();
  RowMat wc(shape.bc, n);
  for (int64_t b = 0; b < shape.bc; ++b) {
    MatrixXd u =
        fromRowMajor(coeffIn + b * shape.ci * shape.bi, shape.ci, shape.bi);
    MatrixXd factor = fromRowMajor(basis + b * shape.bi * shape.kernelSize(),
                                   shape.bi, shape.kernelSize());
    RowMat kernel = u * factor; // row-major so that it flattens as [ci, K]
    wc.row(b) = Eigen::Map<const Eigen::RowVectorXd>(kernel.data(), n);
  }
  return wc;
}

/// ||W - V Wc||_F^2, formed a band of rows at a time: a whole residual would
/// be as large as W, and allocating that costs more than the product.
inline double squaredResidual(const Eigen::Map<const RowMat> &w,
                              const MatrixXd &v, const RowMat &wc) {
  constexpr Eigen::Index kBand = 32;
  double sum = 0;
  for (Eigen::Index r = 0; r < w.rows(); r += kBand) {
    Eigen::Index rows = std::min(kBand, w.rows() - r);
    sum += (w.middleRows(r, rows) - v.middleRows(r, rows) * wc).squaredNorm();
  }
  return sum;
}

} // namespace mlir::mlg::compression

#endif // MLG_LIB_COMPRESSION_EIGENSUPPORT_H
