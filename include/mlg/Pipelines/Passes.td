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

def MLGToLLVM : Pass<"mlg-to-llvm", "::mlir::ModuleOp"> {
  let summary = "Lower a module on tensors to fast CPU code in the LLVM "
                "dialect";
  let description = [{
    The fast CPU path (the recipe of shared/reference/cpu-codegen.md):
    `convert-mlg-to-linalg`, then `mlg-cpu-vectorize` (NCHW convolutions to
    NHWC/HWCF, register tiling, decomposition to 1-D convolutions,
    vectorization, accumulator hoisting), one-shot bufferization with identity
    layouts at function boundaries, buffer deallocation, loops for whatever was
    not vectorized, the vector lowering tail (contractions to FMAs whose
    broadcast operands are scalar loads, `mlg-cpu-broadcast-loads`) and the
    conversions to the LLVM dialect. The code is single-threaded unless `threads` is above 1: then
    one loop of each large layer and of each large remaining loop nest
    becomes an OpenMP work-sharing loop (`mlg-cpu-vectorize`,
    `mlg-cpu-linalg-to-marked-loops`, `mlg-cpu-parallelize`; see
    docs/cpu-strategy.md). Every `llvm.func` definition records `target-cpu`
    and `target-features` so `mlir-translate --mlir-to-llvmir | clang -O3`
    emits code for the intended machine.

    ```
    mlg-opt model.mlir --mlg-to-llvm="threads=2"
    ```

    ```
    mlg-opt model.mlir --mlg-to-llvm | mlir-translate --mlir-to-llvmir > m.ll
    mlg-opt model.mlir --mlg-to-llvm="vector-width=16 target-cpu=znver4"
    ```
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "0",
           "f32 lanes per vector register (0: from the host: AVX-512 16, "
           "AVX/AVX2 8, otherwise 4)">,
    Option<"threads", "threads", "int64_t", "1",
           "largest number of threads per layer (1: single-threaded code; "
           "more: large layers run on OpenMP threads, MLG_NUM_THREADS "
           "chooses fewer at run time; the library needs libomp)">,
    Option<"targetCpu", "target-cpu", "std::string", "\"\"",
           "LLVM CPU name recorded on functions (empty: the host CPU)">,
    Option<"targetFeatures", "target-features", "std::string", "\"\"",
           "LLVM features, e.g. '+avx2,+fma' (empty: the host's)">
  ];
}

def MLGCPUVectorize : Pass<"mlg-cpu-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Register-tile and vectorize convolutions and matmuls on "
                "tensors";
  let description = [{
    Rewrites `linalg.conv_2d_nchw_fchw` and `linalg.depthwise_conv_2d_nchw_chw`
    to their NHWC forms between transposes (a constant filter is transposed
    at compile time) and fuses those transposes with neighbouring elementwise
    ops (a transpose back to NCHW, a ReLU and a transpose to NHWC become one
    NHWC op), then tiles `conv_2d_nhwc_hwcf`,
    `depthwise_conv_2d_nhwc_hwc` and `matmul` with static shapes into
    register-sized tiles (output rows x up to 2 vectors of channels, channel
    tiles outermost, reduction chunks), packs convolution filters per channel
    tile (at compile time when they are constants, dense or dense_resource),
    decomposes the convolutions to 1-D, vectorizes them and hoists the
    accumulators out of the reduction loops. An op accumulating into a
    `linalg.fill` that nothing else reads gets one fill per output tile
    instead (its accumulators start as constants in registers, and the
    output is not filled in memory first). Ops it does not handle are left
    untouched for the loop fallback.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect"];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", "0",
           "f32 lanes per vector register (0: from the host)">,
    Option<"threads", "threads", "int64_t", "1",
           "with more than 1, mark the output tile loop of each layer worth "
           "splitting (at least 2^18 multiply-adds, at least this many "
           "iterations) with `mlg.parallel` for mlg-cpu-parallelize">
  ];
}

def MLGCPUBroadcastLoads
    : Pass<"mlg-cpu-broadcast-loads", "::mlir::func::FuncOp"> {
  let summary = "Lower contractions to FMAs whose broadcast operands are "
                "loaded as scalars";
  let description = [{
    Lowers `vector.contract` to outer products and then to `vector.fma`, and
    rewrites element extracts of `vector.transfer_read` into `memref.load`, so
    that an operand broadcast across lanes is loaded by the broadcast itself
    (x86 `vbroadcastss` from memory) instead of shuffled out of a register.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::vector::VectorDialect"];
}

def MLGCPUExpandCopies : Pass<"mlg-cpu-expand-copies", "::mlir::func::FuncOp"> {
  let summary = "Turn memref.copy into linalg.copy so copies between "
                "strided views become loops instead of runtime calls";
  let description = [{
    `finalize-memref-to-llvm` lowers a copy between non-contiguous views to a
    call to `memrefCopy` from `libmlir_c_runner_utils`, a link dependency and a
    slow generic loop. As `linalg.copy` the copy becomes plain loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def MLGCPUDeallocAfterLastUse
    : Pass<"mlg-cpu-dealloc-after-last-use", "::mlir::func::FuncOp"> {
  let summary = "Move each memref.dealloc to just after the last use of its "
                "buffer";
  let description = [{
    Ownership-based buffer deallocation frees a block's buffers at the end of
    the block; for a network written as one function, every activation then
    stays allocated until the network returns. This pass moves each
    `memref.dealloc` of a `memref.alloc` of the same block to just after the
    last op of the block that uses the buffer or a view of it (found with
    BufferViewFlowAnalysis), so an inference's peak memory is the largest
    set of activations alive at once. Buffers used outside the block or by
    its terminator keep their dealloc where it is.
  }];
}

def MLGCPUOutlineLoopNests
    : Pass<"mlg-cpu-outline-loop-nests", "::mlir::ModuleOp"> {
  let summary = "Move each top-level loop nest of a large function into a "
                "function of its own";
  let description = [{
    A whole network lowers to one function of a hundred loop nests. LLVM's
    loop passes (IndVarSimplify above all) grow superlinearly with function
    size: on a ResNet-18 they take most of the compile time. Each top-level
    `scf.for` of a function with at least `min-nests` of them becomes a
    private `noinline` function `<func>_nest<N>` called in its place, so
    LLVM optimises many small functions instead; a call per layer costs
    nothing at run time. Operand-free pure operations the nest uses from
    above (constants, `memref.get_global`) are copied in, not passed, so
    that LLVM knows them inside without interprocedural propagation. Nests
    that come out the same (a network repeats its layers: over half of
    ResNet-18's) share one function.
  }];
  let options = [
    Option<"minNests", "min-nests", "unsigned", "4",
           "outline only in functions with at least this many loop nests">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect"];
}

def MLGCPUParallelize : Pass<"mlg-cpu-parallelize", "::mlir::ModuleOp"> {
  let summary = "Run the loops mlg-cpu-vectorize marked parallel on OpenMP "
                "threads";
  let description = [{
    Each `scf.for` marked `mlg.parallel` (by `mlg-cpu-vectorize{threads=N}`,
    on memrefs after bufferization, without results) becomes
    `omp.parallel { omp.wsloop { omp.loop_nest } }` with
    `schedule(dynamic, 1)`: each thread takes the next iteration (a block of
    output tiles) when done, which keeps a busy machine's descheduled thread
    from holding the others at the join. What an iteration computes does not
    depend on the thread, so results do not depend on the thread count.
    `num_threads` is `mlg_thread_count(threads)`, a function this pass adds
    to the module: the environment variable `MLG_NUM_THREADS` (read once, on
    the first parallel loop) when it is an integer in [1, threads], else
    `threads`. libomp keeps its team alive between loops, so a layer pays a
    wake-up, not a thread start. The body is not wrapped in
    `memref.alloca_scope` (upstream `convert-scf-to-openmp` does that, and
    `convert-scf-to-cf` then breaks the scope's single-block rule); the
    vectorized tile loops allocate nothing on the stack.

    With `threads=1` the marks are dropped and the loops stay sequential.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", "1",
           "largest number of threads per loop (1: sequential)">
  ];
  let dependentDialects = ["::mlir::omp::OpenMPDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect"];
}

def MLGCPULinalgToMarkedLoops
    : Pass<"mlg-cpu-linalg-to-marked-loops", "::mlir::func::FuncOp"> {
  let summary = "Lower large linalg ops on memrefs to loops with their "
                "outermost parallel loop marked for mlg-cpu-parallelize";
  let description = [{
    What mlg-cpu-vectorize did not schedule (batch norm, ReLU and layout
    transposes, pooling, padding, fills, the generation of mlg weights) stays
    linalg and becomes plain loops. With `threads` above 1, each such op at
    the top of a function with static shapes and at least 2^18 iterations is
    lowered to `scf.for` loops here, and the first loop with at least
    `threads` iterations is marked `mlg.parallel` when every loop outside it
    runs once and its dimension is a `parallel` iterator indexing every
    output directly (so iterations write disjoint elements). Other ops are
    left to `convert-linalg-to-loops`.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", "1",
           "threads per loop (1: do nothing)">
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def MLGLLVMTargetAttributes
    : Pass<"mlg-llvm-target-attributes", "::mlir::ModuleOp"> {
  let summary = "Record target-cpu and target-features on llvm.func "
                "definitions";
  let options = [
    Option<"targetCpu", "target-cpu", "std::string", "\"\"",
           "LLVM CPU name (empty: the host CPU)">,
    Option<"targetFeatures", "target-features", "std::string", "\"\"",
           "LLVM features, e.g. '+avx2,+fma' (empty: the host's)">
  ];
}


def MLGCPUPackSubByteConstants
    : Pass<"mlg-cpu-pack-sub-byte-constants", "::mlir::ModuleOp"> {
  let summary = "Store integer constants narrower than a byte bit-packed";
  let description = [{
    LLVM stores an `i3` array with one byte per element, so a library would
    keep 3-bit mlg codes in 8 bits. Every ranked, static, non-splat
    `arith.constant` of type `i1` … `i7` with at least `min-elements`
    elements becomes an `i8` constant of its codes packed densely (code `l`,
    row-major, in bits `[l·K, l·K + K)`, least significant bit first) and a
    `linalg.generic` that unpacks them when the function runs. mlgc runs it
    after the execution strategies, which may reorder code constants at
    compile time (the SmartDeal lowering stores its codes in bit planes
    first, docs/cpu-strategy.md).
  }];
  let options = [
    Option<"minElements", "min-elements", "int64_t", "16",
           "smallest constant packed (smaller ones are not worth the unpack)">,
  ];
}

def MLGCompress : Pass<"mlg-compress", "::mlir::ModuleOp"> {
  let summary = "Decompose constant weights into generators and store them "
                "at low bit widths";
  let description = [{
    `mlg-decompose` (keeping the dense weights as references) followed by
    `mlg-assign-precision`, which measures every layer's final error against
    its dense weight and drops the references. Options are those of the two
    passes; the precision pass's are prefixed where names clash. TOSA input
    goes through `tosa-to-linalg-pipeline` first.

    ```
    mlg-opt model.mlir --mlg-compress="bi=2 bc=44 qb=3 qu=6 qv=3"
    mlg-opt model.mlir --mlg-compress="decompose-mode=auto max-rel-error=0.2 \
        precision-mode=budget precision-max-rel-error=0.25"
    mlg-opt model.mlir --mlg-compress="family=smartdeal sd-row-prune=0.5 qb=8"
    ```
  }];
  let options = [
    Option<"decomposeMode", "decompose-mode", "::mlir::mlg::DecomposeMode",
           "::mlir::mlg::DecomposeMode::Paper", "see mlg-decompose 'mode'",
           [{::llvm::cl::values(
               clEnumValN(::mlir::mlg::DecomposeMode::Paper, "paper",
                          "the official code's rules on global bi, bc"),
               clEnumValN(::mlir::mlg::DecomposeMode::Auto, "auto",
                          "per layer, fewest bits meeting max-rel-error"))}]>,
    Option<"bi", "bi", "int64_t", "2", "intra-kernel basis size">,
    Option<"bc", "bc", "int64_t", "44", "cross-kernel basis size">,
    Option<"maxRelError", "max-rel-error", "double", "0.1",
           "decompose-mode=auto: largest relative error per layer">,
    Option<"refineIterations", "refine-iterations", "int64_t", "10",
           "alternating least-squares sweeps">,
    ListOption<"costBits", "cost-bits", "int64_t",
               "decompose-mode=auto: bits per basis, U and V value">,
    ListOption<"layerOverrides", "overrides", "std::string",
               "per-layer sizes: NAME=BI:BC or NAME=dense">,
    Option<"family", "family", "::mlir::mlg::GeneratorFamily",
           "::mlir::mlg::GeneratorFamily::MLG", "see mlg-decompose 'family'",
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
           "power-of-two code width (see mlg-decompose)">,
    Option<"sdMaxExponent", "sd-max-exponent", "int64_t", "5",
           "family=smartdeal: largest |C| is 2^this">,
    Option<"sdThreshold", "sd-threshold", "double", "1e-3",
           "relative magnitude below which a coefficient is zero">,
    Option<"sdRowPrune", "sd-row-prune", "double", "0",
           "family=smartdeal: fraction of each block's rows pruned">,
    Option<"sdIterations", "sd-iterations", "int64_t", "30",
           "family=smartdeal: rounds of the alternating algorithm">,
    Option<"precisionMode", "precision-mode", "::mlir::mlg::PrecisionMode",
           "::mlir::mlg::PrecisionMode::Paper",
           "see mlg-assign-precision 'mode'",
           [{::llvm::cl::values(
               clEnumValN(::mlir::mlg::PrecisionMode::Paper, "paper",
                          "global qb, qu, qv per tensor"),
               clEnumValN(::mlir::mlg::PrecisionMode::Budget, "budget",
                          "per layer and tensor, under a budget"))}]>,
    Option<"qb", "qb", "int64_t", "8", "basis bits (1-16, or 32)">,
    Option<"qu", "qu", "int64_t", "8", "U bits (1-16, or 32)">,
    Option<"qv", "qv", "int64_t", "8", "V bits (1-16, or 32)">,
    Option<"precisionMaxRelError", "precision-max-rel-error", "double", "0.1",
           "precision-mode=budget: largest final relative error per layer">,
    Option<"maxMemoryRatio", "max-memory-ratio", "double", "0",
           "precision-mode=budget: stored bits over the fp32 bits of the "
           "generated weights (0: use precision-max-rel-error)">,
    Option<"minBits", "min-bits", "int64_t", "2", "narrowest code (budget)">,
    Option<"maxBits", "max-bits", "int64_t", "8", "widest code (budget)">,
    Option<"perChannel", "per-channel", "bool", "true",
           "consider per-channel scales (budget)">
  ];
}

def MLGToPTC : Pass<"mlg-to-ptc", "::mlir::ModuleOp"> {
  let summary = "Compile a network to one photonic tensor core program";
  let description = [{
    The PTC path (`mlgc --target=ptc` will run it): `canonicalize`, then
    `convert-mlg-to-ptc` with the same options. The result is a module
    holding one `ptc.program` for `mlg-translate --ptc-to-binary` and
    `ptc-sim` (docs/ptc-lowering.md).

    ```
    mlg-opt mlp.mlir --mlg-to-ptc="calibration=x.npy" \
      | mlg-translate --ptc-to-binary -o mlp.ptc
    ```
  }];
  let options = [
    Option<"model", "model", "std::string", "\"dptc-hbm\"",
           "accelerator model: a preset name or a JSON file">,
    Option<"calibration", "calibration", "std::string", "\"\"",
           "float32 .npy of input rows to calibrate activation scales">,
    Option<"activationRange", "activation-range", "std::string", "\"mse\"",
           "with calibration, each tensor's code range: mse (least squared "
           "quantization error) or max">,
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
           "generated filters: auto (cost model per layer), generated or "
           "dense">
  ];
}

#endif // MLG_PIPELINES_PASSES_TD
