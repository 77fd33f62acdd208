//===- FuseGeneration.cpp - Fold generator chains into their consumers ----===//
//
// A linalg convolution or matmul whose weight is exactly
// `layout adaptation(generate_cross(V, generate_intra(U, basis)))` becomes
// one mlg.generated_conv2d / mlg.generated_matmul on the chain's generator
// operands, so that later lowerings can pick how W is produced (or never
// produce it). Matching is strict: anything unexpected leaves the consumer
// untouched, because a wrong fold would silently change the model.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/MLG/Transforms/Passes.h"

#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Transforms/GeneratorChain.h"
#include "mlg/Dialect/MLG/Transforms/WeightedLayer.h"
#include "mlg/Dialect/MLG/Utils/ConvShape.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SetVector.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGFUSEGENERATION
#include "mlg/Dialect/MLG/Transforms/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

namespace {

/// Where a consumer's activations sit, in the fused op's terms.
struct ActivationLayout {
  ConvLayout layout = ConvLayout::nchw_fchw;
  /// Dimensions of the consumer's input holding H and W.
  int64_t heightDim = 2;
  /// Dimension of the consumer's result holding the output channels
  /// (-1: a bias cannot be folded, e.g. grouped results [N, G, F, H, W]).
  int64_t channelDim = 1;
};

/// Everything needed to build the fused op for one consumer.
struct FusionPlan {
  WeightedLayer layer;
  GeneratorChain chain;
  Value input;
  /// Collapse the input [N, G, C, H, W] to [N, G*C, H, W] first (grouped).
  bool collapseGroups = false;
  SmallVector<int64_t, 2> strides{1, 1}, dilations{1, 1};
  SmallVector<int64_t, 4> padding{0, 0, 0, 0};
  int64_t groups = 1;
  bool depthwise = false;
  ConvLayout layout = ConvLayout::nchw_fchw;
  Value bias;
  /// The op whose result the fused op replaces (the bias add when folded).
  Operation *replaced = nullptr;
};

class MLGFuseGenerationPass
    : public mlg::impl::MLGFuseGenerationBase<MLGFuseGenerationPass> {
public:
  using Base::Base;
  void runOnOperation() override;

private:
  FailureOr<FusionPlan> plan(const WeightedLayer &layer, std::string &whyNot);
  Operation *fuse(const FusionPlan &plan);
};

} // namespace

/// `[h, w]` from a linalg convolution's `strides` / `dilations` (1 when the
/// attribute is absent).
static std::optional<SmallVector<int64_t, 2>> convPair(Operation *op,
                                                       StringRef name) {
  auto attr = op->getAttrOfType<DenseIntElementsAttr>(name);
  if (!attr)
    return SmallVector<int64_t, 2>{1, 1};
  SmallVector<int64_t, 2> values(attr.getValues<int64_t>());
  if (values.size() != 2)
    return std::nullopt;
  return values;
}

/// A linalg.broadcast of a rank-1 tensor into `dim` of a `rank`-d tensor:
/// the rank-1 tensor, else null.
static Value matchChannelBroadcast(Value value, int64_t rank, int64_t dim) {
  auto broadcast = value.getDefiningOp<linalg::BroadcastOp>();
  if (!broadcast)
    return Value();
  SmallVector<int64_t> added;
  for (int64_t d = 0; d < rank; ++d)
    if (d != dim)
      added.push_back(d);
  if (broadcast.getDimensions() != ArrayRef(added))
    return Value();
  return broadcast.getInput();
}

/// True when the accumulator `init` the consumer starts from is all +0.
static bool isZeroInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_PosZeroFloat());
  return matchPattern(init, m_PosZeroFloat());
}

