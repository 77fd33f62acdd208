// RUN: mlg-opt %s --mlg-lower-generated --split-input-file | FileCheck %s

// The factorized strategy never builds W: 1x1 conv with U, grouped kxk conv
// with the basis, 1x1 conv with V.

// Groups 2: U and the basis are shared by both groups (broadcast), so each
// cascade stage is a grouped conv; padding goes on the 1x1 conv's output,
// stride on the basis stage, bias into the last stage's output.
// CHECK-LABEL: func.func @nchw_groups
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x8x8xf32>, %[[B:.*]]: tensor<3x2x3x3xf32>, %[[U:.*]]: tensor<3x2x2xf32>, %[[V:.*]]: tensor<6x3xf32>, %[[BIAS:.*]]: tensor<6xf32>)
// CHECK-NOT: linalg.matmul
// CHECK: %[[UT:.*]] = linalg.transpose ins(%[[U]] : tensor<3x2x2xf32>) {{.*}} permutation = [0, 2, 1]
// CHECK: linalg.broadcast ins(%[[UT]] : tensor<3x2x2xf32>) outs(%{{.*}} : tensor<2x3x2x2xf32>) dimensions = [0]
// CHECK: %[[MIXED:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x2x2x8x8xf32>, tensor<2x6x2x1x1xf32>) outs(%{{.*}} : tensor<1x2x6x8x8xf32>)
// CHECK: %[[MIXED4:.*]] = tensor.collapse_shape %[[MIXED]] {{.*}} into tensor<1x12x8x8xf32>
// CHECK: tensor.pad %[[MIXED4]] low[0, 0, 1, 1] high[0, 0, 0, 0]
// The basis stage is depthwise over the 12 (group, kernel, j) channels...
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x12x9x9xf32>, tensor<12x3x3xf32>) outs(%{{.*}} : tensor<1x12x4x4xf32>)
// ...and V, repeated along j, sums over j in its 1x1 conv.
// CHECK: %[[VJ:.*]] = linalg.broadcast ins(%[[V]] : tensor<6x3xf32>) outs(%{{.*}} : tensor<6x3x2xf32>) dimensions = [2]
// CHECK: %[[VG:.*]] = tensor.expand_shape %{{.*}} output_shape [2, 3, 6, 1, 1]
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<6xf32>)
// CHECK: %[[INITG:.*]] = tensor.expand_shape %[[INIT]]
// CHECK: %[[Y:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.*}}, %[[VG]] : tensor<1x2x6x4x4xf32>, tensor<2x3x6x1x1xf32>) outs(%[[INITG]] : tensor<1x2x3x4x4xf32>)
// CHECK: %[[Y4:.*]] = tensor.collapse_shape %[[Y]] {{.*}} into tensor<1x6x4x4xf32>
// CHECK: return %[[Y4]]

func.func @nchw_groups(%x: tensor<1x4x8x8xf32>, %b: tensor<3x2x3x3xf32>, %u: tensor<3x2x2xf32>,
                       %v: tensor<6x3xf32>, %bias: tensor<6xf32>) -> tensor<1x6x4x4xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias)
      strides [2, 2] padding [1, 1, 0, 0] groups 2 strategy factorized
      : (tensor<1x4x8x8xf32>, tensor<3x2x3x3xf32>, tensor<3x2x2xf32>, tensor<6x3xf32>, tensor<6xf32>)
      -> tensor<1x6x4x4xf32>
  return %y : tensor<1x6x4x4xf32>
}

// -----

// One basis filter per kernel (Bi = 1): the basis stage is depthwise.
// CHECK-LABEL: func.func @nhwc_single_filter
// CHECK: %[[MIXED:.*]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x6x6x4xf32>, tensor<1x1x4x5xf32>) outs(%{{.*}} : tensor<1x6x6x5xf32>)
// CHECK: %[[RESP:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[MIXED]], %{{.*}} : tensor<1x6x6x5xf32>, tensor<3x3x5xf32>) outs(%{{.*}} : tensor<1x4x4x5xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%[[RESP]], %{{.*}} : tensor<1x4x4x5xf32>, tensor<1x1x5x8xf32>) outs(%{{.*}} : tensor<1x4x4x8xf32>)

