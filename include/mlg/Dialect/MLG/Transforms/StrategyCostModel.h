//===- StrategyCostModel.h - Cost of executing a generated layer -*- C++
//-*-===//
//
// Per-inference cost of the three ways to execute a generated convolution or
// matmul (dense, factorized, tiled), and of the two ways to execute a
// convolution or matmul whose weight is a SmartDeal chain (dense, tiled):
// multiply-accumulates, bytes moved and a roofline time estimate. W is never
// kept across calls, so every strategy pays its generation on every
// inference.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_STRATEGYCOSTMODEL_H
#define MLG_DIALECT_MLG_TRANSFORMS_STRATEGYCOSTMODEL_H

#include "mlg/Dialect/MLG/IR/MLGOps.h"

#include <array>
#include <cstdint>

namespace mlir::mlg {

/// The kinds of kernels a strategy runs, each at its own fraction of the
/// peak (MachineModel::efficiency, then smartDealEfficiency).
enum class KernelKind {
  Convolution,
  Pointwise,
  Depthwise,
  Generation,
  SmartDealBlocks,
  SmartDealWhole
};

/// The machine the estimate is for. Bandwidths in GB/s (= bytes/ns),
/// compute in GFLOP/s (= flop/ns).
struct MachineModel {
  /// L1 data, L2, L3 sizes in bytes.
  std::array<int64_t, 3> cacheBytes{32 << 10, 1 << 20, 32 << 20};
  std::array<double, 3> cacheGBps{400, 200, 100};
  double dramGBps = 20;
  double peakGflops = 100;
  /// Fraction of the peak each kind of kernel of the CPU lowering reaches
  /// (KernelKind order), measured with bench/cpu (docs/cpu-strategy.md): the
  /// register-blocked convolutions come close to the peak, the factorized
  /// form's 1x1 stages over few channels and its depthwise stage, which
  /// reuse each load little, do not, and generating W (a matmul written in
  /// the convolution's layout and packed after) least.
  std::array<double, 4> efficiency{0.7, 0.3, 0.15, 0.1};
  /// The same for regenerating a SmartDeal weight (sums of power-of-two
  /// codes times basis values): block by block in the consumer's layout
  /// (tiled), and whole through the generic lowering (dense: the codes
  /// decoded to floats, W written in its blocks' order, then transposed and
  /// packed for the convolution).
  std::array<double, 2> smartDealEfficiency{0.064, 0.013};

  /// Defaults with the cache sizes the host reports (sysconf), keeping the
  /// defaults above for any it does not.
  static MachineModel host();
  /// GB/s of the smallest level holding `footprintBytes` (DRAM past L3).
  double bandwidthFor(double footprintBytes) const;
  /// The fraction of the peak a kind of kernel reaches.
  double efficiencyOf(KernelKind kind) const;
};

/// Sizes of one generated layer. A matmul [M, Ci] x W^T is the convolution
/// with batch M, 1x1 spatial sizes and a 1x1 kernel.
struct GeneratedLayerShape {
  int64_t batch = 1;
  int64_t inChannels = 0, inHeight = 1, inWidth = 1;
  int64_t outChannels = 0, outHeight = 1, outWidth = 1;
  int64_t kernelHeight = 1, kernelWidth = 1;
  std::array<int64_t, 2> strides{1, 1}, dilations{1, 1};
  /// Zero padding [top, left, bottom, right].
  std::array<int64_t, 4> padding{0, 0, 0, 0};
  int64_t groups = 1;
  bool depthwise = false;
  /// A linear layer: its factorized form sums the Bi basis responses before
  /// V; a convolution's runs the basis depthwise and lets V (repeated along
  /// Bi) do the sum.
  bool matmul = false;
  /// Generator sizes: bi = 0 without level 1 (no U); hasCoeffOut false
  /// without level 2 (then bc is the generated kernel count).
  int64_t bi = 0, bc = 0;
  bool hasCoeffOut = false;
  int64_t elementBytes = 4;

  /// Generated kernel [genCo, genCi, kh, kw]: depthwise [1, C, kh, kw].
  int64_t generatedKernels() const { return depthwise ? 1 : outChannels; }
  int64_t generatedChannels() const {
    return depthwise ? inChannels : inChannels / groups;
  }
};

/// Sizes of `op` (a generated_conv2d or generated_matmul) when all its shapes
/// are static, else failure.
FailureOr<GeneratedLayerShape> getGeneratedLayerShape(Operation *op);

struct StrategyCost {
  int64_t macs = 0;
  int64_t bytes = 0;
  double nanoseconds = 0;
  /// Tiled only: output channels (generated kernels) per block.
  int64_t blockChannels = 0;
};

/// The strategies a cost is estimated for, in tie-break order (the simplest
/// first).
inline constexpr std::array<ExecutionStrategy, 3> kCostedStrategies = {
    ExecutionStrategy::dense, ExecutionStrategy::tiled,
    ExecutionStrategy::factorized};

struct StrategyCosts {
  StrategyCost dense, tiled, factorized;
  /// False for SmartDeal layers, whose per-channel bases leave nothing to
  /// factor out.
  bool hasFactorized = true;

  const StrategyCost &get(ExecutionStrategy strategy) const;
  /// The strategies costed, in kCostedStrategies order.
  SmallVector<ExecutionStrategy, 3> strategies() const;
  /// Least estimated time; ties go to the earlier of kCostedStrategies.
  ExecutionStrategy best() const;
};

StrategyCosts estimateStrategyCosts(const GeneratedLayerShape &shape,
                                    const MachineModel &machine);

/// The generator of a SmartDeal weight: `blocks` (Co times the blocks per
/// channel) of `rows` x `cols` values, each the sum over `taps` of a
/// power-of-two code times a basis value; codes [blocks, rows, taps] (a byte
/// each once unpacked), float bases [blocks, taps, cols]. Padded rows
/// cropped off W are regenerated all the same.
struct SmartDealGenerator {
  int64_t blocks = 0, rows = 0, taps = 0, cols = 0;
};

/// The discardable attribute through which mlg-select-strategy tells
/// mlg-lower-generated how a SmartDeal weight's consumer (a linalg op)
/// executes: "dense" or "tiled" (the default without it).
inline constexpr llvm::StringLiteral kSmartDealStrategyAttrName =
    "mlg.strategy";

/// Costs of a convolution or matmul (`shape`, without MLG generators) whose
/// weight is regenerated from `generator`: dense (W whole, then the plain
/// convolution) and tiled (blocks of output channels regenerated in the
/// convolution's layout and consumed at once); no factorized form.
StrategyCosts estimateSmartDealCosts(const GeneratedLayerShape &shape,
                                     const SmartDealGenerator &generator,
                                     const MachineModel &machine);

/// The consumer's sizes and W's generator when `op` is a static f32
/// linalg.conv_2d_nchw_fchw, linalg.conv_2d_nhwc_hwcf (filter transposed
/// from W) or linalg.matmul (rhs transposed from W) whose weight is an
/// mlg.generate_intra of mlg.decode_pow2 codes; else failure.
FailureOr<std::pair<GeneratedLayerShape, SmartDealGenerator>>
getSmartDealLayerShape(Operation *op);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_STRATEGYCOSTMODEL_H
