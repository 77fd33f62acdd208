// mlg-to-llvm{threads=N}: mlg-cpu-vectorize marks the output tile loop of a
// large layer parallel and mlg-cpu-parallelize turns it into an OpenMP
// work-sharing loop whose thread count comes from mlg_thread_count (N, or
// fewer through MLG_NUM_THREADS). Small layers and threads=1 stay sequential.
// RUN: mlg-opt %s --pass-pipeline="builtin.module(func.func(mlg-cpu-vectorize{vector-width=8 threads=2}))" | FileCheck %s --check-prefix=MARK
// RUN: mlg-opt %s --mlg-to-llvm="vector-width=8 threads=2" -o %t.two.mlir
// RUN: FileCheck %s --check-prefix=TWO < %t.two.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.two.mlir | FileCheck %s --check-prefix=IR
// RUN: mlg-opt %s --mlg-to-llvm="vector-width=8 threads=1" | FileCheck %s --check-prefix=ONE
// RUN: mlg-opt %s --pass-pipeline="builtin.module(func.func(mlg-cpu-vectorize{vector-width=8}))" | FileCheck %s --check-prefix=NOMARK
// Bad values: a message and exit status 1.
// RUN: not mlg-opt %s --mlg-to-llvm="threads=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not mlg-opt %s --mlg-to-llvm="threads=-2" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not mlg-opt %s --mlg-cpu-parallelize="threads=0" 2>&1 | FileCheck %s --check-prefix=PASS

// ZERO:     error: mlg-to-llvm: threads must be at least 1, got 0
// NEGATIVE: error: mlg-to-llvm: threads must be at least 1, got -2
// PASS:     error: mlg-cpu-parallelize: threads must be at least 1, got 0

// The conv is split into 12 + 2 output columns (6 x 16 register tiles on
// the first part); the outermost tile loop of each part (64 output channels
// in tiles of 16) is marked; the small matmul's loops are not.
// MARK-LABEL: func.func @big
// MARK:         scf.for %{{.*}} = %{{.*}} to %c64 step %c16 {{.*}} -> (tensor<1x14x12x64xf32>)
// MARK:         } {mlg.parallel}
// MARK:         scf.for %{{.*}} = %{{.*}} to %c64 step %c16 {{.*}} -> (tensor<1x14x2x64xf32>)
// MARK:         } {mlg.parallel}
// MARK-LABEL: func.func @small
// MARK-NOT:     mlg.parallel
// NOMARK-NOT:   mlg.parallel

// TWO-LABEL: llvm.func @big
// TWO:         %[[MAX:.*]] = llvm.mlir.constant(2 : i32) : i32
// TWO:         %[[N:.*]] = llvm.call @mlg_thread_count(%[[MAX]]) : (i32) -> i32
// TWO-NEXT:    omp.parallel num_threads(%[[N]] : i32) {
// TWO-NEXT:      omp.wsloop nowait schedule(dynamic = %{{.*}} : i64) {
// TWO-NEXT:        omp.loop_nest (%{{.*}}) : i64 = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// TWO:               llvm.intr.fmuladd
// TWO:               omp.yield
// TWO:           omp.terminator
// TWO-LABEL: llvm.func @small
// TWO-NOT:     omp.
// TWO-LABEL: llvm.func internal @mlg_thread_count(%{{.*}}: i32) -> i32
// TWO:         llvm.call @getenv
// TWO:         llvm.call @strtol
// TWO-NOT:   mlg.parallel

// IR:      call i32 @mlg_thread_count(i32 2)
// IR:      call void @__kmpc_push_num_threads
// IR:      call void {{.*}} @__kmpc_fork_call
// IR:      call void @__kmpc_dispatch_init_8u

// ONE-NOT: omp.
// ONE-NOT: mlg_thread_count
// ONE-NOT: mlg.parallel

// A 3x3 convolution 1x16x16x32 -> 64 channels: 1.8 M multiply-adds.
func.func @big(%x: tensor<1x16x16x32xf32>, %w: tensor<3x3x32x64xf32>) -> tensor<1x14x14x64xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x64xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x16x32xf32>, tensor<3x3x32x64xf32>) outs(%f : tensor<1x14x14x64xf32>) -> tensor<1x14x14x64xf32>
  return %r : tensor<1x14x14x64xf32>
}

// An 8x16x16 matmul: 2 K multiply-adds, less than a fork and join costs.
func.func @small(%a: tensor<8x16xf32>, %b: tensor<16x16xf32>) -> tensor<8x16xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %r = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x16xf32>) outs(%f : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}
