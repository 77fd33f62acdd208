//===- MemoryReport.cpp - Dense against stored weight memory --------------===//
//
// Accounting follows method.md §3.1: the paper's Eq. 4 per layer (stored
// generator codes over q_w-bit dense weights) and the official code's ratio
// over all parameters. Stored bytes additionally count the fp32 scales that
// the paper leaves out.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/MLG/Transforms/Passes.h"

#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Transforms/GeneratorChain.h"
#include "mlg/Dialect/MLG/Transforms/WeightedLayer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGMEMORYREPORT
#include "mlg/Dialect/MLG/Transforms/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

namespace {

/// Bits of one fp32 scale stored next to quantized codes.
constexpr int64_t kScaleBits = 32;

struct GeneratorRow {
  std::string role;
  SmallVector<int64_t> shape;
  StoredTensor stored;
};

struct LayerRow {
  std::string name;
  LayerKind kind;
  SmallVector<int64_t> generatedShape;
  bool generated = false;
  int64_t bi = 0, bc = 0;
  /// "mlg", "smartdeal" (power-of-two U: SmartDeal's C) or "mlg+smartdeal"
  /// (power-of-two V).
  std::string family = "mlg";
  SmallVector<GeneratorRow> generators;
  int64_t paramsDense = 0, paramsStored = 0;
  /// Generator codes (or the dense weight) at their widths, no scales.
  int64_t codeBits = 0;
  /// codeBits plus scales.
  int64_t storedBits = 0;
  /// The official code's numerator for this layer.
  int64_t officialBits = 0;
  /// The bias added to the layer's result, if it is a constant; counted
  /// with the layer (its parameters, bits and official bits).
  int64_t biasParams = 0;
  int64_t layerMacs = 0, generationMacs = 0;
  std::optional<double> relError, quantRelError;
  bool known = true; // false when a generator is computed at run time
};

struct Totals {
  int64_t paramsDense = 0, paramsStored = 0, otherParams = 0, otherBits = 0,
          biasParams = 0;
  int64_t layerDenseParams = 0, layerCodeBits = 0, storedBits = 0,
          officialBits = 0, layerMacs = 0, generationMacs = 0;
  double sumSquaredError = 0, sumSquaredNorm = 0, maxError = 0;
  bool anyError = false;
};

struct MLGMemoryReportPass
    : mlg::impl::MLGMemoryReportBase<MLGMemoryReportPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  std::optional<LayerRow> analyzeLayer(const WeightedLayer &layer,
                                       unsigned index,
                                       llvm::DenseSet<Value> &weights);
  LayerRow analyzeFused(Operation *op, const GeneratorChain &chain,
                        unsigned index, llvm::DenseSet<Value> &weights);
  void addBias(LayerRow &row, Value bias, llvm::DenseSet<Value> &weights);
  void addGenerators(LayerRow &row, const GeneratorChain &chain,
                     llvm::DenseSet<Value> &weights);
  void printTable(raw_ostream &os, ArrayRef<LayerRow> rows, const Totals &t);
  void writeJson(raw_ostream &os, ArrayRef<LayerRow> rows, const Totals &t);
};

double ratio(double num, double den) { return den == 0 ? 0.0 : num / den; }

} // namespace

/// The constant bias of `layer`: a float constant added elementwise to its
/// result by the single user (linalg.add, or a linalg.generic with one other
/// input), or the broadcast constant its accumulator starts from.
static Value findBias(Operation *layer) {
  auto isBiasConstant = [&](Value v) {
    while (auto broadcast = v.getDefiningOp<linalg::BroadcastOp>())
      v = broadcast.getInput();
    auto type = dyn_cast<RankedTensorType>(v.getType());
    if (!type || !isa<FloatType>(type.getElementType()) ||
        !matchPattern(v, m_Constant()))
      return Value();
    if (auto dense = dyn_cast_or_null<DenseElementsAttr>(
            v.getDefiningOp<arith::ConstantOp>()
                ? v.getDefiningOp<arith::ConstantOp>().getValue()
                : Attribute());
        dense && dense.isSplat())
      return Value(); // a zero or constant fill, not trained values
    return v;
  };
  auto linalgOp = cast<linalg::LinalgOp>(layer);
  for (OpOperand &init : linalgOp.getDpsInitsMutable())
    if (Value bias = isBiasConstant(init.get()))
      return bias;
  Value result = layer->getResult(0);
  if (!result.hasOneUse())
    return Value();
  auto user = dyn_cast<linalg::LinalgOp>(*result.getUsers().begin());
  if (!user || !(isa<linalg::AddOp>(user) ||
                 (isa<linalg::GenericOp>(user) && user.getNumDpsInputs() == 2)))
    return Value();
  for (OpOperand *input : user.getDpsInputOperands())
    if (input->get() != result)
      if (Value bias = isBiasConstant(input->get()))
        return bias;
  return Value();
}