func.func @nhwc_single_filter(%x: tensor<1x6x6x4xf32>, %b: tensor<5x1x3x3xf32>, %u: tensor<5x4x1xf32>,
                              %v: tensor<8x5xf32>) -> tensor<1x4x4x8xf32> {
  %y = mlg.generated_conv2d nhwc_hwcf %x basis(%b) coeff_in(%u) coeff_out(%v) strategy factorized
      : (tensor<1x6x6x4xf32>, tensor<5x1x3x3xf32>, tensor<5x4x1xf32>, tensor<8x5xf32>)
      -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// -----

// No level 1: kxk conv with the kernel basis, then 1x1 with V.
// CHECK-LABEL: func.func @no_coeff_in
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x6x6xf32>, %[[B:.*]]: tensor<3x4x3x3xf32>, %[[V:.*]]: tensor<8x3xf32>)
// CHECK: %[[RESP:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%[[X]], %{{.*}} : tensor<1x4x6x6xf32>, tensor<3x4x3x3xf32>) outs(%{{.*}} : tensor<1x3x4x4xf32>)
// CHECK: %[[V4:.*]] = tensor.expand_shape %[[V]] {{.*}} output_shape [8, 3, 1, 1]
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%[[RESP]], %[[V4]] : tensor<1x3x4x4xf32>, tensor<8x3x1x1xf32>) outs(%{{.*}} : tensor<1x8x4x4xf32>)

func.func @no_coeff_in(%x: tensor<1x4x6x6xf32>, %b: tensor<3x4x3x3xf32>, %v: tensor<8x3xf32>)
    -> tensor<1x8x4x4xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_out(%v) strategy factorized
      : (tensor<1x4x6x6xf32>, tensor<3x4x3x3xf32>, tensor<8x3xf32>) -> tensor<1x8x4x4xf32>
  return %y : tensor<1x8x4x4xf32>
}

// -----

// No level 2: the cascade without the last 1x1; each output channel owns its
// kernel, so the basis stage has Co groups and takes the bias.
// CHECK-LABEL: func.func @no_coeff_out
// CHECK-SAME: %[[BIAS:[^:]*]]: tensor<5xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<5xf32>)
// CHECK: %[[MIXED:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x6x6xf32>, tensor<10x4x1x1xf32>) outs(%{{.*}} : tensor<1x10x6x6xf32>)
// CHECK: %[[INITG:.*]] = tensor.expand_shape %[[INIT]]
// CHECK: %[[Y:.*]] = linalg.conv_2d_ngchw_gfchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x5x2x6x6xf32>, tensor<5x1x2x3x3xf32>) outs(%[[INITG]] : tensor<1x5x1x4x4xf32>)
// CHECK: %[[Y4:.*]] = tensor.collapse_shape %[[Y]]
// CHECK-NOT: linalg.conv
// CHECK: return %[[Y4]]

func.func @no_coeff_out(%x: tensor<1x4x6x6xf32>, %b: tensor<5x2x3x3xf32>, %u: tensor<5x4x2xf32>,
                        %bias: tensor<5xf32>) -> tensor<1x5x4x4xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) bias(%bias) strategy factorized
      : (tensor<1x4x6x6xf32>, tensor<5x2x3x3xf32>, tensor<5x4x2xf32>, tensor<5xf32>)
      -> tensor<1x5x4x4xf32>
  return %y : tensor<1x5x4x4xf32>
}

// -----

// Depthwise: every input channel convolved with the Bc*Bi shared basis
// filters (channel multiplier 4), then each output channel combines its input
// channel's responses with K[o, b, j] = V[0, b] * U[b, o, j].
// CHECK-DAG: #[[VMAP:.*]] = affine_map<(d0, d1, d2) -> (0, d1)>
// CHECK-DAG: #[[UMAP:.*]] = affine_map<(d0, d1, d2) -> (d1, d0, d2)>
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x3xf32>, %[[B:.*]]: tensor<2x2x3x3xf32>, %[[U:.*]]: tensor<2x6x2xf32>, %[[V:.*]]: tensor<1x2xf32>)
// CHECK: %[[RESP:.*]] = linalg.depthwise_conv_2d_nhwc_hwcm {{.*}} ins(%[[X]], %{{.*}} : tensor<1x6x6x3xf32>, tensor<3x3x3x4xf32>) outs(%{{.*}} : tensor<1x4x4x3x4xf32>)
// CHECK: %[[K:.*]] = linalg.generic {indexing_maps = [#[[VMAP]], #[[UMAP]], #{{.*}}], {{.*}} ins(%[[V]], %[[U]] : tensor<1x2xf32>, tensor<2x6x2xf32>) outs(%{{.*}} : tensor<6x2x2xf32>)
// CHECK: linalg.conv_2d_nhwgc_gfhwc {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x3x4xf32>, tensor<3x2x1x1x4xf32>) outs(%{{.*}} : tensor<1x4x4x3x2xf32>)

