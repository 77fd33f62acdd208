//===- DenseLayers.h - Dense layers and their quantization ------*- C++ -*-===//
//
// The networks convert-mlg-to-ptc lowers: a graph of GEMM layers
// (linalg.matmul, linalg.conv_2d_nchw_fchw with constant weights, each
// optionally followed by per-channel scale, bias and ReLU), residual adds,
// max pooling and global average pooling. Recognition, the float evaluation
// used to calibrate activation scales, and the integer quantization the
// program computes.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_CONVERSION_MLGTOPTC_DENSELAYERS_H
#define LIB_CONVERSION_MLGTOPTC_DENSELAYERS_H

#include "AdcCalibration.h"
#include "GeneratedWeights.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Location.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace mlir::mlg::ptc_lowering {

/// A k x k convolution computed as an im2col GEMM over its output pixels;
/// the reduction index is tap-major: k = (dy * kernel + dx) * channels + c.
struct ConvGeometry {
  int64_t images = 0, channels = 0, inH = 0, inW = 0;
  int64_t kernel = 1, stride = 1, pad = 0, outH = 0, outW = 0;
  /// Tap (dy, dx) reads input pixel (y * stride + dy * dilation - pad, ...).
  int64_t dilation = 1;
};

/// GEMM layers run on the photonic core; the others on its ALU
/// (ActivationLayers.h).
enum class LayerKind { Gemm, Add, MaxPool, AvgPool };

struct DenseLayer {
  std::string name;
  Location loc;
  int64_t inFeatures = 0, outFeatures = 0;
  std::vector<double> weight; // [inFeatures][outFeatures] (matmul's B)
  std::vector<double> bias;   // [outFeatures], zeros without a bias
  bool relu = false;
  /// Set for convolutions other than 1x1 stride 1 (those are plain GEMMs).
  std::optional<ConvGeometry> conv;
  int64_t inRows = 0, outRows = 0; // pixels or matrix rows in and out
  LayerKind kind = LayerKind::Gemm;
  /// The tensors read: 0 is the network input, l + 1 the result of layer l
  /// (Add: two, the others one).
  std::vector<int64_t> inputs;
  /// AvgPool: the factor of the window sum (1 / (H W) for a mean).
  double poolScale = 1.0;
  /// Set when the weight is generated on the core (GeneratedWeights.h):
  /// `weight` is then the dequantized generated filter (times the per-channel
  /// scales of the epilogue), used for calibration, and the weight codes are
  /// the core's.
  std::shared_ptr<GeneratedWeights> generator = nullptr;
  /// Per-channel scales of the epilogue (a folded BatchNorm), already folded
  /// into `weight`; a generated layer applies them in its multipliers.
  std::vector<double> channelScale = {};
};

/// Layers in program order; every tensor is [rows][features]: matrix rows,
/// or the N*H*W pixels of an NCHW image (NHWC order). The last layer's
/// result is the network's.
struct DenseNetwork {
  std::vector<int64_t> inputShape; // [M, K] or [N, C, H, W]
  int64_t rows = 0;                // M or N*H*W
  bool isImage() const { return inputShape.size() == 4; }
  std::vector<DenseLayer> layers;
  /// The function's results in order: the tensor ids (layer results) and
  /// their shapes ([M, K] or NCHW).
  std::vector<int64_t> outputs;
  std::vector<std::vector<int64_t>> outputShapes;
  /// Features (channels) of tensor `id` (0 = input, l + 1 = layer l).
  int64_t features(int64_t id) const {
    return id == 0 ? inputShape[1] : layers[id - 1].outFeatures;
  }
  /// The function's result index of layer `l`'s result, or -1.
  int64_t outputIndex(size_t l) const {
    auto it = std::find(outputs.begin(), outputs.end(), int64_t(l + 1));
    return it == outputs.end() ? -1 : it - outputs.begin();
  }
  /// Whether layer `l`'s result is read by a later layer.
  bool isRead(size_t l) const {
    for (size_t reader = l + 1; reader < layers.size(); ++reader)
      if (std::find(layers[reader].inputs.begin(), layers[reader].inputs.end(),
                    int64_t(l + 1)) != layers[reader].inputs.end())
        return true;
    return false;
  }
};

