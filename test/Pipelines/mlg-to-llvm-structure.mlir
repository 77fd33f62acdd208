// The CPU schedule (mlg-cpu-vectorize) and the whole mlg-to-llvm pipeline on
// small convolutions and a matmul, with an explicit AVX2-like vector width so
// the checks do not depend on the host.
// RUN: mlg-opt %s -split-input-file --pass-pipeline="builtin.module(func.func(mlg-cpu-vectorize{vector-width=8}))" | FileCheck %s --check-prefix=VEC
// RUN: mlg-opt %s -split-input-file --mlg-to-llvm="vector-width=8 target-cpu=haswell target-features=+avx2,+fma" | FileCheck %s --check-prefix=LLVM
// RUN: not mlg-opt %s --mlg-to-llvm="vector-width=-1" 2>&1 | FileCheck %s --check-prefix=WIDTH
// RUN: not mlg-opt %s --mlg-to-llvm="target-features=avx2" 2>&1 | FileCheck %s --check-prefix=FEATURES
// WIDTH: error: mlg-to-llvm: vector-width must be positive (or 0: the host's), got -1
// FEATURES: error: mlg-to-llvm: target features must start with '+' or '-'

// An NCHW conv becomes an NHWC one between transposes (as linalg.generic) of
// the input and the result; its constant filter is transposed at compile time (FCHW 8x4x3x3 ->
// HWCF 3x3x4x8, printed as little-endian hex: element [0,0,0,0] = 0.0 and
// [0,0,0,1] = filter[1,0,0,0] = 36.0 = 0x42100000).
// The output (7 wide, 8 channels) is tiled 7 x 8, the reduction 1 x 1 x 4,
// the 1-D convolution vectorized and its accumulator hoisted out of the
// reduction loops. The zero fill of the output moves into the tiles: the
// tile loop starts from the empty tensor, each tile writes its zeros
// (vectorized) and its accumulator starts from them.
// VEC-LABEL: func.func @nchw_const_filter
// VEC-NOT:     ins(%{{.*}} : tensor<8x4x3x3xf32>)
// VEC-DAG:     arith.constant dense<"0x0000000000001042{{[0-9A-F]*}}"> : tensor<3x3x4x8xf32>
// VEC-DAG:     linalg.generic {{.*}} ins(%{{.*}} : tensor<1x4x9x9xf32>) outs(%{{.*}} : tensor<1x9x9x4xf32>)
// VEC-NOT:     linalg.fill
// VEC:         %[[EMPTY:.*]] = tensor.empty() : tensor<1x7x7x8xf32>
// VEC:         scf.for {{.*}} iter_args(%{{.*}} = %[[EMPTY]]) -> (tensor<1x7x7x8xf32>)
// VEC:         %[[ZEROS:.*]] = vector.transfer_write {{.*}} : vector<1x1x7x8xf32>, tensor<1x1x7x8xf32>
// VEC:         %[[ACC:.*]] = vector.transfer_read %[[ZEROS]]{{.*}} : tensor<1x1x7x8xf32>, vector<1x7x8xf32>
// VEC:         scf.for {{.*}} iter_args(%{{.*}} = %[[ACC]]) -> (vector<1x7x8xf32>)
// VEC:           scf.for {{.*}} -> (vector<1x7x8xf32>)
// VEC:             vector.contract
// VEC-SAME:          vector<1x7x4xf32>, vector<4x8xf32> into vector<1x7x8xf32>
// VEC:         vector.transfer_write
// VEC:         linalg.generic {{.*}} ins(%{{.*}} : tensor<1x7x7x8xf32>) outs(%{{.*}} : tensor<1x8x7x7xf32>)
// VEC-NOT:     linalg.conv_2d