func.func @depthwise(%x: tensor<1x6x6x3xf32>, %b: tensor<2x2x3x3xf32>, %u: tensor<2x6x2xf32>,
                     %v: tensor<1x2xf32>) -> tensor<1x4x4x6xf32> {
  %y = mlg.generated_conv2d nhwc_hwcf %x basis(%b) coeff_in(%u) coeff_out(%v) groups 3 depthwise
      strategy factorized
      : (tensor<1x6x6x3xf32>, tensor<2x2x3x3xf32>, tensor<2x6x2xf32>, tensor<1x2xf32>)
      -> tensor<1x4x4x6xf32>
  return %y : tensor<1x4x4x6xf32>
}

// -----

// Matmul: [M, Ci] -> [M, Bc*Bi] (x U^T) -> [M, Bc] (basis) -> [M, Co] (x V^T).
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[X:.*]]: tensor<8x16xf32>, %[[B:.*]]: tensor<4x2xf32>, %[[U:.*]]: tensor<4x16x2xf32>, %[[V:.*]]: tensor<10x4xf32>, %[[BIAS:.*]]: tensor<10xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<10xf32>)
// CHECK: %[[UT:.*]] = linalg.transpose ins(%[[U]] : tensor<4x16x2xf32>) outs(%{{.*}} : tensor<4x2x16xf32>) permutation = [0, 2, 1]
// CHECK: %[[FILTERS:.*]] = tensor.collapse_shape %[[UT]] {{.*}} into tensor<8x16xf32>
// CHECK: %[[MIXED:.*]] = linalg.matmul indexing_maps = {{.*}} ins(%[[X]], %[[FILTERS]] : tensor<8x16xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<8x8xf32>)
// CHECK: %[[MIXED3:.*]] = tensor.expand_shape %[[MIXED]] {{.*}} into tensor<8x4x2xf32>
// CHECK: %[[RESP:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[MIXED3]], %[[B]] : tensor<8x4x2xf32>, tensor<4x2xf32>) outs(%{{.*}} : tensor<8x4xf32>)
// CHECK: %[[Y:.*]] = linalg.matmul indexing_maps = {{.*}} ins(%[[RESP]], %[[V]] : tensor<8x4xf32>, tensor<10x4xf32>) outs(%[[INIT]] : tensor<8x10xf32>)
// CHECK: return %[[Y]]

func.func @matmul(%x: tensor<8x16xf32>, %b: tensor<4x2xf32>, %u: tensor<4x16x2xf32>,
                  %v: tensor<10x4xf32>, %bias: tensor<10xf32>) -> tensor<8x10xf32> {
  %y = mlg.generated_matmul %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias) strategy factorized
      : (tensor<8x16xf32>, tensor<4x2xf32>, tensor<4x16x2xf32>, tensor<10x4xf32>, tensor<10xf32>)
      -> tensor<8x10xf32>
  return %y : tensor<8x10xf32>
}

// -----

// 1x1 kernels: the cascade is pointwise, so the first 1x1 conv already takes
// the padding and the stride and computes only the pixels the output reads.
// CHECK-LABEL: func.func @pointwise_stride
// CHECK: %[[PADDED:.*]] = tensor.pad
// CHECK: %[[MIXED:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PADDED]], %{{.*}} : tensor<1x8x9x9xf32>, tensor<6x8x1x1xf32>) outs(%{{.*}} : tensor<1x6x5x5xf32>)
// CHECK: %[[RESP:.*]] = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[MIXED]], %{{.*}} : tensor<1x6x5x5xf32>, tensor<6x1x1xf32>)
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[RESP]], %{{.*}} : tensor<1x6x5x5xf32>, tensor<16x6x1x1xf32>)
func.func @pointwise_stride(%x: tensor<1x8x8x8xf32>, %b: tensor<3x2x1x1xf32>, %u: tensor<3x8x2xf32>,
                            %v: tensor<16x3xf32>) -> tensor<1x16x5x5xf32> {
  %y = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) strides [2, 2]
      padding [1, 1, 0, 0] strategy factorized
      : (tensor<1x8x8x8xf32>, tensor<3x2x1x1xf32>, tensor<3x8x2xf32>, tensor<16x3xf32>)
      -> tensor<1x16x5x5xf32>
  return %y : tensor<1x16x5x5xf32>
}
