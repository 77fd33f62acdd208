//===- StrategyCostModel.cpp - Cost of executing a generated layer --------===//
//
// Each strategy is a sequence of phases (kernels). A phase does some MACs and
// streams some tensors; each stream is served by the smallest memory level
// holding its footprint. A phase takes the longer of its compute time (at
// the fraction of the peak its kind of kernel reaches) and its transfer time
// (a roofline per phase); phases add up.
//
//===----------------------------------------------------------------------===//

#include "mlg/Dialect/MLG/Transforms/StrategyCostModel.h"

#include "mlg/Dialect/MLG/Transforms/GeneratorChain.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <algorithm>
#include <cmath>
#include <unistd.h>
#include <vector>

using namespace mlir;
using namespace mlir::mlg;

MachineModel MachineModel::host() {
  MachineModel machine;
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE) &&       \
    defined(_SC_LEVEL3_CACHE_SIZE)
  const int names[3] = {_SC_LEVEL1_DCACHE_SIZE, _SC_LEVEL2_CACHE_SIZE,
                        _SC_LEVEL3_CACHE_SIZE};
  for (int level = 0; level < 3; ++level)
    if (long bytes = sysconf(names[level]); bytes > 0)
      machine.cacheBytes[level] = bytes;
#endif
  return machine;
}

double MachineModel::bandwidthFor(double footprintBytes) const {
  for (int level = 0; level < 3; ++level)
    if (footprintBytes <= double(cacheBytes[level]))
      return cacheGBps[level];
  return dramGBps;
}

double MachineModel::efficiencyOf(KernelKind kind) const {
  auto index = static_cast<size_t>(kind);
  return index < efficiency.size()
             ? efficiency[index]
             : smartDealEfficiency[index - efficiency.size()];
}

/// Batch, channels and spatial sizes of a convolution's input and output,
/// NCHW or NHWC.
static void readActivationSizes(GeneratedLayerShape &s, RankedTensorType in,
                                RankedTensorType out, bool nchw) {
  auto dims = [&](RankedTensorType t, int64_t &c, int64_t &h, int64_t &w) {
    c = t.getDimSize(nchw ? 1 : 3);
    h = t.getDimSize(nchw ? 2 : 1);
    w = t.getDimSize(nchw ? 3 : 2);
  };
  s.batch = in.getDimSize(0);
  dims(in, s.inChannels, s.inHeight, s.inWidth);
  dims(out, s.outChannels, s.outHeight, s.outWidth);
}

FailureOr<GeneratedLayerShape>
mlir::mlg::getGeneratedLayerShape(Operation *op) {
  auto staticType = [](Value v) -> RankedTensorType {
    auto type = v ? dyn_cast<RankedTensorType>(v.getType()) : nullptr;
    return type && type.hasStaticShape() ? type : nullptr;
  };
  GeneratedLayerShape s;
  auto readGenerators = [&](Value basis, Value coeffIn, Value coeffOut) {
    RankedTensorType b = staticType(basis);
    if (!b || (coeffIn && !staticType(coeffIn)) ||
        (coeffOut && !staticType(coeffOut)))
      return false;
    s.bc = b.getDimSize(0);
    s.bi = coeffIn ? b.getDimSize(1) : 0;
    s.hasCoeffOut = bool(coeffOut);
    s.elementBytes = std::max<int64_t>(1, b.getElementTypeBitWidth() / 8);
    return true;
  };
  if (auto conv = dyn_cast<GeneratedConv2DOp>(op)) {
    RankedTensorType in = staticType(conv.getInput());
    RankedTensorType out = staticType(conv.getResult());
    if (!in || !out ||
        !readGenerators(conv.getBasis(), conv.getCoeffIn(), conv.getCoeffOut()))
      return failure();
    readActivationSizes(s, in, out, conv.getLayout() == ConvLayout::nchw_fchw);
    auto basis = cast<RankedTensorType>(conv.getBasis().getType());
    s.kernelHeight = basis.getDimSize(2);
    s.kernelWidth = basis.getDimSize(3);
    llvm::copy(conv.getStrides(), s.strides.begin());
    llvm::copy(conv.getDilations(), s.dilations.begin());
    llvm::copy(conv.getPadding(), s.padding.begin());
    s.groups = conv.getGroups();
    s.depthwise = conv.getDepthwise();
    return s;
  }
  if (auto matmul = dyn_cast<GeneratedMatmulOp>(op)) {
    RankedTensorType in = staticType(matmul.getInput());
    RankedTensorType out = staticType(matmul.getResult());
    if (!in || !out ||
        !readGenerators(matmul.getBasis(), matmul.getCoeffIn(),
                        matmul.getCoeffOut()))
      return failure();
    s.matmul = true;
    s.batch = in.getDimSize(0);
    s.inChannels = in.getDimSize(1);
    s.outChannels = out.getDimSize(1);
    return s;
  }
  return failure();
}

