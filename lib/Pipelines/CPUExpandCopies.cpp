//===- CPUExpandCopies.cpp - memref.copy to linalg.copy -------------------===//

#include "mlg/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGCPUEXPANDCOPIES
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;

namespace {
struct MLGCPUExpandCopiesPass
    : mlg::impl::MLGCPUExpandCopiesBase<MLGCPUExpandCopiesPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) {
      // Unranked copies have no loop form; they keep the runtime call.
      if (isa<MemRefType>(copy.getSource().getType()) &&
          isa<MemRefType>(copy.getTarget().getType()))
        copies.push_back(copy);
    });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }
  }
};
} // namespace
