//===- Passes.td - MLG transformation passes ---------------*- tablegen -*-===//
//
// The compression passes: decompose dense weights into generators, store the
// generators at low bit widths, report what that saves.
//
//===----------------------------------------------------------------------===//

#ifndef MLG_DIALECT_MLG_TRANSFORMS_PASSES_TD
#define MLG_DIALECT_MLG_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MLGDecompose : Pass<"mlg-decompose", "::mlir::ModuleOp"> {
  let summary = "Replace constant conv/matmul weights by multi-level generators";
  let description = [{
    Finds every convolution and matmul whose weight is an `arith.constant`
    (`dense` or `dense_resource`, float elements) and replaces the weight by
    `mlg.generate_cross(V, mlg.generate_intra(U, basis))` on constant
    generators, followed by whatever `linalg.transpose`/`tensor` reshape maps
    the generated `[Co, Ci, kh, kw]` kernel onto the op's weight layout.

    Recognised ops: `linalg.conv_2d_nchw_fchw`, `conv_2d_nhwc_hwcf`,
    `conv_2d_nhwc_fhwc`, `conv_2d_ngchw_gfchw` (grouped),
    `depthwise_conv_2d_nchw_chw`, `depthwise_conv_2d_nhwc_hwc` and
    `linalg.matmul` with a constant right-hand side (plain or transposed).
    Other convolutions and non-constant weights are left intact with a remark.

    Sizes per layer:
    * `mode=paper` applies the official code's rules to the global `bi`, `bc`:
      level 1 iff `0 < bi < min(Ci, k*k)`; level 2 iff
      `0 < bc < min(Co, Ci*k*k)`, else `bc = Co`; a 1x1 convolution with
      `bc >= min(Co, Ci)` gets `bc = int(0.9 * min(Co, Ci))`; depthwise
      convolutions get level 1 with one shared basis; linear layers stay
      dense; layers are decomposed even when that stores more.
    * `mode=auto` picks per layer the `(bi, bc)` with the fewest stored bits
      (generator sizes weighted by `cost-bits`) whose SVD initialisation
      already meets `max-rel-error`, or keeps the layer dense when that is
      cheaper.
    `overrides` fixes single layers: `NAME=BI:BC` or `NAME=dense`, where NAME is
    the op's name location (`loc("layer1.0.conv1")`) or `#N`, the N-th weighted
    op of the module (from 0).

    Numerics: the official two-level truncated SVD, then `refine-iterations`
    sweeps of alternating least squares; deterministic and independent of the
    thread count.

    `family` chooses the generators (docs/compression.md, "SmartDeal"):
    * `mlg` (default): the chain above.
    * `smartdeal`: SmartDeal's `W = C * B` per block (method.md section 6):
      `mlg.generate_intra(mlg.decode_pow2(C codes), B)` on blocks
      `[rows, 3]`, reshaped (and for 1x1 and linear layers cropped) to the
      weight. C's codes are `sd-bits` wide, at most `2^sd-max-exponent`
      relative to the block's largest weight; entries below `sd-threshold`
      and rows below 5x it are zero; `sd-row-prune` prunes that fraction of
      each block's rows first; `sd-iterations` rounds of the official
      alternating algorithm. 3x3, 1x1 and linear layers only (others stay
      dense, with a remark); sizes come from the blocks, so `mode`, `bi`,
      `bc` do not apply.
    * `mlg+smartdeal`: the MLG chain with `V` on the power-of-two grid
      (`mlg.decode_pow2`, `sd-bits`, each column's scale moved into its
      kernel, entries below `sd-threshold` of the column's largest zero), U
      and the basis refitted to it; level 2 then needs shifts and adds only.
      Layers without level 2 are plain MLG. Each generated weight's root op gets `mlg.layer` and
    `mlg.rel_error` (relative Frobenius error against the dense weight); with
    `keep-source` also `mlg.reference`, the dense weight in `[Co, Ci, kh, kw]`
    order, which `mlg-assign-precision` uses and removes.
  }];
  let options = [
    Option<"mode", "mode", "::mlir::mlg::DecomposeMode",
           "::mlir::mlg::DecomposeMode::Paper",
           "how generator sizes are chosen",
           [{::llvm::cl::values(
               clEnumValN(::mlir::mlg::DecomposeMode::Paper, "paper",
                          "the official code's rules on global bi, bc"),
               clEnumValN(::mlir::mlg::DecomposeMode::Auto, "auto",
                          "per layer, fewest bits meeting max-rel-error"))}]>,
    Option<"bi", "bi", "int64_t", "2",
           "intra-kernel basis size (0 disables level 1)">,
    Option<"bc", "bc", "int64_t", "44",
           "cross-kernel basis size (0 disables level 2)">,
    Option<"maxRelError", "max-rel-error", "double", "0.1",
           "mode=auto: largest relative Frobenius error per layer">,
    Option<"refineIterations", "refine-iterations", "int64_t", "10",
           "alternating least-squares sweeps after the SVD initialisation">,
    ListOption<"costBits", "cost-bits", "int64_t",
               "mode=auto: bits per basis, U and V value when counting cost "
               "(three values; default 32,32,32)">,
    ListOption<"layerOverrides", "overrides", "std::string",
               "per-layer sizes: NAME=BI:BC or NAME=dense">,
    Option<"keepSource", "keep-source", "bool", "false",
           "attach the dense weight as mlg.reference for mlg-assign-precision">,
    Option<"family", "family", "::mlir::mlg::GeneratorFamily",
           "::mlir::mlg::GeneratorFamily::MLG", "which generators to build",
           [{::llvm::cl::values(
               clEnumValN(::mlir::mlg::GeneratorFamily::MLG, "mlg",
                          "multi-level generators"),
               clEnumValN(::mlir::mlg::GeneratorFamily::SmartDeal,
                          "smartdeal",
                          "power-of-two sparse C times a small basis"),
               clEnumValN(::mlir::mlg::GeneratorFamily::MLGSmartDeal,
                          "mlg+smartdeal",
                          "multi-level generators with power-of-two V"))}]>,
    Option<"sdBits", "sd-bits", "int64_t", "5",
           "power-of-two code width, sign included (2-8)">,
    Option<"sdMaxExponent", "sd-max-exponent", "int64_t", "5",
           "family=smartdeal: largest |C| is 2^this (official max_C = 32)">,
    Option<"sdThreshold", "sd-threshold", "double", "1e-3",
           "relative magnitude below which a coefficient is zero">,
    Option<"sdRowPrune", "sd-row-prune", "double", "0",
           "family=smartdeal: fraction of each block's rows pruned, [0, 1)">,
    Option<"sdIterations", "sd-iterations", "int64_t", "30",
           "family=smartdeal: rounds of the alternating algorithm">
  ];
  let dependentDialects = [
    "::mlir::mlg::MLGDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def MLGAssignPrecision : Pass<"mlg-assign-precision", "::mlir::ModuleOp"> {
  let summary = "Store generator constants as low-bit codes (mixed precision)";
  let description = [{
    Replaces each float constant feeding `mlg.generate_intra` or
    `mlg.generate_cross` (basis, `U`, `V`) by an integer code constant and an
    `mlg.dequantize` on the DoReFa-symmetric midrise grid. The generated weight
    itself is never requantized.

    * `mode=paper`: global widths `qb`, `qu`, `qv`, one scale per tensor
      (r = max|x|, levels +-r), as the official code; 32 keeps a tensor float.
    * `mode=budget`: per layer and per tensor widths in
      `[min-bits, max-bits]`, per-channel scales where they pay, chosen either
      for the fewest stored bits with each layer's relative error at most
      `max-rel-error`, or (when `max-memory-ratio` is set) for the least error
      with all stored generator bits at most that fraction of the fp32 size
      of the weights they generate.

    Errors are measured against `mlg.reference` when `mlg-decompose` left it
    (then `mlg.rel_error` is updated and the reference removed), else against
    the float generated weight (recorded as `mlg.quant_rel_error`).
  }];
  let options = [
    Option<"mode", "mode", "::mlir::mlg::PrecisionMode",
           "::mlir::mlg::PrecisionMode::Paper",
           "how bit widths are chosen",
           [{::llvm::cl::values(
               clEnumValN(::mlir::mlg::PrecisionMode::Paper, "paper",
                          "global qb, qu, qv per tensor"),
               clEnumValN(::mlir::mlg::PrecisionMode::Budget, "budget",
                          "per layer and tensor, under an error or memory "
                          "budget"))}]>,
    Option<"qb", "qb", "int64_t", "8", "mode=paper: basis bits (1-16, or 32)">,
    Option<"qu", "qu", "int64_t", "8", "mode=paper: U bits (1-16, or 32)">,
    Option<"qv", "qv", "int64_t", "8", "mode=paper: V bits (1-16, or 32)">,
    Option<"maxRelError", "max-rel-error", "double", "0.1",
           "mode=budget: largest relative error per layer">,
    Option<"maxMemoryRatio", "max-memory-ratio", "double", "0",
           "mode=budget: stored bits / fp32 bits of the generated weights "
           "(0: use max-rel-error instead)">,
    Option<"minBits", "min-bits", "int64_t", "2", "mode=budget: narrowest code">,
    Option<"maxBits", "max-bits", "int64_t", "8", "mode=budget: widest code">,
    Option<"perChannel", "per-channel", "bool", "true",
           "mode=budget: consider one scale per channel (axis 0)">
  ];
  let dependentDialects = [
    "::mlir::mlg::MLGDialect",
    "::mlir::arith::ArithDialect"
  ];
}

def MLGMemoryReport : Pass<"mlg-memory-report", "::mlir::ModuleOp"> {
  let summary = "Report dense against stored weight memory, per layer and total";
  let description = [{
    An analysis; the IR is not changed. For every convolution and matmul with
    a constant or generated weight it reports the dense size (fp32 and `qw`
    bits), the stored size (codes bit-packed at their width plus fp32 scales),
    the parameter ratio, the memory ratio of the paper's Eq. 4, the
    generation MACs against the layer's MACs and the relative reconstruction
    error recorded by the compression passes. Totals add the module's other
    parameters (every other float constant of rank >= 1 that is not a splat,
    e.g. folded batch-norm scale and shift, biases) and give the official
    code's memory ratio: generators at their widths, non-generated layers and
    other parameters at 32 bits except linear weights at `linear-bits`, over
    all parameters at 32 bits.

    The table goes to stdout (or `table=FILE`), JSON to `json=FILE`; files
    are written to a temporary and renamed.
  }];
  let options = [
    Option<"qw", "qw", "int64_t", "8",
           "bit width of the quantized dense baseline column">,
    Option<"linearBits", "linear-bits", "int64_t", "8",
           "official accounting: bits of a linear layer's dense weight">,
    Option<"jsonFile", "json", "std::string", "\"\"",
           "write the report as JSON to this file">,
    Option<"tableFile", "table", "std::string", "\"-\"",
           "write the table to this file ('-': stdout, '': none)">
  ];
}

def MLGFuseGeneration : Pass<"mlg-fuse-generation", "::mlir::ModuleOp"> {
  let summary = "Fold generator chains into their convolutions and matmuls";
  let description = [{
    Replaces each supported linalg convolution or matmul (the ops
    `mlg-decompose` recognises) whose weight is exactly the layout adaptation
    of a generator chain `generate_cross(V, generate_intra(U, basis))` (or one
    level alone) by `mlg.generated_conv2d` / `mlg.generated_matmul` on the
    chain's generator operands; codes stay behind their `mlg.dequantize`.

    * Strides and dilations are copied; a `tensor.pad` of H and W with +0
      becomes the `padding` attribute; grouped convolutions
      (`ngchw_gfchw`) collapse `[G, C]` of the input and expand the result;
      depthwise convolutions become `groups = C, depthwise`.
    * The accumulator must be +0 (`linalg.fill`) or a `linalg.broadcast` of a
      per-channel bias; a single following bias add (`linalg.add` with a
      channel broadcast, or an elementwise `linalg.generic` whose body is one
      `arith.addf` of a rank-1 tensor along the channel dimension) is folded
      into `bias` (not for grouped convolutions).
    * A chain with several consumers gives each its own fused op; chain,
      adaptation ops, pads and fills are erased once dead.
    * The chain root's `mlg.*` attributes (`mlg.layer`, `mlg.rel_error`, ...)
      are copied onto the fused op; it keeps the consumer's location (fused
      with the bias add's).

    Anything that does not match exactly is left unchanged (with a remark
    under `remarks`).
  }];
  let options = [
    Option<"remarks", "remarks", "bool", "false",
           "explain, as remarks, why a consumer of a generated weight is "
           "left unchanged">
  ];
  let dependentDialects = [
    "::mlir::mlg::MLGDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def MLGSelectStrategy : Pass<"mlg-select-strategy", "::mlir::ModuleOp"> {
  let summary = "Choose how each generated conv/matmul executes (cost model)";
  let description = [{
    For every `mlg.generated_conv2d` and `mlg.generated_matmul` with static
    shapes, estimates per inference the multiply-accumulates, bytes moved and
    time (a roofline over L1/L2/L3/DRAM) of the three strategies:

    * `dense`: generate all of W, then one plain convolution;
    * `factorized`: 1x1 conv with U, grouped kxk conv with the basis, 1x1
      conv with V (method.md section 1.4), W never formed;
    * `tiled`: generate a block of output channels of W sized to half of L2,
      convolve with it, next block.

    Sets `strategy` to the cheapest where it is `auto` (every op with
    `force`), and attaches `mlg.strategy_cost`, a dictionary per strategy of
    `macs`, `bytes` and `ns` (tiled also `block`, its output channels per
    block). Cache sizes default to the host's (sysconf), with 32 KiB /
    1 MiB / 32 MiB when unknown.

    A SmartDeal weight is not fused: its consumer, a static f32
    `linalg.conv_2d_nchw_fchw`, `linalg.conv_2d_nhwc_hwcf` (filter
    transposed from W) or `linalg.matmul` (right-hand side transposed from
    W) whose weight is an `mlg.generate_intra` of `mlg.decode_pow2` codes,
    has two strategies: `dense` (W regenerated whole by the generic
    lowering) and `tiled` (regenerated block by block in the consumer's
    layout, mlg-lower-generated). Such a consumer gets `mlg.strategy_cost`
    for the two and `mlg.strategy = "dense"` or `"tiled"` (the cheapest,
    unless it has one; with `force=dense|tiled` that one; `force=factorized`,
    which it has no form of, leaves it to the costs).
  }];
  let options = [
    Option<"force", "force", "std::string", "\"\"",
           "use this strategy everywhere: dense, factorized or tiled">,
    Option<"l1Size", "l1-size", "int64_t", "0",
           "L1 data cache bytes (0: the host's)">,
    Option<"l2Size", "l2-size", "int64_t", "0",
           "L2 cache bytes (0: the host's)">,
    Option<"l3Size", "l3-size", "int64_t", "0",
           "L3 cache bytes (0: the host's)">,
    Option<"peakGflops", "peak-gflops", "double", "100",
           "peak fp32 GFLOP/s (2 per multiply-accumulate)">,
    Option<"bandwidth", "bandwidth", "double", "20",
           "DRAM bandwidth in GB/s">,
    ListOption<"cacheBandwidth", "cache-bandwidth", "double",
               "L1, L2, L3 bandwidths in GB/s (default 400,200,100)">,
    ListOption<"kernelEfficiency", "kernel-efficiency", "double",
               "fraction of the peak reached by convolution, pointwise, "
               "depthwise and generation kernels (default 0.7,0.3,0.15,0.1, "
               "measured with bench/cpu)">,
    ListOption<"smartDealEfficiency", "smartdeal-efficiency", "double",
               "fraction of the peak reached by regenerating a SmartDeal "
               "weight block by block and whole (default 0.064,0.013, "
               "measured with bench/cpu)">
  ];
  let dependentDialects = ["::mlir::mlg::MLGDialect"];
}

#endif // MLG_DIALECT_MLG_TRANSFORMS_PASSES_TD