std::optional<LayerRow>
MLGMemoryReportPass::analyzeLayer(const WeightedLayer &layer, unsigned index,
                                  llvm::DenseSet<Value> &weights) {
  LayerRow row;
  row.name = layerName(layer.op, index);
  row.kind = layer.kind;
  row.generatedShape = layer.generatedShape();
  row.paramsDense = cast<ShapedType>(layer.weight().getType()).getNumElements();
  row.layerMacs = layer.macs;
  bool linear = layer.kind == LayerKind::Linear;
  if (Value bias = findBias(layer.op))
    addBias(row, bias, weights);

  FailureOr<GeneratorChain> chain = traceGeneratorChain(layer.weight());
  if (failed(chain)) {
    FailureOr<StoredTensor> stored = getStoredTensor(layer.weight());
    if (failed(stored))
      return std::nullopt; // a weight computed at run time: not a parameter
    weights.insert(layer.weight());
    row.paramsStored = row.paramsDense;
    row.codeBits = stored->packedBits;
    row.storedBits += row.codeBits + stored->scales * kScaleBits;
    // Official: dense convolutions in fp32, the dense classifier at w_bit.
    row.officialBits += row.paramsDense * (linear ? linearBits : 32);
    return row;
  }
  addGenerators(row, *chain, weights);
  return row;
}

void MLGMemoryReportPass::addBias(LayerRow &row, Value bias,
                                  llvm::DenseSet<Value> &weights) {
  // The official accounting keeps every bias in fp32 (method.md §3.1).
  auto type = cast<RankedTensorType>(bias.getType());
  row.biasParams = type.getNumElements();
  row.storedBits += row.biasParams * type.getElementTypeBitWidth();
  row.officialBits += row.biasParams * 32;
  weights.insert(bias);
}

LayerRow MLGMemoryReportPass::analyzeFused(Operation *op,
                                           const GeneratorChain &chain,
                                           unsigned index,
                                           llvm::DenseSet<Value> &weights) {
  const compression::GeneratorShape &s = chain.shape;
  LayerRow row;
  row.name = layerName(op, index);
  auto conv = dyn_cast<GeneratedConv2DOp>(op);
  row.kind = !conv                  ? LayerKind::Linear
             : conv.getDepthwise()  ? LayerKind::DepthwiseConv2D
             : conv.getGroups() > 1 ? LayerKind::GroupedConv2D
                                    : LayerKind::Conv2D;
  row.generatedShape = {s.co, s.ci};
  if (conv)
    row.generatedShape.append({s.kh, s.kw});
  row.paramsDense = s.weightSize();
  // Multiply-accumulates per output element: the kernel's reach, one
  // channel for depthwise.
  int64_t reduction =
      (row.kind == LayerKind::DepthwiseConv2D ? 1 : s.ci) * s.kh * s.kw;
  row.layerMacs =
      cast<ShapedType>(op->getResult(0).getType()).getNumElements() * reduction;
  Value bias = conv ? conv.getBias() : cast<GeneratedMatmulOp>(op).getBias();
  if (bias && matchPattern(bias, m_Constant()))
    addBias(row, bias, weights);
  addGenerators(row, chain, weights);
  return row;
}

