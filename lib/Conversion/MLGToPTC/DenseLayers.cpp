//===- DenseLayers.cpp - Dense layers and their quantization --------------===//

#include "DenseLayers.h"
#include "ActivationLayers.h"

#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Transforms/ConstantData.h"
#include "mlg/Dialect/MLG/Transforms/GeneratorChain.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cctype>
#include <cmath>

using namespace mlir;
using namespace mlir::mlg;
using namespace mlir::mlg::ptc_lowering;

namespace {

std::string layerName(Location loc, size_t index) {
  // The first name in the location: a fused generated convolution carries
  // its convolution's name inside a FusedLoc.
  std::string base;
  loc->walk([&](Location inner) {
    if (auto named = dyn_cast<NameLoc>(inner)) {
      base = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  std::string name;
  for (char c : base)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return (name.empty() ? "layer" : name) + "_" + std::to_string(index);
}

bool isZeroInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  return matchPattern(init, m_AnyZeroFloat());
}

/// The next layer of `net`, named after `loc`: `inFeatures` to `outFeatures`
/// with `weight` (GEMMs), no bias and unit channel scales; the caller sets
/// the rest.
DenseLayer newLayer(Location loc, const DenseNetwork &net, LayerKind kind,
                    int64_t inFeatures, int64_t outFeatures,
                    std::vector<double> weight = {}) {
  return DenseLayer{layerName(loc, net.layers.size()),
                    loc,
                    inFeatures,
                    outFeatures,
                    std::move(weight),
                    std::vector<double>(outFeatures, 0.0),
                    /*relu=*/false,
                    /*conv=*/std::nullopt,
                    /*inRows=*/0,
                    /*outRows=*/0,
                    kind,
                    /*inputs=*/{},
                    /*poolScale=*/1.0,
                    /*generator=*/nullptr,
                    std::vector<double>(outFeatures, 1.0)};
}

/// An NCHW image flattened to [N][C * H * W] rows (tensor.collapse_shape).
struct FlattenedImage {
  int64_t tensor, images, channels, height, width;
};

/// A matmul: W[k][o] = B[k][o]. On a flattened image it is the
/// convolution whose kernel covers the image (valid, one output pixel):
/// W[(t * C + c)][o] = B[c * H * W + t][o], t = y * W + x.
LogicalResult addMatmul(linalg::MatmulOp matmul, int64_t input,
                        DenseNetwork &net,
                        std::optional<FlattenedImage> flat = std::nullopt) {
  if (matmul.getIndexingMapsArray() !=
      linalg::MatmulOp::getDefaultIndexingMaps(matmul.getContext()))
    return matmul.emitError("PTC lowering: transposed or broadcast matmuls "
                            "are not supported");
  if (auto transpose = matmul.getInputs()[1].getDefiningOp<linalg::TransposeOp>()) {
    FailureOr<std::shared_ptr<GeneratedWeights>> generated =
        matchGeneratedFilter(transpose.getInput(), matmul.getLoc());
    if (failed(generated))
      return failure();
    if (*generated && flat)
      return matmul.emitError("PTC lowering: a generated matmul weight on a "
                              "flattened image is not supported");
    if (*generated && transpose.getPermutation() == ArrayRef<int64_t>{1, 0}) {
      const GeneratorLevels &g = (*generated)->levels;
      if (g.taps != 1)
        return matmul.emitError("PTC lowering: a generated matmul weight "
                                "must be [Co][Ci]");
      std::vector<double> filter = generatedFilter(**generated);
      std::vector<double> weight(filter.size());
      for (int64_t o = 0; o < g.outChannels; ++o)
        for (int64_t c = 0; c < g.inChannels; ++c)
          weight[c * g.outChannels + o] = filter[o * g.inChannels + c];
      DenseLayer layer =
          newLayer(matmul.getLoc(), net, LayerKind::Gemm, g.inChannels,
                   g.outChannels, std::move(weight));
      layer.inputs = {input};
      layer.generator = *generated;
      layer.inRows = layer.outRows =
          cast<RankedTensorType>(matmul.getInputs()[0].getType())
              .getDimSize(0);
      if (!isZeroInit(matmul.getOutputs()[0]))
        return matmul.emitError("PTC lowering: the matmul must accumulate "
                                "into zeros");
      net.layers.push_back(std::move(layer));
      return success();
    }
  }
  std::string why;
  ElementsAttr weight = getFloatConstant(matmul.getInputs()[1], &why);
  if (!weight)
    return matmul.emitError("PTC lowering: the weight must be a constant (")
           << why << ")";
  if (!isZeroInit(matmul.getOutputs()[0]))
    return matmul.emitError("PTC lowering: the matmul must accumulate into "
                            "zeros");
  auto type = cast<RankedTensorType>(weight.getType());
  FailureOr<std::vector<double>> values = readFloatElements(weight, &why);
  if (failed(values))
    return matmul.emitError("PTC lowering: unreadable weight: ") << why;
  DenseLayer layer =
      newLayer(matmul.getLoc(), net, LayerKind::Gemm, type.getDimSize(0),
               type.getDimSize(1), std::move(*values));
  layer.inRows = layer.outRows =
      cast<RankedTensorType>(matmul.getInputs()[0].getType()).getDimSize(0);
  layer.inputs = {input};
  if (flat) {
    if (flat->height != flat->width)
      return matmul.emitError("PTC lowering: a matmul on a flattened image "
                              "needs a square image, not ")
             << flat->height << "x" << flat->width;
    // B's rows are NCHW-flattened (c, y, x); the convolution's reduction is
    // tap-major (t, c).
    const int64_t taps = flat->height * flat->width, c = flat->channels;
    const int64_t o = layer.outFeatures;
    std::vector<double> weight(layer.weight.size());
    for (int64_t t = 0; t < taps; ++t)
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t j = 0; j < o; ++j)
          weight[(t * c + ch) * o + j] = layer.weight[(ch * taps + t) * o + j];
    layer.weight = std::move(weight);
    layer.conv = ConvGeometry{
        flat->images, c, flat->height, flat->width, flat->height, 1, 0, 1, 1};
    layer.inRows = flat->images * taps;
  }
  net.layers.push_back(std::move(layer));
  return success();
}

/// A convolution: 1x1 stride 1 is a matmul over the N*H*W pixels (rows in
/// NHWC order) with W[k][o] = filter[o][k]; otherwise an im2col GEMM with
/// W[(t * C + c)][o] = filter[o][c][dy][dx], t = dy * k + dx. `pad` is the
/// zero padding of a preceding tensor.pad. A depthwise convolution
/// (filter [C][k][k]) is the GEMM of its diagonal filter,
/// W[(t * C + c)][o] = (c == o) * filter[c][dy][dx]: exact, at C times the
/// MACs of the depthwise arithmetic. A grouped one (NGCHW views of NCHW
/// tensors, filter [G][F][C][k][k]) is the GEMM of its block-diagonal
/// filter: W[(t * G C + g C + c)][g F + f] = filter[g][f][c][t].
template <typename ConvOp>
LogicalResult addConv(ConvOp conv, int64_t input, Value current,
                      std::optional<int64_t> pad, DenseNetwork &net) {
  constexpr bool depthwise =
      std::is_same_v<ConvOp, linalg::DepthwiseConv2DNchwChwOp>;
  constexpr bool grouped = std::is_same_v<ConvOp, linalg::Conv2DNgchwGfchwOp>;
  auto filterType = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto inType = cast<RankedTensorType>(current.getType());
  auto outType = cast<RankedTensorType>(conv.getResult(0).getType());
  // Spatial dimensions: the last two of the filter and the result.
  const int64_t rank = filterType.getRank(), outRank = outType.getRank();
  auto strides =
      llvm::to_vector(conv.getStrides().template getValues<int64_t>());
  auto dilations =
      llvm::to_vector(conv.getDilations().template getValues<int64_t>());
  const int64_t kernel = filterType.getDimSize(rank - 2);
  if (filterType.getDimSize(rank - 1) != kernel || strides[0] != strides[1] ||
      dilations[0] != dilations[1])
    return conv.emitError("PTC lowering: only square kernels with equal "
                          "strides and equal dilations are supported");
  if (!isZeroInit(conv.getOutputs()[0]))
    return conv.emitError("PTC lowering: the convolution must accumulate "
                          "into zeros");
  FailureOr<std::shared_ptr<GeneratedWeights>> generated =
      depthwise || grouped
          ? FailureOr<std::shared_ptr<GeneratedWeights>>(nullptr)
          : matchGeneratedFilter(conv.getInputs()[1], conv.getLoc());
  if (failed(generated))
    return failure();
  std::string why;
  FailureOr<std::vector<double>> values = failure();
  if (*generated) {
    values = generatedFilter(**generated);
  } else {
    ElementsAttr filter = getFloatConstant(conv.getInputs()[1], &why);
    if (!filter)
      return conv.emitError("PTC lowering: the weight must be a constant (")
             << why << ")";
    values = readFloatElements(filter, &why);
  }
  if (failed(values))
    return conv.emitError("PTC lowering: unreadable weight: ") << why;
  // Groups, and per group the output and input channels.
  const int64_t groups = depthwise ? filterType.getDimSize(0)
                         : grouped ? filterType.getDimSize(0)
                                   : 1;
  const int64_t firstChannelDim = grouped ? 1 : 0;
  const int64_t groupOut =
      depthwise ? 1 : filterType.getDimSize(firstChannelDim);
  const int64_t groupIn =
      depthwise ? 1 : filterType.getDimSize(firstChannelDim + 1);
  const int64_t outChannels = groups * groupOut;
  const int64_t inChannels = groups * groupIn;
  const int64_t taps = kernel * kernel;
  std::vector<double> weight(taps * inChannels * outChannels, 0.0);
  for (int64_t o = 0; o < outChannels; ++o)
    for (int64_t c = 0; c < groupIn; ++c)
      for (int64_t t = 0; t < taps; ++t) {
        // The filter is [G][F][C][taps] (depthwise: F = C = 1).
        const int64_t channel = o / groupOut * groupIn + c;
        weight[(t * inChannels + channel) * outChannels + o] =
            (*values)[(o * groupIn + c) * taps + t];
      }
  DenseLayer layer =
      newLayer(conv.getLoc(), net, LayerKind::Gemm, taps * inChannels,
               outChannels, std::move(weight));
  layer.generator = *generated;
  layer.inRows =
      inType.getDimSize(0) * inType.getDimSize(2) * inType.getDimSize(3);
  layer.outRows = outType.getDimSize(0) * outType.getDimSize(outRank - 2) *
                  outType.getDimSize(outRank - 1);
  if (kernel != 1 || strides[0] != 1 || pad)
    layer.conv = ConvGeometry{inType.getDimSize(0),
                              inChannels,
                              inType.getDimSize(2),
                              inType.getDimSize(3),
                              kernel,
                              strides[0],
                              pad ? *pad : 0,
                              outType.getDimSize(outRank - 2),
                              outType.getDimSize(outRank - 1),
                              kernel > 1 ? dilations[0] : 1};
  layer.inputs = {input};
  net.layers.push_back(std::move(layer));
  return success();
}

/// The fused forms: mlg.generated_conv2d (NCHW, one group, square kernel,
/// equal strides and padding, no dilation) and mlg.generated_matmul, each
/// with an optional bias; the padding is the op's own.
LogicalResult addFusedGenerated(Operation *op, int64_t inputTensor,
                                DenseNetwork &net) {
  auto conv = dyn_cast<GeneratedConv2DOp>(op);
  auto matmul = dyn_cast<GeneratedMatmulOp>(op);
  Value input = conv ? conv.getInput() : matmul.getInput();
  Value basis = conv ? conv.getBasis() : matmul.getBasis();
  Value coeffIn = conv ? conv.getCoeffIn() : matmul.getCoeffIn();
  Value coeffOut = conv ? conv.getCoeffOut() : matmul.getCoeffOut();
  Value bias = conv ? conv.getBias() : matmul.getBias();
  auto inType = cast<RankedTensorType>(input.getType());
  if (inType.getRank() != (conv ? 4 : 2))
    return op->emitError("PTC lowering: a generated ")
           << (conv ? "convolution needs an NCHW input"
                    : "matmul on an image is not supported");
  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  auto basisType = cast<RankedTensorType>(basis.getType());
  int64_t kernel = 1, stride = 1, pad = 0;
  if (conv) {
    ArrayRef<int64_t> strides = conv.getStrides(), padding = conv.getPadding();
    kernel = basisType.getDimSize(2);
    if (conv.getLayout() != ConvLayout::nchw_fchw || conv.getGroups() != 1 ||
        conv.getDepthwise() || basisType.getRank() != 4 ||
        basisType.getDimSize(3) != kernel || strides[0] != strides[1] ||
        llvm::any_of(conv.getDilations(), [](int64_t d) { return d != 1; }) ||
        llvm::any_of(padding, [&](int64_t p) { return p != padding[0]; }))
      return op->emitError("PTC lowering: only NCHW generated convolutions "
                           "with one group, square kernels, equal strides "
                           "and padding and no dilation are supported");
    stride = strides[0];
    pad = padding[0];
  }
  const int64_t outChannels = outType.getDimSize(1);
  const int64_t inChannels = inType.getDimSize(1);
  const int64_t taps = kernel * kernel;
  FailureOr<std::shared_ptr<GeneratedWeights>> generated =
      matchGenerators(basis, coeffIn, coeffOut, outChannels, inChannels,
                      taps, op->getLoc());
  if (failed(generated))
    return failure();
  std::vector<double> filter = dequantizedFilter((*generated)->levels);
  std::vector<double> weight(filter.size());
  for (int64_t o = 0; o < outChannels; ++o)
    for (int64_t c = 0; c < inChannels; ++c)
      for (int64_t t = 0; t < taps; ++t)
        weight[(t * inChannels + c) * outChannels + o] =
            filter[(o * inChannels + c) * taps + t];
  std::vector<double> biasValues(outChannels, 0.0);
  if (bias) {
    std::string why;
    ElementsAttr attr = getFloatConstant(bias, &why);
    FailureOr<std::vector<double>> values =
        attr ? readFloatElements(attr, &why) : FailureOr<std::vector<double>>();
    if (!attr || failed(values))
      return op->emitError("PTC lowering: the bias must be a constant (")
             << why << ")";
    biasValues = std::move(*values);
  }
  DenseLayer layer =
      newLayer(op->getLoc(), net, LayerKind::Gemm, taps * inChannels,
               outChannels, std::move(weight));
  layer.bias = std::move(biasValues);
  layer.inRows = inType.getDimSize(0);
  layer.outRows = outType.getDimSize(0);
  layer.inputs = {inputTensor};
  layer.generator = *generated;
  if (conv) {
    layer.inRows =
        inType.getDimSize(0) * inType.getDimSize(2) * inType.getDimSize(3);
    layer.outRows =
        outType.getDimSize(0) * outType.getDimSize(2) * outType.getDimSize(3);
    if (kernel != 1 || stride != 1 || pad)
      layer.conv = ConvGeometry{inType.getDimSize(0), inChannels,
                                inType.getDimSize(2), inType.getDimSize(3),
                                kernel,             stride,
                                pad,                outType.getDimSize(2),
                                outType.getDimSize(3)};
  }
  net.layers.push_back(std::move(layer));
  return success();
}

/// A tensor.pad of the spatial dimensions, equal on every side, with zeros
/// or (`negInf`) -infinity.
FailureOr<int64_t> getSpatialPadding(tensor::PadOp pad, bool &negInf) {
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  Value value = pad.getConstantPaddingValue();
  APFloat padValue(0.0);
  negInf = value && matchPattern(value, m_ConstantFloat(&padValue)) &&
           padValue.isInfinity() && padValue.isNegative();
  if (low.size() != 4 || !value ||
      !(negInf || matchPattern(value, m_AnyZeroFloat())) ||
      low[0] != 0 || low[1] != 0 || high[0] != 0 || high[1] != 0 ||
      llvm::any_of(
          llvm::concat<const int64_t>(low.drop_front(2), high.drop_front(2)),
          [&](int64_t v) { return v != low[2]; }))
    return pad.emitError("PTC lowering: only a zero (or -inf, for max "
                         "pooling) padding of H and W, equal on all sides, "
                         "is supported");
  return low[2];
}

/// A parallel elementwise generic of adds of a per-column constant and
/// maxima against 0, applied to `current`.
LogicalResult addEpilogue(linalg::GenericOp generic, Value current,
                          DenseNetwork &net) {
  // The bias is indexed by dimension 1: the column of a matmul result, the
  // channel of an NCHW convolution result.
  auto rank = cast<RankedTensorType>(current.getType()).getRank();
  if (net.layers.empty() || generic.getNumDpsInits() != 1 ||
      static_cast<int64_t>(generic.getNumLoops()) != rank ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return generic.emitError("PTC lowering: unsupported linalg.generic "
                             "(expected a bias add and/or ReLU after a "
                             "matmul)");
  DenseLayer &layer = net.layers.back();
  const bool gemm = layer.kind == LayerKind::Gemm;
  Block &body = generic.getRegion().front();
  Value value;
  std::vector<std::pair<BlockArgument, std::vector<double>>> channelConstants;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    AffineMap map = generic.getMatchingIndexingMap(input);
    if (input->get() == current && map.isIdentity()) {
      value = arg;
      continue;
    }
    if (map.getNumResults() != 1 || !map.isProjectedPermutation() ||
        map.getDimPosition(0) != 1)
      return generic.emitError("PTC lowering: an epilogue operand must be "
                               "the layer's result or a per-column vector");
    std::string why;
    ElementsAttr bias = getFloatConstant(input->get(), &why);
    if (!bias)
      return generic.emitError("PTC lowering: the bias must be a constant (")
             << why << ")";
    FailureOr<std::vector<double>> values = readFloatElements(bias, &why);
    if (failed(values) ||
        static_cast<int64_t>(values->size()) != layer.outFeatures)
      return generic.emitError("PTC lowering: bad bias constant");
    if (!gemm)
      return generic.emitError("PTC lowering: per-channel constants only "
                               "follow a matmul or convolution");
    channelConstants.push_back({arg, std::move(*values)});
  }
  if (!value)
    return generic.emitError("PTC lowering: the epilogue does not read the "
                             "layer's result");
  for (Operation &op : body.without_terminator()) {
    Value next;
    if (auto add = dyn_cast<arith::AddFOp>(op)) {
      Value other = add.getLhs() == value   ? add.getRhs()
                    : add.getRhs() == value ? add.getLhs()
                                            : Value();
      for (size_t i = 0; other && i < channelConstants.size(); ++i)
        if (other == channelConstants[i].first) {
          if (layer.relu)
            return add.emitError("PTC lowering: a bias after the ReLU is "
                                 "not supported");
          for (int64_t o = 0; o < layer.outFeatures; ++o)
            layer.bias[o] += channelConstants[i].second[o];
          next = add.getResult();
        }
    } else if (auto mul = dyn_cast<arith::MulFOp>(op)) {
      // A per-channel scale (a folded BatchNorm) folds into the weight's
      // output channel and the bias, exactly, before any ReLU.
      Value other = mul.getLhs() == value   ? mul.getRhs()
                    : mul.getRhs() == value ? mul.getLhs()
                                            : Value();
      APFloat factor(0.0);
      if (other && !layer.relu &&
          matchPattern(other, m_ConstantFloat(&factor))) {
        // A scalar scale, e.g. the mean's 1 / (H W) after a window sum.
        const double f = factor.convertToDouble();
        if (layer.kind == LayerKind::AvgPool) {
          layer.poolScale *= f;
          next = mul.getResult();
        } else if (gemm) {
          for (double &w : layer.weight)
            w *= f;
          for (int64_t o = 0; o < layer.outFeatures; ++o) {
            layer.bias[o] *= f;
            layer.channelScale[o] *= f;
          }
          next = mul.getResult();
        }
      }
      for (size_t i = 0; other && i < channelConstants.size(); ++i)
        if (other == channelConstants[i].first) {
          if (layer.relu)
            return mul.emitError("PTC lowering: a scale after the ReLU is "
                                 "not supported");
          for (int64_t o = 0; o < layer.outFeatures; ++o) {
            for (int64_t k = 0; k < layer.inFeatures; ++k)
              layer.weight[k * layer.outFeatures + o] *= channelConstants[i].second[o];
            layer.bias[o] *= channelConstants[i].second[o];
            layer.channelScale[o] *= channelConstants[i].second[o];
          }
          next = mul.getResult();
        }
    } else if (auto max = dyn_cast<arith::MaximumFOp>(op)) {
      Value other = max.getLhs() == value   ? max.getRhs()
                    : max.getRhs() == value ? max.getLhs()
                                            : Value();
      if (other && matchPattern(other, m_AnyZeroFloat())) {
        layer.relu = true;
        next = max.getResult();
      }
    } else if (isa<arith::ConstantOp>(op)) {
      continue;
    }
    if (!next)
      return op.emitError("PTC lowering: unsupported op in the epilogue "
                          "(only per-channel scales and bias adds, and "
                          "max(x, 0))");
    value = next;
  }
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getValues()[0] != value)
    return generic.emitError("PTC lowering: the epilogue must yield its "
                             "bias/ReLU chain");
  return success();
}

} // namespace