/// `consumerResult + bias[channel]` written by the single user of
/// `consumerResult`: a linalg.add with a channel broadcast, or an elementwise
/// linalg.generic adding a rank-1 tensor along `channelDim`. Returns the user
/// and sets `bias`, else null.
static Operation *matchBiasAdd(Value consumerResult, int64_t channelDim,
                               Value &bias) {
  if (channelDim < 0 || !consumerResult.hasOneUse())
    return nullptr;
  Operation *user = *consumerResult.getUsers().begin();
  auto type = cast<RankedTensorType>(consumerResult.getType());
  int64_t rank = type.getRank();
  if (user->getNumResults() != 1 || user->getResult(0).getType() != type)
    return nullptr;
  if (auto add = dyn_cast<linalg::AddOp>(user)) {
    if (add.getInputs().size() != 2)
      return nullptr;
    Value other = add.getInputs()[0] == consumerResult ? add.getInputs()[1]
                                                       : add.getInputs()[0];
    if (other == consumerResult)
      return nullptr;
    bias = matchChannelBroadcast(other, rank, channelDim);
    return bias ? user : nullptr;
  }
  auto generic = dyn_cast<linalg::GenericOp>(user);
  if (!generic || generic.getNumDpsInputs() != 2 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      generic.getNumLoops() != rank)
    return nullptr;
  unsigned resultIndex = generic.getInputs()[0] == consumerResult ? 0 : 1;
  unsigned biasIndex = 1 - resultIndex;
  Value other = generic.getInputs()[biasIndex];
  if (generic.getInputs()[resultIndex] != consumerResult ||
      other == consumerResult)
    return nullptr;
  MLIRContext *ctx = generic.getContext();
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap channel =
      AffineMap::get(rank, 0, getAffineDimExpr(channelDim, ctx), ctx);
  if (maps[resultIndex] != identity || maps[biasIndex] != channel ||
      maps[2] != identity)
    return nullptr;
  // The body must be exactly `yield addf(result, bias)`, in either order.
  Block &body = generic.getRegion().front();
  if (body.getOperations().size() != 2)
    return nullptr;
  auto addf = dyn_cast<arith::AddFOp>(body.front());
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!addf || !yield || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != addf.getResult())
    return nullptr;
  Value lhs = addf.getLhs(), rhs = addf.getRhs();
  Value resultArg = body.getArgument(resultIndex);
  Value biasArg = body.getArgument(biasIndex);
  if (!((lhs == resultArg && rhs == biasArg) ||
        (lhs == biasArg && rhs == resultArg)))
    return nullptr;
  bias = other;
  return user;
}

