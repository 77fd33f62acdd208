// Malformed syntax is reported at the offending token.
// RUN: mlg-opt %s -split-input-file -verify-diagnostics

func.func @negative_axis(%c: tensor<4xi3>) {
  // expected-error @+1 {{midrise grid axis must be >= 0, got -1}}
  %0 = mlg.dequantize %c as midrise<axis = -1, scales = [1.0]> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

func.func @missing_scale(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected floating point literal}}
  %0 = mlg.dequantize %c as midrise<scale = > : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

func.func @empty_scales(%c: tensor<4xi3>) {
  // expected-error @+1 {{midrise grid needs at least one scale}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = []> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

func.func @non_positive_scale(%c: tensor<4xi3>) {
  // expected-error @+1 {{midrise scale #1 must be finite and positive, got 0.000000e+00}}
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = [1.0, 0.0, 2.0, 3.0]> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

func.func @missing_as(%c: tensor<4xi3>) {
  // expected-error @+1 {{expected 'as'}}
  %0 = mlg.dequantize %c midrise<scale = 1.0> : tensor<4xi3> -> tensor<4xf32>
  return
}

// -----

func.func @unknown_layout(%x: tensor<1x8x8x8xf32>, %w: tensor<4x8x3x3xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'layout' [nchw_fchw, nhwc_hwcf]}}
  %0 = mlg.generated_conv2d nchw %x basis(%w) : (tensor<1x8x8x8xf32>, tensor<4x8x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @unknown_strategy(%x: tensor<8x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'strategy' [auto, tiled, factorized, dense]}}
  %0 = mlg.generated_matmul %x basis(%w) strategy fastest : (tensor<8x16xf32>, tensor<10x16xf32>) -> tensor<8x10xf32>
  return
}

// -----

func.func @unknown_operand_keyword(%x: tensor<8x16xf32>, %w: tensor<10x16xf32>) {
  // expected-error @+1 {{expected ':'}}
  %0 = mlg.generated_matmul %x basis(%w) weights(%w) : (tensor<8x16xf32>, tensor<10x16xf32>) -> tensor<8x10xf32>
  return
}
