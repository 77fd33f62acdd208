//===- Decomposition.h - Two-level generator decomposition ------*- C++ -*-===//
//
// Post-training projection of a conv weight onto MLG's two-level generators
// (docs/method.md §1.3, §5 "SVD alternative"): truncated SVD at both levels,
// optionally refined by alternating least squares. Pure numerics, no MLIR IR.
// All tensors are row-major float64 with the shapes documented below.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_COMPRESSION_DECOMPOSITION_H
#define MLG_COMPRESSION_DECOMPOSITION_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace mlir::mlg::compression {

/// Shape of one layer's weight and its generator sizes. bi == 0: no level 1
/// (intra-kernel); bc == co: no level 2 (cross-kernel).
///
/// Generator sizes are taken as given. A rank larger than what exists
/// (bi > min(ci, kh*kw), bc > min(co, ci*kh*kw)) is allowed: the SVD fills the
/// ranks that exist and pads the rest with zeros.
struct GeneratorShape {
  int64_t co = 0, ci = 0, kh = 0, kw = 0, bi = 0, bc = 0;

  bool hasIntra() const { return bi > 0; }
  bool hasCross() const { return bc != co; }
  /// Positive dimensions, bi >= 0, bc > 0; no size product overflows.
  bool isValid() const;
  int64_t kernelSize() const { return kh * kw; }
  int64_t weightSize() const { return co * ci * kh * kw; }
  /// Element counts of the three generators for this shape (0 when absent).
  int64_t basisSize() const;
  int64_t coeffInSize() const;
  int64_t coeffOutSize() const;
};

/// Generators of one weight, row-major float64.
struct Generators {
  std::vector<double>
      basis; // [Bc, Bi, kh, kw] with level 1, else [Bc, Ci, kh, kw]
  std::vector<double> coeffIn;  // [Bc, Ci, Bi]; empty without level 1
  std::vector<double> coeffOut; // [Co, Bc]; empty without level 2
};

/// True when `gens` has exactly the sizes `shape` asks for.
bool matchesShape(const Generators &gens, const GeneratorShape &shape);

/// W = V * (U (x) basis) as [Co, Ci, kh, kw]:
/// Wc[b,c,s] = sum_j U[b,c,j] basis[b,j,s]; W[o] = sum_b V[o,b] Wc[b].
/// Returns an empty vector when the shape is invalid or the sizes mismatch.
std::vector<double> reconstruct(const Generators &gens,
                                const GeneratorShape &shape);

/// ||W - W'||_F / ||W||_F; 0 when both are zero, +inf when only W is zero,
/// NaN when the sizes differ.
double relativeError(llvm::ArrayRef<double> weight,
                     llvm::ArrayRef<double> approx);

/// The official two-level truncated-SVD initialisation (method.md §5):
/// level 2: SVD of W viewed [Co, Ci*kh*kw]; V = the first Bc left singular
/// vectors (orthonormal columns), Wc = S_r Vt_r; level 1: per basis kernel b,
/// the rank-Bi SVD of Wc[b] viewed [Ci, kh*kw] gives U_b = u*s, basis_b = vt.
/// Level 1 alone works per output kernel; level 2 alone writes Wc to the basis
/// (the official code forgets to). Neither level: basis = W.
/// Singular vector signs are fixed (largest-magnitude entry of each left
/// vector positive), so the result is deterministic. Returns empty generators
/// when the shape is invalid or `weight` has the wrong size.
Generators initializeBySVD(llvm::ArrayRef<double> weight,
                           const GeneratorShape &shape);

struct RefineOptions {
  int maxIterations = 20;
  /// Stop when (previous - current) error <= relativeTolerance * previous.
  double relativeTolerance = 1e-6;
};

/// Alternating least squares on ||W - V (U (x) basis)||_F when both levels are
/// on. Each step is an exact minimisation (least squares by complete
/// orthogonal decomposition, never normal equations), so the error never
/// increases:
///  (a) V given U and the bases;
///  (b) all of U given V and the bases (one solve per input channel);
///  (c) all bases given V and U (one solve per kernel position);
///  (d) for each basis kernel b in turn, U_b and basis_b jointly: the rank-Bi
///      truncated SVD of v_b^T R_b / ||v_b||^2, R_b the residual without b
///      (for orthonormal V this is the truncated SVD of (V^T W)_b).
/// Like any ALS for a block-term decomposition it can stall in a local
/// minimum. With one level only the SVD initialisation is already optimal
/// (Eckart-Young) and `gens` is left as is. Stops after maxIterations or when
/// the relative improvement is <= relativeTolerance. Returns the final
/// relative error, or NaN (leaving `gens` untouched) when the inputs do not
/// match the shape or are not finite.
double refineByALS(llvm::ArrayRef<double> weight, const GeneratorShape &shape,
                   Generators &gens, const RefineOptions &options = {});

} // namespace mlir::mlg::compression

#endif // MLG_COMPRESSION_DECOMPOSITION_H