const StrategyCost &StrategyCosts::get(ExecutionStrategy strategy) const {
  switch (strategy) {
  case ExecutionStrategy::tiled:
    return tiled;
  case ExecutionStrategy::factorized:
    return factorized;
  default:
    return dense;
  }
}

SmallVector<ExecutionStrategy, 3> StrategyCosts::strategies() const {
  SmallVector<ExecutionStrategy, 3> costed;
  for (ExecutionStrategy strategy : kCostedStrategies)
    if (hasFactorized || strategy != ExecutionStrategy::factorized)
      costed.push_back(strategy);
  return costed;
}

ExecutionStrategy StrategyCosts::best() const {
  ExecutionStrategy choice = kCostedStrategies[0];
  for (ExecutionStrategy strategy : strategies())
    if (get(strategy).nanoseconds < get(choice).nanoseconds)
      choice = strategy;
  return choice;
}

namespace {

/// Accumulates the phases of one strategy.
class CostBuilder {
public:
  explicit CostBuilder(const MachineModel &machine) : machine(machine) {}

  /// One kernel: `macs` multiply-accumulates, then `stream(bytes, footprint)`
  /// for each tensor it reads or writes.
  CostBuilder &phase(double macs, KernelKind kind) {
    flush();
    phaseMacs = macs;
    phaseGflops = machine.peakGflops * machine.efficiencyOf(kind);
    return *this;
  }
  CostBuilder &stream(double bytes, double footprintBytes) {
    phaseBytes += bytes;
    phaseTransferNs += bytes / machine.bandwidthFor(footprintBytes);
    return *this;
  }
  StrategyCost finish() {
    flush();
    StrategyCost cost;
    cost.macs = int64_t(std::llround(totalMacs));
    cost.bytes = int64_t(std::llround(totalBytes));
    cost.nanoseconds = totalNs;
    return cost;
  }

private:
  void flush() {
    totalMacs += phaseMacs;
    totalBytes += phaseBytes;
    if (phaseMacs > 0 || phaseTransferNs > 0)
      totalNs += std::max(2 * phaseMacs / phaseGflops, phaseTransferNs);
    phaseMacs = phaseBytes = phaseTransferNs = 0;
  }

