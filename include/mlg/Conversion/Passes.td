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
    at their location and the pass fails. A `linalg.conv_2d_nchw_fchw`,
    `linalg.conv_2d_nhwc_hwcf` or `linalg.matmul` whose weight is a
    SmartDeal chain (`mlg.decode_pow2`,
    `mlg.generate_intra`, the block reshapes) becomes a loop over blocks of
    `tile-channels` output channels that generates each block of W
    elementwise, output channel innermost (docs/cpu-strategy.md). The other
    mlg ops (dequantize, generate_*) are left to `convert-mlg-to-linalg`,
    which runs afterwards. Operands must have static shapes.
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

def ConvertMLGToPTC : Pass<"convert-mlg-to-ptc", "::mlir::ModuleOp"> {
  let summary = "Lower a network to one program of the photonic tensor core";
  let description = [{
    Replaces the module's function by one `ptc.program` (docs/ptc-lowering.md,
    docs/ptc-sim.md §1). This slice lowers a chain of `linalg.matmul` layers
    with constant weights, or of `linalg.conv_2d_nchw_fchw` layers (with an
    optional zero `tensor.pad`; im2col GEMMs over the output pixels whose
    LOADs gather the taps; host layout NHWC), each optionally
    followed by a `linalg.generic` multiplying by (folded into the weights)
    and/or adding per-column/channel constants and/or taking `max(x, 0)`.

    Weights are quantized symmetrically per output channel to the model's
    weight bits; activations to its input bits with one scale per layer
    boundary, from `calibration` (an .npy of input rows; per tensor the
    clipping range of least squared quantization error, or with
    `activation-range=max` the maximum) or, without it, the interval bound
    of inputs in [-1, 1]. Each layer is tiled
    onto BATCH x BLOCK_IN x BLOCK_OUT GEMM steps (weights reused by every
    batch tile of a channel block, input and accumulator slots double
    buffered under dependency tokens) and requantized on the ALU (bias add,
    per-channel fixed-point multiplier, rounding shift, ReLU, clip).
    Inputs and the output are `ptc.data` with `role` and `scale` (the host
    multiplies the codes by it); unsupported ops, non-constant weights and
    layers too large for the buffers are reported at their location.

    A filter that is an MLG generator chain (`generate_cross` of
    `generate_intra` or of the level-1 kernels, or `generate_intra` alone,
    on `mlg.dequantize`d constant codes) is generated on the core per output
    block (GEN level 1, RECOMP, GEN level 2; docs/ptc-lowering.md,
    "Generated weights") or loaded as dense weights, per layer as
    `weight-source` says; a remark at the layer gives the choice and why.
  }];
  let options = [
    Option<"model", "model", "std::string", "\"dptc-hbm\"",
           "accelerator model: a preset name or a JSON file">,
    Option<"calibration", "calibration", "std::string", "\"\"",
           "float32 .npy of input rows [N, K] to calibrate activation "
           "scales (empty: inputs assumed in [-1, 1], interval bounds)">,
    Option<"activationRange", "activation-range", "std::string", "\"mse\"",
           "with calibration, each tensor's code range: mse (the clipping "
           "range with the least squared quantization error) or max (the "
           "largest magnitude, nothing clipped)">,
    Option<"resultBits", "result-bits", "unsigned", "16",
           "bits of the output codes">,
    Option<"timeAccumulation", "t-acc", "unsigned", "0",
           "GEMM steps per ADC conversion (0: the model's)">,
    Option<"weightBits", "weight-bits", "unsigned", "0",
           "bits of dense weights in DRAM: the model's weight_bits (0, the "
           "default) or twice that, as two signed digits of weight_bits "
           "each (two GEMM passes recombined by a shift-add)">,
    Option<"globalSram", "global-sram", "bool", "true",
           "keep intermediate results in the global SRAM window when they "
           "fit (false: every tensor in DRAM)">,
    Option<"weightSource", "weight-source", "std::string", "\"auto\"",
           "layers with MLG-generated filters: auto (per layer, the cost "
           "model's chooseWeightSource, energy and latency), generated (GEN "
           "on the core; an error where it cannot run) or dense (the "
           "dequantized generated weights are loaded)">
  ];
  let dependentDialects = ["::mlir::mlg::ptc::PTCDialect"];
}

#endif // MLG_CONVERSION_PASSES_TD
