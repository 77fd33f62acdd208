//===- CPUOutlineLoopNests.cpp - One function per top-level loop nest -----===//

#include "mlg/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/StringSet.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGCPUOUTLINELOOPNESTS
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;

namespace {
/// `loop` moved into an scf.execute_region with the same results, the form
/// outlineSingleBlockRegion takes.
scf::ExecuteRegionOp wrapInExecuteRegion(RewriterBase &rewriter,
                                         scf::ForOp loop) {
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(loop);
  auto region = scf::ExecuteRegionOp::create(rewriter, loop.getLoc(),
                                             loop.getResultTypes());
  Block *body = &region.getRegion().emplaceBlock();
  // Moved, not cloned: a nest can hold a large share of the network.
  rewriter.replaceAllUsesWith(loop.getResults(), region.getResults());
  rewriter.moveOpBefore(loop, body, body->end());
  rewriter.setInsertionPointToEnd(body);
  scf::YieldOp::create(rewriter, loop.getLoc(), loop.getResults());
  return region;
}

/// Copies into `region` the operand-free side-effect-free operations
/// (constants, memref.get_global) whose results it uses from above, so that
/// the outlined function computes them instead of taking them as arguments:
/// its constant loop bounds, weights and accumulators stay known to LLVM
/// whichever way the call is compiled (in another part of the module with
/// --codegen-threads, without interprocedural constant propagation).
void cloneConstantsInto(RewriterBase &rewriter, Region &region) {
  SetVector<Value> usedFromAbove;
  getUsedValuesDefinedAbove(region, usedFromAbove);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(&region.front());
  IRMapping copies;
  for (Value value : usedFromAbove) {
    Operation *definition = value.getDefiningOp();
    if (!definition || definition->getNumOperands() != 0 ||
        definition->getNumRegions() != 0 || !isMemoryEffectFree(definition))
      continue;
    Operation *copy = rewriter.clone(*definition);
    copies.map(value, copy->getResult(cast<OpResult>(value).getResultNumber()));
  }
  if (copies.getValueMap().empty())
    return;
  // Through the region's operands, not the constants' uses: a constant such
  // as index 0 is used all over the function, once per nest would be
  // quadratic.
  region.walk([&](Operation *op) {
    for (OpOperand &operand : op->getOpOperands())
      if (Value copy = copies.lookupOrNull(operand.get()))
        rewriter.modifyOpInPlace(op, [&] { operand.set(copy); });
  });
}

/// A hash of `function`'s body that equivalent bodies share: operation
/// names, attributes, properties and types, not locations nor values.
llvm::hash_code hashBody(func::FuncOp function) {
  llvm::hash_code hash = hash_value(function.getFunctionType());
  function.getBody().walk([&](Operation *op) {
    hash = llvm::hash_combine(
        hash, OperationEquivalence::computeHash(
                  op, OperationEquivalence::ignoreHashValue,
                  OperationEquivalence::ignoreHashValue,
                  OperationEquivalence::IgnoreLocations));
  });
  return hash;
}

/// A network repeats its layers, so many outlined nests are the same code
/// (over half of ResNet-18's): each call goes to the first of its kind and
/// the copies are erased, which halves what LLVM compiles.
void mergeEquivalentNests(
    RewriterBase &rewriter,
    ArrayRef<std::pair<func::FuncOp, func::CallOp>> outlined) {
  llvm::DenseMap<llvm::hash_code, SmallVector<func::FuncOp>> kept;
  for (const auto &nest : outlined) {
    func::FuncOp function = nest.first;
    func::CallOp call = nest.second;
    SmallVector<func::FuncOp> &candidates = kept[hashBody(function)];
    auto same = llvm::find_if(candidates, [&](func::FuncOp candidate) {
      return candidate.getFunctionType() == function.getFunctionType() &&
             OperationEquivalence::isRegionEquivalentTo(
                 &candidate.getBody(), &function.getBody(),
                 OperationEquivalence::IgnoreLocations);
    });
    if (same == candidates.end()) {
      candidates.push_back(function);
      continue;
    }
    func::FuncOp first = *same;
    rewriter.modifyOpInPlace(call, [&] { call.setCallee(first.getName()); });
    rewriter.eraseOp(function);
  }
}

struct MLGCPUOutlineLoopNestsPass
    : mlg::impl::MLGCPUOutlineLoopNestsBase<MLGCPUOutlineLoopNestsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::StringSet<> taken;
    for (Operation &op : module.getOps())
      if (auto symbol = dyn_cast<SymbolOpInterface>(op))
        taken.insert(symbol.getName());
    IRRewriter rewriter(&getContext());
    SmallVector<func::FuncOp> functions(module.getOps<func::FuncOp>());
    SmallVector<std::pair<func::FuncOp, func::CallOp>> outlinedNests;
    for (func::FuncOp function : functions) {
      if (function.isExternal())
        continue;
      SmallVector<scf::ForOp> nests;
      for (Block &block : function.getBody())
        for (Operation &op : block)
          if (auto loop = dyn_cast<scf::ForOp>(op))
            nests.push_back(loop);
      if (nests.size() < minNests)
        continue;
      unsigned index = 0;
      for (scf::ForOp loop : nests) {
        std::string name;
        do
          name = (function.getName() + "_nest" + Twine(index++)).str();
        while (taken.contains(name));
        taken.insert(name);
        scf::ExecuteRegionOp region = wrapInExecuteRegion(rewriter, loop);
        cloneConstantsInto(rewriter, region.getRegion());
        func::CallOp call;
        FailureOr<func::FuncOp> outlined = outlineSingleBlockRegion(
            rewriter, region.getLoc(), region.getRegion(), name, &call);
        if (failed(outlined)) {
          region.emitError("mlg-cpu-outline-loop-nests: cannot outline");
          return signalPassFailure();
        }
        outlined->setPrivate();
        // The region now holds just the call: put it in the region's place.
        Block &body = region.getRegion().front();
        auto yield = cast<scf::YieldOp>(body.getTerminator());
        SmallVector<Value> results(yield.getOperands());
        rewriter.eraseOp(yield);
        rewriter.inlineBlockBefore(&body, region);
        rewriter.replaceOp(region, results);
        // LLVM would inline a static function called once right back.
        outlined->getOperation()->setAttr(
            "passthrough",
            rewriter.getArrayAttr({rewriter.getStringAttr("noinline")}));
        outlinedNests.emplace_back(*outlined, call);
      }
    }
    mergeEquivalentNests(rewriter, outlinedNests);
  }
};
} // namespace
