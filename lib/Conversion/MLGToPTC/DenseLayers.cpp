//===- DenseLayers.cpp - Dense layers and their quantization --------------===//

#include "DenseLayers.h"

#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Transforms/ConstantData.h"

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
  std::string base;
  if (auto named = dyn_cast<NameLoc>(loc))
    base = named.getName().str();
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

LogicalResult addMatmul(linalg::MatmulOp matmul, Value current,
                        DenseNetwork &net) {
  if (matmul.getInputs()[0] != current)
    return matmul.emitError("PTC lowering: the matmul's left operand must be "
                            "the previous layer's result");
  if (matmul.getIndexingMapsArray() !=
      linalg::MatmulOp::getDefaultIndexingMaps(matmul.getContext()))
    return matmul.emitError("PTC lowering: transposed or broadcast matmuls "
                            "are not supported");
  if (auto transpose = matmul.getInputs()[1].getDefiningOp<linalg::TransposeOp>()) {
    FailureOr<std::shared_ptr<GeneratedWeights>> generated =
        matchGeneratedFilter(transpose.getInput(), matmul.getLoc());
    if (failed(generated))
      return failure();
    if (*generated && transpose.getPermutation() == ArrayRef<int64_t>{1, 0}) {
      const GeneratorLevels &g = (*generated)->levels;
      if (g.taps != 1)
        return matmul.emitError("PTC lowering: a generated matmul weight "
                                "must be [Co][Ci]");
      std::vector<double> filter = dequantizedFilter(g);
      std::vector<double> weight(filter.size());
      for (int64_t o = 0; o < g.outChannels; ++o)
        for (int64_t c = 0; c < g.inChannels; ++c)
          weight[c * g.outChannels + o] = filter[o * g.inChannels + c];
      DenseLayer layer{layerName(matmul.getLoc(), net.layers.size()),
                       matmul.getLoc(),
                       g.inChannels,
                       g.outChannels,
                       std::move(weight),
                       std::vector<double>(g.outChannels, 0.0),
                       false,
                       std::nullopt,
                       net.rows,
                       net.rows,
                       *generated,
                       std::vector<double>(g.outChannels, 1.0)};
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
  DenseLayer layer{layerName(matmul.getLoc(), net.layers.size()),
                   matmul.getLoc(),
                   type.getDimSize(0),
                   type.getDimSize(1),
                   std::move(*values),
                   std::vector<double>(type.getDimSize(1), 0.0),
                   false,
                   std::nullopt,
                   0,
                   0,
                   nullptr,
                   std::vector<double>(type.getDimSize(1), 1.0)};
  layer.inRows = layer.outRows = net.rows;
  net.layers.push_back(std::move(layer));
  return success();
}

/// A convolution: 1x1 stride 1 is a matmul over the N*H*W pixels (rows in
/// NHWC order) with W[k][o] = filter[o][k]; otherwise an im2col GEMM with
/// W[(t * C + c)][o] = filter[o][c][dy][dx], t = dy * k + dx. `pad` is the
/// zero padding of a preceding tensor.pad.
LogicalResult addConv(linalg::Conv2DNchwFchwOp conv, Value current,
                      std::optional<std::pair<Value, int64_t>> pad,
                      DenseNetwork &net) {
  Value input = conv.getInputs()[0];
  if (input != current && !(pad && input == pad->first))
    return conv.emitError("PTC lowering: the convolution's input must be "
                          "the previous layer's result");
  auto filterType = cast<RankedTensorType>(conv.getInputs()[1].getType());
  auto inType = cast<RankedTensorType>(current.getType());
  auto outType = cast<RankedTensorType>(conv.getResult(0).getType());
  auto strides = llvm::to_vector(conv.getStrides().getValues<int64_t>());
  auto allOnes = [](DenseIntElementsAttr attr) {
    return llvm::all_of(attr.getValues<int64_t>(),
                        [](int64_t v) { return v == 1; });
  };
  const int64_t kernel = filterType.getDimSize(2);
  if (filterType.getDimSize(3) != kernel || strides[0] != strides[1] ||
      !allOnes(conv.getDilations()))
    return conv.emitError("PTC lowering: only square kernels with equal "
                          "strides and no dilation are supported");
  if (!isZeroInit(conv.getOutputs()[0]))
    return conv.emitError("PTC lowering: the convolution must accumulate "
                          "into zeros");
  FailureOr<std::shared_ptr<GeneratedWeights>> generated =
      matchGeneratedFilter(conv.getInputs()[1], conv.getLoc());
  if (failed(generated))
    return failure();
  std::string why;
  FailureOr<std::vector<double>> values = failure();
  if (*generated) {
    values = dequantizedFilter((*generated)->levels);
  } else {
    ElementsAttr filter = getFloatConstant(conv.getInputs()[1], &why);
    if (!filter)
      return conv.emitError("PTC lowering: the weight must be a constant (")
             << why << ")";
    values = readFloatElements(filter, &why);
  }
  if (failed(values))
    return conv.emitError("PTC lowering: unreadable weight: ") << why;
  const int64_t outChannels = filterType.getDimSize(0);
  const int64_t inChannels = filterType.getDimSize(1);
  const int64_t taps = kernel * kernel;
  std::vector<double> weight(taps * inChannels * outChannels);
  for (int64_t o = 0; o < outChannels; ++o)
    for (int64_t c = 0; c < inChannels; ++c)
      for (int64_t t = 0; t < taps; ++t)
        weight[(t * inChannels + c) * outChannels + o] =
            (*values)[(o * inChannels + c) * taps + t];
  DenseLayer layer{layerName(conv.getLoc(), net.layers.size()),
                   conv.getLoc(),
                   taps * inChannels,
                   outChannels,
                   std::move(weight),
                   std::vector<double>(outChannels, 0.0),
                   false,
                   std::nullopt,
                   0,
                   0,
                   *generated,
                   std::vector<double>(outChannels, 1.0)};
  layer.inRows =
      inType.getDimSize(0) * inType.getDimSize(2) * inType.getDimSize(3);
  layer.outRows =
      outType.getDimSize(0) * outType.getDimSize(2) * outType.getDimSize(3);
  if (kernel != 1 || strides[0] != 1 || pad)
    layer.conv = ConvGeometry{inType.getDimSize(0),
                              inChannels,
                              inType.getDimSize(2),
                              inType.getDimSize(3),
                              kernel,
                              strides[0],
                              pad ? pad->second : 0,
                              outType.getDimSize(2),
                              outType.getDimSize(3)};
  net.layers.push_back(std::move(layer));
  return success();
}

/// The fused forms: mlg.generated_conv2d (NCHW, one group, square kernel,
/// equal strides and padding, no dilation) and mlg.generated_matmul, each
/// with an optional bias; the padding is the op's own.
LogicalResult addFusedGenerated(Operation *op, Value current,
                                DenseNetwork &net) {
  auto conv = dyn_cast<GeneratedConv2DOp>(op);
  auto matmul = dyn_cast<GeneratedMatmulOp>(op);
  Value input = conv ? conv.getInput() : matmul.getInput();
  Value basis = conv ? conv.getBasis() : matmul.getBasis();
  Value coeffIn = conv ? conv.getCoeffIn() : matmul.getCoeffIn();
  Value coeffOut = conv ? conv.getCoeffOut() : matmul.getCoeffOut();
  Value bias = conv ? conv.getBias() : matmul.getBias();
  if (input != current)
    return op->emitError("PTC lowering: the layer's input must be the "
                         "previous layer's result");
  if (conv ? !net.isImage() : net.isImage())
    return op->emitError("PTC lowering: a generated ")
           << (conv ? "convolution needs an NCHW input"
                    : "matmul on an image is not supported");
  auto inType = cast<RankedTensorType>(input.getType());
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
  DenseLayer layer{layerName(op->getLoc(), net.layers.size()),
                   op->getLoc(),
                   taps * inChannels,
                   outChannels,
                   std::move(weight),
                   std::move(biasValues),
                   false,
                   std::nullopt,
                   net.rows,
                   net.rows,
                   *generated,
                   std::vector<double>(outChannels, 1.0)};
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

/// A zero tensor.pad of the spatial dimensions, equal on every side.
FailureOr<int64_t> getSpatialPadding(tensor::PadOp pad) {
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  Value value = pad.getConstantPaddingValue();
  if (low.size() != 4 || !value || !matchPattern(value, m_AnyZeroFloat()) ||
      low[0] != 0 || low[1] != 0 || high[0] != 0 || high[1] != 0 ||
      llvm::any_of(
          llvm::concat<const int64_t>(low.drop_front(2), high.drop_front(2)),
          [&](int64_t v) { return v != low[2]; }))
    return pad.emitError("PTC lowering: only a zero padding of H and W, "
                         "equal on all sides, is supported");
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

FailureOr<DenseNetwork> ptc_lowering::extractDenseNetwork(func::FuncOp func) {
  FunctionType type = func.getFunctionType();
  auto input = type.getNumInputs() == 1
                   ? dyn_cast<RankedTensorType>(type.getInput(0))
                   : RankedTensorType();
  if (!input || (input.getRank() != 2 && input.getRank() != 4) ||
      !input.hasStaticShape() || !input.getElementType().isF32() ||
      type.getNumResults() != 1)
    return func.emitError("PTC lowering: expected one tensor<MxKxf32> or "
                          "NCHW tensor<NxCxHxWxf32> argument and one result");
  DenseNetwork net;
  net.inputShape.assign(input.getShape().begin(), input.getShape().end());
  net.rows = input.getRank() == 2 ? input.getDimSize(0)
                                  : input.getDimSize(0) * input.getDimSize(2) *
                                        input.getDimSize(3);
  Value current = func.getArgument(0);
  std::optional<std::pair<Value, int64_t>> pendingPad;
  for (Operation &op : func.getBody().front()) {
    if (isa<arith::ConstantOp, tensor::EmptyOp, linalg::FillOp, DequantizeOp,
            GenerateIntraOp, GenerateCrossOp>(op))
      continue;
    // The transposed generated weight of a matmul (read by addMatmul).
    if (auto transpose = dyn_cast<linalg::TransposeOp>(op))
      if (transpose.getInput().getDefiningOp<GenerateCrossOp>() ||
          transpose.getInput().getDefiningOp<GenerateIntraOp>())
        continue;
    if (auto pad = dyn_cast<tensor::PadOp>(op)) {
      if (pad.getSource() != current || pendingPad)
        return pad.emitError("PTC lowering: a tensor.pad must pad the "
                             "previous layer's result for a convolution");
      FailureOr<int64_t> padding = getSpatialPadding(pad);
      if (failed(padding))
        return failure();
      pendingPad = {pad.getResult(), *padding};
      continue;
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      if (net.layers.empty() || ret.getOperand(0) != current)
        return ret.emitError("PTC lowering: the function must return the "
                             "last layer's result");
      continue;
    }
    LogicalResult added = failure();
    if (auto matmul = dyn_cast<linalg::MatmulOp>(op))
      added = net.isImage() ? matmul.emitError("PTC lowering: a matmul on "
                                               "an image is not supported")
                            : addMatmul(matmul, current, net);
    else if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op))
      added = !net.isImage() ? conv.emitError("PTC lowering: a convolution "
                                              "needs an NCHW input")
                             : addConv(conv, current, pendingPad, net);
    else if (auto generic = dyn_cast<linalg::GenericOp>(op))
      added = addEpilogue(generic, current, net);
    else if (isa<GeneratedConv2DOp, GeneratedMatmulOp>(op))
      added = pendingPad ? op.emitError("PTC lowering: a tensor.pad must "
                                        "feed a linalg convolution")
                         : addFusedGenerated(&op, current, net);
    else
      return op.emitError("PTC lowering: unsupported op '")
             << op.getName()
             << "' (supported: linalg.matmul and linalg.conv_2d_nchw_fchw "
             << "with constant weights, bias add, ReLU)";
    if (failed(added))
      return failure();
    if (pendingPad && !isa<linalg::Conv2DNchwFchwOp>(op))
      return op.emitError("PTC lowering: a tensor.pad must feed a "
                          "convolution");
    pendingPad.reset();
    current = op.getResult(0);
  }
  auto inChannels = [](const DenseLayer &layer) {
    return layer.conv ? layer.conv->channels : layer.inFeatures;
  };
  for (size_t i = 1; i < net.layers.size(); ++i)
    if (inChannels(net.layers[i]) != net.layers[i - 1].outFeatures)
      return emitError(net.layers[i].loc, "PTC lowering: shape mismatch");
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
          int64_t y = yo * g.stride + t / g.kernel - g.pad;
          int64_t xi = xo * g.stride + t % g.kernel - g.pad;
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
  std::vector<double> y(rows * layer.outFeatures);
  for (int64_t m = 0; m < rows; ++m)
    for (int64_t o = 0; o < layer.outFeatures; ++o) {
      double sum = layer.bias[o];
      for (int64_t k = 0; k < layer.inFeatures; ++k)
        sum += x[m * layer.inFeatures + k] *
               layer.weight[k * layer.outFeatures + o];
      y[m * layer.outFeatures + o] = layer.relu ? std::max(sum, 0.0) : sum;
    }
  return y;
}

static double maxAbs(ArrayRef<double> values) {
  double m = 0;
  for (double v : values)
    m = std::max(m, std::fabs(v));
  return m;
}

std::vector<double>
ptc_lowering::calibrateActivations(const DenseNetwork &net,
                                   ArrayRef<float> calibration) {
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
  std::vector<double> maxima{maxAbs(x)};
  for (const DenseLayer &layer : net.layers) {
    x = evaluateLayer(layer, x);
    maxima.push_back(maxAbs(x));
  }
  return maxima;
}

std::vector<double> ptc_lowering::boundActivations(const DenseNetwork &net) {
  std::vector<double> maxima{1.0};
  for (const DenseLayer &layer : net.layers) {
    double bound = 0;
    for (int64_t o = 0; o < layer.outFeatures; ++o) {
      double sum = std::fabs(layer.bias[o]);
      for (int64_t k = 0; k < layer.inFeatures; ++k)
        sum +=
            std::fabs(layer.weight[k * layer.outFeatures + o]) * maxima.back();
      bound = std::max(bound, sum);
    }
    maxima.push_back(bound);
  }
  return maxima;
}

static constexpr double kResultHeadroom = 4.0;

FailureOr<std::vector<QuantizedLayer>>
ptc_lowering::quantizeNetwork(const DenseNetwork &net,
                              const QuantizationOptions &options) {
  auto scaleFor = [](double maximum, unsigned bits) {
    double top = static_cast<double>((int64_t{1} << (bits - 1)) - 1);
    return maximum > 0 ? maximum / top : 1.0;
  };
  const int64_t wTop = (int64_t{1} << (options.weightBits - 1)) - 1;
  const int64_t xTop = int64_t{1} << (options.inputBits - 1);
  std::vector<QuantizedLayer> result;
  for (size_t l = 0; l < net.layers.size(); ++l) {
    const DenseLayer &layer = net.layers[l];
    const bool last = l + 1 == net.layers.size();
    QuantizedLayer q;
    q.outputBits = last ? options.resultBits : options.inputBits;
    q.inputScale = scaleFor(options.activationMax[l], options.inputBits);
    // The network's result keeps headroom: its quantized value can exceed the
    // calibrated float maximum, and wide result codes make this cheap.
    q.outputScale =
        scaleFor(options.activationMax[l + 1] * (last ? kResultHeadroom : 1.0),
                 q.outputBits);
    const int64_t n = layer.outFeatures, k = layer.inFeatures;
    q.weightCodes.resize(n * k);
    std::vector<double> ratio(n);
    int64_t biasMax = 0;
    for (int64_t o = 0; o < n; ++o) {
      double wScale;
      if (layer.generator) {
        // The core's codes, one scale per layer; the epilogue's channel
        // scale goes into the multiplier (W is generated, not stored).
        wScale = layer.generator->weightScale * layer.channelScale[o];
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
