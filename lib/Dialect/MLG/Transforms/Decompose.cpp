//===- Decompose.cpp - Replace constant weights by generators -------------===//
//
// Three phases so that the result does not depend on the thread count:
// collect the layers and their sizes (sequential, in walk order), solve the
// numerics (parallel over layers, each independent and deterministic), then
// rewrite the IR (sequential, in walk order, so resource names are stable).
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/MLG/Transforms/Passes.h"

#include "mlg/Compression/Decomposition.h"
#include "mlg/Compression/SmartDeal.h"
#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Transforms/ConstantData.h"
#include "mlg/Dialect/MLG/Transforms/GeneratorSizing.h"
#include "mlg/Dialect/MLG/Transforms/PassUtils.h"
#include "mlg/Dialect/MLG/Transforms/SmartDealLayout.h"
#include "mlg/Dialect/MLG/Transforms/WeightedLayer.h"

#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Threading.h"

#include "llvm/ADT/StringMap.h"

#include <limits>

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGDECOMPOSE
#include "mlg/Dialect/MLG/Transforms/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;
using compression::Generators;
using compression::GeneratorShape;

namespace {

/// A per-layer override: dense, or global-style (bi, bc) for this layer.
struct LayerOverride {
  bool dense = false;
  int64_t bi = 0, bc = 0;
  bool used = false;
};

/// One layer to decompose and, after the numerics, its generators.
struct LayerJob {
  WeightedLayer layer;
  std::string name;
  ElementsAttr weightAttr;
  /// Fixed sizes (paper mode, overrides); auto mode fills it in the solve.
  std::optional<GeneratorShape> shape;
  bool searchSizes = false;
  /// family=smartdeal: the blocks (then `shape` is unused).
  std::optional<SmartDealLayout> smartDeal;
  // Results.
  std::vector<double> reference; // the weight in generated layout
  Generators generators;
  compression::SmartDealFactors smartDealFactors;
  /// family=mlg+smartdeal: V's power-of-two codes (empty: V stays float).
  std::vector<int64_t> coeffOutCodes;
  double relError = 0;
  std::string failure;
};

/// Prefix of the names of a layer's new resource blobs.
std::string constantBaseName(const LayerJob &job) {
  std::string base = job.name;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(job.weightAttr))
    base = resource.getRawHandle().getKey().str();
  std::replace(base.begin(), base.end(), '.', '_');
  std::replace(base.begin(), base.end(), '#', 'l');
  return base;
}

struct MLGDecomposePass : mlg::impl::MLGDecomposeBase<MLGDecomposePass> {
  using Base::Base;

  void runOnOperation() override;

private:
  LogicalResult validateOptions(ModuleOp module,
                                llvm::StringMap<LayerOverride> &overrides);
  void solve(LayerJob &job, const std::array<double, 3> &costBits);
  void solveSmartDeal(LayerJob &job);
  void moveCoeffOutToPow2(LayerJob &job);
  void rewrite(LayerJob &job);
  void rewriteSmartDeal(LayerJob &job);
  /// The chain root's mlg.layer, mlg.rel_error and (keep-source)
  /// mlg.reference, the dense weight in the layout the chain generates.
  void annotateRoot(Operation *root, const LayerJob &job,
                    ArrayRef<int64_t> referenceShape,
                    ArrayRef<double> reference);
  /// Makes the layer read `generated` (in its own layout) and drops the old
  /// weight constant when nothing else reads it.
  void replaceWeight(OpBuilder &b, const LayerJob &job, Value generated);
  compression::Pow2Grid smartDealGrid() const {
    return {int(sdBits), int(sdMaxExponent)};
  }
  /// V's grid: each column is scaled so its largest entry is 2^0.
  compression::Pow2Grid coeffOutGrid() const { return {int(sdBits), 0}; }
};

} // namespace

