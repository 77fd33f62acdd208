//===- StrategyCostModel.h - Cost of executing a generated layer -*- C++
//-*-===//
//
// Per-inference cost of the three ways to execute a generated convolution or
// matmul (dense, factorized, tiled): multiply-accumulates, bytes moved and a
// roofline time estimate. W is never kept across calls, so every strategy
// pays its generation on every inference.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_STRATEGYCOSTMODEL_H
#define MLG_DIALECT_MLG_TRANSFORMS_STRATEGYCOSTMODEL_H

#include "mlg/Dialect/MLG/IR/MLGOps.h"

#include <array>
#include <cstdint>

namespace mlir::mlg {

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

  /// Defaults with the cache sizes the host reports (sysconf), keeping the
  /// defaults above for any it does not.
  static MachineModel host();
  /// GB/s of the smallest level holding `footprintBytes` (DRAM past L3).
  double bandwidthFor(double footprintBytes) const;
};

/// The kinds of kernels a strategy runs, each at its own fraction of the
/// peak (MachineModel::efficiency).
enum class KernelKind { Convolution, Pointwise, Depthwise, Generation };

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

  const StrategyCost &get(ExecutionStrategy strategy) const;
  /// Least estimated time; ties go to the earlier of kCostedStrategies.
  ExecutionStrategy best() const;
};

StrategyCosts estimateStrategyCosts(const GeneratedLayerShape &shape,
                                    const MachineModel &machine);

} // namespace mlir::mlg

#endif // MLG_DIALECT_MLG_TRANSFORMS_STRATEGYCOSTMODEL_H