FailureOr<FusionPlan> MLGFuseGenerationPass::plan(const WeightedLayer &layer,
                                                  std::string &whyNot) {
  auto fail = [&](const Twine &reason) -> FailureOr<FusionPlan> {
    whyNot = reason.str();
    return failure();
  };
  Operation *op = layer.op;
  FusionPlan p;
  p.layer = layer;
  Value generated = layer.matchGenerated();
  if (!generated)
    return fail("the weight is not the generated kernel in this op's layout");
  FailureOr<GeneratorChain> chain = traceGeneratorChain(generated);
  if (failed(chain))
    return fail("the weight is not generated by a generator chain");
  // A SmartDeal chain generates blocks that a reshape turns into the kernel:
  // its generators are not a fused op's basis and coefficients.
  if (chain->root->getResult(0) != generated)
    return fail("the kernel is a reshape of what its generators produce");
  p.chain = *chain;

  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (linalgOp.getNumDpsInputs() != 2 || linalgOp.getNumDpsInits() != 1)
    return fail("expected two inputs and one accumulator");
  Value input = linalgOp.getDpsInputs()[0];
  Value init = linalgOp.getDpsInits()[0];
  auto inputType = dyn_cast<RankedTensorType>(input.getType());
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Type elementType = resultType.getElementType();
  if (!inputType || !inputType.hasStaticShape())
    return fail("the input has a dynamic shape");
  if (inputType.getElementType() != elementType ||
      cast<RankedTensorType>(generated.getType()).getElementType() !=
          elementType)
    return fail("input, weight and result element types differ");

  ActivationLayout activation;
  if (layer.kind == LayerKind::Linear) {
    activation.channelDim = 1;
  } else if (isa<linalg::Conv2DNhwcHwcfOp, linalg::Conv2DNhwcFhwcOp,
                 linalg::DepthwiseConv2DNhwcHwcOp>(op)) {
    activation = {ConvLayout::nhwc_hwcf, 1, 3};
  } else if (layer.kind == LayerKind::GroupedConv2D) {
    activation = {ConvLayout::nchw_fchw, 3, -1};
    p.collapseGroups = true;
  }
  p.layout = activation.layout;

  if (layer.kind != LayerKind::Linear) {
    std::optional<SmallVector<int64_t, 2>> strides = convPair(op, "strides");
    std::optional<SmallVector<int64_t, 2>> dilations =
        convPair(op, "dilations");
    if (!strides || !dilations)
      return fail("unexpected strides or dilations");
    p.strides = *strides;
    p.dilations = *dilations;
    // A zero tensor.pad of H and W only becomes the op's padding.
    if (auto pad = input.getDefiningOp<tensor::PadOp>()) {
      Value padValue = pad.getConstantPaddingValue();
      ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
      auto sourceType = cast<RankedTensorType>(pad.getSource().getType());
      bool onlySpatial = padValue && matchPattern(padValue, m_PosZeroFloat()) &&
                         sourceType.hasStaticShape();
      for (int64_t d = 0; onlySpatial && d < inputType.getRank(); ++d) {
        bool spatial = d == activation.heightDim || d == activation.heightDim + 1;
        if (ShapedType::isDynamic(low[d]) || ShapedType::isDynamic(high[d]) ||
            low[d] < 0 || high[d] < 0 || (!spatial && (low[d] || high[d])))
          onlySpatial = false;
      }
      if (onlySpatial) {
        int64_t h = activation.heightDim;
        p.padding = {low[h], low[h + 1], high[h], high[h + 1]};
        input = pad.getSource();
        inputType = sourceType;
      }
    }
    if (layer.kind == LayerKind::GroupedConv2D)
      p.groups = inputType.getDimSize(1);
    if (layer.kind == LayerKind::DepthwiseConv2D) {
      p.depthwise = true;
      p.groups = layer.ci;
    }
    // Upstream convs accept an input larger than the output needs; the fused
    // op's output size is derived from the input, so the two must agree.
    for (int i = 0; i < 2; ++i) {
      std::optional<int64_t> size = convOutputSize(
          inputType.getDimSize(activation.heightDim + i),
          i ? layer.kw : layer.kh, p.strides[i], p.dilations[i], p.padding[i],
          p.padding[2 + i], ShapedType::kDynamic);
      int64_t resultDim = layer.kind == LayerKind::GroupedConv2D
                              ? 3 + i
                              : (activation.layout == ConvLayout::nchw_fchw
                                     ? 2 + i
                                     : 1 + i);
      if (!size || *size != resultType.getDimSize(resultDim))
        return fail("the input holds rows or columns the output never reads");
    }
  }
  p.input = input;

  // The accumulator: zero, or (not grouped) a broadcast bias.
  p.replaced = op;
  if (!isZeroInit(init)) {
    if (activation.channelDim >= 0)
      p.bias = matchChannelBroadcast(init, resultType.getRank(),
                                     activation.channelDim);
    if (!p.bias)
      return fail("the accumulator is neither zero nor a broadcast bias");
  } else if (Value bias; Operation *add = matchBiasAdd(
                             op->getResult(0), activation.channelDim, bias)) {
    p.bias = bias;
    p.replaced = add;
  }
  if (p.bias) {
    auto biasType = dyn_cast<RankedTensorType>(p.bias.getType());
    if (!biasType || biasType.getRank() != 1 ||
        biasType.getDimSize(0) != layer.outChannels ||
        biasType.getElementType() != elementType) {
      if (p.replaced == op)
        return fail("the accumulator's bias does not have one value per "
                    "output channel");
      p.bias = Value(); // leave the add alone, fuse the conv only
      p.replaced = op;
    }
  }
  return p;
}

