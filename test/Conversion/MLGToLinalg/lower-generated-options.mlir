// RUN: mlg-opt %s --mlg-lower-generated="default-strategy=factorized" | FileCheck %s
// RUN: mlg-opt %s --mlg-lower-generated="default-strategy=factorized" \
// RUN:   --convert-mlg-to-linalg | FileCheck %s --check-prefix=REF
// RUN: not mlg-opt %s --mlg-lower-generated="default-strategy=fast" 2>&1 | FileCheck %s --check-prefix=BAD-STRATEGY
// RUN: not mlg-opt %s --mlg-lower-generated="default-strategy=auto" 2>&1 | FileCheck %s --check-prefix=BAD-STRATEGY
// RUN: not mlg-opt %s --mlg-lower-generated="default-strategy=dense tile-channels=0" 2>&1 | FileCheck %s --check-prefix=BAD-TILE

// `auto` takes default-strategy; explicit strategies keep their own; the
// generator-producing mlg ops are left for convert-mlg-to-linalg.

// CHECK-LABEL: func.func @mixed
// CHECK: %[[U:.*]] = mlg.dequantize
// The auto op, factorized: no weight generation, three convolutions.
// CHECK-NOT: linalg.batch_matmul
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} tensor<6x4x1x1xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} tensor<6x3x3xf32>
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} tensor<8x6x1x1xf32>
// The tiled op.
// CHECK: linalg.batch_matmul ins(%[[U]]
// CHECK: scf.for
// CHECK: linalg.conv_2d_nchw_fchw
// The dense op: W once, no loop.
// CHECK-NOT: scf.for
// CHECK: linalg.batch_matmul ins(%[[U]]
// CHECK: linalg.matmul
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} tensor<8x4x3x3xf32>
// CHECK-NOT: mlg.generated
// CHECK: return

// REF-LABEL: func.func @mixed
// REF-NOT: mlg.
// REF: return

// BAD-STRATEGY: error: mlg-lower-generated: unknown default-strategy
// BAD-TILE: error: mlg-lower-generated: tile-channels must be >= 1, got 0
func.func @mixed(%x: tensor<1x4x6x6xf32>, %b: tensor<3x2x3x3xf32>, %codes: tensor<3x4x2xi4>,
                 %v: tensor<8x3xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) {
  %u = mlg.dequantize %codes as midrise<scale = 0.125> : tensor<3x4x2xi4> -> tensor<3x4x2xf32>
  %auto = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v)
      : (tensor<1x4x6x6xf32>, tensor<3x2x3x3xf32>, tensor<3x4x2xf32>, tensor<8x3xf32>) -> tensor<1x8x4x4xf32>
  %tiled = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) strategy tiled
      : (tensor<1x4x6x6xf32>, tensor<3x2x3x3xf32>, tensor<3x4x2xf32>, tensor<8x3xf32>) -> tensor<1x8x4x4xf32>
  %dense = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) strategy dense
      : (tensor<1x4x6x6xf32>, tensor<3x2x3x3xf32>, tensor<3x4x2xf32>, tensor<8x3xf32>) -> tensor<1x8x4x4xf32>
  return %auto, %tiled, %dense : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>
}