namespace {

/// The walk over the function: which tensor every SSA value is, and what a
/// tensor.pad pads.
struct GraphBuilder {
  explicit GraphBuilder(DenseNetwork &net) : net(net) {}
  DenseNetwork &net;
  llvm::DenseMap<Value, int64_t> tensors;
  struct Pad {
    int64_t tensor, padding;
    bool negInf;
  };
  llvm::DenseMap<Value, Pad> pads;
  /// Images flattened to [N][C * H * W] (H * W > 1), for a matmul to read.
  llvm::DenseMap<Value, FlattenedImage> flattened;
  /// NGCHW views (tensor.expand_shape) of NCHW values (a tensor, or a
  /// tensor.pad of one), for a grouped convolution to read.
  llvm::DenseMap<Value, Value> groupViews;
  /// Whether each tensor is >= 0 (a ReLU's result, or max-pooled from one).
  std::vector<bool> nonNegative{false};

  std::optional<int64_t> tensorOf(Value v) const {
    auto it = tensors.find(v);
    if (it == tensors.end())
      return std::nullopt;
    return it->second;
  }

  /// Registers the result of the layer just added.
  void addResult(Value result) {
    tensors[result] = net.layers.size();
    nonNegative.push_back(net.layers.back().relu);
  }

  LogicalResult addPooling(Operation *op, Value input, Value window,
                           DenseIntElementsAttr strides,
                           DenseIntElementsAttr dilations, LayerKind kind);
  LogicalResult addAdd(linalg::GenericOp generic, int64_t lhs, int64_t rhs);
  LogicalResult addMeanReduction(linalg::GenericOp generic, int64_t input);
  LogicalResult visitGeneric(linalg::GenericOp generic);
};

LogicalResult GraphBuilder::addPooling(Operation *op, Value input,
                                       Value window,
                                       DenseIntElementsAttr strides,
                                       DenseIntElementsAttr dilations,
                                       LayerKind kind) {
  std::optional<int64_t> source = tensorOf(input);
  int64_t padding = 0;
  bool negInf = false;
  if (auto it = pads.find(input); it != pads.end()) {
    source = it->second.tensor;
    padding = it->second.padding;
    negInf = it->second.negInf;
  }
  if (!source)
    return op->emitError("PTC lowering: the pooling's input must be an "
                         "earlier result or the network input");
  auto inType = cast<RankedTensorType>(input.getType());
  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  auto windowType = cast<RankedTensorType>(window.getType());
  auto values = llvm::to_vector(strides.getValues<int64_t>());
  const int64_t kernel = windowType.getDimSize(0);
  if (windowType.getDimSize(1) != kernel || values[0] != values[1] ||
      !llvm::all_of(dilations.getValues<int64_t>(),
                    [](int64_t v) { return v == 1; }))
    return op->emitError("PTC lowering: only square pooling windows with "
                         "equal strides and no dilation are supported");
  const int64_t channels = inType.getDimSize(1);
  DenseLayer layer = newLayer(op->getLoc(), net, kind, channels, channels);
  layer.conv = ConvGeometry{inType.getDimSize(0),
                            channels,
                            inType.getDimSize(2) - 2 * padding,
                            inType.getDimSize(3) - 2 * padding,
                            kernel,
                            values[0],
                            padding,
                            outType.getDimSize(2),
                            outType.getDimSize(3)};
  layer.inputs = {*source};
  const ConvGeometry &g = *layer.conv;
  layer.inRows = g.images * g.inH * g.inW;
  layer.outRows = g.images * g.outH * g.outW;
  if (kind == LayerKind::MaxPool) {
    // Zero rows stand for the padding: exact for -inf as for zeros when
    // the input is >= 0 (every window holds an input pixel). Without
    // padding every tap lies in the image, whatever the sign.
    if (padding > 0 && !nonNegative[*source])
      return op->emitError("PTC lowering: padded max pooling is supported "
                           "on non-negative inputs (after a ReLU) only");
    if (2 * padding >= kernel)
      return op->emitError("PTC lowering: max pooling padding must be less "
                           "than half the window");
  } else if (negInf) {
    return op->emitError("PTC lowering: -inf padding only before max "
                         "pooling");
  } else if (padding != 0 || g.outH != 1 || g.outW != 1 || kernel != g.inH ||
             g.inH != g.inW) {
    // A window sum smaller than the image: the depthwise convolution with
    // a filter of ones, a GEMM on the core (its scale follows as a
    // constant multiply).
    layer.kind = LayerKind::Gemm;
    layer.inFeatures = kernel * kernel * channels;
    layer.weight.assign(layer.inFeatures * channels, 0.0);
    for (int64_t t = 0; t < kernel * kernel; ++t)
      for (int64_t c = 0; c < channels; ++c)
        layer.weight[(t * channels + c) * channels + c] = 1.0;
  }
  const bool inputNonNegative = nonNegative[*source];
  net.layers.push_back(std::move(layer));
  addResult(op->getResult(0));
  nonNegative.back() = inputNonNegative;
  return success();
}

/// Whether `v` is max(x, 0) of `x`, returning x.
static Value matchRelu(Value v) {
  auto max = v.getDefiningOp<arith::MaximumFOp>();
  if (!max)
    return {};
  if (matchPattern(max.getRhs(), m_AnyZeroFloat()))
    return max.getLhs();
  if (matchPattern(max.getLhs(), m_AnyZeroFloat()))
    return max.getRhs();
  return {};
}

LogicalResult GraphBuilder::addAdd(linalg::GenericOp generic, int64_t lhs,
                                   int64_t rhs) {
  Block &body = generic.getRegion().front();
  Value yielded = cast<linalg::YieldOp>(body.getTerminator()).getValues()[0];
  bool relu = false;
  if (Value inner = matchRelu(yielded)) {
    relu = true;
    yielded = inner;
  }
  auto add = yielded.getDefiningOp<arith::AddFOp>();
  if (!add || !((add.getLhs() == body.getArgument(0) &&
                 add.getRhs() == body.getArgument(1)) ||
                (add.getLhs() == body.getArgument(1) &&
                 add.getRhs() == body.getArgument(0))))
    return generic.emitError("PTC lowering: a generic on two activations "
                             "must add them (and may take max(x, 0))");
  auto type = cast<RankedTensorType>(generic.getResult(0).getType());
  if (net.features(lhs) != net.features(rhs) ||
      type.getDimSize(1) != net.features(lhs))
    return generic.emitError("PTC lowering: shape mismatch in the add");
  const int64_t channels = type.getDimSize(1);
  int64_t rows = type.getNumElements() / channels;
  DenseLayer layer =
      newLayer(generic.getLoc(), net, LayerKind::Add, channels, channels);
  layer.relu = relu;
  layer.inRows = layer.outRows = rows;
  layer.inputs = {lhs, rhs};
  net.layers.push_back(std::move(layer));
  addResult(generic.getResult(0));
  return success();
}

/// sum over H and W of x * c (or of x) into an [N, C] result: a global
/// average pooling.
LogicalResult GraphBuilder::addMeanReduction(linalg::GenericOp generic,
                                             int64_t input) {
  Block &body = generic.getRegion().front();
  Value yielded = cast<linalg::YieldOp>(body.getTerminator()).getValues()[0];
  BlockArgument in = body.getArgument(0), acc = body.getArgument(1);
  auto add = yielded.getDefiningOp<arith::AddFOp>();
  Value term = !add                    ? Value()
               : add.getLhs() == acc   ? add.getRhs()
               : add.getRhs() == acc   ? add.getLhs()
                                       : Value();
  double scale = 1.0;
  if (term && term != in) {
    auto mul = term.getDefiningOp<arith::MulFOp>();
    Value other = !mul                  ? Value()
                  : mul.getLhs() == in  ? mul.getRhs()
                  : mul.getRhs() == in  ? mul.getLhs()
                                        : Value();
    APFloat factor(0.0);
    if (!other || !matchPattern(other, m_ConstantFloat(&factor)))
      term = {};
    else
      scale = factor.convertToDouble();
  }
  if (!term || !isZeroInit(generic.getOutputs()[0]))
    return generic.emitError("PTC lowering: a reduction generic must sum "
                             "x or x * constant over H and W into zeros");
  auto inType = cast<RankedTensorType>(generic.getInputs()[0].getType());
  const int64_t channels = inType.getDimSize(1);
  ConvGeometry g{inType.getDimSize(0), channels,     inType.getDimSize(2),
                 inType.getDimSize(3), inType.getDimSize(2), 1, 0, 1, 1};
  if (g.inH != g.inW)
    return generic.emitError("PTC lowering: only square images are pooled");
  DenseLayer layer =
      newLayer(generic.getLoc(), net, LayerKind::AvgPool, channels, channels);
  layer.conv = g;
  layer.inRows = g.images * g.inH * g.inW;
  layer.outRows = g.images;
  layer.inputs = {input};
  layer.poolScale = scale;
  const bool inputNonNegative = nonNegative[input] && scale >= 0;
  net.layers.push_back(std::move(layer));
  addResult(generic.getResult(0));
  nonNegative.back() = inputNonNegative;
  return success();
}

LogicalResult GraphBuilder::visitGeneric(linalg::GenericOp generic) {
  // The activation operands: identity-indexed tensors of the graph.
  SmallVector<int64_t> activations;
  SmallVector<Value> activationValues;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (std::optional<int64_t> id = tensorOf(input->get());
        id && generic.getMatchingIndexingMap(input).isIdentity()) {
      activations.push_back(*id);
      activationValues.push_back(input->get());
    }
  const bool reduction =
      generic.getNumReductionLoops() == 2 && generic.getNumLoops() == 4;
  if (reduction && activations.size() == 1 && generic.getNumDpsInputs() == 1) {
    AffineMap out = generic.getMatchingIndexingMap(generic.getDpsInitOperand(0));
    MLIRContext *ctx = generic.getContext();
    if (out == AffineMap::get(4, 0,
                              {getAffineDimExpr(0, ctx),
                               getAffineDimExpr(1, ctx)},
                              ctx) &&
        generic.getIteratorTypesArray()[2] == utils::IteratorType::reduction &&
        generic.getIteratorTypesArray()[3] == utils::IteratorType::reduction)
      return addMeanReduction(generic, activations[0]);
  }
  if (activations.size() == 2 && generic.getNumDpsInputs() == 2 &&
      generic.getNumParallelLoops() == generic.getNumLoops())
    return addAdd(generic, activations[0], activations[1]);
  if (activations.size() != 1)
    return generic.emitError("PTC lowering: unsupported linalg.generic "
                             "(expected a bias add and/or ReLU after a "
                             "matmul)");
  // An epilogue: it must follow the layer it modifies, the only reader of
  // that layer's result.
  const int64_t id = activations[0];
  Value current = activationValues[0];
  if (id == 0 || id != static_cast<int64_t>(net.layers.size()) ||
      !current.hasOneUse())
    return generic.emitError("PTC lowering: an epilogue (bias, scale, ReLU) "
                             "must directly follow the only use of a layer's "
                             "result");
  if (failed(addEpilogue(generic, current, net)))
    return failure();
  tensors[generic.getResult(0)] = id;
  nonNegative[id] = nonNegative[id] || net.layers.back().relu;
  return success();
}

} // namespace