  const MachineModel &machine;
  double phaseMacs = 0, phaseBytes = 0, phaseTransferNs = 0;
  double phaseGflops = 1;
  double totalMacs = 0, totalBytes = 0, totalNs = 0;
};

/// Input rows (or columns) of `in` that some output position reads: the
/// factorized form's first 1x1 conv need not run elsewhere.
int64_t touchedPositions(int64_t in, int64_t out, int64_t kernel,
                         int64_t stride, int64_t dilation, int64_t padBefore) {
  std::vector<char> touched(in, 0);
  for (int64_t o = 0; o < out; ++o)
    for (int64_t t = 0; t < kernel; ++t)
      if (int64_t r = o * stride + t * dilation - padBefore; r >= 0 && r < in)
        touched[r] = 1;
  return std::count(touched.begin(), touched.end(), 1);
}

/// Sizes in elements shared by the three estimates.
struct Sizes {
  double e, k, positions, inputPositions;
  double ci, co, g, gCo, gCi, bi, bc;
  bool level1, level2;
  double basis, coeffIn, coeffOut, generators, intraKernels, weight;
  double input, output;
  double intraMacs, crossMacs, convMacs;
};

Sizes computeSizes(const GeneratedLayerShape &s) {
  Sizes z;
  z.e = double(s.elementBytes);
  z.k = double(s.kernelHeight * s.kernelWidth);
  z.positions = double(s.batch * s.outHeight * s.outWidth);
  z.inputPositions =
      double(s.batch) *
      double(touchedPositions(s.inHeight, s.outHeight, s.kernelHeight,
                              s.strides[0], s.dilations[0], s.padding[0])) *
      double(touchedPositions(s.inWidth, s.outWidth, s.kernelWidth,
                              s.strides[1], s.dilations[1], s.padding[1]));
  z.ci = double(s.inChannels);
  z.co = double(s.outChannels);
  z.g = double(s.groups);
  z.gCo = double(s.generatedKernels());
  z.gCi = double(s.generatedChannels());
  z.level1 = s.bi > 0;
  z.level2 = s.hasCoeffOut;
  z.bi = double(s.bi);
  z.bc = double(s.bc);
  z.basis = z.level1 ? z.bc * z.bi * z.k : z.bc * z.gCi * z.k;
  z.coeffIn = z.level1 ? z.bc * z.gCi * z.bi : 0;
  z.coeffOut = z.level2 ? z.gCo * z.bc : 0;
  z.generators = z.basis + z.coeffIn + z.coeffOut;
  z.intraKernels = z.bc * z.gCi * z.k;
  z.weight = z.gCo * z.gCi * z.k;
  z.input = double(s.batch * s.inChannels * s.inHeight * s.inWidth);
  z.output = z.positions * z.co;
  z.intraMacs = z.level1 ? z.bc * z.gCi * z.bi * z.k : 0;
  z.crossMacs = z.level2 ? z.gCo * z.bc * z.gCi * z.k : 0;
  z.convMacs = z.positions * z.co * (s.depthwise ? 1 : z.gCi) * z.k;
  return z;
}

/// The convolution itself, reading W from a footprint of `weightFootprint`
/// bytes and the input `inputReads` times.
void convolutionPhase(CostBuilder &b, const Sizes &z, double weightFootprint,
                      double inputReads) {
  double e = z.e;
  b.phase(z.convMacs, KernelKind::Convolution)
      .stream(z.weight * e, weightFootprint)
      .stream(inputReads * z.input * e, z.input * e)
      .stream(z.output * e, z.output * e);
}

/// The tiled strategies' blocks of W rows (generated kernels, or channels of
/// the depthwise one), sized to half of L2.
struct WeightBlocks {
  double rows = 1, count = 1, bytes = 0;
  /// Times each block's convolution reads the input: once per block, or
  /// once in all for a depthwise layer or blocks within one group each.
  double inputReads = 1;
};

WeightBlocks weightBlocks(const GeneratedLayerShape &s, const Sizes &z,
                          const MachineModel &machine) {
  double rows = s.depthwise ? z.gCi : z.gCo;
  double rowElements = s.depthwise ? z.k : z.gCi * z.k;
  double fit =
      std::floor(double(machine.cacheBytes[1]) / 2 / (rowElements * z.e));
  WeightBlocks blocks;
  blocks.rows = std::clamp(fit, 1.0, rows);
  blocks.count = std::ceil(rows / blocks.rows);
  blocks.bytes = blocks.rows * rowElements * z.e;
  // Each block needs the input of the groups it covers.
  blocks.inputReads =
      s.depthwise ? 1.0 : std::max(1.0, std::ceil(blocks.count / z.g));
  return blocks;
}

StrategyCost denseCost(const Sizes &z, const MachineModel &machine) {
  CostBuilder b(machine);
  double e = z.e;
  if (z.level1 || z.level2) {
    b.phase(z.intraMacs + z.crossMacs, KernelKind::Generation)
        .stream(z.generators * e, z.generators * e)
        .stream(z.weight * e, z.weight * e);
    if (z.level1 && z.level2) // W_c written by level 1, read by level 2
      b.stream(2 * z.intraKernels * e, z.intraKernels * e);
  }
  convolutionPhase(b, z, z.weight * e, 1);
  return b.finish();
}

StrategyCost tiledCost(const GeneratedLayerShape &s, const Sizes &z,
                       const MachineModel &machine) {
  CostBuilder b(machine);
  double e = z.e;
  WeightBlocks wb = weightBlocks(s, z, machine);
  double blocks = wb.count, blockBytes = wb.bytes;
  bool generates = z.level1 || z.level2;
  if (generates) {
    if (z.level1 && z.level2) {
      // W_c once, then V-rows of W block by block re-reading W_c.
      b.phase(z.intraMacs, KernelKind::Generation)
          .stream((z.basis + z.coeffIn) * e, (z.basis + z.coeffIn) * e)
          .stream(z.intraKernels * e, z.intraKernels * e);
      b.phase(z.crossMacs, KernelKind::Generation)
          .stream(z.coeffOut * e, z.coeffOut * e)
          .stream(blocks * z.intraKernels * e, z.intraKernels * e)
          .stream(z.weight * e, blockBytes);
    } else if (z.level1) {
      b.phase(z.intraMacs, KernelKind::Generation)
          .stream((z.basis + z.coeffIn) * e, (z.basis + z.coeffIn) * e)
          .stream(z.weight * e, blockBytes);
    } else {
      // Level 2 alone: every block combines all basis kernels.
      b.phase(z.crossMacs, KernelKind::Generation)
          .stream(z.coeffOut * e, z.coeffOut * e)
          .stream(blocks * z.basis * e, z.basis * e)
          .stream(z.weight * e, blockBytes);
    }
  }
  convolutionPhase(b, z, generates ? blockBytes : z.weight * e, wb.inputReads);
  StrategyCost cost = b.finish();
  cost.blockChannels = int64_t(wb.rows);
  return cost;
}

StrategyCost factorizedCost(const GeneratedLayerShape &s, const Sizes &z,
                            const MachineModel &machine) {
  CostBuilder b(machine);
  double e = z.e;
  double p = z.positions;
  if (s.depthwise) {
    // Each channel through every shared filter, then weighted per channel.
    double filters = z.bc * (z.level1 ? z.bi : 1);
    if (!z.level1 && !z.level2)
      filters = 1;
    double responses = p * z.gCi * filters;
    bool combine = z.level1 || z.level2;
    b.phase(p * z.gCi * filters * z.k, KernelKind::Depthwise)
        .stream(z.input * e, z.input * e)
        .stream(z.basis * e, z.basis * e)
        .stream((combine ? responses : z.output) * e,
                (combine ? responses : z.output) * e);
    if (combine)
      b.phase(responses, KernelKind::Pointwise)
          .stream(responses * e, responses * e)
          .stream((z.coeffIn + z.coeffOut) * e, (z.coeffIn + z.coeffOut) * e)
          .stream(z.output * e, z.output * e);
    return b.finish();
  }
  // Kernel streams: with V every group needs all Bc basis kernels; without
  // it each output channel is its own basis kernel.
  double streams = z.level2 ? z.g * z.bc : z.co;
  // A convolution with both levels keeps the Bi responses of every basis
  // kernel apart (depthwise) and V, repeated along Bi, sums them.
  double repeat = z.level1 && z.level2 && !s.matmul ? z.bi : 1;
  double stage2Out = p * streams * repeat;
  double stage2Bytes = (z.level2 ? stage2Out : z.output) * e;
  if (z.level1) {
    double expanded = z.inputPositions * streams * z.bi;
    b.phase(z.inputPositions * z.gCi * z.bi * streams, KernelKind::Pointwise)
        .stream(z.input * e, z.input * e)
        .stream(z.coeffIn * e, z.coeffIn * e)
        .stream(expanded * e, expanded * e);
    b.phase(p * streams * z.bi * z.k, KernelKind::Depthwise)
        .stream(expanded * e, expanded * e)
        .stream(z.basis * e, z.basis * e)
        .stream(stage2Bytes, stage2Bytes);
  } else {
    b.phase(p * streams * z.gCi * z.k, KernelKind::Convolution)
        .stream(z.input * e, z.input * e)
        .stream(z.basis * e, z.basis * e)
        .stream(stage2Bytes, stage2Bytes);
  }
  if (z.level2)
    b.phase(p * z.co * z.bc * repeat, KernelKind::Pointwise)
        .stream(stage2Out * e, stage2Out * e)
        .stream(z.coeffOut * e, z.coeffOut * e)
        .stream(z.output * e, z.output * e);
  return b.finish();
}

} // namespace