void MLGMemoryReportPass::addGenerators(LayerRow &row, const GeneratorChain &c,
                                        llvm::DenseSet<Value> &weights) {
  row.generated = true;
  row.bi = c.shape.bi;
  row.bc = c.shape.bc;
  if (auto name = c.root->getAttrOfType<StringAttr>("mlg.layer"))
    row.name = name.str();
  if (auto e = c.root->getAttrOfType<FloatAttr>("mlg.rel_error"))
    row.relError = e.getValueAsDouble();
  if (auto e = c.root->getAttrOfType<FloatAttr>("mlg.quant_rel_error"))
    row.quantRelError = e.getValueAsDouble();
  for (GeneratorRole role : kGeneratorRoles) {
    OpOperand *operand = c.operand(role);
    if (!operand)
      continue;
    GeneratorRow g;
    g.role = stringifyGeneratorRole(role).str();
    g.shape.assign(c.generatorShape(role).begin(),
                   c.generatorShape(role).end());
    FailureOr<StoredTensor> stored = getStoredTensor(operand->get());
    if (failed(stored)) {
      row.known = false;
      g.stored.elements =
          cast<ShapedType>(operand->get().getType()).getNumElements();
    } else {
      g.stored = *stored;
      weights.insert(operand->get());
    }
    if (g.stored.nonzeros >= 0)
      row.family =
          role == GeneratorRole::CoeffOut ? "mlg+smartdeal" : "smartdeal";
    row.paramsStored += g.stored.elements;
    row.codeBits += g.stored.packedBits;
    row.storedBits += g.stored.packedBits + g.stored.scales * kScaleBits;
    row.generators.push_back(std::move(g));
  }
  row.officialBits += row.codeBits;
  int64_t k = c.shape.kh * c.shape.kw;
  if (c.shape.hasIntra())
    row.generationMacs += c.shape.bc * c.shape.ci * c.shape.bi * k;
  if (c.shape.hasCross())
    row.generationMacs += c.shape.co * c.shape.bc * c.shape.ci * k;
}

static std::string formatCount(int64_t v) {
  std::string digits = std::to_string(v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-')
      out += ',';
    out += digits[i];
  }
  return out;
}

static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + std::to_string(d);
  return s;
}

static std::string formatBits(const LayerRow &row) {
  if (!row.generated)
    return "dense";
  std::string s;
  // "p5": 5-bit power-of-two codes, stored sparse.
  for (auto [i, g] : llvm::enumerate(row.generators))
    s += (i ? "/" : "") + std::string(g.stored.nonzeros >= 0 ? "p" : "") +
         (g.stored.bits ? std::to_string(g.stored.bits) : std::string("?"));
  return s;
}

static std::string formatError(std::optional<double> e) {
  return e ? llvm::formatv("{0:f4}", *e).str() : "-";
}

void MLGMemoryReportPass::printTable(raw_ostream &os, ArrayRef<LayerRow> rows,
                                     const Totals &t) {
  os << llvm::formatv(
      "{0,-24} {1,-16} {2,-14} {3,3} {4,4} {5,-8} {6,11} {7,11} {8,12} "
      "{9,7} {10,7} {11,9} {12,8}\n",
      "layer", "kind", "weight", "Bi", "Bc", "bits", "params", "stored B",
      "fp32 B", "param", "mem", "gen/MACs", "rel err");
  for (const LayerRow &r : rows) {
    os << llvm::formatv(
        "{0,-24} {1,-16} {2,-14} {3,3} {4,4} {5,-8} {6,11} {7,11} {8,12} "
        "{9,7:f4} {10,7:f4} {11,9:f5} {12,8}\n",
        r.name, stringifyLayerKind(r.kind), formatShape(r.generatedShape),
        r.generated && r.family != "smartdeal" && r.bi ? std::to_string(r.bi)
                                                       : "-",
        r.generated && r.family != "smartdeal" && r.bc != r.generatedShape[0]
            ? std::to_string(r.bc)
            : "-",
        formatBits(r), formatCount(r.paramsStored),
        formatCount((r.storedBits + 7) / 8),
        formatCount((r.paramsDense + r.biasParams) * 4),
        ratio(r.paramsStored, r.paramsDense),
        ratio(r.codeBits, 32.0 * r.paramsDense),
        ratio(r.generationMacs, r.layerMacs),
        formatError(r.relError ? r.relError : r.quantRelError));
  }
  int64_t denseBits = 32 * t.paramsDense;
  os << llvm::formatv(
      "total: {0} layers; parameters {1} dense, {2} stored (of which {3} "
      "layer biases and {4} other parameters)\n",
      rows.size(), formatCount(t.paramsDense), formatCount(t.paramsStored),
      formatCount(t.biasParams), formatCount(t.otherParams));
  os << llvm::formatv("memory: dense {0} B fp32, {1} B at q_w = {2} bits; "
                      "stored {3} B (codes bit-packed + fp32 scales)\n",
                      formatCount(denseBits / 8),
                      formatCount((t.paramsDense * qw + 7) / 8), qw,
                      formatCount((t.storedBits + 7) / 8));
  os << llvm::formatv("parameter ratio: {0:f4}\n",
                      ratio(t.paramsStored, t.paramsDense));
  os << llvm::formatv("memory ratio: Eq. 4 (conv/linear weights vs fp32) "
                      "{0:f4}, vs q_w {1:f4}; "
                      "official (all parameters) {2:f4}\n",
                      ratio(t.layerCodeBits, 32.0 * t.layerDenseParams),
                      ratio(t.layerCodeBits, double(qw) * t.layerDenseParams),
                      ratio(t.officialBits, double(denseBits)));
  os << llvm::formatv("generation MACs: {0} ({1:f5} of {2} layer MACs)\n",
                      formatCount(t.generationMacs),
                      ratio(t.generationMacs, t.layerMacs),
                      formatCount(t.layerMacs));
  if (t.anyError)
    os << llvm::formatv("relative error: rms {0:f4}, max {1:f4}\n",
                        std::sqrt(ratio(t.sumSquaredError, t.sumSquaredNorm)),
                        t.maxError);
}