/// Recognises `func` (one tensor<MxKxf32> or NCHW argument, results that are
/// layer results) as a
/// graph of layers (GEMMs, adds, pooling); anything else is reported at its
/// location.
FailureOr<DenseNetwork> extractDenseNetwork(func::FuncOp func);

/// A GEMM layer: y = relu?(x W + b) in double precision; x is
/// [rows][inFeatures], or for a convolution NHWC pixels
/// [images * inH * inW][channels] (any images).
std::vector<double> evaluateLayer(const DenseLayer &layer, ArrayRef<double> x);

/// One layer in integer form: y_code = clip((acc + biasCode[o]) * multiplier[o]
/// + round >> shift), acc = sum_k x_code[k] w_code[o][k]. Add, MaxPool and
/// AvgPool layers have per-tensor multipliers (ActivationLayers.h).
struct QuantizedLayer {
  std::vector<int64_t> weightCodes; // [outFeatures][inFeatures]
  std::vector<int64_t> biasCodes;   // [outFeatures], 16-bit
  std::vector<int64_t> multipliers; // [outFeatures], 16-bit
  int64_t shift = 0;                // 0 ... 15
  double inputScale = 0, outputScale = 0;
  unsigned outputBits = 0;
  /// GEMM layers: mean and mean square of the input codes, for the ADC
  /// full scale (AdcCalibration.h).
  CodeStatistics inputCodes;
};

struct QuantizationOptions {
  unsigned inputBits = 4, weightBits = 4, resultBits = 16;
  /// Weights are sums of this many signed weightBits-bit digits,
  /// w = sum_d digit_d 2^(weightBits d) (splitWeightDigits).
  unsigned weightDigits = 1;
  /// Activation maxima per layer boundary (inputs of layer 0 ... result of
  /// the last): from a calibration run, or else the fixed rule.
  std::vector<double> activationMax;
  /// Clipping ranges of the narrow codes per layer boundary (calibrated with
  /// clipActivations: the least squared quantization error); empty:
  /// activationMax. The network's result always keeps its maximum.
  std::vector<double> activationClip;
  bool clipActivations = true;
  /// Mean and mean square of every tensor over the calibration data; empty
  /// without calibration (codes are then assumed uniform).
  std::vector<double> activationMean, activationMeanSquare;
};

/// Every tensor of the network in float64 for `input` ([rows][features],
/// NHWC pixels for images): tensor 0 is the input, l + 1 layer l's result.
std::vector<std::vector<double>> evaluateNetwork(const DenseNetwork &net,
                                                 std::vector<double> input);

/// Max |activation| of every tensor (input, then each layer's result) over the
/// calibration input
/// (`calibration`: samples shaped like the input, any batch; NCHW samples are
/// transposed to pixel rows).
/// With `options`, also fills its activationMean and activationMeanSquare,
/// and its activationClip when it asks for clipping.
std::vector<double>
calibrateActivations(const DenseNetwork &net, ArrayRef<float> calibration,
                     QuantizationOptions *options = nullptr);

/// The fixed rule without calibration data: inputs in [-1, 1]; each later
/// maximum is the interval bound max_o (sum_k |W[k][o]| m + |b[o]|).
std::vector<double> boundActivations(const DenseNetwork &net);

/// The largest weight code `digits` signed `bits`-bit digits represent
/// symmetrically: (2^(bits-1) - 1) * sum_d 2^(bits d).
int64_t largestWeightCode(unsigned bits, unsigned digits);

/// Digit `digit` of `code` in the balanced base 2^bits (each digit in
/// [-2^(bits-1), 2^(bits-1) - 1]); code = sum_d digit_d 2^(bits d) for codes
/// within largestWeightCode.
int64_t weightDigit(int64_t code, unsigned bits, unsigned digit);

/// Quantizes every layer; reports values that do not fit the 16-bit
/// constants at the layer's location.
FailureOr<std::vector<QuantizedLayer>>
quantizeNetwork(const DenseNetwork &net, const QuantizationOptions &options);

} // namespace mlir::mlg::ptc_lowering

#endif // LIB_CONVERSION_MLGTOPTC_DENSELAYERS_H