StrategyCosts mlir::mlg::estimateStrategyCosts(const GeneratedLayerShape &shape,
                                               const MachineModel &machine) {
  Sizes sizes = computeSizes(shape);
  StrategyCosts costs;
  costs.dense = denseCost(sizes, machine);
  costs.tiled = tiledCost(shape, sizes, machine);
  costs.factorized = factorizedCost(shape, sizes, machine);
  return costs;
}

StrategyCosts
mlir::mlg::estimateSmartDealCosts(const GeneratedLayerShape &shape,
                                  const SmartDealGenerator &generator,
                                  const MachineModel &machine) {
  GeneratedLayerShape plain = shape;
  plain.bi = plain.bc = 0;
  plain.hasCoeffOut = false;
  Sizes z = computeSizes(plain);
  double e = z.e;
  // Padded rows cropped off W are regenerated too.
  double regenerated = double(generator.blocks) * double(generator.rows) *
                       double(generator.cols);
  double macs = regenerated * double(generator.taps);
  double codeBytes = double(generator.blocks) * double(generator.rows) *
                     double(generator.taps);
  double basisBytes = double(generator.blocks) * double(generator.taps) *
                      double(generator.cols) * e;

  StrategyCosts costs;
  costs.hasFactorized = false;
  {
    // The codes decoded to floats (written, then read by the sums), W
    // written whole; its transposition and packing for the convolution are
    // in the kernel's efficiency.
    CostBuilder b(machine);
    b.phase(macs, KernelKind::SmartDealWhole)
        .stream(codeBytes, codeBytes)
        .stream(basisBytes, basisBytes)
        .stream(2 * codeBytes * e, codeBytes * e)
        .stream(regenerated * e, regenerated * e);
    convolutionPhase(b, z, z.weight * e, 1);
    costs.dense = b.finish();
  }
  {
    CostBuilder b(machine);
    WeightBlocks blocks = weightBlocks(plain, z, machine);
    b.phase(macs, KernelKind::SmartDealBlocks)
        .stream(codeBytes, codeBytes)
        .stream(basisBytes, basisBytes)
        .stream(regenerated * e, blocks.bytes);
    convolutionPhase(b, z, blocks.bytes, blocks.inputReads);
    costs.tiled = b.finish();
    costs.tiled.blockChannels = int64_t(blocks.rows);
  }
  return costs;
}