void MLGMemoryReportPass::writeJson(raw_ostream &os, ArrayRef<LayerRow> rows,
                                    const Totals &t) {
  llvm::json::OStream j(os, 2);
  auto optional = [&](StringRef key, std::optional<double> v) {
    if (v)
      j.attribute(key, *v);
    else
      j.attribute(key, nullptr);
  };
  j.object([&] {
    j.attributeArray("layers", [&] {
      for (const LayerRow &r : rows) {
        j.object([&] {
          j.attribute("name", r.name);
          j.attribute("kind", stringifyLayerKind(r.kind));
          j.attributeArray("shape", [&] {
            for (int64_t d : r.generatedShape)
              j.value(d);
          });
          j.attribute("generated", r.generated);
          j.attribute("family", r.family);
          j.attribute("bi", r.bi);
          j.attribute("bc", r.bc);
          j.attributeArray("generators", [&] {
            for (const GeneratorRow &g : r.generators)
              j.object([&] {
                j.attribute("role", g.role);
                j.attributeArray("shape", [&] {
                  for (int64_t d : g.shape)
                    j.value(d);
                });
                j.attribute("bits", int64_t(g.stored.bits));
                j.attribute("scales", g.stored.scales);
                j.attribute("quantized", g.stored.quantized);
                j.attribute("packed_bits", g.stored.packedBits);
                if (g.stored.nonzeros >= 0)
                  j.attribute("nonzeros", g.stored.nonzeros);
              });
          });
          j.attribute("params_dense", r.paramsDense);
          j.attribute("params_stored", r.paramsStored);
          j.attribute("bias_params", r.biasParams);
          j.attribute("dense_bits_fp32", 32 * r.paramsDense);
          j.attribute("dense_bits_qw", int64_t(qw) * r.paramsDense);
          j.attribute("code_bits", r.codeBits);
          j.attribute("stored_bits", r.storedBits);
          j.attribute("param_ratio", ratio(r.paramsStored, r.paramsDense));
          j.attribute("memory_ratio_eq4",
                      ratio(r.codeBits, 32.0 * r.paramsDense));
          j.attribute("memory_ratio_eq4_qw",
                      ratio(r.codeBits, double(qw) * r.paramsDense));
          j.attribute("layer_macs", r.layerMacs);
          j.attribute("generation_macs", r.generationMacs);
          optional("rel_error", r.relError);
          optional("quant_rel_error", r.quantRelError);
        });
      }
    });
    j.attribute("bias_params", t.biasParams);
    j.attributeObject("other", [&] {
      j.attribute("params", t.otherParams);
      j.attribute("bits", t.otherBits);
    });
    j.attributeObject("total", [&] {
      j.attribute("qw", int64_t(qw));
      j.attribute("linear_bits", int64_t(linearBits));
      j.attribute("params_dense", t.paramsDense);
      j.attribute("params_stored", t.paramsStored);
      j.attribute("dense_bits_fp32", 32 * t.paramsDense);
      j.attribute("dense_bits_qw", int64_t(qw) * t.paramsDense);
      j.attribute("stored_bits", t.storedBits);
      j.attribute("official_bits", t.officialBits);
      j.attribute("param_ratio", ratio(t.paramsStored, t.paramsDense));
      j.attribute("memory_ratio_eq4",
                  ratio(t.layerCodeBits, 32.0 * t.layerDenseParams));
      j.attribute("memory_ratio_eq4_qw",
                  ratio(t.layerCodeBits, double(qw) * t.layerDenseParams));
      j.attribute("memory_ratio_official",
                  ratio(t.officialBits, 32.0 * t.paramsDense));
      j.attribute("layer_macs", t.layerMacs);
      j.attribute("generation_macs", t.generationMacs);
      optional("rel_error_rms",
               t.anyError ? std::optional<double>(std::sqrt(
                                ratio(t.sumSquaredError, t.sumSquaredNorm)))
                          : std::nullopt);
      optional("rel_error_max",
               t.anyError ? std::optional<double>(t.maxError) : std::nullopt);
    });
  });
  os << "\n";
}