FailureOr<DenseNetwork> ptc_lowering::extractDenseNetwork(func::FuncOp func) {
  FunctionType type = func.getFunctionType();
  auto input = type.getNumInputs() == 1
                   ? dyn_cast<RankedTensorType>(type.getInput(0))
                   : RankedTensorType();
  if (!input || (input.getRank() != 2 && input.getRank() != 4) ||
      !input.hasStaticShape() || !input.getElementType().isF32() ||
      type.getNumResults() == 0)
    return func.emitError("PTC lowering: expected one tensor<MxKxf32> or "
                          "NCHW tensor<NxCxHxWxf32> argument and results");
  DenseNetwork net;
  for (Type result : type.getResults()) {
    auto output = dyn_cast<RankedTensorType>(result);
    if (!output || !output.hasStaticShape() ||
        (output.getRank() != 2 && output.getRank() != 4))
      return func.emitError("PTC lowering: expected static [N, K] or NCHW "
                            "results");
    net.outputShapes.emplace_back(output.getShape().begin(),
                                  output.getShape().end());
  }
  net.inputShape.assign(input.getShape().begin(), input.getShape().end());
  net.rows = input.getRank() == 2 ? input.getDimSize(0)
                                  : input.getDimSize(0) * input.getDimSize(2) *
                                        input.getDimSize(3);
  GraphBuilder graph(net);
  graph.tensors[func.getArgument(0)] = 0;
  for (Operation &op : func.getBody().front()) {
    if (isa<arith::ConstantOp, tensor::EmptyOp, linalg::FillOp, DequantizeOp,
            DecodePow2Op, GenerateIntraOp, GenerateCrossOp>(op))
      continue;
    // The reshapes (and crop) taking SmartDeal blocks to a filter, read by
    // the layer's recognition.
    if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
            tensor::ExtractSliceOp, linalg::TransposeOp>(op) &&
        succeeded(traceGeneratorChain(op.getResult(0))))
      continue;
    // The transposed generated weight of a matmul (read by addMatmul).
    if (auto transpose = dyn_cast<linalg::TransposeOp>(op))
      if (transpose.getInput().getDefiningOp<GenerateCrossOp>() ||
          transpose.getInput().getDefiningOp<GenerateIntraOp>())
        continue;
    if (auto pad = dyn_cast<tensor::PadOp>(op)) {
      std::optional<int64_t> source = graph.tensorOf(pad.getSource());
      if (!source)
        return pad.emitError("PTC lowering: a tensor.pad must pad an "
                             "earlier result or the network input");
      bool negInf = false;
      FailureOr<int64_t> padding = getSpatialPadding(pad, negInf);
      if (failed(padding))
        return failure();
      graph.pads[pad.getResult()] = {*source, *padding, negInf};
      continue;
    }
    // [N, C, H, W] -> [N, G, C/G, H, W] and back: the same codes.
    SmallVector<ReassociationIndices> groupDims{{0}, {1, 2}, {3}, {4}};
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
      Value src = expand.getSrc();
      if (expand.getReassociationIndices() != groupDims ||
          (!graph.tensorOf(src) && !graph.pads.count(src)))
        return expand.emitError("PTC lowering: only an NGCHW view [N, G, "
                                "C/G, H, W] of an NCHW result (for a grouped "
                                "convolution) is supported");
      graph.groupViews[expand.getResult()] = src;
      continue;
    }
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op);
        collapse && collapse.getSrcType().getRank() == 5) {
      std::optional<int64_t> source = graph.tensorOf(collapse.getSrc());
      if (!source || collapse.getReassociationIndices() != groupDims)
        return collapse.emitError("PTC lowering: only collapsing a grouped "
                                  "convolution's [N, G, F, H, W] result to "
                                  "NCHW is supported");
      graph.tensors[collapse.getResult()] = *source;
      continue;
    }
    if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
      std::optional<int64_t> source = graph.tensorOf(collapse.getSrc());
      auto srcType = collapse.getSrcType();
      if (!source || srcType.getRank() != 4 ||
          collapse.getResultType().getRank() != 2 ||
          collapse.getReassociationIndices().front().size() != 1)
        return collapse.emitError("PTC lowering: only flattening an NCHW "
                                  "result to [N, C * H * W] is supported");
      if (srcType.getDimSize(2) * srcType.getDimSize(3) > 1) {
        // For a matmul to read as a convolution over the whole image.
        graph.flattened[collapse.getResult()] = {
            *source, srcType.getDimSize(0), srcType.getDimSize(1),
            srcType.getDimSize(2), srcType.getDimSize(3)};
        continue;
      }
      // [N][C] rows in NHWC order are the same codes.
      graph.tensors[collapse.getResult()] = *source;
      continue;
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      // Layer results, each once, the last layer's among them (a layer
      // after every result would be dead).
      for (Value operand : ret.getOperands()) {
        std::optional<int64_t> result = graph.tensorOf(operand);
        if (!result || *result == 0 || llvm::is_contained(net.outputs, *result))
          return ret.emitError("PTC lowering: the function must return "
                               "distinct layer results");
        net.outputs.push_back(*result);
      }
      if (net.layers.empty() ||
          !llvm::is_contained(net.outputs,
                              static_cast<int64_t>(net.layers.size())))
        return ret.emitError("PTC lowering: the function must return the "
                             "last layer's result");
      continue;
    }
    // Pads feed convolutions and pooling only.
    for (Value operand : op.getOperands())
      if (graph.pads.count(operand) &&
          !isa<linalg::Conv2DNchwFchwOp, linalg::DepthwiseConv2DNchwChwOp,
               linalg::PoolingNchwMaxOp, tensor::ExpandShapeOp>(op))
        return op.emitError("PTC lowering: a tensor.pad must feed a "
                            "convolution or max pooling");
    LogicalResult added = failure();
    if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
      std::optional<int64_t> in = graph.tensorOf(matmul.getInputs()[0]);
      std::optional<FlattenedImage> flat;
      if (auto it = graph.flattened.find(matmul.getInputs()[0]);
          it != graph.flattened.end()) {
        flat = it->second;
        in = flat->tensor;
      }
      if (!in)
        return matmul.emitError("PTC lowering: the matmul's left operand "
                                "must be an earlier result or the input");
      if (cast<RankedTensorType>(matmul.getInputs()[0].getType()).getRank() !=
          2)
        return matmul.emitError("PTC lowering: a matmul on an image is not "
                                "supported");
      added = addMatmul(matmul, *in, net, flat);
      if (succeeded(added))
        graph.addResult(matmul.getResult(0));
    } else if (isa<linalg::Conv2DNchwFchwOp, linalg::DepthwiseConv2DNchwChwOp,
                   linalg::Conv2DNgchwGfchwOp>(op)) {
      auto conv = cast<linalg::LinalgOp>(op);
      Value in = conv.getDpsInputs()[0];
      if (isa<linalg::Conv2DNgchwGfchwOp>(op)) {
        auto view = graph.groupViews.find(in);
        if (view == graph.groupViews.end())
          return op.emitError("PTC lowering: a grouped convolution needs an "
                              "NGCHW view (tensor.expand_shape) of an NCHW "
                              "result");
        in = view->second;
      }
      std::optional<int64_t> source = graph.tensorOf(in);
      std::optional<int64_t> padding;
      Value unpadded = in;
      if (auto it = graph.pads.find(in); it != graph.pads.end()) {
        if (it->second.negInf)
          return op.emitError("PTC lowering: a convolution needs a zero "
                              "padding");
        source = it->second.tensor;
        padding = it->second.padding;
        unpadded = in.getDefiningOp<tensor::PadOp>().getSource();
      }
      if (!source || cast<RankedTensorType>(in.getType()).getRank() != 4)
        return op.emitError("PTC lowering: a convolution needs an NCHW "
                            "input");
      if (auto dense = dyn_cast<linalg::Conv2DNchwFchwOp>(op))
        added = addConv(dense, *source, unpadded, padding, net);
      else if (auto grouped = dyn_cast<linalg::Conv2DNgchwGfchwOp>(op))
        added = addConv(grouped, *source, unpadded, padding, net);
      else
        added = addConv(cast<linalg::DepthwiseConv2DNchwChwOp>(op), *source,
                        unpadded, padding, net);
      if (succeeded(added))
        graph.addResult(op.getResult(0));
    } else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(op)) {
      added = graph.addPooling(pool, pool.getInputs()[0], pool.getInputs()[1],
                               pool.getStrides(), pool.getDilations(),
                               LayerKind::MaxPool);
    } else if (auto pool = dyn_cast<linalg::PoolingNchwSumOp>(op)) {
      added = graph.addPooling(pool, pool.getInputs()[0], pool.getInputs()[1],
                               pool.getStrides(), pool.getDilations(),
                               LayerKind::AvgPool);
    } else if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
      added = graph.visitGeneric(generic);
    } else if (isa<GeneratedConv2DOp, GeneratedMatmulOp>(op)) {
      // The fused forms carry their own padding.
      std::optional<int64_t> in = graph.tensorOf(op.getOperand(0));
      if (!in)
        return op.emitError("PTC lowering: the layer's input must be an "
                            "earlier result or the network input");
      added = addFusedGenerated(&op, *in, net);
      if (succeeded(added))
        graph.addResult(op.getResult(0));
    } else {
      return op.emitError("PTC lowering: unsupported op '")
             << op.getName()
             << "' (supported: linalg.matmul, linalg.conv_2d_nchw_fchw, "
             << "linalg.conv_2d_ngchw_gfchw, linalg.depthwise_conv_2d_nchw_chw "
             << "with constant weights, bias add, ReLU, residual adds, max "
             << "and average pooling)";
    }
    if (failed(added))
      return failure();
  }
  for (const DenseLayer &layer : net.layers) {
    int64_t channels = layer.conv ? layer.conv->channels : layer.inFeatures;
    for (int64_t in : layer.inputs)
      if (net.features(in) != channels)
        return emitError(layer.loc, "PTC lowering: shape mismatch");
  }
  return net;
}