LogicalResult
MLGDecomposePass::validateOptions(ModuleOp module,
                                  llvm::StringMap<LayerOverride> &overrides) {
  auto error = [&]() {
    // At the module's location without the module itself: a note printing
    // the whole model would bury the message.
    return emitError(module.getLoc(), "mlg-decompose: ");
  };
  if (bi < 0)
    return error() << "option 'bi' must be >= 0 (0 disables level 1), got "
                   << bi.getValue();
  if (bc < 0)
    return error() << "option 'bc' must be >= 0 (0 disables level 2), got "
                   << bc.getValue();
  if (!(maxRelError > 0 && maxRelError <= 1))
    return error() << "option 'max-rel-error' must be in (0, 1], got "
                   << formatNumber(maxRelError);
  if (refineIterations < 0)
    return error() << "option 'refine-iterations' must be >= 0, got "
                   << refineIterations.getValue();
  if (sdBits < 2 || sdBits > 8)
    return error() << "option 'sd-bits' must be in [2, 8], got "
                   << sdBits.getValue();
  if (sdMaxExponent < -60 || sdMaxExponent > 60)
    return error() << "option 'sd-max-exponent' must be in [-60, 60], got "
                   << sdMaxExponent.getValue();
  if (!(sdThreshold >= 0 && sdThreshold < 1))
    return error() << "option 'sd-threshold' must be in [0, 1), got "
                   << formatNumber(sdThreshold);
  if (!(sdRowPrune >= 0 && sdRowPrune < 1))
    return error() << "option 'sd-row-prune' must be in [0, 1), got "
                   << formatNumber(sdRowPrune);
  if (sdIterations < 0)
    return error() << "option 'sd-iterations' must be >= 0, got "
                   << sdIterations.getValue();
  if (family == GeneratorFamily::SmartDeal && mode == DecomposeMode::Auto)
    return error() << "'mode=auto' sizes MLG generators; family=smartdeal "
                      "takes its sizes from the blocks";
  if (!costBits.empty() &&
      (costBits.size() != 3 ||
       llvm::any_of(costBits, [](int64_t b) { return b < 1 || b > 64; })))
    return error() << "option 'cost-bits' takes three widths in [1, 64] "
                      "(basis, U, V)";
  for (const std::string &entry : layerOverrides) {
    StringRef text(entry);
    auto [name, value] = text.rsplit('=');
    LayerOverride o;
    if (name.empty() || value.empty() || name == text)
      return error() << "override '" << entry
                     << "' is not NAME=BI:BC or NAME=dense";
    if (value == "dense") {
      o.dense = true;
    } else {
      auto [biText, bcText] = value.split(':');
      if (biText.getAsInteger(10, o.bi) || bcText.getAsInteger(10, o.bc) ||
          o.bi < 0 || o.bc < 0)
        return error() << "override '" << entry
                       << "' needs non-negative integers BI:BC or 'dense'";
    }
    if (!o.dense && family == GeneratorFamily::SmartDeal)
      return error() << "override '" << entry
                     << "': family=smartdeal takes NAME=dense only";
    if (!overrides.try_emplace(name, o).second)
      return error() << "layer '" << name << "' is overridden twice";
  }
  return success();
}