Operation *MLGFuseGenerationPass::fuse(const FusionPlan &p) {
  Operation *op = p.layer.op;
  // After the bias add when it is folded: the bias may be defined between.
  OpBuilder b(p.replaced);
  Location loc = p.replaced == op
                     ? op->getLoc()
                     : FusedLoc::get(op->getContext(),
                                     {op->getLoc(), p.replaced->getLoc()});
  auto operand = [&](GeneratorRole role) -> Value {
    OpOperand *o = p.chain.operand(role);
    return o ? o->get() : Value();
  };
  Value basis = operand(GeneratorRole::Basis);
  Value coeffIn = operand(GeneratorRole::CoeffIn);
  Value coeffOut = operand(GeneratorRole::CoeffOut);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Operation *fused;
  Value result;
  if (p.layer.kind == LayerKind::Linear) {
    auto matmul = GeneratedMatmulOp::create(b, loc, resultType, p.input, basis,
                                            coeffIn, coeffOut, p.bias);
    fused = matmul;
    result = matmul.getResult();
  } else {
    Value input = p.input;
    RankedTensorType convType = resultType;
    if (p.collapseGroups) {
      // [N, G, C, H, W] -> [N, G*C, H, W]; the result is split back below.
      SmallVector<ReassociationIndices> groupsOf = {{0}, {1, 2}, {3}, {4}};
      input = tensor::CollapseShapeOp::create(b, loc, input, groupsOf);
      ArrayRef<int64_t> r = resultType.getShape();
      convType = RankedTensorType::get({r[0], r[1] * r[2], r[3], r[4]},
                                       resultType.getElementType());
    }
    auto conv = GeneratedConv2DOp::create(
        b, loc, convType, input, basis, coeffIn, coeffOut, p.bias, p.layout,
        p.strides, p.padding, p.dilations, p.groups, p.depthwise);
    fused = conv;
    result = conv.getResult();
    if (p.collapseGroups)
      result = tensor::ExpandShapeOp::create(
          b, loc, resultType, result,
          SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
  }
  // The chain's provenance (layer name, reconstruction errors) travels along.
  for (NamedAttribute attr : p.chain.root->getDiscardableAttrs())
    if (attr.getName().getValue().starts_with("mlg."))
      fused->setAttr(attr.getName(), attr.getValue());
  p.replaced->getResult(0).replaceAllUsesWith(result);
  return fused;
}

void MLGFuseGenerationPass::runOnOperation() {
  ModuleOp module = getOperation();
  // Consumers of generated weights, in walk order. Each is planned just
  // before it is fused: an earlier fusion may have replaced its input.
  SmallVector<Operation *> consumers;
  module.walk([&](Operation *op) {
    std::string whyNot;
    FailureOr<WeightedLayer> layer = matchWeightedLayer(op, &whyNot);
    if (succeeded(layer)) {
      if (succeeded(traceGeneratorChain(layer->weight())))
        consumers.push_back(op);
    } else if (remarks && !whyNot.empty() && op->getNumOperands() > 1 &&
               succeeded(traceGeneratorChain(op->getOperand(1)))) {
      op->emitRemark("mlg-fuse-generation: left unchanged: ") << whyNot;
    }
  });

  llvm::SetVector<Operation *> maybeDead;
  auto noteOperands = [&](Operation *op) {
    for (Value v : op->getOperands())
      if (Operation *def = v.getDefiningOp())
        maybeDead.insert(def);
  };
  auto eraseOp = [&](Operation *op) {
    noteOperands(op);
    maybeDead.remove(op);
    op->erase();
  };
  for (Operation *op : consumers) {
    FailureOr<WeightedLayer> layer = matchWeightedLayer(op);
    std::string whyNot;
    FailureOr<FusionPlan> p =
        succeeded(layer) ? plan(*layer, whyNot) : FailureOr<FusionPlan>(failure());
    if (failed(p)) {
      if (remarks)
        op->emitRemark("mlg-fuse-generation: left unchanged: ") << whyNot;
      continue;
    }
    fuse(*p);
    if (p->replaced != op)
      eraseOp(p->replaced);
    eraseOp(op);
  }
  // Erase what became dead (adaptations, chains no longer used, fills, pads),
  // users before their producers.
  while (!maybeDead.empty()) {
    Operation *op = maybeDead.pop_back_val();
    if (isOpTriviallyDead(op))
      eraseOp(op);
  }
}
