//===- AssignPrecision.cpp - Store generators as low-bit codes ------------===//
//
// Each generator chain's float constants become integer codes decoded by
// mlg.dequantize on the midrise grid. The numerics run in parallel per
// layer; the IR is rewritten afterwards in walk order.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/MLG/Transforms/Passes.h"

#include "mlg/Compression/Decomposition.h"
#include "mlg/Compression/PrecisionSearch.h"
#include "mlg/Compression/Quantization.h"
#include "mlg/Compression/SmartDeal.h"
#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Transforms/ConstantData.h"
#include "mlg/Dialect/MLG/Transforms/GeneratorChain.h"
#include "mlg/Dialect/MLG/Transforms/PassUtils.h"

#include "mlir/IR/Threading.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGASSIGNPRECISION
#include "mlg/Dialect/MLG/Transforms/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;
using namespace mlir::mlg::compression;

namespace {

/// Width that leaves a tensor in floating point (mode=paper).
constexpr int64_t kKeepFloat = 32;

/// Name under which decompose leaves the dense weight for this pass.
constexpr StringLiteral kReferenceAttr = "mlg.reference";

struct ChainJob {
  GeneratorChain chain;
  std::string name;
  /// Which generators are float constants this pass quantizes.
  std::array<bool, 3> present{false, false, false};
  /// Which are power-of-two codes (mlg.decode_pow2), kept as they are.
  std::array<bool, 3> fixedPow2{false, false, false};
  Generators generators;
  std::vector<double> reference;
  bool hasReference = false;
  LayerPrecision precision;
  std::array<bool, 3> keepFloat{false, false, false};
  // Results.
  std::array<QuantizedTensor, 3> quantized;
  double relError = 0;
  std::string failure;
};

/// What the numerics of a chain cost, roughly: its reconstruction's size.
int64_t chainCost(const ChainJob &job) {
  const GeneratorShape &s = job.chain.shape;
  return s.weightSize() * std::max<int64_t>(s.bc, 1);
}

struct MLGAssignPrecisionPass
    : mlg::impl::MLGAssignPrecisionBase<MLGAssignPrecisionPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  LogicalResult validateOptions(ModuleOp module);
  LogicalResult collect(ModuleOp module, std::vector<ChainJob> &jobs);
  void quantize(ChainJob &job);
  void rewrite(ChainJob &job);
  PrecisionSearchOptions searchOptions() const {
    PrecisionSearchOptions o;
    o.minBits = unsigned(minBits);
    o.maxBits = unsigned(maxBits);
    o.allowPerChannel = perChannel;
    return o;
  }
};

} // namespace

LogicalResult MLGAssignPrecisionPass::validateOptions(ModuleOp module) {
  auto error = [&]() {
    // At the module's location without the module itself: a note printing
    // the whole model would bury the message.
    return emitError(module.getLoc(), "mlg-assign-precision: ");
  };
  for (auto [name, bits] :
       {std::pair<StringRef, int64_t>{"qb", qb}, {"qu", qu}, {"qv", qv}})
    if ((bits < 1 || bits > int64_t(kMaxCodeBits)) && bits != kKeepFloat)
      return error() << "option '" << name
                     << "' must be in [1, 16] or 32 (keep float), got " << bits;
  if (minBits < 1 || maxBits > int64_t(kMaxCodeBits) || minBits > maxBits)
    return error() << "options 'min-bits' and 'max-bits' need 1 <= min-bits "
                      "<= max-bits <= 16, got "
                   << minBits.getValue() << " and " << maxBits.getValue();
  if (!(maxRelError > 0 && maxRelError <= 1))
    return error() << "option 'max-rel-error' must be in (0, 1], got "
                   << formatNumber(maxRelError);
  if (!(maxMemoryRatio >= 0 && maxMemoryRatio <= 1))
    return error() << "option 'max-memory-ratio' must be in [0, 1], got "
                   << formatNumber(maxMemoryRatio);
  return success();
}