/// The im2col matrix [images * outH * outW][taps * channels] of NHWC pixels.
static std::vector<double> im2col(const ConvGeometry &g, ArrayRef<double> x) {
  const int64_t images = x.size() / (g.inH * g.inW * g.channels);
  const int64_t taps = g.kernel * g.kernel;
  std::vector<double> cols(images * g.outH * g.outW * taps * g.channels, 0.0);
  double *out = cols.data();
  for (int64_t n = 0; n < images; ++n)
    for (int64_t yo = 0; yo < g.outH; ++yo)
      for (int64_t xo = 0; xo < g.outW; ++xo)
        for (int64_t t = 0; t < taps; ++t) {
          int64_t y = yo * g.stride + t / g.kernel * g.dilation - g.pad;
          int64_t xi = xo * g.stride + t % g.kernel * g.dilation - g.pad;
          bool inside = y >= 0 && y < g.inH && xi >= 0 && xi < g.inW;
          for (int64_t c = 0; c < g.channels; ++c, ++out)
            if (inside)
              *out = x[((n * g.inH + y) * g.inW + xi) * g.channels + c];
        }
  return cols;
}

std::vector<double> ptc_lowering::evaluateLayer(const DenseLayer &layer,
                                                ArrayRef<double> input) {
  std::vector<double> patches;
  if (layer.conv)
    patches = im2col(*layer.conv, input);
  ArrayRef<double> x = layer.conv ? ArrayRef<double>(patches) : input;
  const int64_t rows = x.size() / layer.inFeatures;
  const int64_t n = layer.outFeatures, k = layer.inFeatures;
  std::vector<double> y(rows * n);
  // Row by row, accumulating whole weight rows (contiguous in `weight`).
  for (int64_t m = 0; m < rows; ++m) {
    double *out = &y[m * n];
    std::copy(layer.bias.begin(), layer.bias.end(), out);
    for (int64_t i = 0; i < k; ++i) {
      const double v = x[m * k + i];
      if (v == 0)
        continue;
      const double *w = &layer.weight[i * n];
      for (int64_t o = 0; o < n; ++o)
        out[o] += v * w[o];
    }
    if (layer.relu)
      for (int64_t o = 0; o < n; ++o)
        out[o] = std::max(out[o], 0.0);
  }
  return y;
}

