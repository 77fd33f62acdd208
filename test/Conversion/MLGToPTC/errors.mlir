// Bad input for the PTC lowering: a located error and exit code 1.
// RUN: mlg-opt %s -split-input-file -verify-diagnostics --convert-mlg-to-ptc
// RUN: not mlg-opt %s -split-input-file --convert-mlg-to-ptc -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXIT
// EXIT: error: PTC lowering:

func.func @unsupported(%x: tensor<4x8xf32>) -> tensor<8x4xf32> {
  %e = tensor.empty() : tensor<8x4xf32>
  // expected-error @+1 {{PTC lowering: unsupported op 'linalg.transpose'}}
  %t = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e : tensor<8x4xf32>) permutation = [1, 0]
  return %t : tensor<8x4xf32>
}

// -----

func.func @weight_not_constant(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = tensor.empty() : tensor<8x4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  // expected-error @+1 {{PTC lowering: the weight must be a constant}}
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

func.func @bias_after_relu(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %b = arith.constant dense<1.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%y, %b : tensor<4x4xf32>, tensor<4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    // expected-error @+1 {{PTC lowering: a bias after the ReLU is not supported}}
    %s = arith.addf %m, %bias : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

func.func @non_zero_init(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %one = arith.constant 1.0 : f32
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  // expected-error @+1 {{PTC lowering: the matmul must accumulate into zeros}}
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

// expected-error @+1 {{PTC lowering: expected one tensor<MxKxf32> or NCHW tensor<NxCxHxWxf32> argument and results}}
func.func @two_args(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
}

// -----

func.func @dilated(%x: tensor<1x8x5x5xf32>) -> tensor<1x4x1x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<4x8x3x3xf32>
  %e = tensor.empty() : tensor<1x4x1x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x1x3xf32>) -> tensor<1x4x1x3xf32>
  // expected-error @+1 {{PTC lowering: only square kernels with equal strides and equal dilations are supported}}
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x5x5xf32>, tensor<4x8x3x3xf32>) outs(%f : tensor<1x4x1x3xf32>) -> tensor<1x4x1x3xf32>
  return %y : tensor<1x4x1x3xf32>
}

// -----

// An image is flattened only to [N, C * H * W] rows.
func.func @flatten_batch(%x: tensor<2x8x4x4xf32>) -> tensor<16x16xf32> {
  // expected-error @+1 {{PTC lowering: only flattening an NCHW result to [N, C * H * W] is supported}}
  %c = tensor.collapse_shape %x [[0, 1], [2, 3]] : tensor<2x8x4x4xf32> into tensor<16x16xf32>
  return %c : tensor<16x16xf32>
}

// -----

// A flattened image (H * W > 1) is lowered only as a matmul's operand.
func.func @flatten(%x: tensor<1x8x4x4xf32>) -> tensor<1x128xf32> {
  %c = tensor.collapse_shape %x [[0], [1, 2, 3]] : tensor<1x8x4x4xf32> into tensor<1x128xf32>
  // expected-error @+1 {{PTC lowering: the function must return distinct layer results}}
  return %c : tensor<1x128xf32>
}

// -----

