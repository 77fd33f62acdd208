// Operations with an empty iteration space (a kernel with no rows, a matmul
// with no reduction) are left to the generic lowering: upstream tiling
// dereferenced null on them and crashed mlgc (found by mlg-pipeline-fuzzer on
// a SmartDeal test's empty kernel).
// RUN: mlg-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(mlg-cpu-vectorize{vector-width=8}))' | FileCheck %s
// RUN: mlg-opt %s --split-input-file --mlg-to-llvm="vector-width=8" -o /dev/null

// CHECK-LABEL: func.func @empty_kernel(
// CHECK-NOT:   scf.for
// CHECK:       linalg.conv_2d_nhwc_hwcf
// CHECK-SAME:  tensor<0x3x2x2xf32>
func.func @empty_kernel(%x: tensor<1x2x5x5xf32>, %w: tensor<2x2x0x3xf32>) -> tensor<1x2x6x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x6x3xf32>
  %out = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x6x3xf32>) -> tensor<1x2x6x3xf32>
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x5x5xf32>, tensor<2x2x0x3xf32>)
      outs(%out : tensor<1x2x6x3xf32>) -> tensor<1x2x6x3xf32>
  return %y : tensor<1x2x6x3xf32>
}

// -----

// CHECK-LABEL: func.func @empty_reduction(
// CHECK-NOT:   scf.for
// CHECK:       linalg.matmul
func.func @empty_reduction(%a: tensor<4x0xf32>, %b: tensor<0x16xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %out = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %y = linalg.matmul ins(%a, %b : tensor<4x0xf32>, tensor<0x16xf32>) outs(%out : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}
