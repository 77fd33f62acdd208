//===- PrecisionSearch.cpp - Bit widths of generator tensors --------------===//
//
// The quantization errors of basis, U and V are nearly additive (to first
// order each is orthogonal to the decomposition residual, and the three
// perturbations are independent noise), so each tensor's candidates are
// costed alone, in closed form: with the others in float, quantizing V
// changes W by dV Wc, U or the basis by V dWc, whose squared norms follow
// from the bc x bc or (bc*bi) x (bc*bi) Grams without forming W. Searches
// pick combinations on that model; what they return is then checked, or
// measured, by real reconstruction. Sequential and deterministic.
//
//===----------------------------------------------------------------------===//

#include "mlg/Compression/PrecisionSearch.h"
#include "EigenSupport.h"
#include "Numerics.h"

#include "mlg/Compression/Quantization.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

using namespace mlir::mlg;
using namespace mlir::mlg::compression;

namespace {

constexpr size_t kNumRoles = std::size(kGeneratorRoles);

llvm::SmallVector<int64_t, 4> dimsOf(const GeneratorShape &shape,
                                     GeneratorRole role) {
  switch (role) {
  case GeneratorRole::Basis:
    return {shape.bc, shape.hasIntra() ? shape.bi : shape.ci, shape.kh,
            shape.kw};
  case GeneratorRole::CoeffIn:
    return {shape.bc, shape.ci, shape.bi};
  case GeneratorRole::CoeffOut:
    return {shape.co, shape.bc};
  }
  llvm_unreachable("unknown generator role");
}

/// Stored bits of one tensor, or -1 when `p` is invalid for `dims` or the
/// count overflows.
int64_t tensorBits(llvm::ArrayRef<int64_t> dims, TensorPrecision p,
                   unsigned scaleBits) {
  if (p.bits < 1 || p.bits > kMaxCodeBits || p.axis < -1 ||
      p.axis >= int64_t(dims.size()))
    return -1;
  int64_t numel = 1, codes, scales, total;
  for (int64_t d : dims)
    numel *= d; // GeneratorShape::isValid rules out overflow here
  int64_t scaleCount = p.axis < 0 ? 1 : dims[p.axis];
  if (llvm::MulOverflow(numel, int64_t(p.bits), codes) ||
      llvm::MulOverflow(scaleCount, int64_t(scaleBits), scales) ||
      llvm::AddOverflow(codes, scales, total))
    return -1;
  return total;
}

/// `values` quantized at `p` and decoded; empty when the quantizer refuses.
std::vector<double> quantizeTensor(llvm::ArrayRef<double> values,
                                   llvm::ArrayRef<int64_t> dims,
                                   TensorPrecision p) {
  QuantizedTensor q =
      p.axis < 0 ? quantizeMidrise(values, p.bits)
                 : quantizeMidrisePerChannel(values, dims, p.bits, p.axis);
  if (!q.isValid())
    return {};
  return dequantize(q, dims);
}

/// Gram of the rows of x (rows (b, j), `bi` per basis kernel): all of it
/// ([rows, rows]), or, when no V couples the basis kernels, only its
/// bi x bi diagonal blocks, stacked ([rows, bi]); a full Gram would be
/// mostly zeros, and at Bc = Co hundreds of megabytes.
MatrixXd rowGram(const MatrixXd &x, int64_t bi, bool blocksOnly) {
  if (!blocksOnly)
    return x * x.transpose();
  MatrixXd g(x.rows(), bi);
  for (Eigen::Index first = 0; first < x.rows(); first += bi)
    g.middleRows(first, bi) =
        x.middleRows(first, bi) * x.middleRows(first, bi).transpose();
  return g;
}

/// sum_{b,b'} G[b,b'] <K_b, K_b'> for kernels K_b = sum_j x_{bj}^T y_{bj}
/// given the row Grams of x and y (both full, or both stacked diagonal
/// blocks): <K_b, K_b'> = sum_{j,j'} xGram ∘ yGram over block (b, b').
/// G = V^T V, or the identity (gv == nullptr: only diagonal blocks count).
double kernelEnergy(const MatrixXd &xGram, const MatrixXd &yGram, int64_t bi,
                    const MatrixXd *gv) {
  if (!gv)
    return xGram.cwiseProduct(yGram).sum();
  double sum = 0;
  for (Eigen::Index p = 0; p < xGram.rows(); ++p)
    for (Eigen::Index q = 0; q < xGram.cols(); ++q)
      sum += (*gv)(p / bi, q / bi) * xGram(p, q) * yGram(p, q);
  return sum;
}

/// U as rows (b, j) over input channels: [bc*bi, ci].
MatrixXd coeffInRows(llvm::ArrayRef<double> coeffIn,
                     const GeneratorShape &shape) {
  MatrixXd rows(shape.bc * shape.bi, shape.ci);
  for (int64_t b = 0; b < shape.bc; ++b)
    for (int64_t c = 0; c < shape.ci; ++c)
      for (int64_t j = 0; j < shape.bi; ++j)
        rows(b * shape.bi + j, c) = coeffIn[(b * shape.ci + c) * shape.bi + j];
  return rows;
}

/// Closed-form ||W(gens) - W(gens with one tensor replaced)||_F^2, the
/// others kept in float. Precomputes the Grams of the float factors once.
class SingleTensorError {
public:
  SingleTensorError(const Generators &gens, const GeneratorShape &shape)
      : gens(gens), shape(shape) {
    bool blocksOnly = !shape.hasCross();
    if (shape.hasCross()) {
      MatrixXd v = fromRowMajor(gens.coeffOut.data(), shape.co, shape.bc);
      gv = v.transpose() * v;
    }
    if (shape.hasIntra()) {
      uGram = rowGram(coeffInRows(gens.coeffIn, shape), shape.bi, blocksOnly);
      basisGram = rowGram(basisRows(gens.basis), shape.bi, blocksOnly);
    }
    if (shape.hasCross()) {
      // Wc Wc^T: block sums of uGram ∘ basisGram, or the basis' own Gram.
      if (shape.hasIntra()) {
        MatrixXd product = uGram.cwiseProduct(basisGram);
        gc = MatrixXd::Zero(shape.bc, shape.bc);
        for (Eigen::Index p = 0; p < product.rows(); ++p)
          for (Eigen::Index q = 0; q < product.cols(); ++q)
            gc(p / shape.bi, q / shape.bi) += product(p, q);
      } else {
        MatrixXd basis = basisRows(gens.basis);
        gc = basis * basis.transpose();
      }
    }
  }