// LLVM-LABEL: llvm.func @nchw_const_filter
// LLVM-SAME:    target_cpu = "haswell"
// LLVM-SAME:    target_features = #llvm.target_features<["+avx2", "+fma"]>
// LLVM-NOT:     {{= (arith|vector|memref|scf|cf|affine|linalg|tensor|bufferization|math)\.}}
// LLVM:         llvm.intr.fmuladd({{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// LLVM-NOT:     {{= (arith|vector|memref|scf|cf|affine|linalg|tensor|bufferization|math)\.}}
// LLVM-NOT:     func.func
func.func @nchw_const_filter(%x: tensor<1x4x9x9xf32>) -> tensor<1x8x7x7xf32> {
  %w = arith.constant dense<[[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]],
                              [[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]],
                              [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]],
                             [[[36.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]],
                              [[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]],
                              [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]],
                             [[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]],
                              [[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]],
                              [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]],
                             [[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]],
                              [[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]],
                              [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]],
                             [[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]],
                              [[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]],
                              [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]],
                             [[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]],
                              [[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]],
                              [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]],
                             [[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]],
                              [[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]],
                              [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]],
                             [[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]],
                              [[9.0, 10.0, 11.0], [12.0, 13.0, 14.0], [15.0, 16.0, 17.0]],
                              [[18.0, 19.0, 20.0], [21.0, 22.0, 23.0], [24.0, 25.0, 26.0]],
                              [[27.0, 28.0, 29.0], [30.0, 31.0, 32.0], [33.0, 34.0, 35.0]]]]>
      : tensor<8x4x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x9x9xf32>, tensor<8x4x3x3xf32>)
      outs(%init : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  return %y : tensor<1x8x7x7xf32>
}

// -----

// A matmul: 6 x 16 accumulators (two 8-lane vectors: 12 + 3 registers), k
// chunks of 16.
// VEC-LABEL: func.func @matmul
// VEC:         scf.for
// VEC:           vector.contract
// VEC-SAME:        vector<6x16xf32>, vector<16x16xf32> into vector<6x16xf32>
// VEC-NOT:     linalg.matmul
// LLVM-LABEL: llvm.func @matmul
// LLVM-NOT:     {{= (arith|vector|memref|scf|cf|affine|linalg|tensor|bufferization|math)\.}}
// LLVM:         llvm.intr.fmuladd({{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// LLVM-NOT:     {{= (arith|vector|memref|scf|cf|affine|linalg|tensor|bufferization|math)\.}}
func.func @matmul(%a: tensor<12x48xf32>, %b: tensor<48x32xf32>, %c: tensor<12x32xf32>) -> tensor<12x32xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<12x48xf32>, tensor<48x32xf32>) outs(%c : tensor<12x32xf32>) -> tensor<12x32xf32>
  return %r : tensor<12x32xf32>
}

// -----

// A grouped convolution is not scheduled: it stays a linalg op for the loop
// fallback and still lowers to the LLVM dialect.
// VEC-LABEL: func.func @grouped
// VEC:         linalg.conv_2d_ngchw_fgchw
// VEC-NOT:     vector.contract
// LLVM-LABEL: llvm.func @grouped
// LLVM-NOT:     {{= (arith|vector|memref|scf|cf|affine|linalg|tensor|bufferization|math)\.}}
func.func @grouped(%x: tensor<1x2x2x5x5xf32>, %w: tensor<3x2x2x3x3xf32>, %o: tensor<1x2x3x3x3xf32>) -> tensor<1x2x3x3x3xf32> {
  %r = linalg.conv_2d_ngchw_fgchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x2x5x5xf32>, tensor<3x2x2x3x3xf32>) outs(%o : tensor<1x2x3x3x3xf32>) -> tensor<1x2x3x3x3xf32>
  return %r : tensor<1x2x3x3x3xf32>
}

// -----