void MLGDecomposePass::solve(LayerJob &job,
                             const std::array<double, 3> &costBits) {
  std::string whyNot;
  FailureOr<std::vector<double>> data =
      readFloatElements(job.weightAttr, &whyNot);
  if (failed(data)) {
    job.failure = "weight not read: " + whyNot;
    return;
  }
  const WeightedLayer &l = job.layer;
  job.reference = l.toGenerated(*data);
  if (job.smartDeal)
    return solveSmartDeal(job);
  if (job.searchSizes) {
    std::optional<compression::SpectralProfile> profile =
        compression::SpectralProfile::compute(job.reference, l.co, l.ci, l.kh,
                                              l.kw);
    if (!profile) {
      job.failure = "the weight has non-finite values";
      return;
    }
    double denseBits =
        double(job.reference.size()) *
        cast<ShapedType>(job.weightAttr.getType()).getElementTypeBitWidth();
    job.shape =
        cheapestGeneratorShape(*profile, l, maxRelError, costBits, denseBits);
    if (!job.shape)
      return; // dense is cheapest
  }
  job.generators = compression::initializeBySVD(job.reference, *job.shape);
  if (!compression::matchesShape(job.generators, *job.shape)) {
    job.failure = "the weight has non-finite values";
    return;
  }
  if (refineIterations > 0) {
    compression::RefineOptions options;
    options.maxIterations = refineIterations;
    compression::refineByALS(job.reference, *job.shape, job.generators,
                             options);
  }
  if (family == GeneratorFamily::MLGSmartDeal && job.shape->hasCross())
    moveCoeffOutToPow2(job);
  // The error of what is stored: generators rounded to the element type.
  Type elementType =
      cast<ShapedType>(job.weightAttr.getType()).getElementType();
  for (std::vector<double> *g : {&job.generators.basis, &job.generators.coeffIn,
                                 &job.generators.coeffOut})
    roundToElementType(*g, elementType);
  job.relError = compression::relativeError(
      job.reference, compression::reconstruct(job.generators, *job.shape));
}

void MLGDecomposePass::moveCoeffOutToPow2(LayerJob &job) {
  const GeneratorShape &s = *job.shape;
  Generators &g = job.generators;
  std::vector<double> scales;
  job.coeffOutCodes = compression::encodeColumnsPow2(
      g.coeffOut, s.co, s.bc, coeffOutGrid(), sdThreshold, scales);
  // Column b's scale moves into kernel b: into its U rows with level 1,
  // else into the kernel itself (the basis).
  std::vector<double> &kernels = s.hasIntra() ? g.coeffIn : g.basis;
  int64_t perKernel = int64_t(kernels.size()) / s.bc;
  for (int64_t b = 0; b < s.bc; ++b)
    for (int64_t i = 0; i < perKernel; ++i)
      kernels[b * perKernel + i] *= scales[b];
  compression::Pow2Grid grid = coeffOutGrid();
  for (auto [value, code] : llvm::zip(g.coeffOut, job.coeffOutCodes))
    value = grid.decode(code);
  compression::RefineOptions options;
  options.maxIterations = int(refineIterations);
  options.fixCoeffOut = true;
  compression::refineByALS(job.reference, s, g, options);
}

void MLGDecomposePass::solveSmartDeal(LayerJob &job) {
  const SmartDealLayout &layout = *job.smartDeal;
  compression::SmartDealOptions options;
  options.grid = smartDealGrid();
  options.maxIterations = int(sdIterations);
  options.threshold = sdThreshold;
  options.rowPruneFraction = sdRowPrune;
  job.smartDealFactors = compression::decomposeSmartDeal(
      layout.toBlocks(job.reference), layout.shape(), options);
  if (job.smartDealFactors.codes.empty()) {
    job.failure = "the weight has non-finite values";
    return;
  }
  roundToElementType(
      job.smartDealFactors.basis,
      cast<ShapedType>(job.weightAttr.getType()).getElementType());
  job.relError = compression::relativeError(
      job.reference, layout.fromBlocks(compression::reconstructSmartDeal(
                         job.smartDealFactors, layout.shape(), options.grid)));
}

