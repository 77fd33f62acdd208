//===- CPUDeallocAfterLastUse.cpp - Free buffers as soon as possible ------===//
//
// The ownership-based deallocation pipeline frees a block's buffers at the
// end of the block. A whole network is one block, so every activation of
// every layer would stay allocated until the network returns: the peak
// memory of an inference would be the sum of all activations instead of the
// largest set alive at once. This pass moves each such dealloc to just after
// the last use of its buffer or of any view of it.
//
//===----------------------------------------------------------------------===//

#include "mlg/Pipelines/Pipelines.h"

#include "mlir/Dialect/Bufferization/Transforms/BufferViewFlowAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGCPUDEALLOCAFTERLASTUSE
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;

namespace {

/// The last op of `block` that uses `alloc`'s buffer through any of its
/// aliases, `dealloc` aside; null when a use is outside `block` or is its
/// terminator (the buffer escapes: leave the dealloc alone).
Operation *lastUseInBlock(Block &block, memref::AllocOp alloc,
                          memref::DeallocOp dealloc,
                          const BufferViewFlowAnalysis &aliases) {
  Operation *last = alloc;
  for (Value alias : aliases.resolve(alloc.getResult())) {
    for (Operation *user : alias.getUsers()) {
      if (user == dealloc)
        continue;
      Operation *ancestor = block.findAncestorOpInBlock(*user);
      if (!ancestor || ancestor->hasTrait<OpTrait::IsTerminator>())
        return nullptr;
      if (last->isBeforeInBlock(ancestor))
        last = ancestor;
    }
  }
  return last;
}

struct MLGCPUDeallocAfterLastUsePass
    : mlg::impl::MLGCPUDeallocAfterLastUseBase<MLGCPUDeallocAfterLastUsePass> {
  void runOnOperation() override {
    BufferViewFlowAnalysis aliases(getOperation());
    SmallVector<std::pair<memref::DeallocOp, Operation *>> moves;
    getOperation().walk([&](memref::DeallocOp dealloc) {
      auto alloc = dealloc.getMemref().getDefiningOp<memref::AllocOp>();
      Block *block = dealloc->getBlock();
      if (!alloc || alloc->getBlock() != block)
        return;
      if (Operation *last = lastUseInBlock(*block, alloc, dealloc, aliases))
        moves.emplace_back(dealloc, last);
    });
    for (auto [dealloc, last] : moves)
      dealloc->moveAfter(last);
  }
};

} // namespace
