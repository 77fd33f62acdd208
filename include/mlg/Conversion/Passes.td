//===- Passes.td - MLG conversion passes -------------------*- tablegen -*-===//

#ifndef MLG_CONVERSION_PASSES_TD
#define MLG_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertMLGToLinalg : Pass<"convert-mlg-to-linalg"> {
  let summary = "Lower mlg ops to linalg on tensors with reference semantics";
  let description = [{
    Rewrites every `mlg` op into `linalg.generic` ops on tensors (plus
    `tensor.pad`, `tensor.expand_shape`/`collapse_shape`, `tensor.empty`,
    `linalg.fill` and `arith` constants) that compute exactly the semantics of
    docs/dialect.md. Generated convolutions materialise the whole weight first:
    this is the executable reference, not the fast path.

    Sums accumulate in the element type in ascending index order. Operands
    must have static shapes; anything else is reported at the op's location
    and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // MLG_CONVERSION_PASSES_TD