void MLGDecomposePass::rewrite(LayerJob &job) {
  const WeightedLayer &l = job.layer;
  const GeneratorShape &s = *job.shape;
  Operation *op = l.op;
  OpBuilder b(op);
  Location loc = op->getLoc();
  auto elementType =
      cast<ShapedType>(job.weightAttr.getType()).getElementType();
  bool asResource = isResourceAttr(job.weightAttr);
  std::string base = constantBaseName(job);

  bool linear = l.kind == LayerKind::Linear;
  auto tensorOf = [&](ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, elementType);
  };
  auto spatial = [&](int64_t d0, int64_t d1) -> SmallVector<int64_t> {
    if (linear)
      return {d0, d1};
    return {d0, d1, s.kh, s.kw};
  };
  Value basis = createFloatConstant(
      b, loc, tensorOf(spatial(s.bc, s.hasIntra() ? s.bi : s.ci)),
      job.generators.basis, asResource, base + "_basis");
  Value coeffIn, coeffOut;
  if (s.hasIntra())
    coeffIn = createFloatConstant(b, loc, tensorOf({s.bc, s.ci, s.bi}),
                                  job.generators.coeffIn, asResource,
                                  base + "_coeff_in");
  if (s.hasCross() && !job.coeffOutCodes.empty()) {
    Value codes = createCodeConstant(b, loc, {s.co, s.bc}, unsigned(sdBits),
                                     job.coeffOutCodes);
    coeffOut =
        DecodePow2Op::create(b, loc, tensorOf({s.co, s.bc}), codes,
                             b.getI64IntegerAttr(coeffOutGrid().minExponent()));
  } else if (s.hasCross()) {
    coeffOut = createFloatConstant(b, loc, tensorOf({s.co, s.bc}),
                                   job.generators.coeffOut, asResource,
                                   base + "_coeff_out");
  }
  Value generated = basis;
  Operation *root = nullptr;
  if (coeffIn) {
    auto intra = GenerateIntraOp::create(b, loc, coeffIn, basis);
    root = intra;
    generated = intra.getResult();
  }
  if (coeffOut) {
    auto cross = GenerateCrossOp::create(b, loc, coeffOut, generated);
    root = cross;
    generated = cross.getResult();
  }
  annotateRoot(root, job, l.generatedShape(), job.reference);
  replaceWeight(b, job, generated);
}

void MLGDecomposePass::annotateRoot(Operation *root, const LayerJob &job,
                                    ArrayRef<int64_t> referenceShape,
                                    ArrayRef<double> reference) {
  Builder b(root->getContext());
  root->setAttr("mlg.layer", b.getStringAttr(job.name));
  root->setAttr("mlg.rel_error", b.getF64FloatAttr(job.relError));
  if (keepSource)
    root->setAttr("mlg.reference",
                  buildFloatElements(
                      RankedTensorType::get(referenceShape, b.getF64Type()),
                      reference, /*asResource=*/true,
                      constantBaseName(job) + "_reference"));
}

void MLGDecomposePass::replaceWeight(OpBuilder &b, const LayerJob &job,
                                     Value generated) {
  const WeightedLayer &l = job.layer;
  Value oldWeight = l.weight();
  l.op->setOperand(l.weightOperand,
                   l.fromGenerated(b, l.op->getLoc(), generated));
  if (Operation *def = oldWeight.getDefiningOp(); def && def->use_empty())
    def->erase();
}

void MLGDecomposePass::rewriteSmartDeal(LayerJob &job) {
  const WeightedLayer &l = job.layer;
  const SmartDealLayout &layout = *job.smartDeal;
  compression::SmartDealShape blocks = layout.shape();
  Operation *op = l.op;
  OpBuilder b(op);
  Location loc = op->getLoc();
  auto elementType =
      cast<ShapedType>(job.weightAttr.getType()).getElementType();
  std::string base = constantBaseName(job);

  Value codes =
      createCodeConstant(b, loc, {blocks.blocks, blocks.rows, blocks.k},
                         unsigned(sdBits), job.smartDealFactors.codes);
  auto coeffType = RankedTensorType::get({blocks.blocks, blocks.rows, blocks.k},
                                         elementType);
  Value coeff =
      DecodePow2Op::create(b, loc, coeffType, codes,
                           b.getI64IntegerAttr(smartDealGrid().minExponent()));
  Value basis = createFloatConstant(
      b, loc,
      RankedTensorType::get({blocks.blocks, blocks.k, blocks.k}, elementType),
      job.smartDealFactors.basis, isResourceAttr(job.weightAttr),
      base + "_basis");
  auto intra = GenerateIntraOp::create(b, loc, coeff, basis);
  // The reference in the blocks' layout, which is what the chain generates.
  annotateRoot(intra, job, {blocks.blocks, blocks.rows, blocks.k},
               keepSource ? layout.toBlocks(job.reference)
                          : std::vector<double>());
  replaceWeight(b, job, layout.fromBlocks(b, loc, intra.getResult()));
}

