//===- CPUTarget.cpp - Record the target CPU on LLVM functions ------------===//

#include "mlg/Pipelines/Pipelines.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include "llvm/TargetParser/Host.h"

#include <string>
#include <vector>

namespace mlir::mlg {
#define GEN_PASS_DEF_MLGLLVMTARGETATTRIBUTES
#include "mlg/Pipelines/Passes.h.inc"
} // namespace mlir::mlg

using namespace mlir;

namespace {

/// The host's enabled features as "+a,+b,...", sorted for stable output.
std::string hostFeatures() {
  std::vector<std::string> enabled;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    if (feature.getValue())
      enabled.push_back("+" + feature.getKey().str());
  std::sort(enabled.begin(), enabled.end());
  return llvm::join(enabled, ",");
}

struct MLGLLVMTargetAttributesPass
    : mlg::impl::MLGLLVMTargetAttributesBase<MLGLLVMTargetAttributesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    std::string cpu =
        targetCpu.empty() ? llvm::sys::getHostCPUName().str() : targetCpu;
    std::string features =
        targetFeatures.empty() ? hostFeatures() : std::string(targetFeatures);
    auto emitError = [&] {
      return mlir::emitError(module.getLoc()) << "mlg-llvm-target-attributes: ";
    };
    LLVM::TargetFeaturesAttr featuresAttr;
    if (!features.empty()) {
      featuresAttr =
          LLVM::TargetFeaturesAttr::getChecked(emitError, ctx,
                                                 StringRef(features));
      if (!featuresAttr)
        return signalPassFailure();
    }
    // Functions are top-level: no walk through their bodies (a whole
    // network's worth of operations).
    StringAttr cpuAttr = StringAttr::get(ctx, cpu);
    for (LLVM::LLVMFuncOp func : module.getOps<LLVM::LLVMFuncOp>()) {
      if (func.isExternal())
        continue;
      func.setTargetCpuAttr(cpuAttr);
      if (featuresAttr)
        func.setTargetFeaturesAttr(featuresAttr);
    }
  }
};

} // namespace