LogicalResult MLGAssignPrecisionPass::collect(ModuleOp module,
                                              std::vector<ChainJob> &jobs) {
  for (GeneratorChain &chain : collectGeneratorChains(module)) {
    ChainJob job;
    job.chain = chain;
    auto layerAttr = chain.root->getAttrOfType<StringAttr>("mlg.layer");
    job.name = layerAttr ? layerAttr.str() : "#" + std::to_string(jobs.size());
    bool any = false;
    for (auto [i, role] : llvm::enumerate(kGeneratorRoles)) {
      OpOperand *operand = chain.operand(role);
      if (!operand)
        continue;
      if (auto decode = operand->get().getDefiningOp<DecodePow2Op>()) {
        FailureOr<std::vector<int64_t>> codes =
            readIntegerCodes(decode.getCodes());
        if (failed(codes))
          continue;
        std::vector<double> &values = job.generators[role];
        for (int64_t code : *codes)
          values.push_back(
              compression::decodePow2Code(code, decode.getSmallestExponent()));
        job.fixedPow2[i] = true;
        continue;
      }
      ElementsAttr attr = getFloatConstant(operand->get());
      if (!attr)
        continue; // already quantized, or computed at run time
      FailureOr<std::vector<double>> data = readFloatElements(attr);
      if (failed(data))
        continue;
      job.generators[role] = std::move(*data);
      job.present[i] = any = true;
    }
    if (!any)
      continue;
    if (!llvm::all_of(llvm::enumerate(kGeneratorRoles), [&](auto it) {
          return job.present[it.index()] || job.fixedPow2[it.index()] ||
                 !chain.operand(it.value());
        })) {
      chain.root->emitRemark("mlg-assign-precision: left unchanged: only "
                             "some generators are float constants");
      continue;
    }
    if (mode != PrecisionMode::Paper &&
        llvm::is_contained(job.fixedPow2, true)) {
      chain.root->emitRemark(
          "mlg-assign-precision: left unchanged: mode=budget "
          "does not size power-of-two generators; use "
          "mode=paper");
      continue;
    }
    if (auto reference =
            chain.root->getAttrOfType<ElementsAttr>(kReferenceAttr)) {
      FailureOr<std::vector<double>> data = readFloatElements(reference);
      if (succeeded(data) &&
          int64_t(data->size()) == chain.shape.weightSize()) {
        job.reference = std::move(*data);
        job.hasReference = true;
      }
    }
    if (!job.hasReference)
      job.reference = reconstruct(job.generators, chain.shape);
    jobs.push_back(std::move(job));
  }
  return success();
}

void MLGAssignPrecisionPass::quantize(ChainJob &job) {
  Generators decoded = job.generators;
  const GeneratorShape &shape = job.chain.shape;
  for (auto [i, role] : llvm::enumerate(kGeneratorRoles)) {
    if (!job.present[i] || job.keepFloat[i])
      continue;
    TensorPrecision p = job.precision[role];
    std::vector<double> &values = job.generators[role];
    ArrayRef<int64_t> dims = job.chain.generatorShape(role);
    QuantizedTensor q =
        p.axis < 0 ? quantizeMidrise(values, p.bits)
                   : quantizeMidrisePerChannel(values, dims, p.bits, p.axis);
    if (!q.isValid()) {
      job.failure = "the " + stringifyGeneratorRole(role).str() +
                    " generator has non-finite values";
      return;
    }
    decoded[role] = dequantize(q, dims);
    job.quantized[i] = std::move(q);
  }
  job.relError = relativeError(job.reference, reconstruct(decoded, shape));
}