static double maxAbs(ArrayRef<double> values) {
  double m = 0;
  for (double v : values)
    m = std::max(m, std::fabs(v));
  return m;
}

/// The clipping range c of symmetric codes in [-top, top] (scale c / top)
/// with the least squared quantization error over `values`, among
/// kCandidates steps of `maximum` (max |v|, which the caller has); a strided
/// subsample keeps large tensors cheap.
static double chooseClipRange(ArrayRef<double> values, double maximum,
                              double top) {
  constexpr size_t kSamples = 1 << 16;
  constexpr int kCandidates = 128;
  const size_t stride = std::max<size_t>(1, values.size() / kSamples);
  std::vector<double> magnitudes;
  for (size_t i = 0; i < values.size(); i += stride)
    magnitudes.push_back(std::fabs(values[i]));
  if (maximum == 0)
    return 0;
  double best = maximum, bestError = -1;
  for (int j = kCandidates; j >= 1; --j) {
    const double clip = maximum * j / kCandidates, scale = clip / top;
    double error = 0;
    for (double m : magnitudes) {
      double q = std::min(std::round(m / scale), top) * scale;
      error += (m - q) * (m - q);
    }
    if (bestError < 0 || error < bestError) {
      bestError = error;
      best = clip;
    }
  }
  return best;
}

