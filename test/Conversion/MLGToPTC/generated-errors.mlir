// Generated filters the PTC lowering cannot take: a located error, exit 1.
// RUN: mlg-opt %s -split-input-file -verify-diagnostics --convert-mlg-to-ptc
// RUN: not mlg-opt %s -split-input-file --convert-mlg-to-ptc -o /dev/null 2>&1 | FileCheck %s
// CHECK: error: PTC lowering:

func.func @grouped(%x: tensor<1x4x3x3xf32>) -> tensor<1x4x1x1xf32> {
  %bc = arith.constant dense<1> : tensor<2x2x3x3xi3>
  %vc = arith.constant dense<1> : tensor<4x2xi3>
  %b = mlg.dequantize %bc as midrise<scale = 0.25> : tensor<2x2x3x3xi3> -> tensor<2x2x3x3xf32>
  %v = mlg.dequantize %vc as midrise<scale = 0.25> : tensor<4x2xi3> -> tensor<4x2xf32>
  // expected-error @+1 {{PTC lowering: only NCHW generated convolutions with one group}}
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_out(%v) groups 2 : (tensor<1x4x3x3xf32>, tensor<2x2x3x3xf32>, tensor<4x2xf32>) -> tensor<1x4x1x1xf32>
  return %y : tensor<1x4x1x1xf32>
}

// -----

// Per-channel scales are read along dimension 0 only (mlg-assign-precision
// writes no other).
func.func @v_scales_per_column(%x: tensor<4x8xf32>) -> tensor<4x2xf32> {
  %bc = arith.constant dense<1> : tensor<2x8xi3>
  %vc = arith.constant dense<1> : tensor<2x2xi3>
  %b = mlg.dequantize %bc as midrise<scale = 0.25> : tensor<2x8xi3> -> tensor<2x8xf32>
  %v = mlg.dequantize %vc as midrise<axis = 1, scales = [0.25, 0.5]> : tensor<2x2xi3> -> tensor<2x2xf32>
  // expected-error @+1 {{PTC lowering: the generator's V must use a midrise grid, per tensor or per channel of dimension 0}}
  %y = mlg.generated_matmul %x basis(%b) coeff_out(%v) : (tensor<4x8xf32>, tensor<2x8xf32>, tensor<2x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

func.func @float_basis(%x: tensor<4x8xf32>) -> tensor<4x2xf32> {
  %b = arith.constant dense<0.5> : tensor<2x8xf32>
  %vc = arith.constant dense<1> : tensor<2x2xi3>
  %v = mlg.dequantize %vc as midrise<scale = 0.25> : tensor<2x2xi3> -> tensor<2x2xf32>
  %w = mlg.generate_cross %v, %b : tensor<2x2xf32>, tensor<2x8xf32> -> tensor<2x8xf32>
  %te = tensor.empty() : tensor<8x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x8xf32>) outs(%te : tensor<8x2xf32>) permutation = [1, 0]
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-error @+1 {{PTC lowering: the generator's level-1 kernels must be an mlg.dequantize of constant codes}}
  %y = linalg.matmul ins(%x, %wt : tensor<4x8xf32>, tensor<8x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}