  double operator()(GeneratorRole role, llvm::ArrayRef<double> replaced) const {
    std::vector<double> delta(replaced.begin(), replaced.end());
    const std::vector<double> &original = gens[role];
    for (size_t i = 0; i < delta.size(); ++i)
      delta[i] -= original[i];
    const MatrixXd *coupling = shape.hasCross() ? &gv : nullptr;
    bool blocksOnly = !shape.hasCross();
    switch (role) {
    case GeneratorRole::CoeffOut: {
      // ||dV Wc||^2 = tr(dV (Wc Wc^T) dV^T).
      MatrixXd dv = fromRowMajor(delta.data(), shape.co, shape.bc);
      return (dv * gc).cwiseProduct(dv).sum();
    }
    case GeneratorRole::CoeffIn:
      return kernelEnergy(
          rowGram(coeffInRows(delta, shape), shape.bi, blocksOnly), basisGram,
          shape.bi, coupling);
    case GeneratorRole::Basis: {
      MatrixXd rows = basisRows(delta);
      if (shape.hasIntra())
        return kernelEnergy(uGram, rowGram(rows, shape.bi, blocksOnly),
                            shape.bi, coupling);
      // The basis is Wc itself: ||V dWc||^2 = <V^T V, dWc dWc^T>.
      if (!coupling)
        return rows.squaredNorm();
      return gv.cwiseProduct(rows * rows.transpose()).sum();
    }
    }
    llvm_unreachable("unknown generator role");
  }

private:
  /// The basis as rows: (b, j) over K with level 1, else b over ci*K.
  MatrixXd basisRows(llvm::ArrayRef<double> basis) const {
    int64_t k = shape.kernelSize();
    return shape.hasIntra()
               ? fromRowMajor(basis.data(), shape.bc * shape.bi, k)
               : fromRowMajor(basis.data(), shape.bc, shape.ci * k);
  }