std::vector<std::vector<double>>
ptc_lowering::evaluateNetwork(const DenseNetwork &net,
                              std::vector<double> input) {
  std::vector<std::vector<double>> tensors;
  tensors.push_back(std::move(input));
  for (const DenseLayer &layer : net.layers) {
    if (layer.kind == LayerKind::Gemm) {
      tensors.push_back(evaluateLayer(layer, tensors[layer.inputs[0]]));
      continue;
    }
    SmallVector<ArrayRef<double>, 2> inputs;
    for (int64_t id : layer.inputs)
      inputs.push_back(tensors[id]);
    tensors.push_back(evaluateActivationLayer(layer, inputs));
  }
  return tensors;
}

std::vector<double>
ptc_lowering::calibrateActivations(const DenseNetwork &net,
                                   ArrayRef<float> calibration,
                                   QuantizationOptions *options) {
  std::vector<double> x(calibration.begin(), calibration.end());
  if (net.isImage()) {
    // NCHW samples to NHWC rows, the layout the layers compute in.
    const int64_t c = net.inputShape[1],
                  pixels = net.inputShape[2] * net.inputShape[3];
    const int64_t images = x.size() / (c * pixels);
    for (int64_t n = 0; n < images; ++n)
      for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t p = 0; p < pixels; ++p)
          x[(n * pixels + p) * c + ch] = calibration[(n * c + ch) * pixels + p];
  }
  std::vector<double> maxima;
  for (const std::vector<double> &tensor : evaluateNetwork(net, std::move(x))) {
    maxima.push_back(maxAbs(tensor));
    if (!options)
      continue;
    if (options->clipActivations)
      options->activationClip.push_back(chooseClipRange(
          tensor, maxima.back(),
          static_cast<double>((int64_t{1} << (options->inputBits - 1)) - 1)));
    double sum = 0, squares = 0;
    for (double v : tensor) {
      sum += v;
      squares += v * v;
    }
    const double n = std::max<double>(1.0, tensor.size());
    options->activationMean.push_back(sum / n);
    options->activationMeanSquare.push_back(squares / n);
  }
  return maxima;
}

