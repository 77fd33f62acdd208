// Convolutions and matmuls whose output channels mlg-cpu-vectorize pads to
// whole vectors (59 and 61 channels, a constant filter, an init that is not a
// fill) run through the fast CPU path with 8- and 16-lane vectors and through
// the reference lowering, and must print identical results. Inputs are small
// integers, so every sum is exact whatever the summation order.
// RUN: mlg-opt %s --mlg-reference-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = [0-9a-fx]*//' > %t.ref
// RUN: mlg-opt %s --mlg-to-llvm="vector-width=8" \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = [0-9a-fx]*//' > %t.fast8
// RUN: mlg-opt %s --mlg-to-llvm="vector-width=16" \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | sed -e 's/base@ = [0-9a-fx]*//' > %t.fast16
// RUN: diff %t.ref %t.fast8
// RUN: diff %t.ref %t.fast16
// RUN: FileCheck %s < %t.fast16
// What the schedule does with them:
// RUN: mlg-opt %s --pass-pipeline="builtin.module(func.func(mlg-cpu-vectorize{vector-width=8}))" | FileCheck %s --check-prefix=PAD8
// RUN: mlg-opt %s --pass-pipeline="builtin.module(func.func(mlg-cpu-vectorize{vector-width=16}))" | FileCheck %s --check-prefix=PAD16

// CHECK: sizes = [1, 59, 7, 7]
// CHECK: sizes = [1, 5, 5, 61]
// CHECK: sizes = [1, 3, 3, 17]
// CHECK: sizes = [5, 59]

// 59 channels (no divisor between 1 and 59) are padded to 64 with zero filter
// columns: 8 1-vector tiles at width 8, 2 2-vector tiles at width 16, instead
// of 59 1-lane tiles; the slice of the first 59 channels is the result.
// PAD8-LABEL: func.func @nchw_59
// PAD8:         tensor.pad
// PAD8:         } : tensor<3x3x8x59xf32> to tensor<3x3x8x64xf32>
// PAD8:         scf.for {{.*}} to %c64 step %c8 {{.*}} -> (tensor<1x7x7x64xf32>)
// PAD8:           vector.contract {{.*}} into vector<1x7x8xf32>
// PAD8:         tensor.extract_slice {{.*}}[0, 0, 0, 0] [1, 7, 7, 59] [1, 1, 1, 1] : tensor<1x7x7x64xf32> to tensor<1x7x7x59xf32>
// PAD16-LABEL: func.func @nchw_59
// PAD16:        tensor.pad
// PAD16:        } : tensor<3x3x8x59xf32> to tensor<3x3x8x64xf32>
// PAD16:        scf.for {{.*}} to %c64 step %c32 {{.*}} -> (tensor<1x7x7x64xf32>)
// PAD16:          vector.contract {{.*}} into vector<1x7x32xf32>
// PAD16:        tensor.extract_slice {{.*}}[0, 0, 0, 0] [1, 7, 7, 59] [1, 1, 1, 1] : tensor<1x7x7x64xf32> to tensor<1x7x7x59xf32>
// An init that is not a fill is padded with zeros.
// PAD8-LABEL: func.func @nhwc_61_init
// PAD8:         } : tensor<1x5x5x61xf32> to tensor<1x5x5x64xf32>
// PAD16-LABEL: func.func @nhwc_61_init
// PAD16:        } : tensor<1x5x5x61xf32> to tensor<1x5x5x64xf32>
// PAD16:        vector.contract {{.*}} into vector<1x5x32xf32>
// A constant filter is padded (and packed) at compile time: 17 channels
// become 3 blocks of 8 at width 8 (1-lane tiles before), one block of 32 at
// width 16 (17-lane tiles before, also 2 vectors).
// PAD8-LABEL: func.func @nhwc_17_constant
// PAD8-NOT:     tensor.pad
// PAD8:         arith.constant dense<{{.*}}> : tensor<3x1x1x1x8xf32>
// PAD8-NOT:     tensor.pad
// PAD8:         tensor.extract_slice {{.*}} to tensor<1x3x3x17xf32>
// PAD16-LABEL: func.func @nhwc_17_constant
// PAD16-NOT:    tensor.pad
// PAD16:        arith.constant dense<{{.*}}> : tensor<1x1x1x32xf32>
// PAD16-NOT:    tensor.pad
// PAD16:        vector.contract {{.*}} into vector<1x3x32xf32>
// PAD16:        tensor.extract_slice {{.*}} to tensor<1x3x3x17xf32>
// Fewer channels than one vector are left as they are.
// PAD8-LABEL: func.func @nhwc_6
// PAD8-NOT:     tensor.pad
// PAD8-NOT:     tensor<1x3x3x8xf32>
// PAD8:         vector.contract {{.*}} into vector<1x3x6xf32>
// PAD8-LABEL:  func.func @matmul_59
// PAD16-LABEL: func.func @nhwc_6
// PAD16-NOT:    tensor.pad
// PAD16-NOT:    tensor<1x3x3x16xf32>
// PAD16:        vector.contract {{.*}} into vector<1x3x6xf32>
// PAD16-LABEL: func.func @matmul_59
// PAD8:         } : tensor<16x59xf32> to tensor<16x64xf32>
// PAD8:         vector.contract {{.*}} into vector<5x16xf32>
// PAD8:         tensor.extract_slice {{.*}} to tensor<5x59xf32>
// PAD16:        } : tensor<16x59xf32> to tensor<16x64xf32>
// PAD16:        vector.contract {{.*}} into vector<5x32xf32>
// PAD16:        tensor.extract_slice {{.*}} to tensor<5x59xf32>

