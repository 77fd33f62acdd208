//===- CPUToLLVM.cpp - The mlg-to-llvm pipeline ---------------------------===//

#include "mlg/Conversion/Passes.h"
#include "mlg/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGTOLLVM
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

void mlir::mlg::buildMLGToLLVMPipeline(OpPassManager &pm,
                                       const MLGToLLVMOptions &options) {
  pm.addPass(createConvertMLGToLinalg());
  pm.addPass(createCanonicalizerPass());

  MLGCPUVectorizeOptions vectorize;
  vectorize.vectorWidth = options.vectorWidth;
  vectorize.threads = options.threads;
  pm.addNestedPass<func::FuncOp>(createMLGCPUVectorize(vectorize));

  // Bufferization; cse + canonicalize remove the self-copies it leaves in
  // the loop nests.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // Operands broadcast across lanes are loaded as scalars (see the pass);
  // before deallocation, which places each dealloc after the last use: a
  // scalar load created later, at an extract after a vector read, could
  // follow it.
  pm.addNestedPass<func::FuncOp>(createMLGCPUBroadcastLoads());
  pm.addNestedPass<func::FuncOp>(createMLGCPUExpandCopies());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addNestedPass<func::FuncOp>(createMLGCPUDeallocAfterLastUse());

  // Loops for everything not vectorized; with threads, large ops' loops
  // are marked parallel first.
  MLGCPULinalgToMarkedLoopsOptions markedLoops;
  markedLoops.threads = options.threads;
  pm.addNestedPass<func::FuncOp>(createMLGCPULinalgToMarkedLoops(markedLoops));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());

  // Vector lowering: n-D transfers to unrolled 1-D ones, contractions to
  // outer products (FMAs).
  VectorTransferToSCFOptions transfers;
  transfers.enableFullUnroll(true);
  transfers.setTargetRank(1);
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(transfers));
  pm.addPass(createMLGCPUOutlineLoopNests());
  // After outlining, which moves only scf.for nests into functions.
  MLGCPUParallelizeOptions parallelize;
  parallelize.threads = options.threads;
  pm.addPass(createMLGCPUParallelize(parallelize));
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // expand-strided-metadata creates affine.apply: lower-affine again after.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Before convert-to-llvm, which misses n-D vector.from_elements.
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  if (options.threads > 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());

  MLGLLVMTargetAttributesOptions target;
  target.targetCpu = options.targetCpu;
  target.targetFeatures = options.targetFeatures;
  pm.addPass(createMLGLLVMTargetAttributes(target));
}

namespace {
struct MLGToLLVMPass : mlg::impl::MLGToLLVMBase<MLGToLLVMPass> {
  using Base::Base;

  MLGToLLVMOptions currentOptions() const {
    MLGToLLVMOptions o;
    o.vectorWidth = vectorWidth;
    o.threads = threads;
    o.targetCpu = targetCpu;
    o.targetFeatures = targetFeatures;
    return o;
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    OpPassManager pm(ModuleOp::getOperationName());
    buildMLGToLLVMPipeline(pm, currentOptions());
    pm.getDependentDialects(registry);
  }
  void runOnOperation() override {
    // Option errors point at the module without printing it.
    Location loc = getOperation().getLoc();
    if (vectorWidth < 0) {
      emitError(loc) << "mlg-to-llvm: vector-width must be positive (or 0: "
                        "the host's), got "
                     << static_cast<int64_t>(vectorWidth);
      return signalPassFailure();
    }
    if (threads < 1) {
      emitError(loc) << "mlg-to-llvm: threads must be at least 1, got "
                     << static_cast<int64_t>(threads);
      return signalPassFailure();
    }
    // Checked before the work, not at the end of the pipeline.
    if (!targetFeatures.empty() &&
        !LLVM::TargetFeaturesAttr::getChecked(
            [&] { return emitError(loc) << "mlg-to-llvm: "; }, &getContext(),
            StringRef(targetFeatures)))
      return signalPassFailure();
    OpPassManager pm(ModuleOp::getOperationName());
    buildMLGToLLVMPipeline(pm, currentOptions());
    if (failed(runPipeline(pm, getOperation())))
      signalPassFailure();
  }
};
} // namespace