std::vector<double> ptc_lowering::boundActivations(const DenseNetwork &net) {
  std::vector<double> maxima{1.0};
  for (const DenseLayer &layer : net.layers) {
    if (layer.kind != LayerKind::Gemm) {
      SmallVector<double, 2> inputs;
      for (int64_t id : layer.inputs)
        inputs.push_back(maxima[id]);
      maxima.push_back(boundActivationLayer(layer, inputs));
      continue;
    }
    const double in = maxima[layer.inputs[0]];
    double bound = 0;
    for (int64_t o = 0; o < layer.outFeatures; ++o) {
      double sum = std::fabs(layer.bias[o]);
      for (int64_t k = 0; k < layer.inFeatures; ++k)
        sum += std::fabs(layer.weight[k * layer.outFeatures + o]) * in;
      bound = std::max(bound, sum);
    }
    maxima.push_back(bound);
  }
  return maxima;
}

int64_t ptc_lowering::largestWeightCode(unsigned bits, unsigned digits) {
  int64_t base = 0;
  for (unsigned d = 0; d < digits; ++d)
    base += int64_t{1} << (bits * d);
  return ((int64_t{1} << (bits - 1)) - 1) * base;
}

int64_t ptc_lowering::weightDigit(int64_t code, unsigned bits, unsigned digit) {
  const int64_t radix = int64_t{1} << bits, half = radix / 2;
  for (unsigned d = 0;; ++d) {
    // The low digit in [-half, half - 1], the rest carried up.
    int64_t low = ((code + half) % radix + radix) % radix - half;
    if (d == digit)
      return low;
    code = (code - low) / radix;
  }
}