  const Generators &gens;
  const GeneratorShape &shape;
  MatrixXd gv, gc, uGram, basisGram;
};

/// ||reference - reconstruct(gens)||_F^2 without materialising the
/// reconstruction (searches evaluate many candidates).
double reconstructionError(llvm::ArrayRef<double> reference,
                           const Generators &gens,
                           const GeneratorShape &shape) {
  int64_t n = shape.ci * shape.kernelSize();
  Eigen::Map<const RowMat> ref(reference.data(), shape.co, n);
  RowMat wc =
      shape.hasIntra()
          ? kernelsFromFactors(gens.coeffIn.data(), gens.basis.data(), shape)
          : RowMat(Eigen::Map<const RowMat>(gens.basis.data(), shape.bc, n));
  if (!shape.hasCross())
    return (ref - wc).squaredNorm();
  return squaredResidual(
      ref, fromRowMajor(gens.coeffOut.data(), shape.co, shape.bc), wc);
}

/// relativeError's conventions for a squared error against ||reference||^2.
double relativeFrom(double errorSq, double referenceSq) {
  if (referenceSq == 0)
    return errorSq == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return std::sqrt(errorSq / referenceSq);
}

/// One way to store one tensor, its stored bits and estimated error.
struct Candidate {
  TensorPrecision precision;
  int64_t bits = 0;
  double errorSq = 0;
};

/// Indices into each role's candidates: one layer's precision.
using Choice = std::array<size_t, kNumRoles>;

/// A layer prepared for searching: every candidate of every present tensor
/// with its estimated error (an absent tensor has one free candidate).
struct LayerModel {
  llvm::ArrayRef<double> reference;
  const GeneratorShape *shape = nullptr;
  const Generators *gens = nullptr;
  unsigned scaleBits = 32;
  double referenceSq = 0;
  /// ||reference - W(float gens)||^2, what quantization adds to.
  double floatErrorSq = 0;
  std::array<std::vector<Candidate>, kNumRoles> candidates;

  int64_t bitsOf(const Choice &c) const {
    int64_t total = 0;
    for (size_t r = 0; r < kNumRoles; ++r)
      total += candidates[r][c[r]].bits;
    return total;
  }
  double estimateOf(const Choice &c) const {
    double total = floatErrorSq;
    for (size_t r = 0; r < kNumRoles; ++r)
      total += candidates[r][c[r]].errorSq;
    return total;
  }
  LayerPrecision precisionOf(const Choice &c) const {
    LayerPrecision p;
    for (size_t r = 0; r < kNumRoles; ++r)
      p[kGeneratorRoles[r]] = candidates[r][c[r]].precision;
    return p;
  }
  /// The real squared error at `c`.
  double measure(const Choice &c) const {
    Generators q = quantizeGenerators(*gens, *shape, precisionOf(c));
    return reconstructionError(reference, q, *shape);
  }
};

/// Options in range and one layer's data consistent and finite.
bool validOptions(const PrecisionSearchOptions &options) {
  return options.minBits >= 1 && options.minBits <= options.maxBits &&
         options.maxBits <= kMaxCodeBits;
}

bool validLayer(llvm::ArrayRef<double> reference, const GeneratorShape &shape,
                const Generators &gens) {
  return matchesShape(gens, shape) &&
         int64_t(reference.size()) == shape.weightSize() &&
         allFinite(reference) && allFinite(gens.basis) &&
         allFinite(gens.coeffIn) && allFinite(gens.coeffOut);
}

/// Costs every candidate of every present tensor: widths minBits..maxBits,
/// one scale or (if allowed and it differs) one per index of dimension 0.
std::optional<LayerModel> buildModel(llvm::ArrayRef<double> reference,
                                     const GeneratorShape &shape,
                                     const Generators &gens,
                                     const PrecisionSearchOptions &options) {
  if (!validLayer(reference, shape, gens))
    return std::nullopt;
  LayerModel m;
  m.reference = reference;
  m.shape = &shape;
  m.gens = &gens;
  m.scaleBits = options.scaleBits;
  for (double x : reference)
    m.referenceSq += x * x;
  m.floatErrorSq = reconstructionError(reference, gens, shape);
  SingleTensorError single(gens, shape);
  for (size_t r = 0; r < kNumRoles; ++r) {
    GeneratorRole role = kGeneratorRoles[r];
    if (!shape.has(role)) {
      m.candidates[r].push_back({});
      continue;
    }
    llvm::SmallVector<int64_t, 4> dims = dimsOf(shape, role);
    llvm::SmallVector<int64_t, 2> axes{-1};
    if (options.allowPerChannel && dims[0] > 1)
      axes.push_back(0);
    for (unsigned bits = options.minBits; bits <= options.maxBits; ++bits)
      for (int64_t axis : axes) {
        TensorPrecision p{bits, axis};
        std::vector<double> q = quantizeTensor(gens[role], dims, p);
        int64_t stored = tensorBits(dims, p, options.scaleBits);
        if (q.empty() || stored < 0)
          return std::nullopt;
        m.candidates[r].push_back({p, stored, single(role, q)});
      }
  }
  return m;
}

/// Best estimated error reduction per added bit among single-tensor moves
/// from `c` to a costlier, better candidate whose layer cost stays within
/// `maxBits` (no limit when negative). Returns false when there is none.
bool bestUpgrade(const LayerModel &m, const Choice &c, int64_t maxBits,
                 size_t &role, size_t &index, double &ratio) {
  bool found = false;
  int64_t current = m.bitsOf(c);
  for (size_t r = 0; r < kNumRoles; ++r) {
    const Candidate &from = m.candidates[r][c[r]];
    for (size_t i = 0; i < m.candidates[r].size(); ++i) {
      const Candidate &to = m.candidates[r][i];
      int64_t added = to.bits - from.bits;
      if (added <= 0 || !(to.errorSq < from.errorSq) ||
          (maxBits >= 0 && current + added > maxBits))
        continue;
      double gain = (from.errorSq - to.errorSq) / double(added);
      if (!found || gain > ratio) {
        found = true;
        role = r, index = i, ratio = gain;
      }
    }
  }
  return found;
}

} // namespace