// 32 output channels and 8-lane vectors: the channel tile is 16 (two
// vectors), so the filter (an argument here) is packed into blocks of 16
// channels, the channel-tile loop is outermost and reads its block.
// VEC-LABEL: func.func @packed_filter
// VEC:         %[[EXP:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] output_shape [3, 3, 8, 2, 16] : tensor<3x3x8x32xf32> into tensor<3x3x8x2x16xf32>
// VEC:         %[[PACKED:.*]] = linalg.transpose ins(%[[EXP]] : tensor<3x3x8x2x16xf32>) outs(%{{.*}} : tensor<2x3x3x8x16xf32>) permutation = [3, 0, 1, 2, 4]
// VEC:         scf.for %[[F:.*]] = %{{.*}} to %{{.*}} step %{{.*}}
// VEC:           scf.for
// VEC:             vector.transfer_read %[[PACKED]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}]{{.*}} : tensor<2x3x3x8x16xf32>, vector<1x8x16xf32>
// VEC:             vector.contract
// LLVM-LABEL: llvm.func @packed_filter
// LLVM-NOT:     {{= (arith|vector|memref|scf|cf|affine|linalg|tensor|bufferization|math)\.}}
func.func @packed_filter(%x: tensor<1x10x10x8xf32>, %w: tensor<3x3x8x32xf32>, %o: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x32xf32>) outs(%o : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %r : tensor<1x8x8x32xf32>
}

// -----

// Between two NCHW convolutions, the transpose of the first result back to
// NCHW, the ReLU and the transpose to NHWC for the second fuse into one
// elementwise op from NHWC to NHWC.
// VEC-LABEL: func.func @conv_relu_conv
// VEC:         vector.contract
// VEC:         %[[RELU:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x7x7x8xf32>) outs(%{{.*}} : tensor<1x7x7x8xf32>)
// VEC:           arith.maximumf
// VEC:         vector.transfer_read %[[RELU]]
// VEC:         vector.contract
// LLVM-LABEL: llvm.func @conv_relu_conv
// LLVM-NOT:     {{= (arith|vector|memref|scf|cf|affine|linalg|tensor|bufferization|math)\.}}
func.func @conv_relu_conv(%x: tensor<1x4x9x9xf32>, %w1: tensor<8x4x3x3xf32>, %w2: tensor<8x8x1x1xf32>) -> tensor<1x8x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x7x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w1 : tensor<1x4x9x9xf32>, tensor<8x4x3x3xf32>) outs(%init : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : tensor<1x8x7x7xf32>) outs(%e : tensor<1x8x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x7x7xf32>
  %z = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%r, %w2 : tensor<1x8x7x7xf32>, tensor<8x8x1x1xf32>) outs(%init : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  return %z : tensor<1x8x7x7xf32>
}

// -----

// 14 output columns, 32 channels, 8-lane vectors: dividing tiles are 7 x 8
// (8 tiles); 6 x 16 tiles do not divide 14, so the columns are split 12 + 2
// and the parts take 6 x 16 and 2 x 16 tiles (6 tiles). Both parts read one
// filter, packed once into blocks of 16 channels.
// VEC-LABEL: func.func @split_columns
// VEC:         %[[PACKED:.*]] = linalg.transpose ins(%{{.*}} : tensor<3x3x4x2x16xf32>) outs(%{{.*}} : tensor<2x3x3x4x16xf32>)
// VEC-NOT:     linalg.transpose
// VEC:         scf.for {{.*}} -> (tensor<1x1x12x32xf32>)
// VEC:           vector.transfer_read %[[PACKED]]
// VEC:           vector.contract {{.*}} : vector<1x6x4xf32>, vector<4x16xf32> into vector<1x6x16xf32>
// VEC:         scf.for {{.*}} -> (tensor<1x1x2x32xf32>)
// VEC:           vector.transfer_read %[[PACKED]]
// VEC:           vector.contract {{.*}} : vector<1x2x4xf32>, vector<4x16xf32> into vector<1x2x16xf32>
// VEC-NOT:     linalg.conv
// LLVM-LABEL: llvm.func @split_columns
// LLVM-NOT:     {{= (arith|vector|memref|scf|cf|affine|linalg|tensor|bufferization|math)\.}}
func.func @split_columns(%x: tensor<1x3x16x4xf32>, %w: tensor<3x3x4x32xf32>, %o: tensor<1x1x14x32xf32>) -> tensor<1x1x14x32xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x16x4xf32>, tensor<3x3x4x32xf32>) outs(%o : tensor<1x1x14x32xf32>) -> tensor<1x1x14x32xf32>
  return %r : tensor<1x1x14x32xf32>
}