static constexpr double kResultHeadroom = 4.0;

FailureOr<std::vector<QuantizedLayer>>
ptc_lowering::quantizeNetwork(const DenseNetwork &net,
                              const QuantizationOptions &options) {
  auto scaleFor = [](double maximum, unsigned bits) {
    double top = static_cast<double>((int64_t{1} << (bits - 1)) - 1);
    return maximum > 0 ? maximum / top : 1.0;
  };
  const int64_t wTop =
      largestWeightCode(options.weightBits, options.weightDigits);
  const int64_t xTop = int64_t{1} << (options.inputBits - 1);
  std::vector<QuantizedLayer> result;
  // One scale per tensor; max pooling keeps its input's (its codes are a
  // subset of the input's).
  std::vector<double> maxima = options.activationMax;
  std::vector<double> ranges = options.activationClip.empty()
                                   ? options.activationMax
                                   : options.activationClip;
  for (size_t l = 0; l < net.layers.size(); ++l)
    if (net.layers[l].kind == LayerKind::MaxPool) {
      maxima[l + 1] = maxima[net.layers[l].inputs[0]];
      ranges[l + 1] = ranges[net.layers[l].inputs[0]];
    }
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer &layer = net.layers[l];
    // A result no layer reads is only the network's: wide codes. One that
    // later layers read keeps their input codes, also as a result.
    const bool wide = net.outputIndex(l) >= 0 && !net.isRead(l);
    QuantizedLayer q;
    q.outputBits = wide ? options.resultBits : options.inputBits;
    q.inputScale = scaleFor(ranges[layer.inputs[0]], options.inputBits);
    // The network's result keeps headroom: its quantized value can exceed the
    // calibrated float maximum, and wide result codes make this cheap.
    q.outputScale = scaleFor(
        wide ? maxima[l + 1] * kResultHeadroom : ranges[l + 1], q.outputBits);
    if (layer.kind != LayerKind::Gemm) {
      SmallVector<double, 2> inputScales;
      for (int64_t id : layer.inputs)
        inputScales.push_back(scaleFor(ranges[id], options.inputBits));
      if (failed(quantizeActivationLayer(layer, inputScales, options.inputBits,
                                         q)))
        return failure();
      result.push_back(std::move(q));
      continue;
    }
    const int64_t input = layer.inputs[0];
    if (static_cast<size_t>(input) < options.activationMean.size()) {
      // Codes are the values over the scale (clipping and rounding aside).
      q.inputCodes.mean = options.activationMean[input] / q.inputScale;
      q.inputCodes.meanSquare =
          options.activationMeanSquare[input] / (q.inputScale * q.inputScale);
    } else {
      q.inputCodes = uniformCodes(options.inputBits);
    }
    const int64_t n = layer.outFeatures, k = layer.inFeatures;
    q.weightCodes.resize(n * k);
    std::vector<double> ratio(n);
    int64_t biasMax = 0;
    for (int64_t o = 0; o < n; ++o) {
      double wScale;
      if (layer.generator) {
        // The core's codes, one scale per layer (MLG) or per channel
        // (SmartDeal); the epilogue's channel scale goes into the
        // multiplier (W is generated, not stored).
        wScale = layer.generator->scaleOf(o) * layer.channelScale[o];
        if (wScale == 0)
          return emitError(layer.loc, "PTC lowering: channel ")
                 << o << " of a generated layer has a zero scale";
        for (int64_t i = 0; i < k; ++i)
          q.weightCodes[o * k + i] = layer.generator->codes[o * k + i];
      } else {
        double wMax = 0;
        for (int64_t i = 0; i < k; ++i)
          wMax = std::max(wMax, std::fabs(layer.weight[i * n + o]));
        wScale = wMax > 0 ? wMax / wTop : 1.0;
        for (int64_t i = 0; i < k; ++i)
          q.weightCodes[o * k + i] = std::clamp<int64_t>(
              std::llround(layer.weight[i * n + o] / wScale), -wTop, wTop);
      }
      double accScale = q.inputScale * wScale;
      int64_t bias = std::llround(layer.bias[o] / accScale);
      if (bias < -32768 || bias > 32767)
        return emitError(layer.loc, "PTC lowering: bias of channel ")
               << o << " needs " << bias
               << " accumulator units, beyond the 16-bit constants";
      q.biasCodes.push_back(bias);
      biasMax = std::max(biasMax, std::abs(bias));
      ratio[o] = accScale / q.outputScale;
    }
    // The largest shift whose multipliers fit 16 bits and whose product
    // with the largest accumulator stays in 32 bits.
    // Generated codes reach -2^(w_bits-1).
    double accBound =
        static_cast<double>(k) * xTop * (wTop + (layer.generator ? 1 : 0)) +
        biasMax;
    double ratioMax = 0;
    for (double r : ratio)
      ratioMax = std::max(ratioMax, std::fabs(r));
    int64_t shift = 15;
    for (; shift > 0; --shift) {
      double m = std::round(ratioMax * std::ldexp(1.0, shift));
      if (m <= 32767 && accBound * m + std::ldexp(1.0, shift) < 2147483647.0)
        break;
    }
    if (std::round(ratioMax) > 32767 ||
        accBound * std::round(ratioMax) >= 2147483647.0)
      return emitError(layer.loc, "PTC lowering: requantization multiplier ")
             << ratioMax << " does not fit the 16-bit ALU constants";
    q.shift = shift;
    for (int64_t o = 0; o < n; ++o)
      q.multipliers.push_back(std::llround(ratio[o] * std::ldexp(1.0, shift)));
    result.push_back(std::move(q));
  }
  return result;
}