/// Writes through a temporary file renamed into place ("-" is stdout).
static LogicalResult writeAtomically(ModuleOp module, StringRef path,
                                     function_ref<void(raw_ostream &)> write) {
  if (llvm::Error err = llvm::writeToOutput(path, [&](raw_ostream &os) {
        write(os);
        return llvm::Error::success();
      })) {
    emitError(module.getLoc(), "mlg-memory-report: cannot write '")
        << path << "': " << llvm::toString(std::move(err));
    return failure();
  }
  return success();
}

void MLGMemoryReportPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (qw < 1 || qw > 64 || linearBits < 1 || linearBits > 64) {
    emitError(module.getLoc(),
              "mlg-memory-report: options 'qw' and 'linear-bits' must "
              "be in [1, 64]");
    return signalPassFailure();
  }
  std::vector<LayerRow> rows;
  llvm::DenseSet<Value> weights;
  unsigned index = 0;
  module.walk([&](Operation *op) {
    // Generators fused into their layer (mlg-fuse-generation).
    if (FailureOr<GeneratorChain> fused = getFusedGeneratorChain(op);
        succeeded(fused)) {
      rows.push_back(analyzeFused(op, *fused, index++, weights));
      return;
    }
    FailureOr<WeightedLayer> layer = matchWeightedLayer(op);
    if (failed(layer))
      return;
    if (std::optional<LayerRow> row = analyzeLayer(*layer, index, weights))
      rows.push_back(std::move(*row));
    ++index;
  });

  Totals t;
  for (const LayerRow &r : rows) {
    t.paramsDense += r.paramsDense + r.biasParams;
    t.paramsStored += r.paramsStored + r.biasParams;
    t.biasParams += r.biasParams;
    t.layerDenseParams += r.paramsDense;
    t.layerCodeBits += r.codeBits;
    t.storedBits += r.storedBits;
    t.officialBits += r.officialBits;
    t.layerMacs += r.layerMacs;
    t.generationMacs += r.generationMacs;
    if (std::optional<double> e = r.relError ? r.relError : r.quantRelError) {
      t.anyError = true;
      t.maxError = std::max(t.maxError, *e);
      // Weights have no stored norm; weigh every layer by its size so the
      // rms approximates the error of the whole parameter vector.
      t.sumSquaredError += *e * *e * double(r.paramsDense);
      t.sumSquaredNorm += double(r.paramsDense);
    }
  }
  // Other parameters: float constants (rank >= 1, not splat) that are not
  // layer weights or generators, e.g. batch-norm scale/shift and biases.
  module.walk([&](arith::ConstantOp constant) {
    auto type = dyn_cast<RankedTensorType>(constant.getType());
    if (!type || type.getRank() == 0 || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()) ||
        weights.contains(constant.getResult()))
      return;
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
        dense && dense.isSplat())
      return;
    if (llvm::all_of(constant->getUsers(),
                     llvm::IsaPred<GenerateIntraOp, GenerateCrossOp>))
      if (!constant->use_empty())
        return; // a generator of a layer the report could not trace
    t.otherParams += type.getNumElements();
    t.otherBits += type.getNumElements() * type.getElementTypeBitWidth();
  });
  t.paramsDense += t.otherParams;
  t.paramsStored += t.otherParams;
  t.storedBits += t.otherBits;
  t.officialBits += 32 * t.otherParams;

  if (!tableFile.empty() &&
      failed(writeAtomically(module, tableFile, [&](raw_ostream &os) {
        printTable(os, rows, t);
      })))
    return signalPassFailure();
  if (!jsonFile.empty() &&
      failed(writeAtomically(module, jsonFile,
                             [&](raw_ostream &os) { writeJson(os, rows, t); })))
    return signalPassFailure();
  markAllAnalysesPreserved();
}