void MLGAssignPrecisionPass::rewrite(ChainJob &job) {
  Operation *root = job.chain.root;
  MLIRContext *ctx = root->getContext();
  for (auto [i, role] : llvm::enumerate(kGeneratorRoles)) {
    if (!job.present[i] || job.keepFloat[i])
      continue;
    OpOperand *operand = job.chain.operand(role);
    // Decode all generators ahead of the chain's first op, so they read in
    // order: codes, decodes, level 1, level 2.
    Operation *first = job.chain.intra ? job.chain.intra.getOperation() : root;
    OpBuilder b(first);
    Location loc = operand->getOwner()->getLoc();
    const QuantizedTensor &q = job.quantized[i];
    auto type = cast<RankedTensorType>(operand->get().getType());
    Value codes =
        createCodeConstant(b, loc, type.getShape(), q.grid.bits, q.codes);
    auto grid = MidriseAttr::get(
        ctx, DenseF64ArrayAttr::get(ctx, ArrayRef<double>(q.grid.scales)),
        q.grid.axis);
    Value old = operand->get();
    operand->set(DequantizeOp::create(b, loc, type, codes, grid));
    if (Operation *def = old.getDefiningOp(); def && def->use_empty())
      def->erase();
  }
  Builder b(ctx);
  if (job.hasReference) {
    root->setAttr("mlg.rel_error", b.getF64FloatAttr(job.relError));
  } else {
    // Without the dense weight the decomposition error no longer describes
    // what is stored; keep only what can be measured.
    root->removeAttr("mlg.rel_error");
    root->setAttr("mlg.quant_rel_error", b.getF64FloatAttr(job.relError));
  }
  root->removeAttr(kReferenceAttr);
}

void MLGAssignPrecisionPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (failed(validateOptions(module)))
    return signalPassFailure();
  std::vector<ChainJob> jobs;
  if (failed(collect(module, jobs)))
    return signalPassFailure();

  if (mode == PrecisionMode::Paper) {
    for (ChainJob &job : jobs) {
      job.precision.basis.bits = unsigned(qb);
      job.precision.coeffIn.bits = unsigned(qu);
      job.precision.coeffOut.bits = unsigned(qv);
      job.keepFloat = {qb == kKeepFloat, qu == kKeepFloat, qv == kKeepFloat};
    }
  } else if (maxMemoryRatio > 0) {
    std::vector<LayerInput> inputs;
    double fp32Bits = 0;
    for (ChainJob &job : jobs) {
      inputs.push_back({job.reference, job.chain.shape, &job.generators});
      fp32Bits += 32.0 * double(job.chain.shape.weightSize());
    }
    auto budget = int64_t(maxMemoryRatio * fp32Bits);
    std::optional<std::vector<LayerPrecisionPlan>> plans =
        minimizeErrorForBits(inputs, budget, searchOptions());
    if (!plans) {
      emitError(module.getLoc(), "mlg-assign-precision: max-memory-ratio ")
          << formatNumber(maxMemoryRatio) << " (" << budget
          << " bits) cannot be met: the generators need more even at "
             "min-bits "
          << minBits.getValue();
      return signalPassFailure();
    }
    for (auto [job, plan] : llvm::zip(jobs, *plans))
      job.precision = plan.precision;
  } else {
    std::vector<std::optional<LayerPrecisionPlan>> plans(jobs.size());
    parallelForLargestFirst(
        &getContext(), jobs, chainCost, [&](ChainJob &job, size_t i) {
          plans[i] = minimizeBitsForError(job.reference, job.chain.shape,
                                          job.generators, maxRelError,
                                          searchOptions());
        });
    for (auto [job, plan] : llvm::zip(jobs, plans)) {
      if (!plan) {
        job.chain.root->emitError("mlg-assign-precision: layer '")
            << job.name << "' cannot meet max-rel-error "
            << formatNumber(maxRelError) << " even at max-bits "
            << maxBits.getValue();
        return signalPassFailure();
      }
      job.precision = plan->precision;
    }
  }

  parallelForLargestFirst(&getContext(), jobs, chainCost,
                          [&](ChainJob &job, size_t) { quantize(job); });
  for (ChainJob &job : jobs) {
    if (!job.failure.empty()) {
      job.chain.root->emitError("mlg-assign-precision: ") << job.failure;
      return signalPassFailure();
    }
  }
  for (ChainJob &job : jobs)
    rewrite(job);
}
