// Convolutions (NCHW, NHWC, padded, strided, dilated, 1x1, depthwise,
// grouped, constant filter) and a matmul on small integer data, printed in
// order; run by the mlg-to-llvm-execute*.mlir tests.

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

func.func @bias4(%d0: index, %d1: index, %d2: index, %d3: index) -> tensor<?x?x?x?xf32> {
  %half = arith.constant 0.5 : f32
  %e = tensor.empty(%d0, %d1, %d2, %d3) : tensor<?x?x?x?xf32>
  %r = linalg.fill ins(%half : f32) outs(%e : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  return %r : tensor<?x?x?x?xf32>
}

// NCHW, 3x3, padding 1 (tensor.pad), 8 -> 16 channels on 7x7.
func.func @nchw_padded(%x: tensor<1x8x7x7xf32>, %w: tensor<16x8x3x3xf32>, %o_in: tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %o_e = tensor.empty() : tensor<1x16x7x7xf32>
  %o = linalg.copy ins(%o_in : tensor<1x16x7x7xf32>) outs(%o_e : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x8x7x7xf32> to tensor<1x8x9x9xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) outs(%o : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  return %r : tensor<1x16x7x7xf32>
}

// NCHW, stride 2, dilation 2: 11 -> (11 - 5) / 2 + 1 = 4.
func.func @nchw_strided_dilated(%x: tensor<1x4x11x11xf32>, %w: tensor<8x4x3x3xf32>, %o_in: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %o_e = tensor.empty() : tensor<1x8x4x4xf32>
  %o = linalg.copy ins(%o_in : tensor<1x8x4x4xf32>) outs(%o_e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x11x11xf32>, tensor<8x4x3x3xf32>) outs(%o : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %r : tensor<1x8x4x4xf32>
}

// NCHW with a constant filter, transposed at compile time.
func.func @nchw_constant_filter(%x: tensor<1x2x5x5xf32>, %o_in: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %o_e = tensor.empty() : tensor<1x4x3x3xf32>
  %o = linalg.copy ins(%o_in : tensor<1x4x3x3xf32>) outs(%o_e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %w = arith.constant dense<[[[[-2.0,  0.0,  2.0], [-1.0,  1.0, -2.0], [ 0.0,  2.0, -1.0]],
                              [[ 1.0, -2.0,  0.0], [ 2.0, -1.0,  1.0], [-2.0,  0.0,  2.0]]],
                             [[[-1.0,  1.0, -2.0], [ 0.0,  2.0, -1.0], [ 1.0, -2.0,  0.0]],
                              [[ 2.0, -1.0,  1.0], [-2.0,  0.0,  2.0], [-1.0,  1.0, -2.0]]],
                             [[[ 0.0,  2.0, -1.0], [ 1.0, -2.0,  0.0], [ 2.0, -1.0,  1.0]],
                              [[-2.0,  0.0,  2.0], [-1.0,  1.0, -2.0], [ 0.0,  2.0, -1.0]]],
                             [[[ 1.0, -2.0,  0.0], [ 2.0, -1.0,  1.0], [-2.0,  0.0,  2.0]],
                              [[-1.0,  1.0, -2.0], [ 0.0,  2.0, -1.0], [ 1.0, -2.0,  0.0]]]]> : tensor<4x2x3x3xf32>
  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>) outs(%o : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %r : tensor<1x4x3x3xf32>
}

// NHWC 1x1, stride 2, 16 -> 24 channels.
func.func @nhwc_1x1_strided(%x: tensor<1x8x8x16xf32>, %w: tensor<1x1x16x24xf32>, %o_in: tensor<1x4x4x24xf32>) -> tensor<1x4x4x24xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %o_e = tensor.empty() : tensor<1x4x4x24xf32>
  %o = linalg.copy ins(%o_in : tensor<1x4x4x24xf32>) outs(%o_e : tensor<1x4x4x24xf32>) -> tensor<1x4x4x24xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x8x16xf32>, tensor<1x1x16x24xf32>) outs(%o : tensor<1x4x4x24xf32>) -> tensor<1x4x4x24xf32>
  return %r : tensor<1x4x4x24xf32>
}

// NHWC 3x3, 32 -> 32 channels on 14x14 (several tiles in every direction).
func.func @nhwc_3x3(%x: tensor<2x16x16x32xf32>, %w: tensor<3x3x32x32xf32>, %o_in: tensor<2x14x14x32xf32>) -> tensor<2x14x14x32xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %o_e = tensor.empty() : tensor<2x14x14x32xf32>
  %o = linalg.copy ins(%o_in : tensor<2x14x14x32xf32>) outs(%o_e : tensor<2x14x14x32xf32>) -> tensor<2x14x14x32xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<2x16x16x32xf32>, tensor<3x3x32x32xf32>) outs(%o : tensor<2x14x14x32xf32>) -> tensor<2x14x14x32xf32>
  return %r : tensor<2x14x14x32xf32>
}