void MLGDecomposePass::runOnOperation() {
  ModuleOp module = getOperation();
  llvm::StringMap<LayerOverride> overrides;
  if (failed(validateOptions(module, overrides)))
    return signalPassFailure();
  std::array<double, 3> cost{32, 32, 32};
  if (!costBits.empty())
    cost = {double(costBits[0]), double(costBits[1]), double(costBits[2])};

  // Phase 1: layers and their sizes, in walk order.
  std::vector<LayerJob> jobs;
  unsigned index = 0;
  module.walk([&](Operation *op) {
    std::string whyNot;
    FailureOr<WeightedLayer> layer = matchWeightedLayer(op, &whyNot);
    if (failed(layer)) {
      if (!whyNot.empty())
        op->emitRemark("mlg-decompose: left unchanged: ") << whyNot;
      return;
    }
    std::string name = layerName(op, index);
    std::string indexName = "#" + std::to_string(index++);
    LayerOverride *o = nullptr;
    for (StringRef key : {StringRef(name), StringRef(indexName)})
      if (auto it = overrides.find(key); it != overrides.end() && !o)
        o = &it->second;
    if (o)
      o->used = true;
    ElementsAttr attr = getFloatConstant(layer->weight(), &whyNot);
    if (!attr) {
      op->emitRemark("mlg-decompose: left unchanged: the weight is not "
                     "compressible, ")
          << whyNot;
      return;
    }
    LayerJob job;
    job.layer = *layer;
    job.name = name;
    job.weightAttr = attr;
    if (o && o->dense)
      return;
    if (family == GeneratorFamily::SmartDeal) {
      job.smartDeal = getSmartDealLayout(*layer);
      if (!job.smartDeal) {
        op->emitRemark("mlg-decompose: left unchanged: family=smartdeal "
                       "decomposes 3x3, 1x1 and linear layers only");
        return;
      }
      jobs.push_back(std::move(job));
      return;
    }
    if (o) {
      job.shape = paperGeneratorShape(*layer, o->bi, o->bc,
                                      /*linearToo=*/true);
      if (!job.shape)
        return;
    } else if (mode == DecomposeMode::Paper) {
      job.shape = paperGeneratorShape(*layer, bi, bc);
      if (!job.shape)
        return;
    } else {
      job.searchSizes = true;
    }
    jobs.push_back(std::move(job));
  });
  for (auto &entry : overrides)
    if (!entry.second.used) {
      emitError(module.getLoc(), "mlg-decompose: override names no layer: '")
          << entry.first() << "'";
      return signalPassFailure();
    }

  // Phase 2: numerics, independent per layer.
  parallelForLargestFirst(
      &getContext(), jobs,
      [](const LayerJob &job) {
        return job.layer.co * job.layer.ci * job.layer.kh * job.layer.kw;
      },
      [&](LayerJob &job, size_t) { solve(job, cost); });

  // Phase 3: rewrite in walk order.
  for (LayerJob &job : jobs) {
    if (!job.failure.empty()) {
      job.layer.op->emitRemark("mlg-decompose: left unchanged: ")
          << job.failure;
      continue;
    }
    if (job.smartDeal)
      rewriteSmartDeal(job);
    else if (job.shape)
      rewrite(job);
  }
}
