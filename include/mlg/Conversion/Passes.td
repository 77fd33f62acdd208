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

def MLGLowerGenerated : Pass<"mlg-lower-generated"> {
  let summary = "Lower generated convolutions and matmuls by their strategy";
  let description = [{
    Rewrites every `mlg.generated_conv2d` and `mlg.generated_matmul` into
    linalg named ops (plus `linalg.generic`, `scf.for` and `tensor` slicing)
    on tensors, following the op's `strategy` attribute:

    * `dense`: generate the whole weight once, then one convolution;
    * `factorized`: 1x1 conv with U, grouped kxk conv with the basis, 1x1
      conv with V (matmul: `x U^T`, the basis, `V^T`), never building W;
    * `tiled`: a loop over blocks of `tile-channels` output channels, each
      generating and consuming only its rows of W.

    Ops left `auto` take `default-strategy`; without it they are reported
    at their location and the pass fails. The other mlg ops (dequantize,
    generate_*) are left to `convert-mlg-to-linalg`, which runs afterwards.
    Operands must have static shapes.
  }];
  let options = [
    Option<"defaultStrategy", "default-strategy", "std::string",
           /*default=*/"\"\"",
           "Strategy for ops whose strategy is `auto`: dense, factorized or "
           "tiled (empty: such ops are an error)">,
    Option<"tileChannels", "tile-channels", "int64_t", /*default=*/"32",
           "Output channels generated per iteration by the tiled strategy">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // MLG_CONVERSION_PASSES_TD