// Depthwise NHWC 3x3, stride 2, 16 channels.
func.func @depthwise_nhwc(%x: tensor<1x9x9x16xf32>, %w: tensor<3x3x16xf32>, %o_in: tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %o_e = tensor.empty() : tensor<1x4x4x16xf32>
  %o = linalg.copy ins(%o_in : tensor<1x4x4x16xf32>) outs(%o_e : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %r = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x9x9x16xf32>, tensor<3x3x16xf32>) outs(%o : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %r : tensor<1x4x4x16xf32>
}

// Depthwise NCHW 3x3, 8 channels.
func.func @depthwise_nchw(%x: tensor<1x8x9x9xf32>, %w: tensor<8x3x3xf32>, %o_in: tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %o_e = tensor.empty() : tensor<1x8x7x7xf32>
  %o = linalg.copy ins(%o_in : tensor<1x8x7x7xf32>) outs(%o_e : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x9x9xf32>, tensor<8x3x3xf32>) outs(%o : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  return %r : tensor<1x8x7x7xf32>
}

// Grouped NCHW: 2 groups of 4 -> 3 channels (the loop fallback).
func.func @grouped(%x: tensor<1x2x4x6x6xf32>, %w: tensor<3x2x4x3x3xf32>, %o_in: tensor<1x2x3x4x4xf32>) -> tensor<1x2x3x4x4xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %o_e = tensor.empty() : tensor<1x2x3x4x4xf32>
  %o = linalg.copy ins(%o_in : tensor<1x2x3x4x4xf32>) outs(%o_e : tensor<1x2x3x4x4xf32>) -> tensor<1x2x3x4x4xf32>
  %r = linalg.conv_2d_ngchw_fgchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x4x6x6xf32>, tensor<3x2x4x3x3xf32>) outs(%o : tensor<1x2x3x4x4xf32>) -> tensor<1x2x3x4x4xf32>
  return %r : tensor<1x2x3x4x4xf32>
}

func.func @matmul(%a: tensor<12x48xf32>, %b: tensor<48x40xf32>, %c_in: tensor<12x40xf32>) -> tensor<12x40xf32> {
  // A fresh result buffer: returning one equivalent to an argument
  // would need a clone, which mlg-reference-to-llvm does not lower.
  %c_e = tensor.empty() : tensor<12x40xf32>
  %c = linalg.copy ins(%c_in : tensor<12x40xf32>) outs(%c_e : tensor<12x40xf32>) -> tensor<12x40xf32>
  %r = linalg.matmul ins(%a, %b : tensor<12x48xf32>, tensor<48x40xf32>) outs(%c : tensor<12x40xf32>) -> tensor<12x40xf32>
  return %r : tensor<12x40xf32>
}