namespace {

RankedTensorType staticF32Type(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32()
             ? type
             : nullptr;
}

/// Strides or dilations of a named convolution, as two values.
std::array<int64_t, 2> pair(DenseIntElementsAttr attr) {
  auto values = attr.getValues<int64_t>();
  return {values[0], values[1]};
}

/// W, the weight the consumer's filter is read from: the filter itself for
/// conv_2d_nchw_fchw, else a linalg.transpose of it (HWCF for
/// conv_2d_nhwc_hwcf, [Ci, Co] for a matmul's right-hand side).
FailureOr<Value> consumedWeight(Operation *op, Value filter) {
  if (isa<linalg::Conv2DNchwFchwOp>(op))
    return filter;
  static constexpr int64_t kMatrix[] = {1, 0}, kHwcf[] = {2, 3, 1, 0};
  auto transpose = filter.getDefiningOp<linalg::TransposeOp>();
  ArrayRef<int64_t> expected =
      isa<linalg::MatmulOp>(op) ? ArrayRef(kMatrix) : ArrayRef(kHwcf);
  if (!transpose || !transpose.hasPureTensorSemantics() ||
      transpose.getPermutation() != expected)
    return failure();
  return transpose.getInput();
}

} // namespace

FailureOr<std::pair<GeneratedLayerShape, SmartDealGenerator>>
mlir::mlg::getSmartDealLayerShape(Operation *op) {
  if (!isa<linalg::Conv2DNchwFchwOp, linalg::Conv2DNhwcHwcfOp,
           linalg::MatmulOp>(op))
    return failure();
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op);
      matmul && matmul.hasUserDefinedMaps())
    return failure();
  if (!linalgOp.hasPureTensorSemantics() || op->getNumResults() != 1 ||
      linalgOp.getNumDpsInputs() != 2)
    return failure();
  RankedTensorType in = staticF32Type(linalgOp.getDpsInputs()[0]);
  RankedTensorType out = staticF32Type(op->getResult(0));
  FailureOr<Value> weight = consumedWeight(op, linalgOp.getDpsInputs()[1]);
  if (!in || !out || failed(weight))
    return failure();
  RankedTensorType weightType = staticF32Type(*weight);
  FailureOr<GeneratorChain> chain = traceGeneratorChain(*weight);
  if (!weightType || weightType.getRank() < 2 || failed(chain) ||
      chain->fused || chain->cross || !chain->intra ||
      !chain->intra.getCoeff().getDefiningOp<DecodePow2Op>())
    return failure();
  RankedTensorType coeff = staticF32Type(chain->intra.getCoeff());
  RankedTensorType basis = staticF32Type(chain->intra.getBasis());
  if (!coeff || !basis || coeff.getRank() != 3 || basis.getRank() != 3)
    return failure();
  SmartDealGenerator generator{coeff.getDimSize(0), coeff.getDimSize(1),
                               coeff.getDimSize(2), basis.getDimSize(2)};
  // Blocks are whole output channels' (what regeneration by blocks of
  // channels needs).
  int64_t outChannels = weightType.getDimSize(0);
  if (outChannels == 0 || generator.blocks % outChannels != 0)
    return failure();

  GeneratedLayerShape s;
  if (isa<linalg::MatmulOp>(op)) {
    if (weightType.getRank() != 2)
      return failure();
    s.matmul = true;
    s.batch = in.getDimSize(0);
    s.inChannels = in.getDimSize(1);
    s.outChannels = out.getDimSize(1);
    return std::make_pair(s, generator);
  }
  if (weightType.getRank() != 4)
    return failure();
  readActivationSizes(s, in, out, isa<linalg::Conv2DNchwFchwOp>(op));
  s.kernelHeight = weightType.getDimSize(2);
  s.kernelWidth = weightType.getDimSize(3);
  // A kxk kernel regenerated block by block is made of whole kernel rows
  // (the only layout mlg-lower-generated's SmartDeal form takes).
  if (s.kernelHeight * s.kernelWidth != 1 &&
      (generator.cols != s.kernelWidth ||
       generator.rows % s.kernelHeight != 0 ||
       generator.blocks * generator.rows * generator.cols !=
           weightType.getNumElements()))
    return failure();
  if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op)) {
    s.strides = pair(conv.getStrides());
    s.dilations = pair(conv.getDilations());
  } else {
    auto nhwc = cast<linalg::Conv2DNhwcHwcfOp>(op);
    s.strides = pair(nhwc.getStrides());
    s.dilations = pair(nhwc.getDilations());
  }
  return std::make_pair(s, generator);
}
