//===- PipelinePass.h - A pass that runs a registered pipeline --*- C++ -*-===//
//
// mlg-compress, mlg-reference-to-llvm and mlg-to-llvm are each a public
// pipeline builder (so that tools and Python share it) and a pass that runs
// it, so that the pipeline can be named with options in --pass-pipeline.
// This is that pass's body, written once.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_LIB_PIPELINES_PIPELINEPASS_H
#define MLG_LIB_PIPELINES_PIPELINEPASS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::mlg {

/// Runs the pipeline `Derived::buildPipeline(OpPassManager &) const` builds
/// on the module, after `Derived::checkOptions()` (which reports bad options
/// as located errors); its dependent dialects are the pipeline's. `Base` is
/// the ODS-generated pass base of `Derived`.
template <typename Derived, typename Base> struct PipelinePass : Base {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    OpPassManager pm(ModuleOp::getOperationName());
    self().buildPipeline(pm);
    pm.getDependentDialects(registry);
  }

  void runOnOperation() override {
    if (failed(static_cast<Derived &>(*this).checkOptions()))
      return this->signalPassFailure();
    OpPassManager pm(ModuleOp::getOperationName());
    self().buildPipeline(pm);
    if (failed(this->runPipeline(pm, this->getOperation())))
      this->signalPassFailure();
  }

  /// No option to check; passes with options shadow this.
  LogicalResult checkOptions() { return success(); }

private:
  const Derived &self() const { return static_cast<const Derived &>(*this); }
};

} // namespace mlir::mlg

#endif // MLG_LIB_PIPELINES_PIPELINEPASS_H
