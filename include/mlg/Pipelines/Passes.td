//===- Passes.td - MLG pipelines ---------------------------*- tablegen -*-===//
//
// Pipelines are declared as passes so they get typed options, documentation
// and registration from ODS; each runs the pass manager built by the public
// C++ function of the same name (Pipelines.h), which tools and Python share.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_PIPELINES_PASSES_TD
#define MLG_PIPELINES_PASSES_TD

include "mlir/Pass/PassBase.td"

def MLGReferenceToLLVM : Pass<"mlg-reference-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower a module with mlg ops to the LLVM dialect through the "
                "reference lowering";
  let description = [{
    `convert-mlg-to-linalg`, one-shot bufferization of the whole module
    (function boundaries with identity layouts), buffer deallocation, linalg to
    loops, and the standard conversions to the LLVM dialect. The result runs in
    `mlir-runner`. It is the executable reference, not the fast CPU path.
  }];
}

#endif // MLG_PIPELINES_PASSES_TD
