//===- ReferenceToLLVM.cpp - Reference lowering pipeline ------------------===//

#include "mlg/Conversion/Passes.h"
#include "mlg/Pipelines/Pipelines.h"

#include "PipelinePass.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGREFERENCETOLLVM
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;
using namespace mlir::mlg;

void mlir::mlg::buildReferenceToLLVMPipeline(OpPassManager &pm) {
  pm.addPass(createConvertMLGToLinalg());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  // Deallocation inserts bufferization.clone for a returned argument; only
  // this pass lowers it.
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

namespace {
struct MLGReferenceToLLVMPass
    : PipelinePass<MLGReferenceToLLVMPass,
                   mlg::impl::MLGReferenceToLLVMBase<MLGReferenceToLLVMPass>> {
  void buildPipeline(OpPassManager &pm) const {
    buildReferenceToLLVMPipeline(pm);
  }
};
} // namespace