Generators
mlir::mlg::compression::quantizeGenerators(const Generators &gens,
                                           const GeneratorShape &shape,
                                           const LayerPrecision &precision) {
  if (!matchesShape(gens, shape))
    return {};
  Generators out;
  for (GeneratorRole role : kGeneratorRoles) {
    if (!shape.has(role))
      continue;
    llvm::SmallVector<int64_t, 4> dims = dimsOf(shape, role);
    TensorPrecision p = precision[role];
    if (tensorBits(dims, p, 0) < 0)
      return {};
    std::vector<double> q = quantizeTensor(gens[role], dims, p);
    if (q.empty())
      return {};
    out[role] = std::move(q);
  }
  return out;
}

int64_t mlir::mlg::compression::storedBits(const GeneratorShape &shape,
                                           const LayerPrecision &precision,
                                           unsigned scaleBits) {
  if (!shape.isValid())
    return -1;
  int64_t total = 0;
  for (GeneratorRole role : kGeneratorRoles) {
    if (!shape.has(role))
      continue;
    int64_t bits = tensorBits(dimsOf(shape, role), precision[role], scaleBits);
    if (bits < 0 || llvm::AddOverflow(total, bits, total))
      return -1;
  }
  return total;
}

std::optional<LayerPrecisionPlan> mlir::mlg::compression::minimizeBitsForError(
    llvm::ArrayRef<double> reference, const GeneratorShape &shape,
    const Generators &gens, double maxRelError,
    const PrecisionSearchOptions &options) {
  if (!validOptions(options) || !(maxRelError >= 0))
    return std::nullopt;
  std::optional<LayerModel> model = buildModel(reference, shape, gens, options);
  if (!model)
    return std::nullopt;
  const LayerModel &m = *model;
  double targetSq = maxRelError * maxRelError * m.referenceSq;

  // Real errors, remembered: the phases below revisit choices.
  std::map<Choice, double> measured;
  auto meets = [&](const Choice &c) {
    auto [it, inserted] = measured.try_emplace(c, 0.0);
    if (inserted)
      it->second = m.measure(c);
    return relativeFrom(it->second, m.referenceSq) <= maxRelError;
  };

  // 1. The cheapest choice the model expects to meet the target (ties: the
  // smaller estimate); else the one it expects to be most precise.
  std::optional<Choice> best;
  Choice finest{};
  for (size_t r = 0; r < kNumRoles; ++r)
    for (size_t i = 0; i < m.candidates[r].size(); ++i)
      if (m.candidates[r][i].errorSq < m.candidates[r][finest[r]].errorSq)
        finest[r] = i;
  Choice c{};
  for (c[0] = 0; c[0] < m.candidates[0].size(); ++c[0])
    for (c[1] = 0; c[1] < m.candidates[1].size(); ++c[1])
      for (c[2] = 0; c[2] < m.candidates[2].size(); ++c[2]) {
        if (!(m.estimateOf(c) <= targetSq))
          continue;
        if (!best || m.bitsOf(c) < m.bitsOf(*best) ||
            (m.bitsOf(c) == m.bitsOf(*best) &&
             m.estimateOf(c) < m.estimateOf(*best)))
          best = c;
      }
  Choice choice = best ? *best : finest;

  // 2. Raise while the real error misses: the best estimated reduction per
  // added bit first.
  while (!meets(choice)) {
    size_t role, index;
    double ratio;
    if (!bestUpgrade(m, choice, -1, role, index, ratio))
      break;
    choice[role] = index;
  }
  if (!meets(choice)) {
    // The model ran out of upgrades; the widest storage decides.
    Choice widest{};
    for (size_t r = 0; r < kNumRoles; ++r)
      widest[r] = m.candidates[r].size() - 1; // maxBits, per channel if any
    if (!meets(widest))
      return std::nullopt;
    choice = widest;
  }

  // 3. Lower while a cheaper neighbour still meets the target: one tensor
  // one bit narrower (either scale layout), or with fewer scales.
  for (;;) {
    llvm::SmallVector<Choice> neighbours;
    for (size_t r = 0; r < kNumRoles; ++r) {
      const Candidate &from = m.candidates[r][choice[r]];
      for (size_t i = 0; i < m.candidates[r].size(); ++i) {
        const Candidate &to = m.candidates[r][i];
        if (to.bits < from.bits &&
            to.precision.bits + 1 >= from.precision.bits) {
          Choice n = choice;
          n[r] = i;
          neighbours.push_back(n);
        }
      }
    }
    // Cheapest first; a total order, so the result does not depend on the
    // sort algorithm.
    llvm::sort(neighbours, [&](const Choice &a, const Choice &b) {
      return std::make_pair(m.bitsOf(a), a) < std::make_pair(m.bitsOf(b), b);
    });
    auto cheaper = llvm::find_if(neighbours, meets);
    if (cheaper == neighbours.end())
      break;
    choice = *cheaper;
  }

  LayerPrecisionPlan plan;
  plan.precision = m.precisionOf(choice);
  plan.storedBits = m.bitsOf(choice);
  plan.relError = relativeFrom(measured.at(choice), m.referenceSq);
  return plan;
}

