//===- SelectStrategy.cpp - Pick an execution strategy per generated op ---===//

#include "mlg/Dialect/MLG/Transforms/Passes.h"

#include "mlg/Dialect/MLG/IR/MLGOps.h"
#include "mlg/Dialect/MLG/Transforms/PassUtils.h"
#include "mlg/Dialect/MLG/Transforms/StrategyCostModel.h"

#include <cmath>

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGSELECTSTRATEGY
#include "mlg/Dialect/MLG/Transforms/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

namespace {

class MLGSelectStrategyPass
    : public mlg::impl::MLGSelectStrategyBase<MLGSelectStrategyPass> {
public:
  using Base::Base;
  void runOnOperation() override;

private:
  LogicalResult configure(ModuleOp module, MachineModel &machine,
                          std::optional<ExecutionStrategy> &forced);
};

} // namespace

LogicalResult
MLGSelectStrategyPass::configure(ModuleOp module, MachineModel &machine,
                                 std::optional<ExecutionStrategy> &forced) {
  auto error = [&]() {
    return emitError(module.getLoc(), "mlg-select-strategy: ");
  };
  if (!force.empty()) {
    forced = symbolizeExecutionStrategy(force);
    if (!forced || *forced == ExecutionStrategy::automatic)
      return error() << "option 'force' must be dense, factorized or tiled, "
                        "got '"
                     << force << "'";
  }
  machine = MachineModel::host();
  const std::pair<const char *, int64_t> sizes[3] = {
      {"l1-size", l1Size}, {"l2-size", l2Size}, {"l3-size", l3Size}};
  for (int level = 0; level < 3; ++level) {
    auto [name, bytes] = sizes[level];
    if (bytes < 0)
      return error() << "option '" << name
                     << "' must be >= 0 (0: the host's), got " << bytes;
    if (bytes > 0)
      machine.cacheBytes[level] = bytes;
  }
  if (!(machine.cacheBytes[0] <= machine.cacheBytes[1] &&
        machine.cacheBytes[1] <= machine.cacheBytes[2]))
    return error() << "cache sizes must not decrease from L1 to L3, got "
                   << machine.cacheBytes[0] << ", " << machine.cacheBytes[1]
                   << ", " << machine.cacheBytes[2];
  auto positive = [](double v) { return v > 0 && std::isfinite(v); };
  if (!positive(peakGflops))
    return error() << "option 'peak-gflops' must be > 0, got "
                   << formatNumber(peakGflops);
  if (!positive(bandwidth))
    return error() << "option 'bandwidth' must be > 0, got "
                   << formatNumber(bandwidth);
  machine.peakGflops = peakGflops;
  machine.dramGBps = bandwidth;
  if (!cacheBandwidth.empty()) {
    if (cacheBandwidth.size() != 3 || !llvm::all_of(cacheBandwidth, positive))
      return error() << "option 'cache-bandwidth' takes three values > 0 "
                        "(L1, L2, L3 in GB/s)";
    llvm::copy(cacheBandwidth, machine.cacheGBps.begin());
  }
  if (!kernelEfficiency.empty()) {
    if (kernelEfficiency.size() != 4 ||
        !llvm::all_of(kernelEfficiency,
                      [&](double v) { return positive(v) && v <= 1; }))
      return error() << "option 'kernel-efficiency' takes four values in "
                        "(0, 1] (convolution, pointwise, depthwise, "
                        "generation)";
    llvm::copy(kernelEfficiency, machine.efficiency.begin());
  }
  if (!smartDealEfficiency.empty()) {
    if (smartDealEfficiency.size() != 2 ||
        !llvm::all_of(smartDealEfficiency,
                      [&](double v) { return positive(v) && v <= 1; }))
      return error() << "option 'smartdeal-efficiency' takes two values in "
                        "(0, 1] (block by block, whole)";
    llvm::copy(smartDealEfficiency, machine.smartDealEfficiency.begin());
  }
  return success();
}

/// {macs, bytes, ns[, block]} for one strategy.
static DictionaryAttr costAttr(Builder &b, const StrategyCost &cost,
                               bool withBlock) {
  SmallVector<NamedAttribute> entries = {
      b.getNamedAttr("macs", b.getI64IntegerAttr(cost.macs)),
      b.getNamedAttr("bytes", b.getI64IntegerAttr(cost.bytes)),
      b.getNamedAttr("ns", b.getF64FloatAttr(cost.nanoseconds))};
  if (withBlock)
    entries.push_back(
        b.getNamedAttr("block", b.getI64IntegerAttr(cost.blockChannels)));
  return b.getDictionaryAttr(entries);
}

/// `mlg.strategy_cost` of one layer: a cost dictionary per costed strategy.
static DictionaryAttr costsAttr(Builder &b, const StrategyCosts &costs) {
  SmallVector<NamedAttribute> entries;
  for (ExecutionStrategy strategy : costs.strategies())
    entries.push_back(
        b.getNamedAttr(stringifyExecutionStrategy(strategy),
                       costAttr(b, costs.get(strategy),
                                strategy == ExecutionStrategy::tiled)));
  return b.getDictionaryAttr(entries);
}

void MLGSelectStrategyPass::runOnOperation() {
  ModuleOp module = getOperation();
  MachineModel machine;
  std::optional<ExecutionStrategy> forced;
  if (failed(configure(module, machine, forced)))
    return signalPassFailure();
  Builder b(module.getContext());
  module.walk([&](Operation *op) {
    if (auto smartDeal = getSmartDealLayerShape(op); succeeded(smartDeal)) {
      // A consumer of a SmartDeal weight: dense or tiled (no factorized
      // form, so `force=factorized` leaves it to the costs).
      StrategyCosts costs =
          estimateSmartDealCosts(smartDeal->first, smartDeal->second, machine);
      op->setAttr("mlg.strategy_cost", costsAttr(b, costs));
      ExecutionStrategy choice =
          forced && *forced != ExecutionStrategy::factorized ? *forced
                                                             : costs.best();
      if (forced || !op->hasAttr(kSmartDealStrategyAttrName))
        op->setAttr(kSmartDealStrategyAttrName,
                    b.getStringAttr(stringifyExecutionStrategy(choice)));
      return;
    }
    if (!isa<GeneratedConv2DOp, GeneratedMatmulOp>(op))
      return;
    auto strategyAttr = op->getAttrOfType<ExecutionStrategyAttr>("strategy");
    ExecutionStrategy current =
        strategyAttr ? strategyAttr.getValue() : ExecutionStrategy::automatic;
    FailureOr<GeneratedLayerShape> shape = getGeneratedLayerShape(op);
    std::optional<ExecutionStrategy> choice = forced;
    if (succeeded(shape)) {
      StrategyCosts costs = estimateStrategyCosts(*shape, machine);
      op->setAttr("mlg.strategy_cost", costsAttr(b, costs));
      if (!choice)
        choice = costs.best();
    }
    // Dynamic shapes without `force` keep `auto`: a lowering decides later.
    if (choice && (forced || current == ExecutionStrategy::automatic))
      op->setAttr("strategy",
                  ExecutionStrategyAttr::get(op->getContext(), *choice));
  });
}