// Results are layer results, and the last layer's is among them.
func.func @dead_last_layer(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %v = arith.constant dense<0.5> : tensor<4x4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %z = linalg.matmul ins(%y, %v : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  // expected-error @+1 {{PTC lowering: the function must return the last layer's result}}
  return %y : tensor<4x4xf32>
}

// -----

func.func @asymmetric_pad(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x5x5xf32> {
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{PTC lowering: only a zero (or -inf, for max pooling) padding of H and W, equal on all sides, is supported}}
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 0, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x8x4x4xf32> to tensor<1x8x5x5xf32>
  return %p : tensor<1x8x5x5xf32>
}

// -----

func.func @scale_after_relu(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %g = arith.constant dense<2.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%y, %g : tensor<4x4xf32>, tensor<4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%in: f32, %scale: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    // expected-error @+1 {{PTC lowering: a scale after the ReLU is not supported}}
    %s = arith.mulf %m, %scale : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

func.func @tanh(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<8x4xf32>
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    // expected-error @+1 {{PTC lowering: unsupported op in the epilogue (only per-channel scales and bias adds, and max(x, 0))}}
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// Padded max pooling reads zero rows for the padding: exact only for inputs
// >= 0 (signed inputs without padding are lowered: ptc-vs-cpu-flatten.mlir).
func.func @maxpool_signed(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x2x2xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %ninf : f32
  } : tensor<1x8x4x4xf32> to tensor<1x8x6x6xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  // expected-error @+1 {{PTC lowering: padded max pooling is supported on non-negative inputs (after a ReLU) only}}
  %y = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x8x6x6xf32>, tensor<3x3xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  return %y : tensor<1x8x2x2xf32>
}

// -----

func.func @dilated_sum_pool(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x8x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  // expected-error @+1 {{PTC lowering: only square pooling windows with equal strides and no dilation are supported}}
  %y = linalg.pooling_nchw_sum {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x4x4xf32>, tensor<2x2xf32>) outs(%f : tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  return %y : tensor<1x8x2x2xf32>
}

// -----

// A subtraction of two activations is not an add.
func.func @sub(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  // expected-error @+1 {{PTC lowering: a generic on two activations must add them (and may take max(x, 0))}}
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %x : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Only the NGCHW view of a grouped convolution's input is lowered.
func.func @expand_batch(%x: tensor<4x8x4x4xf32>) -> tensor<4x8x4x4xf32> {
  // expected-error @+1 {{PTC lowering: only an NGCHW view [N, G, C/G, H, W] of an NCHW result (for a grouped convolution) is supported}}
  %v = tensor.expand_shape %x [[0, 1], [2], [3], [4]] output_shape [2, 2, 8, 4, 4] : tensor<4x8x4x4xf32> into tensor<2x2x8x4x4xf32>
  %c = tensor.collapse_shape %v [[0, 1], [2], [3], [4]] : tensor<2x2x8x4x4xf32> into tensor<4x8x4x4xf32>
  return %c : tensor<4x8x4x4xf32>
}

// -----

// A classifier on a flattened image runs as a square convolution.
func.func @flatten_rectangle(%x: tensor<1x8x2x4xf32>) -> tensor<1x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<64x4xf32>
  %c = tensor.collapse_shape %x [[0], [1, 2, 3]] : tensor<1x8x2x4xf32> into tensor<1x64xf32>
  %e = tensor.empty() : tensor<1x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4xf32>) -> tensor<1x4xf32>
  // expected-error @+1 {{PTC lowering: a matmul on a flattened image needs a square image, not 2x4}}
  %y = linalg.matmul ins(%c, %w : tensor<1x64xf32>, tensor<64x4xf32>) outs(%f : tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// A grouped convolution reads an NGCHW view of a result.
func.func @grouped_without_view(%x: tensor<1x8x6x6xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<2x4x4x3x3xf32>
  %v = tensor.empty() : tensor<1x2x4x6x6xf32>
  %e = tensor.empty() : tensor<1x2x4x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x4x4xf32>) -> tensor<1x2x4x4x4xf32>
  // expected-error @+1 {{PTC lowering: a grouped convolution needs an NGCHW view (tensor.expand_shape) of an NCHW result}}
  %y = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%v, %w : tensor<1x2x4x6x6xf32>, tensor<2x4x4x3x3xf32>) outs(%f : tensor<1x2x4x4x4xf32>) -> tensor<1x2x4x4x4xf32>
  %c = tensor.collapse_shape %y [[0], [1, 2], [3], [4]] : tensor<1x2x4x4x4xf32> into tensor<1x8x4x4xf32>
  return %c : tensor<1x8x4x4xf32>
}
