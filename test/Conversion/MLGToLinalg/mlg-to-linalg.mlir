// RUN: mlg-opt %s --convert-mlg-to-linalg --split-input-file | FileCheck %s

// Midrise: sitofp, + 1/2, * scale (rounded to f32), elementwise.
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @dequantize_midrise
// CHECK-SAME:    %[[C:.*]]: tensor<4x2xi3>
// CHECK-DAG:     %[[SCALE:.*]] = arith.constant 2.500000e-01 : f32
// CHECK-DAG:     %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:         linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[C]] : tensor<4x2xi3>)
// CHECK:           %[[F:.*]] = arith.sitofp %{{.*}} : i3 to f32
// CHECK:           %[[L:.*]] = arith.addf %[[F]], %[[HALF]] : f32
// CHECK:           %[[X:.*]] = arith.mulf %[[L]], %[[SCALE]] : f32
// CHECK:           linalg.yield %[[X]]
// CHECK-NOT:     mlg.
func.func @dequantize_midrise(%c: tensor<4x2xi3>) -> tensor<4x2xf32> {
  %0 = mlg.dequantize %c as midrise<scale = 2.500000e-01> : tensor<4x2xi3> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Midtread per axis 1: no offset, the scale is read from a constant indexed
// by the quantized dimension.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[AXIS1:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dequantize_per_axis
// CHECK:         %[[SCALES:.*]] = arith.constant dense<[1.000000e+00, 5.000000e-01, 2.500000e-01]> : tensor<3xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[AXIS1]], #[[ID]]]
// CHECK-SAME:      ins(%{{.*}}, %[[SCALES]] : tensor<2x3xi4>, tensor<3xf32>)
// CHECK:           ^bb0(%[[CODE:.*]]: i4, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:        %[[F:.*]] = arith.sitofp %[[CODE]] : i4 to f32
// CHECK-NEXT:        %[[X:.*]] = arith.mulf %[[F]], %[[S]] : f32
// CHECK-NEXT:        linalg.yield %[[X]]
func.func @dequantize_per_axis(%c: tensor<2x3xi4>) -> tensor<2x3xf32> {
  %0 = mlg.dequantize %c as !quant.uniform<i4<-7:7>:f32:1, {1.0, 0.5, 0.25}> : tensor<2x3xi4> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Level 1 then level 2: two reductions over Bi and Bc, accumulated into zeros.
// CHECK-DAG: #[[U:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4, d2, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[V:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d4)>
// CHECK-DAG: #[[WC:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d4, d1, d2, d3)>
// CHECK-LABEL: func.func @two_levels
// CHECK-SAME:    %[[UARG:.*]]: tensor<4x8x2xf32>, %[[BARG:.*]]: tensor<4x2x3x3xf32>, %[[VARG:.*]]: tensor<16x4xf32>
// CHECK:         %[[Z1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4x8x3x3xf32>)
// CHECK:         %[[WCV:.*]] = linalg.generic {indexing_maps = [#[[U]], #[[B]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[UARG]], %[[BARG]] : tensor<4x8x2xf32>, tensor<4x2x3x3xf32>) outs(%[[Z1]] : tensor<4x8x3x3xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         %[[Z2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<16x8x3x3xf32>)
// CHECK:         %[[W:.*]] = linalg.generic {indexing_maps = [#[[V]], #[[WC]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[VARG]], %[[WCV]] : tensor<16x4xf32>, tensor<4x8x3x3xf32>) outs(%[[Z2]] : tensor<16x8x3x3xf32>)
// CHECK:         return %[[W]]
func.func @two_levels(%u: tensor<4x8x2xf32>, %b: tensor<4x2x3x3xf32>, %v: tensor<16x4xf32>) -> tensor<16x8x3x3xf32> {
  %wc = mlg.generate_intra %u, %b : tensor<4x8x2xf32>, tensor<4x2x3x3xf32> -> tensor<4x8x3x3xf32>
  %w = mlg.generate_cross %v, %wc : tensor<16x4xf32>, tensor<4x8x3x3xf32> -> tensor<16x8x3x3xf32>
  return %w : tensor<16x8x3x3xf32>
}

// -----

// Grouped, strided, dilated, padded NHWC convolution: pad, split channels into
// (groups, per group), one generic with the window in the input map, collapse.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d3 * 3 + d6 * 2, d4 * 3 + d7 * 2, d1, d5)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d3, d4, d1, d2)>
// CHECK-LABEL: func.func @conv_grouped_nhwc
// CHECK:         %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK:         } : tensor<1x9x9x4xf32> to tensor<1x11x11x4xf32>
// CHECK:         %[[XG:.*]] = tensor.expand_shape %[[PAD]] {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 11, 11, 2, 2]
// CHECK:         %[[WG:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[XG]], %[[WG]] : tensor<1x11x11x2x2xf32>, tensor<2x3x2x3x3xf32>)
// CHECK:         tensor.collapse_shape %[[Y]] {{\[}}[0], [1], [2], [3, 4]] : tensor<1x3x3x2x3xf32> into tensor<1x3x3x6xf32>
func.func @conv_grouped_nhwc(%x: tensor<1x9x9x4xf32>, %wc: tensor<6x2x3x3xf32>) -> tensor<1x3x3x6xf32> {
  %0 = mlg.generated_conv2d nhwc_hwcf %x basis(%wc) strides [3, 3] padding [1, 1, 1, 1] dilations [2, 2] groups 2 : (tensor<1x9x9x4xf32>, tensor<6x2x3x3xf32>) -> tensor<1x3x3x6xf32>
  return %0 : tensor<1x3x3x6xf32>
}

// -----

// Depthwise NCHW: the generator's [1, Co, kh, kw] is indexed (c, g, f, kh, kw)
// with the single input channel per group; the bias initialises the output.
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d1, d2, d6, d7)>
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2)>
// CHECK-LABEL: func.func @conv_depthwise_bias
// CHECK:         %[[BG:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [3, 1] : tensor<3xf32> into tensor<3x1xf32>
// CHECK:         %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], #{{.*}}]{{.*}} ins(%[[BG]] : tensor<3x1xf32>) outs(%{{.*}} : tensor<1x3x1x6x6xf32>)
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #[[W]], #{{.*}}]{{.*}} outs(%[[INIT]] : tensor<1x3x1x6x6xf32>)
func.func @conv_depthwise_bias(%x: tensor<1x3x8x8xf32>, %b: tensor<1x2x3x3xf32>, %u: tensor<1x3x2xf32>, %bias: tensor<3xf32>) -> tensor<1x3x6x6xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) bias(%bias) groups 3 depthwise : (tensor<1x3x8x8xf32>, tensor<1x2x3x3xf32>, tensor<1x3x2xf32>, tensor<3xf32>) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// -----

// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul
// Level 1 gives Wc [4, 16], level 2 gives W [10, 16], then y = x * W^T.
// CHECK:         %[[WC:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4x16xf32>)
// CHECK:         %[[WFULL:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[WC]] : tensor<10x4xf32>, tensor<4x16xf32>) outs(%{{.*}} : tensor<10x16xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%{{.*}}, %[[WFULL]] : tensor<8x16xf32>, tensor<10x16xf32>) outs(%{{.*}} : tensor<8x10xf32>)
func.func @matmul(%x: tensor<8x16xf32>, %b: tensor<4x2xf32>, %u: tensor<4x16x2xf32>, %v: tensor<10x4xf32>) -> tensor<8x10xf32> {
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) coeff_out(%v) : (tensor<8x16xf32>, tensor<4x2xf32>, tensor<4x16x2xf32>, tensor<10x4xf32>) -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}
