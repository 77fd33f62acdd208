// RUN: mlg-opt %s --mlg-lower-generated --split-input-file | FileCheck %s

// The dense strategy: W generated once (batch_matmul for U (x) basis, matmul
// for V), the input padded, one named convolution into the bias-filled output.

// CHECK-LABEL: func.func @nchw_both_levels
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8xf32>, %[[B:.*]]: tensor<3x2x3x3xf32>, %[[U:.*]]: tensor<3x4x2xf32>, %[[V:.*]]: tensor<6x3xf32>, %[[BIAS:.*]]: tensor<6xf32>)
// CHECK: %[[FLATB:.*]] = tensor.collapse_shape %[[B]] {{\[}}[0], [1], [2, 3]]
// CHECK: %[[WC:.*]] = linalg.batch_matmul ins(%[[U]], %[[FLATB]] : tensor<3x4x2xf32>, tensor<3x2x9xf32>)
// CHECK: %[[FLATWC:.*]] = tensor.collapse_shape %[[WC]] {{\[}}[0], [1, 2]] : tensor<3x4x9xf32> into tensor<3x36xf32>
// CHECK: %[[W:.*]] = linalg.matmul ins(%[[V]], %[[FLATWC]] : tensor<6x3xf32>, tensor<3x36xf32>)
// CHECK: %[[PADDED:.*]] = tensor.pad %[[X]] low[0, 0, 1, 0] high[0, 0, 2, 1]
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<6xf32>)
// CHECK: %[[FCHW:.*]] = tensor.expand_shape %[[W]] {{\[}}[0], [1, 2, 3]] output_shape [6, 4, 3, 3]
// CHECK: %[[Y:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PADDED]], %[[FCHW]] : tensor<1x4x11x9xf32>, tensor<6x4x3x3xf32>) outs(%[[INIT]] : tensor<1x6x5x4xf32>)
// CHECK: return %[[Y]]
func.func @nchw_both_levels(%x: tensor<1x4x8x8xf32>, %b: tensor<3x2x3x3xf32>, %u: tensor<3x4x2xf32>,
                            %v: tensor<6x3xf32>, %bias: tensor<6xf32>) -> tensor<1x6x5x4xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias)
      strides [2, 2] padding [1, 0, 2, 1] strategy dense
      : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>, tensor<3x4x2xf32>, tensor<6x3xf32>, tensor<6xf32>)
      -> tensor<1x6x5x4xf32>
  return %y : tensor<1x6x5x4xf32>
}

// -----

// NHWC with groups: the weight [G, Co/G, Ci/G, kh, kw] transposed to GFHWC.
// CHECK-LABEL: func.func @nhwc_groups
// CHECK: linalg.matmul
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x2x3x3xf32>) outs(%{{.*}} : tensor<2x3x3x3x2xf32>) permutation = [0, 1, 3, 4, 2]
// CHECK: linalg.conv_2d_nhwgc_gfhwc {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x9x9x2x2xf32>, tensor<2x3x3x3x2xf32>) outs(%{{.*}} : tensor<1x5x5x2x3xf32>)
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2], [3, 4]] : tensor<1x5x5x2x3xf32> into tensor<1x5x5x6xf32>
func.func @nhwc_groups(%x: tensor<1x9x9x4xf32>, %b: tensor<3x2x3x3xf32>, %v: tensor<6x3xf32>)
    -> tensor<1x5x5x6xf32> {
  %y = mlg.generated_conv2d nhwc_hwcf %x basis(%b) coeff_out(%v) dilations [2, 2] groups 2
      strategy dense
      : (tensor<1x9x9x4xf32>, tensor<3x2x3x3xf32>, tensor<6x3xf32>) -> tensor<1x5x5x6xf32>
  return %y : tensor<1x5x5x6xf32>
}

// -----

// Depthwise with one output channel per input channel: a named depthwise conv.
// CHECK-LABEL: func.func @depthwise
// CHECK: linalg.batch_matmul
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x3x7x7xf32>, tensor<3x3x3xf32>)
func.func @depthwise(%x: tensor<1x3x5x5xf32>, %b: tensor<1x2x3x3xf32>, %u: tensor<1x3x2xf32>)
    -> tensor<1x3x5x5xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) padding [1, 1, 1, 1] groups 3
      depthwise strategy dense
      : (tensor<1x3x5x5xf32>, tensor<1x2x3x3xf32>, tensor<1x3x2xf32>) -> tensor<1x3x5x5xf32>
  return %y : tensor<1x3x5x5xf32>
}

// -----

// Matmul: W [Co, Ci] consumed as the transposed right operand.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[X:.*]]: tensor<8x16xf32>, %[[B:.*]]: tensor<4x16xf32>, %[[V:.*]]: tensor<10x4xf32>)
// CHECK: %[[W:.*]] = linalg.matmul ins(%[[V]], %[[B]] : tensor<10x4xf32>, tensor<4x16xf32>)
// CHECK: linalg.matmul indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]] ins(%[[X]], %[[W]] : tensor<8x16xf32>, tensor<10x16xf32>)
func.func @matmul(%x: tensor<8x16xf32>, %b: tensor<4x16xf32>, %v: tensor<10x4xf32>) -> tensor<8x10xf32> {
  %y = mlg.generated_matmul %x basis(%b) coeff_out(%v) strategy dense
      : (tensor<8x16xf32>, tensor<4x16xf32>, tensor<10x4xf32>) -> tensor<8x10xf32>
  return %y : tensor<8x10xf32>
}
