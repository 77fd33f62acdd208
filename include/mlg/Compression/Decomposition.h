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
#include "llvm/Support/ErrorHandling.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::mlg::compression {

/// The three stored generator tensors, named as in the paper's bit widths
/// (basis: qb, coeff_in U: qu, coeff_out V: qv).
enum class GeneratorRole { Basis, CoeffIn, CoeffOut };
inline constexpr GeneratorRole kGeneratorRoles[] = {
    GeneratorRole::Basis, GeneratorRole::CoeffIn, GeneratorRole::CoeffOut};

/// Whichever of a per-role triple `role` names.
template <typename T>
T &selectByRole(GeneratorRole role, T &basis, T &coeffIn, T &coeffOut) {
  switch (role) {
  case GeneratorRole::Basis:
    return basis;
  case GeneratorRole::CoeffIn:
    return coeffIn;
  case GeneratorRole::CoeffOut:
    return coeffOut;
  }
  llvm_unreachable("unknown generator role");
}

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
  /// Whether this shape has the tensor: the basis always, U with level 1,
  /// V with level 2.
  bool has(GeneratorRole role) const;
};

/// Generators of one weight, row-major float64.
struct Generators {
  std::vector<double>
      basis; // [Bc, Bi, kh, kw] with level 1, else [Bc, Ci, kh, kw]
  std::vector<double> coeffIn;  // [Bc, Ci, Bi]; empty without level 1
  std::vector<double> coeffOut; // [Co, Bc]; empty without level 2

  std::vector<double> &operator[](GeneratorRole role) {
    return selectByRole(role, basis, coeffIn, coeffOut);
  }
  const std::vector<double> &operator[](GeneratorRole role) const {
    return selectByRole(role, basis, coeffIn, coeffOut);
  }
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

/// Errors of initializeBySVD for every (bi, bc) of one weight, from one SVD of
/// W viewed [co, ci*kh*kw] and small SVDs of each rank-one component
/// reshaped [ci, kh*kw] (and of each output kernel W[o] reshaped
/// [ci, kh*kw], for bc == co), so that sizing generators need no
/// decomposition per candidate.
///
/// With W = sum_b s_b u_b v_b^T, the initialisation keeps the first bc
/// components (level 2) and replaces each s_b v_b, viewed [ci, K], by its
/// rank-bi truncation (level 1), so
///   err^2 = sum_{b >= bc} s_b^2 + sum_{b < bc} sum_{j >= bi} sigma_{b,j}^2
/// with sigma_{b,j} the singular values of s_b v_b viewed [ci, K]; without
/// level 2 the second sum runs over the output kernels W[o] instead. Only
/// these sums are stored, O(min(co, ci*K) * min(ci, K)) numbers.
class SpectralProfile {
public:
  /// std::nullopt when the sizes are not positive, their product overflows
  /// or differs from weight.size(), or `weight` is not finite.
  static std::optional<SpectralProfile> compute(llvm::ArrayRef<double> weight,
                                                int64_t co, int64_t ci,
                                                int64_t kh, int64_t kw);

  /// ||W - reconstruct(initializeBySVD(W, {co, ci, kh, kw, bi, bc}))||_F /
  /// ||W||_F, exactly up to round-off, for bi >= 0 and bc >= 1 with the
  /// conventions of GeneratorShape: bc == co means no level 2, bi == 0 no
  /// level 1, and ranks beyond what exists (bi >= min(ci, K),
  /// bc >= min(co, ci*K)) lose nothing at that level. 0 when W == 0; NaN for
  /// bi < 0 or bc < 1.
  double relativeError(int64_t bi, int64_t bc) const;

  /// Squared Frobenius norm of W.
  double squaredNorm() const { return normSq; }

private:
  SpectralProfile() = default;

  int64_t co = 0;
  /// min(co, ci*K): the components level 2 can keep.
  int64_t rank = 0;
  /// min(ci, K): the largest level-1 rank that can lose anything.
  int64_t maxBi = 0;
  double normSq = 0;
  /// [rank + 1]: at bc, sum_{b >= bc} s_b^2.
  std::vector<double> crossTail;
  /// [(maxBi + 1) * (rank + 1)]: at (bi, bc), sum_{b < bc} sum_{j >= bi}
  /// sigma_{b,j}^2.
  std::vector<double> componentTail;
  /// [maxBi + 1]: at bi, the level-1 error of all output kernels (no level 2).
  std::vector<double> kernelTail;
};

struct RefineOptions {
  int maxIterations = 20;
  /// Stop when (previous - current) error <= relativeTolerance * previous.
  double relativeTolerance = 1e-6;
  /// Skip step (a): V stays as given (e.g. already on a power-of-two grid)
  /// and only U and the bases are fitted to it; with level 2 alone the
  /// kernels are then the least-squares fit to V.
  bool fixCoeffOut = false;
};

/// Alternating least squares on ||W - V (U (x) basis)||_F when both levels are
/// on. Each step is an exact minimisation, so the error never increases:
///  (a) V given U and the bases;
///  (b) all of U given V and the bases (one system per input channel);
///  (c) all bases given V and U (one system per kernel position);
///  (d) for each basis kernel b in turn, U_b and basis_b jointly: the rank-Bi
///      truncated SVD of v_b^T R_b / ||v_b||^2, R_b the residual without b
///      (for orthonormal V this is the truncated SVD of (V^T W)_b).
/// The least-squares steps solve their small (Bc*Bi)^2 or Bc^2 Gram systems
/// (Cholesky, or a pseudo-inverse when rank deficient, e.g. zero-padded
/// ranks), built from V^T W, V^T V and the fixed factors, never from the
/// (Co*Ci) x (Bc*Bi) design matrices; a step that round-off would make worse
/// is not taken. Cost per iteration: about 4*Co*Bc*Ci*kh*kw flops.
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