func.func private @printMemrefF32(tensor<*xf32>)

// Deterministic integers in [-2, 2]: ((7 i0 + 5 i1 + 3 i2 + 2 i3 + seed) mod 5) - 2.
func.func @pattern4(%d0: index, %d1: index, %d2: index, %d3: index, %seed: index) -> tensor<?x?x?x?xf32> {
  %e = tensor.empty(%d0, %d1, %d2, %d3) : tensor<?x?x?x?xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%e : tensor<?x?x?x?xf32>) {
  ^bb0(%out: f32):
    %i0 = linalg.index 0 : index
    %i1 = linalg.index 1 : index
    %i2 = linalg.index 2 : index
    %i3 = linalg.index 3 : index
    %c7 = arith.constant 7 : index
    %c5 = arith.constant 5 : index
    %c3 = arith.constant 3 : index
    %c2 = arith.constant 2 : index
    %a = arith.muli %i0, %c7 : index
    %b = arith.muli %i1, %c5 : index
    %c = arith.muli %i2, %c3 : index
    %d = arith.muli %i3, %c2 : index
    %s0 = arith.addi %a, %b : index
    %s1 = arith.addi %s0, %c : index
    %s2 = arith.addi %s1, %d : index
    %s3 = arith.addi %s2, %seed : index
    %m = arith.remui %s3, %c5 : index
    %mi = arith.index_cast %m : index to i32
    %mf = arith.sitofp %mi : i32 to f32
    %two = arith.constant 2.0 : f32
    %v = arith.subf %mf, %two : f32
    linalg.yield %v : f32
  } -> tensor<?x?x?x?xf32>
  return %r : tensor<?x?x?x?xf32>
}

func.func @print4(%t: tensor<?x?x?x?xf32>) {
  %u = tensor.cast %t : tensor<?x?x?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

// The 3x3 convolutions of mode=auto's factorized layers: 59 output channels,
// a zero fill (which the tiles take over), a filter computed at run time.
func.func @nchw_59(%x: tensor<1x8x9x9xf32>, %w: tensor<59x8x3x3xf32>) -> tensor<1x59x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x59x7x7xf32>
  %o = linalg.fill ins(%zero : f32) outs(%e : tensor<1x59x7x7xf32>) -> tensor<1x59x7x7xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x9x9xf32>, tensor<59x8x3x3xf32>) outs(%o : tensor<1x59x7x7xf32>) -> tensor<1x59x7x7xf32>
  return %r : tensor<1x59x7x7xf32>
}

// An init that is not a fill (a bias from memory), padded with zeros.
func.func @nhwc_61_init(%x: tensor<1x5x5x4xf32>, %w: tensor<1x1x4x61xf32>, %o_in: tensor<1x5x5x61xf32>) -> tensor<1x5x5x61xf32> {
  %e = tensor.empty() : tensor<1x5x5x61xf32>
  %o = linalg.copy ins(%o_in : tensor<1x5x5x61xf32>) outs(%e : tensor<1x5x5x61xf32>) -> tensor<1x5x5x61xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x5x5x4xf32>, tensor<1x1x4x61xf32>) outs(%o : tensor<1x5x5x61xf32>) -> tensor<1x5x5x61xf32>
  return %r : tensor<1x5x5x61xf32>
}

// A constant filter is padded (and packed) at compile time.
func.func @nhwc_17_constant(%x: tensor<1x3x3x1xf32>) -> tensor<1x3x3x17xf32> {
  %w = arith.constant dense<[[[[1.0, -2.0, 3.0, -4.0, 5.0, -6.0, 7.0, -8.0, 9.0, -10.0, 11.0, -12.0, 13.0, -14.0, 15.0, -16.0, 17.0]]]]> : tensor<1x1x1x17xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x17xf32>
  %o = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x17xf32>) -> tensor<1x3x3x17xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x3x1xf32>, tensor<1x1x1x17xf32>) outs(%o : tensor<1x3x3x17xf32>) -> tensor<1x3x3x17xf32>
  return %r : tensor<1x3x3x17xf32>
}