// NHWC 1x1 with a constant filter of 32 output channels: with 8-lane vectors
// the channel tile is 16, so the filter is packed in blocks at compile time.
func.func @nhwc_constant_packed(%x: tensor<1x4x4x2xf32>, %o_in: tensor<1x4x4x32xf32>) -> tensor<1x4x4x32xf32> {
  %o_e = tensor.empty() : tensor<1x4x4x32xf32>
  %o = linalg.copy ins(%o_in : tensor<1x4x4x32xf32>) outs(%o_e : tensor<1x4x4x32xf32>) -> tensor<1x4x4x32xf32>
  %w = arith.constant dense<[[[[-3.0, 0.0, 3.0, -1.0, 2.0, -2.0, 1.0, -3.0, 0.0, 3.0, -1.0, 2.0, -2.0, 1.0, -3.0, 0.0, 3.0, -1.0, 2.0, -2.0, 1.0, -3.0, 0.0, 3.0, -1.0, 2.0, -2.0, 1.0, -3.0, 0.0, 3.0, -1.0],
                               [2.0, -2.0, 1.0, -3.0, 0.0, 3.0, -1.0, 2.0, -2.0, 1.0, -3.0, 0.0, 3.0, -1.0, 2.0, -2.0, 1.0, -3.0, 0.0, 3.0, -1.0, 2.0, -2.0, 1.0, -3.0, 0.0, 3.0, -1.0, 2.0, -2.0, 1.0, -3.0]]]]> : tensor<1x1x2x32xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x4x2xf32>, tensor<1x1x2x32xf32>) outs(%o : tensor<1x4x4x32xf32>) -> tensor<1x4x4x32xf32>
  return %r : tensor<1x4x4x32xf32>
}

