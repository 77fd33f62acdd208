//===- LowerGenerated.cpp - Lower fused generated ops by strategy ---------===//

#include "StrategyPatterns.h"
#include "mlg/Conversion/MLGToLinalg/Strategies.h"
#include "mlg/Dialect/MLG/Transforms/StrategyCostModel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGLOWERGENERATED
#include "mlg/Conversion/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

static std::optional<ExecutionStrategy> strategyOf(Operation *op) {
  if (auto conv = dyn_cast<GeneratedConv2DOp>(op))
    return conv.getStrategy();
  if (auto matmul = dyn_cast<GeneratedMatmulOp>(op))
    return matmul.getStrategy();
  return std::nullopt;
}

/// A SmartDeal consumer's mark, when present, names one of its two forms.
static void checkSmartDealMark(Operation *op, bool &unsupported) {
  Attribute mark = op->getAttr(kSmartDealStrategyAttrName);
  if (!mark)
    return;
  auto name = dyn_cast<StringAttr>(mark);
  if (name && (name.getValue() == "dense" || name.getValue() == "tiled"))
    return;
  op->emitError("'")
      << kSmartDealStrategyAttrName
      << "' must be \"dense\" or \"tiled\" (how the SmartDeal weight this op "
         "consumes is regenerated), got "
      << mark;
  unsupported = true;
}

namespace {
struct MLGLowerGeneratedPass
    : mlg::impl::MLGLowerGeneratedBase<MLGLowerGeneratedPass> {
  using Base::Base;

  void runOnOperation() override {
    Operation *root = getOperation();
    std::optional<ExecutionStrategy> fallback;
    if (!defaultStrategy.empty()) {
      fallback = symbolizeExecutionStrategy(defaultStrategy);
      if (!fallback || *fallback == ExecutionStrategy::automatic) {
        root->emitError("mlg-lower-generated: unknown default-strategy '")
            << defaultStrategy << "' (expected dense, factorized or tiled)";
        return signalPassFailure();
      }
    }
    if (tileChannels < 1) {
      root->emitError("mlg-lower-generated: tile-channels must be >= 1, got ")
          << static_cast<int64_t>(tileChannels);
      return signalPassFailure();
    }

    // Report every op that cannot be lowered, not only the first.
    bool unsupported = false;
    root->walk([&](Operation *op) {
      std::optional<ExecutionStrategy> strategy = strategyOf(op);
      if (!strategy) {
        checkSmartDealMark(op, unsupported);
        return;
      }
      if (!hasStaticShapes(op)) {
        op->emitError("mlg-lower-generated requires static shapes");
        unsupported = true;
      } else if (*strategy == ExecutionStrategy::automatic && !fallback) {
        op->emitError("strategy 'auto' is undecided: run mlg-select-strategy "
                      "first, give the op a strategy, or set "
                      "mlg-lower-generated's default-strategy (dense, "
                      "factorized or tiled)");
        unsupported = true;
      }
    });
    if (unsupported)
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    populateDenseStrategyPatterns(patterns,
                                  fallback == ExecutionStrategy::dense);
    populateFactorizedStrategyPatterns(
        patterns, fallback == ExecutionStrategy::factorized);
    populateTiledStrategyPatterns(patterns, tileChannels,
                                  fallback == ExecutionStrategy::tiled);
    // SmartDeal chains are not fused (their kernel is a reshape of the
    // generated blocks); their consumers are rewritten here, unless marked
    // (or, unmarked, defaulted) dense.
    populateSmartDealStrategyPatterns(patterns, tileChannels,
                                      fallback == ExecutionStrategy::dense);
    walkAndApplyPatterns(root, std::move(patterns));
  }
};
} // namespace