func.func @nhwc_6(%x: tensor<1x3x3x2xf32>, %w: tensor<1x1x2x6xf32>) -> tensor<1x3x3x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x3x3x6xf32>
  %o = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x3x6xf32>) -> tensor<1x3x3x6xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x3x2xf32>, tensor<1x1x2x6xf32>) outs(%o : tensor<1x3x3x6xf32>) -> tensor<1x3x3x6xf32>
  return %r : tensor<1x3x3x6xf32>
}

func.func @matmul_59(%a: tensor<5x16xf32>, %b: tensor<16x59xf32>) -> tensor<5x59xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x59xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<5x59xf32>) -> tensor<5x59xf32>
  %r = linalg.matmul ins(%a, %b : tensor<5x16xf32>, tensor<16x59xf32>) outs(%c : tensor<5x59xf32>) -> tensor<5x59xf32>
  return %r : tensor<5x59xf32>
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %c9 = arith.constant 9 : index
  %c16 = arith.constant 16 : index
  %c59 = arith.constant 59 : index
  %c61 = arith.constant 61 : index

  %x1 = call @pattern4(%c1, %c8, %c9, %c9, %c0) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w1 = call @pattern4(%c59, %c8, %c3, %c3, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x1s = tensor.cast %x1 : tensor<?x?x?x?xf32> to tensor<1x8x9x9xf32>
  %w1s = tensor.cast %w1 : tensor<?x?x?x?xf32> to tensor<59x8x3x3xf32>
  %r1 = call @nchw_59(%x1s, %w1s) : (tensor<1x8x9x9xf32>, tensor<59x8x3x3xf32>) -> tensor<1x59x7x7xf32>
  %r1d = tensor.cast %r1 : tensor<1x59x7x7xf32> to tensor<?x?x?x?xf32>
  call @print4(%r1d) : (tensor<?x?x?x?xf32>) -> ()

  %x2 = call @pattern4(%c1, %c5, %c5, %c4, %c2) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w2 = call @pattern4(%c1, %c1, %c4, %c61, %c3) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o2 = call @pattern4(%c1, %c5, %c5, %c61, %c4) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x2s = tensor.cast %x2 : tensor<?x?x?x?xf32> to tensor<1x5x5x4xf32>
  %w2s = tensor.cast %w2 : tensor<?x?x?x?xf32> to tensor<1x1x4x61xf32>
  %o2s = tensor.cast %o2 : tensor<?x?x?x?xf32> to tensor<1x5x5x61xf32>
  %r2 = call @nhwc_61_init(%x2s, %w2s, %o2s) : (tensor<1x5x5x4xf32>, tensor<1x1x4x61xf32>, tensor<1x5x5x61xf32>) -> tensor<1x5x5x61xf32>
  %r2d = tensor.cast %r2 : tensor<1x5x5x61xf32> to tensor<?x?x?x?xf32>
  call @print4(%r2d) : (tensor<?x?x?x?xf32>) -> ()

  %x3 = call @pattern4(%c1, %c3, %c3, %c1, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x3s = tensor.cast %x3 : tensor<?x?x?x?xf32> to tensor<1x3x3x1xf32>
  %r3 = call @nhwc_17_constant(%x3s) : (tensor<1x3x3x1xf32>) -> tensor<1x3x3x17xf32>
  %r3d = tensor.cast %r3 : tensor<1x3x3x17xf32> to tensor<?x?x?x?xf32>
  call @print4(%r3d) : (tensor<?x?x?x?xf32>) -> ()

  %a4 = call @pattern4(%c1, %c1, %c5, %c16, %c2) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %b4 = call @pattern4(%c1, %c1, %c16, %c59, %c3) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %a4s = tensor.cast %a4 : tensor<?x?x?x?xf32> to tensor<1x1x5x16xf32>
  %b4s = tensor.cast %b4 : tensor<?x?x?x?xf32> to tensor<1x1x16x59xf32>
  %a4m = tensor.collapse_shape %a4s [[0, 1, 2], [3]] : tensor<1x1x5x16xf32> into tensor<5x16xf32>
  %b4m = tensor.collapse_shape %b4s [[0, 1, 2], [3]] : tensor<1x1x16x59xf32> into tensor<16x59xf32>
  %r4 = call @matmul_59(%a4m, %b4m) : (tensor<5x16xf32>, tensor<16x59xf32>) -> tensor<5x59xf32>
  %r4u = tensor.cast %r4 : tensor<5x59xf32> to tensor<*xf32>
  call @printMemrefF32(%r4u) : (tensor<*xf32>) -> ()
  return
}