// NCHW conv -> ReLU -> 1x1 conv + residual add of the ReLU output: the layout
// transposes are fused with the elementwise ops around them.
func.func @conv_relu_conv_add(%x: tensor<1x4x9x9xf32>, %w1: tensor<8x4x3x3xf32>, %w2: tensor<8x8x1x1xf32>) -> tensor<1x8x7x7xf32> {
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
  %s = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%z, %r : tensor<1x8x7x7xf32>, tensor<1x8x7x7xf32>) outs(%e : tensor<1x8x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  } -> tensor<1x8x7x7xf32>
  return %s : tensor<1x8x7x7xf32>
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %c9 = arith.constant 9 : index
  %c11 = arith.constant 11 : index
  %c12 = arith.constant 12 : index
  %c14 = arith.constant 14 : index
  %c16 = arith.constant 16 : index
  %c24 = arith.constant 24 : index
  %c32 = arith.constant 32 : index
  %c40 = arith.constant 40 : index
  %c48 = arith.constant 48 : index

  // nchw_padded
  %x1 = call @pattern4(%c1, %c8, %c7, %c7, %c0) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w1 = call @pattern4(%c16, %c8, %c3, %c3, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o1 = call @pattern4(%c1, %c16, %c7, %c7, %c2) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x1s = tensor.cast %x1 : tensor<?x?x?x?xf32> to tensor<1x8x7x7xf32>
  %w1s = tensor.cast %w1 : tensor<?x?x?x?xf32> to tensor<16x8x3x3xf32>
  %o1s = tensor.cast %o1 : tensor<?x?x?x?xf32> to tensor<1x16x7x7xf32>
  %r1 = call @nchw_padded(%x1s, %w1s, %o1s) : (tensor<1x8x7x7xf32>, tensor<16x8x3x3xf32>, tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  %r1d = tensor.cast %r1 : tensor<1x16x7x7xf32> to tensor<?x?x?x?xf32>
  call @print4(%r1d) : (tensor<?x?x?x?xf32>) -> ()

  // nchw_strided_dilated
  %x2 = call @pattern4(%c1, %c4, %c11, %c11, %c3) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w2 = call @pattern4(%c8, %c4, %c3, %c3, %c4) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o2 = call @pattern4(%c1, %c8, %c4, %c4, %c0) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x2s = tensor.cast %x2 : tensor<?x?x?x?xf32> to tensor<1x4x11x11xf32>
  %w2s = tensor.cast %w2 : tensor<?x?x?x?xf32> to tensor<8x4x3x3xf32>
  %o2s = tensor.cast %o2 : tensor<?x?x?x?xf32> to tensor<1x8x4x4xf32>
  %r2 = call @nchw_strided_dilated(%x2s, %w2s, %o2s) : (tensor<1x4x11x11xf32>, tensor<8x4x3x3xf32>, tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %r2d = tensor.cast %r2 : tensor<1x8x4x4xf32> to tensor<?x?x?x?xf32>
  call @print4(%r2d) : (tensor<?x?x?x?xf32>) -> ()

  // nchw_constant_filter, with a zero init: checked by hand below.
  %x3 = call @pattern4(%c1, %c2, %c5, %c5, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %e3 = tensor.empty(%c1, %c4, %c3, %c3) : tensor<?x?x?x?xf32>
  %zero = arith.constant 0.0 : f32
  %o3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %x3s = tensor.cast %x3 : tensor<?x?x?x?xf32> to tensor<1x2x5x5xf32>
  %o3s = tensor.cast %o3 : tensor<?x?x?x?xf32> to tensor<1x4x3x3xf32>
  %r3 = call @nchw_constant_filter(%x3s, %o3s) : (tensor<1x2x5x5xf32>, tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %r3d = tensor.cast %r3 : tensor<1x4x3x3xf32> to tensor<?x?x?x?xf32>
  call @print4(%r3d) : (tensor<?x?x?x?xf32>) -> ()

  // nhwc_1x1_strided
  %x4 = call @pattern4(%c1, %c8, %c8, %c16, %c2) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w4 = call @pattern4(%c1, %c1, %c16, %c24, %c3) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o4 = call @bias4(%c1, %c4, %c4, %c24) : (index, index, index, index) -> tensor<?x?x?x?xf32>
  %x4s = tensor.cast %x4 : tensor<?x?x?x?xf32> to tensor<1x8x8x16xf32>
  %w4s = tensor.cast %w4 : tensor<?x?x?x?xf32> to tensor<1x1x16x24xf32>
  %o4s = tensor.cast %o4 : tensor<?x?x?x?xf32> to tensor<1x4x4x24xf32>
  %r4 = call @nhwc_1x1_strided(%x4s, %w4s, %o4s) : (tensor<1x8x8x16xf32>, tensor<1x1x16x24xf32>, tensor<1x4x4x24xf32>) -> tensor<1x4x4x24xf32>
  %r4d = tensor.cast %r4 : tensor<1x4x4x24xf32> to tensor<?x?x?x?xf32>
  call @print4(%r4d) : (tensor<?x?x?x?xf32>) -> ()

  // nhwc_3x3
  %x5 = call @pattern4(%c2, %c16, %c16, %c32, %c4) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w5 = call @pattern4(%c3, %c3, %c32, %c32, %c0) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o5 = call @bias4(%c2, %c14, %c14, %c32) : (index, index, index, index) -> tensor<?x?x?x?xf32>
  %x5s = tensor.cast %x5 : tensor<?x?x?x?xf32> to tensor<2x16x16x32xf32>
  %w5s = tensor.cast %w5 : tensor<?x?x?x?xf32> to tensor<3x3x32x32xf32>
  %o5s = tensor.cast %o5 : tensor<?x?x?x?xf32> to tensor<2x14x14x32xf32>
  %r5 = call @nhwc_3x3(%x5s, %w5s, %o5s) : (tensor<2x16x16x32xf32>, tensor<3x3x32x32xf32>, tensor<2x14x14x32xf32>) -> tensor<2x14x14x32xf32>
  %r5d = tensor.cast %r5 : tensor<2x14x14x32xf32> to tensor<?x?x?x?xf32>
  call @print4(%r5d) : (tensor<?x?x?x?xf32>) -> ()

  // depthwise_nhwc
  %x6 = call @pattern4(%c1, %c9, %c9, %c16, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w6 = call @pattern4(%c1, %c3, %c3, %c16, %c2) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o6 = call @pattern4(%c1, %c4, %c4, %c16, %c3) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x6s = tensor.cast %x6 : tensor<?x?x?x?xf32> to tensor<1x9x9x16xf32>
  %w6c = tensor.cast %w6 : tensor<?x?x?x?xf32> to tensor<1x3x3x16xf32>
  %w6s = tensor.collapse_shape %w6c [[0, 1], [2], [3]] : tensor<1x3x3x16xf32> into tensor<3x3x16xf32>
  %o6s = tensor.cast %o6 : tensor<?x?x?x?xf32> to tensor<1x4x4x16xf32>
  %r6 = call @depthwise_nhwc(%x6s, %w6s, %o6s) : (tensor<1x9x9x16xf32>, tensor<3x3x16xf32>, tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %r6d = tensor.cast %r6 : tensor<1x4x4x16xf32> to tensor<?x?x?x?xf32>
  call @print4(%r6d) : (tensor<?x?x?x?xf32>) -> ()

  // depthwise_nchw
  %x7 = call @pattern4(%c1, %c8, %c9, %c9, %c4) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w7 = call @pattern4(%c1, %c8, %c3, %c3, %c0) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o7 = call @pattern4(%c1, %c8, %c7, %c7, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x7s = tensor.cast %x7 : tensor<?x?x?x?xf32> to tensor<1x8x9x9xf32>
  %w7c = tensor.cast %w7 : tensor<?x?x?x?xf32> to tensor<1x8x3x3xf32>
  %w7s = tensor.collapse_shape %w7c [[0, 1], [2], [3]] : tensor<1x8x3x3xf32> into tensor<8x3x3xf32>
  %o7s = tensor.cast %o7 : tensor<?x?x?x?xf32> to tensor<1x8x7x7xf32>
  %r7 = call @depthwise_nchw(%x7s, %w7s, %o7s) : (tensor<1x8x9x9xf32>, tensor<8x3x3xf32>, tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  %r7d = tensor.cast %r7 : tensor<1x8x7x7xf32> to tensor<?x?x?x?xf32>
  call @print4(%r7d) : (tensor<?x?x?x?xf32>) -> ()

  // grouped
  %x8 = call @pattern4(%c2, %c4, %c6, %c6, %c2) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w8 = call @pattern4(%c6, %c4, %c3, %c3, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o8 = call @pattern4(%c2, %c3, %c4, %c4, %c0) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x8c = tensor.cast %x8 : tensor<?x?x?x?xf32> to tensor<2x4x6x6xf32>
  %x8s = tensor.expand_shape %x8c [[0, 1], [2], [3], [4]] output_shape [1, 2, 4, 6, 6] : tensor<2x4x6x6xf32> into tensor<1x2x4x6x6xf32>
  %w8c = tensor.cast %w8 : tensor<?x?x?x?xf32> to tensor<6x4x3x3xf32>
  %w8s = tensor.expand_shape %w8c [[0, 1], [2], [3], [4]] output_shape [3, 2, 4, 3, 3] : tensor<6x4x3x3xf32> into tensor<3x2x4x3x3xf32>
  %o8c = tensor.cast %o8 : tensor<?x?x?x?xf32> to tensor<2x3x4x4xf32>
  %o8s = tensor.expand_shape %o8c [[0, 1], [2], [3], [4]] output_shape [1, 2, 3, 4, 4] : tensor<2x3x4x4xf32> into tensor<1x2x3x4x4xf32>
  %r8 = call @grouped(%x8s, %w8s, %o8s) : (tensor<1x2x4x6x6xf32>, tensor<3x2x4x3x3xf32>, tensor<1x2x3x4x4xf32>) -> tensor<1x2x3x4x4xf32>
  %r8c = tensor.collapse_shape %r8 [[0, 1], [2], [3], [4]] : tensor<1x2x3x4x4xf32> into tensor<2x3x4x4xf32>
  %r8d = tensor.cast %r8c : tensor<2x3x4x4xf32> to tensor<?x?x?x?xf32>
  call @print4(%r8d) : (tensor<?x?x?x?xf32>) -> ()

  // matmul
  %a9 = call @pattern4(%c1, %c1, %c12, %c48, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %b9 = call @pattern4(%c1, %c1, %c48, %c40, %c2) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %d9 = call @pattern4(%c1, %c1, %c12, %c40, %c3) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %a9c = tensor.cast %a9 : tensor<?x?x?x?xf32> to tensor<1x1x12x48xf32>
  %a9s = tensor.collapse_shape %a9c [[0, 1, 2], [3]] : tensor<1x1x12x48xf32> into tensor<12x48xf32>
  %b9c = tensor.cast %b9 : tensor<?x?x?x?xf32> to tensor<1x1x48x40xf32>
  %b9s = tensor.collapse_shape %b9c [[0, 1, 2], [3]] : tensor<1x1x48x40xf32> into tensor<48x40xf32>
  %d9c = tensor.cast %d9 : tensor<?x?x?x?xf32> to tensor<1x1x12x40xf32>
  %d9s = tensor.collapse_shape %d9c [[0, 1, 2], [3]] : tensor<1x1x12x40xf32> into tensor<12x40xf32>
  %r9 = call @matmul(%a9s, %b9s, %d9s) : (tensor<12x48xf32>, tensor<48x40xf32>, tensor<12x40xf32>) -> tensor<12x40xf32>
  %r9e = tensor.expand_shape %r9 [[0, 1, 2], [3]] output_shape [1, 1, 12, 40] : tensor<12x40xf32> into tensor<1x1x12x40xf32>
  %r9d = tensor.cast %r9e : tensor<1x1x12x40xf32> to tensor<?x?x?x?xf32>
  call @print4(%r9d) : (tensor<?x?x?x?xf32>) -> ()

  // nhwc_constant_packed
  %x10 = call @pattern4(%c1, %c4, %c4, %c2, %c3) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %o10 = call @pattern4(%c1, %c4, %c4, %c32, %c1) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x10s = tensor.cast %x10 : tensor<?x?x?x?xf32> to tensor<1x4x4x2xf32>
  %o10s = tensor.cast %o10 : tensor<?x?x?x?xf32> to tensor<1x4x4x32xf32>
  %r10 = call @nhwc_constant_packed(%x10s, %o10s) : (tensor<1x4x4x2xf32>, tensor<1x4x4x32xf32>) -> tensor<1x4x4x32xf32>
  %r10d = tensor.cast %r10 : tensor<1x4x4x32xf32> to tensor<?x?x?x?xf32>
  call @print4(%r10d) : (tensor<?x?x?x?xf32>) -> ()

  // conv_relu_conv_add
  %x11 = call @pattern4(%c1, %c4, %c9, %c9, %c2) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %w11 = call @pattern4(%c8, %c4, %c3, %c3, %c3) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %v11 = call @pattern4(%c8, %c8, %c1, %c1, %c4) : (index, index, index, index, index) -> tensor<?x?x?x?xf32>
  %x11s = tensor.cast %x11 : tensor<?x?x?x?xf32> to tensor<1x4x9x9xf32>
  %w11s = tensor.cast %w11 : tensor<?x?x?x?xf32> to tensor<8x4x3x3xf32>
  %v11s = tensor.cast %v11 : tensor<?x?x?x?xf32> to tensor<8x8x1x1xf32>
  %r11 = call @conv_relu_conv_add(%x11s, %w11s, %v11s) : (tensor<1x4x9x9xf32>, tensor<8x4x3x3xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x7x7xf32>
  %r11d = tensor.cast %r11 : tensor<1x8x7x7xf32> to tensor<?x?x?x?xf32>
  call @print4(%r11d) : (tensor<?x?x?x?xf32>) -> ()
  return
}
