//===- PrecisionSearch.h - Bit widths of generator tensors ------*- C++ -*-===//
//
// Mixed-precision storage of MLG generators (method.md §2): how many bits,
// and how many scales, each of a layer's basis, U and V gets. Either the
// fewest stored bits that keep one layer under an error target, or the
// smallest total error that keeps several layers under one memory budget.
// The quantizer is the midrise one of Quantization.h. Pure numerics, no MLIR
// IR; tensors are row-major float64 with the shapes of Generators.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_COMPRESSION_PRECISIONSEARCH_H
#define MLG_COMPRESSION_PRECISIONSEARCH_H

#include "mlg/Compression/Decomposition.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir::mlg::compression {

/// How one generator tensor is stored: `bits` per code on the midrise grid of
/// quantizeMidrise, with one scale per tensor (axis == -1) or one per index
/// of dimension `axis` (quantizeMidrisePerChannel). Dimensions are those of
/// Generators: basis [Bc, Bi, kh, kw] ([Bc, Ci, kh, kw] without level 1),
/// coeffIn [Bc, Ci, Bi], coeffOut [Co, Bc].
struct TensorPrecision {
  /// Code width, in [1, kMaxCodeBits].
  unsigned bits = 8;
  /// -1: one scale for the whole tensor; else the dimension indexing scales.
  int64_t axis = -1;

  bool operator==(const TensorPrecision &other) const {
    return bits == other.bits && axis == other.axis;
  }
  bool operator!=(const TensorPrecision &other) const {
    return !(*this == other);
  }
};

/// Storage of one layer's generators. A tensor the layer does not have
/// (coeffIn without level 1, coeffOut without level 2) is ignored.
struct LayerPrecision {
  TensorPrecision basis, coeffIn, coeffOut;

  TensorPrecision &operator[](GeneratorRole role) {
    return selectByRole(role, basis, coeffIn, coeffOut);
  }
  const TensorPrecision &operator[](GeneratorRole role) const {
    return selectByRole(role, basis, coeffIn, coeffOut);
  }
};

struct PrecisionSearchOptions {
  /// Code widths the search may choose from, inclusive;
  /// 1 <= minBits <= maxBits <= kMaxCodeBits.
  unsigned minBits = 2, maxBits = 8;
  /// Whether a tensor may also take one scale per index of its first
  /// dimension (basis and coeffIn: Bc scales, coeffOut: Co) instead of one.
  bool allowPerChannel = true;
  /// Stored bits of each scale.
  unsigned scaleBits = 32;
};

/// One layer's chosen storage and what it costs.
struct LayerPrecisionPlan {
  LayerPrecision precision;
  /// storedBits(shape, precision, scaleBits).
  int64_t storedBits = 0;
  /// ||reference - reconstruct(quantizeGenerators(gens, shape, precision))||_F
  /// / ||reference||_F, from a real reconstruction (0 when both are zero,
  /// +inf when only the reference is).
  double relError = 0;
};

/// The generators as stored at `precision` and decoded back to float64 (what
/// the IR computes with): each present tensor through quantizeMidrise or
/// quantizeMidrisePerChannel, then dequantize. Empty generators when `gens`
/// does not match `shape`, a value is not finite, or a precision is invalid.
Generators quantizeGenerators(const Generators &gens,
                              const GeneratorShape &shape,
                              const LayerPrecision &precision);

/// Stored bits of a layer at `precision`: for each present tensor, its
/// element count times `bits`, plus `scaleBits` per scale. -1 when the shape
/// or a present tensor's precision is invalid.
int64_t storedBits(const GeneratorShape &shape, const LayerPrecision &precision,
                   unsigned scaleBits = 32);

/// The precision with the fewest stored bits whose relError is at most
/// `maxRelError`, where `reference` is the dense weight when known (else
/// reconstruct(gens, shape)). Every present tensor gets a width in
/// [minBits, maxBits] and one scale, or one per index of its first dimension
/// when allowed. Quantizing one tensor at a time is costed in closed form
/// from small Grams; the cheapest combination by that estimate is then
/// checked by a real reconstruction, raised while it misses, and lowered
/// while a cheaper neighbour (one tensor one bit narrower, or with fewer
/// scales) still meets the target, so the result is locally optimal for the
/// real error. std::nullopt when even maxBits everywhere (per channel if
/// allowed) misses the target, or on invalid input (sizes that do not match,
/// non-finite values, options out of range).
std::optional<LayerPrecisionPlan>
minimizeBitsForError(llvm::ArrayRef<double> reference,
                     const GeneratorShape &shape, const Generators &gens,
                     double maxRelError,
                     const PrecisionSearchOptions &options = {});

/// One layer of a budgeted search; `reference` and `*gens` must outlive the
/// call.
struct LayerInput {
  /// The dense weight, or reconstruct(*gens, shape) when it is not known.
  llvm::ArrayRef<double> reference;
  GeneratorShape shape;
  const Generators *gens = nullptr;
};

/// Precisions for all layers with sum of storedBits <= budgetBits that keep
/// sum_l ||ref_l - Wq_l||^2 / sum_l ||ref_l||^2 small: greedy marginal
/// analysis from minBits with one scale everywhere, repeatedly taking the
/// upgrade of one tensor (wider, or per channel) with the largest estimated
/// error reduction per added bit that still fits. Plans are in the order of
/// `layers`, with real errors. std::nullopt when even minBits everywhere
/// exceeds the budget, or on invalid input.
std::optional<std::vector<LayerPrecisionPlan>>
minimizeErrorForBits(llvm::ArrayRef<LayerInput> layers, int64_t budgetBits,
                     const PrecisionSearchOptions &options = {});

} // namespace mlir::mlg::compression

#endif // MLG_COMPRESSION_PRECISIONSEARCH_H