std::optional<std::vector<LayerPrecisionPlan>>
mlir::mlg::compression::minimizeErrorForBits(
    llvm::ArrayRef<LayerInput> layers, int64_t budgetBits,
    const PrecisionSearchOptions &options) {
  if (!validOptions(options))
    return std::nullopt;
  std::vector<LayerModel> models;
  std::vector<Choice> choices;
  int64_t total = 0;
  for (const LayerInput &layer : layers) {
    if (!layer.gens)
      return std::nullopt;
    std::optional<LayerModel> m =
        buildModel(layer.reference, layer.shape, *layer.gens, options);
    if (!m)
      return std::nullopt;
    // Start from the cheapest candidate of each tensor.
    Choice c{};
    for (size_t r = 0; r < kNumRoles; ++r)
      for (size_t i = 0; i < m->candidates[r].size(); ++i)
        if (m->candidates[r][i].bits < m->candidates[r][c[r]].bits)
          c[r] = i;
    if (llvm::AddOverflow(total, m->bitsOf(c), total))
      return std::nullopt;
    models.push_back(std::move(*m));
    choices.push_back(c);
  }
  if (total > budgetBits)
    return std::nullopt;

  // Greedy marginal analysis: errors of different layers add, so the best
  // move anywhere is the one with the largest reduction per added bit.
  for (;;) {
    bool found = false;
    size_t bestLayer = 0, bestRole = 0, bestIndex = 0;
    double bestRatio = 0;
    for (size_t l = 0; l < models.size(); ++l) {
      int64_t layerBits = models[l].bitsOf(choices[l]);
      size_t role, index;
      double ratio;
      if (bestUpgrade(models[l], choices[l], budgetBits - total + layerBits,
                      role, index, ratio) &&
          (!found || ratio > bestRatio)) {
        found = true;
        bestLayer = l, bestRole = role, bestIndex = index, bestRatio = ratio;
      }
    }
    if (!found)
      break;
    total -= models[bestLayer].bitsOf(choices[bestLayer]);
    choices[bestLayer][bestRole] = bestIndex;
    total += models[bestLayer].bitsOf(choices[bestLayer]);
  }

  std::vector<LayerPrecisionPlan> plans;
  for (size_t l = 0; l < models.size(); ++l) {
    LayerPrecisionPlan plan;
    plan.precision = models[l].precisionOf(choices[l]);
    plan.storedBits = models[l].bitsOf(choices[l]);
    plan.relError =
        relativeFrom(models[l].measure(choices[l]), models[l].referenceSq);
    plans.push_back(plan);
  }
  return plans;
}
