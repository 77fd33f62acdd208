// RUN: mlg-opt %s --mlg-fuse-generation=remarks --split-input-file -verify-diagnostics | FileCheck %s
// RUN: mlg-opt %s --mlg-fuse-generation --split-input-file 2>&1 | FileCheck %s --check-prefix=QUIET

// QUIET-NOT: remark: mlg-fuse-generation

// Both levels, codes behind mlg.dequantize, a zero tensor.pad folded into
// `padding`, strides, dilations and a generic bias add folded into `bias`.
// CHECK-LABEL: func.func @nchw_pad_stride_bias
// CHECK-SAME:    (%[[X:.+]]: tensor<1x3x9x9xf32>, %[[BIAS:.+]]: tensor<8xf32>)
// CHECK-DAG:     %[[B:.+]] = arith.constant dense<5.000000e-01> : tensor<4x2x3x3xf32>
// CHECK-DAG:     %[[U:.+]] = mlg.dequantize %{{.+}} as midrise<scale = 2.500000e-01> : tensor<4x3x2xi3> -> tensor<4x3x2xf32>
// CHECK-DAG:     %[[V:.+]] = arith.constant dense<2.000000e+00> : tensor<8x4xf32>
// CHECK:         %[[Y:.+]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) coeff_in(%[[U]]) coeff_out(%[[V]]) bias(%[[BIAS]]) strides [2, 2] padding [1, 2, 1, 2] dilations [2, 1] {mlg.layer = "stem", mlg.rel_error = 1.250000e-01 : f64}
// CHECK-SAME:      : (tensor<1x3x9x9xf32>, tensor<4x2x3x3xf32>, tensor<4x3x2xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<1x8x4x6xf32>
// CHECK-NOT:     mlg.generate
// CHECK-NOT:     tensor.pad
// CHECK-NOT:     linalg
// CHECK:         return %[[Y]]
func.func @nchw_pad_stride_bias(%x: tensor<1x3x9x9xf32>, %bias: tensor<8xf32>) -> tensor<1x8x4x6xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<4x2x3x3xf32>
  %codes = arith.constant dense<1> : tensor<4x3x2xi3>
  %u = mlg.dequantize %codes as midrise<scale = 0.25> : tensor<4x3x2xi3> -> tensor<4x3x2xf32>
  %v = arith.constant dense<2.0> : tensor<8x4xf32>
  %wc = mlg.generate_intra %u, %b : tensor<4x3x2xf32>, tensor<4x2x3x3xf32> -> tensor<4x3x3x3xf32>
  %w = mlg.generate_cross %v, %wc {mlg.layer = "stem", mlg.rel_error = 0.125 : f64} : tensor<8x4xf32>, tensor<4x3x3x3xf32> -> tensor<8x3x3x3xf32>
  %p = tensor.pad %x low[0, 0, 1, 2] high[0, 0, 1, 2] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x3x9x9xf32> to tensor<1x3x11x13xf32>
  %e = tensor.empty() : tensor<1x8x4x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x6xf32>) -> tensor<1x8x4x6xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : tensor<1x3x11x13xf32>, tensor<8x3x3x3xf32>) outs(%f : tensor<1x8x4x6xf32>) -> tensor<1x8x4x6xf32>
  %e2 = tensor.empty() : tensor<1x8x4x6xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %bias : tensor<1x8x4x6xf32>, tensor<8xf32>) outs(%e2 : tensor<1x8x4x6xf32>) {
  ^bb0(%in: f32, %bv: f32, %out: f32):
    %s = arith.addf %bv, %in : f32
    linalg.yield %s : f32
  } -> tensor<1x8x4x6xf32>
  return %y : tensor<1x8x4x6xf32>
}

// -----

// NHWC/HWCF: the generated [Co, Ci, kh, kw] kernel is transposed [2, 3, 1, 0];
// a linalg.add of a channel broadcast is the bias.
// CHECK-LABEL: func.func @nhwc_hwcf_add_bias
// CHECK:         %[[Y:.+]] = mlg.generated_conv2d nhwc_hwcf %{{.+}} basis(%{{[^)]+}}) coeff_out(%{{[^)]+}}) bias(%{{[^)]+}}) :
// CHECK-SAME:      (tensor<1x6x6x3xf32>, tensor<4x3x3x3xf32>, tensor<8x4xf32>, tensor<8xf32>) -> tensor<1x4x4x8xf32>
// CHECK-NOT:     linalg
// CHECK:         return %[[Y]]
func.func @nhwc_hwcf_add_bias(%x: tensor<1x6x6x3xf32>) -> tensor<1x4x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<4x3x3x3xf32>
  %v = arith.constant dense<2.0> : tensor<8x4xf32>
  %bias = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>
  %g = mlg.generate_cross %v, %b : tensor<8x4xf32>, tensor<4x3x3x3xf32> -> tensor<8x3x3x3xf32>
  %te = tensor.empty() : tensor<3x3x3x8xf32>
  %w = linalg.transpose ins(%g : tensor<8x3x3x3xf32>) outs(%te : tensor<3x3x3x8xf32>) permutation = [2, 3, 1, 0]
  %e = tensor.empty() : tensor<1x4x4x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x6x6x3xf32>, tensor<3x3x3x8xf32>) outs(%f : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %be = tensor.empty() : tensor<1x4x4x8xf32>
  %bb = linalg.broadcast ins(%bias : tensor<8xf32>) outs(%be : tensor<1x4x4x8xf32>) dimensions = [0, 1, 2]
  %ae = tensor.empty() : tensor<1x4x4x8xf32>
  %y = linalg.add ins(%c, %bb : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) outs(%ae : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %y : tensor<1x4x4x8xf32>
}

// -----

// NHWC/FHWC: transposed [0, 2, 3, 1]; the activations are NHWC. A bias the
// accumulator starts from (a channel broadcast) is folded too.
// CHECK-LABEL: func.func @nhwc_fhwc_init_bias
// CHECK:         %[[Y:.+]] = mlg.generated_conv2d nhwc_hwcf %{{.+}} basis(%{{[^)]+}}) coeff_in(%{{[^)]+}}) bias(%{{[^)]+}}) :
// CHECK-SAME:      (tensor<1x5x5x3xf32>, tensor<6x2x3x3xf32>, tensor<6x3x2xf32>, tensor<6xf32>) -> tensor<1x3x3x6xf32>
// CHECK-NOT:     linalg
func.func @nhwc_fhwc_init_bias(%x: tensor<1x5x5x3xf32>, %bias: tensor<6xf32>) -> tensor<1x3x3x6xf32> {
  %b = arith.constant dense<0.5> : tensor<6x2x3x3xf32>
  %u = arith.constant dense<1.5> : tensor<6x3x2xf32>
  %g = mlg.generate_intra %u, %b : tensor<6x3x2xf32>, tensor<6x2x3x3xf32> -> tensor<6x3x3x3xf32>
  %te = tensor.empty() : tensor<6x3x3x3xf32>
  %w = linalg.transpose ins(%g : tensor<6x3x3x3xf32>) outs(%te : tensor<6x3x3x3xf32>) permutation = [0, 2, 3, 1]
  %e = tensor.empty() : tensor<1x3x3x6xf32>
  %init = linalg.broadcast ins(%bias : tensor<6xf32>) outs(%e : tensor<1x3x3x6xf32>) dimensions = [0, 1, 2]
  %c = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x5x5x3xf32>, tensor<6x3x3x3xf32>) outs(%init : tensor<1x3x3x6xf32>) -> tensor<1x3x3x6xf32>
  return %c : tensor<1x3x3x6xf32>
}

// -----

// Grouped NGCHW/GFCHW: [G, C] of the input is collapsed, the result split back.
// CHECK-LABEL: func.func @grouped
// CHECK-SAME:    (%[[X:.+]]: tensor<1x2x3x6x6xf32>)
// CHECK:         %[[XC:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x6x6xf32> into tensor<1x6x6x6xf32>
// CHECK:         %[[Y:.+]] = mlg.generated_conv2d nchw_fchw %[[XC]] basis(%{{[^)]+}}) coeff_in(%{{[^)]+}}) coeff_out(%{{[^)]+}}) padding [1, 1, 1, 1] groups 2 {mlg.layer = "g"}
// CHECK-SAME:      -> tensor<1x8x6x6xf32>
// CHECK:         %[[YE:.+]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 4, 6, 6] : tensor<1x8x6x6xf32> into tensor<1x2x4x6x6xf32>
// CHECK-NOT:     linalg
// CHECK:         return %[[YE]]
func.func @grouped(%x: tensor<1x2x3x6x6xf32>) -> tensor<1x2x4x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<3x2x3x3xf32>
  %u = arith.constant dense<1.5> : tensor<3x3x2xf32>
  %v = arith.constant dense<2.0> : tensor<8x3xf32>
  %wc = mlg.generate_intra %u, %b : tensor<3x3x2xf32>, tensor<3x2x3x3xf32> -> tensor<3x3x3x3xf32>
  %g = mlg.generate_cross %v, %wc {mlg.layer = "g"} : tensor<8x3xf32>, tensor<3x3x3x3xf32> -> tensor<8x3x3x3xf32>
  %w = tensor.expand_shape %g [[0, 1], [2], [3], [4]] output_shape [2, 4, 3, 3, 3] : tensor<8x3x3x3xf32> into tensor<2x4x3x3x3xf32>
  %p = tensor.pad %x low[0, 0, 0, 1, 1] high[0, 0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index, %i4: index):
    tensor.yield %zero : f32
  } : tensor<1x2x3x6x6xf32> to tensor<1x2x3x8x8xf32>
  %e = tensor.empty() : tensor<1x2x4x6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4x6x6xf32>) -> tensor<1x2x4x6x6xf32>
  %c = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x3x8x8xf32>, tensor<2x4x3x3x3xf32>) outs(%f : tensor<1x2x4x6x6xf32>) -> tensor<1x2x4x6x6xf32>
  return %c : tensor<1x2x4x6x6xf32>
}

// -----

// Depthwise NCHW: one shared basis, [1, C, kh, kw] collapsed to [C, kh, kw].
// CHECK-LABEL: func.func @depthwise_nchw
// CHECK:         mlg.generated_conv2d nchw_fchw %{{.+}} basis(%{{[^)]+}}) coeff_in(%{{[^)]+}}) strides [2, 2] groups 4 depthwise
// CHECK-SAME:      : (tensor<1x4x7x7xf32>, tensor<1x2x3x3xf32>, tensor<1x4x2xf32>) -> tensor<1x4x3x3xf32>
// CHECK-NOT:     linalg
func.func @depthwise_nchw(%x: tensor<1x4x7x7xf32>) -> tensor<1x4x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<1x2x3x3xf32>
  %u = arith.constant dense<1.5> : tensor<1x4x2xf32>
  %g = mlg.generate_intra %u, %b : tensor<1x4x2xf32>, tensor<1x2x3x3xf32> -> tensor<1x4x3x3xf32>
  %w = tensor.collapse_shape %g [[0, 1], [2], [3]] : tensor<1x4x3x3xf32> into tensor<4x3x3xf32>
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %c = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x7x7xf32>, tensor<4x3x3xf32>) outs(%f : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %c : tensor<1x4x3x3xf32>
}

// -----

// Depthwise NHWC: collapse then transpose [1, 2, 0].
// CHECK-LABEL: func.func @depthwise_nhwc
// CHECK:         mlg.generated_conv2d nhwc_hwcf %{{.+}} basis(%{{[^)]+}}) coeff_in(%{{[^)]+}}) padding [1, 1, 1, 1] groups 4 depthwise
// CHECK-SAME:      : (tensor<1x5x5x4xf32>, tensor<1x2x3x3xf32>, tensor<1x4x2xf32>) -> tensor<1x5x5x4xf32>
// CHECK-NOT:     linalg
func.func @depthwise_nhwc(%x: tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<1x2x3x3xf32>
  %u = arith.constant dense<1.5> : tensor<1x4x2xf32>
  %g = mlg.generate_intra %u, %b : tensor<1x4x2xf32>, tensor<1x2x3x3xf32> -> tensor<1x4x3x3xf32>
  %cs = tensor.collapse_shape %g [[0, 1], [2], [3]] : tensor<1x4x3x3xf32> into tensor<4x3x3xf32>
  %te = tensor.empty() : tensor<3x3x4xf32>
  %w = linalg.transpose ins(%cs : tensor<4x3x3xf32>) outs(%te : tensor<3x3x4xf32>) permutation = [1, 2, 0]
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  } : tensor<1x5x5x4xf32> to tensor<1x7x7x4xf32>
  %e = tensor.empty() : tensor<1x5x5x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  %c = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x7x7x4xf32>, tensor<3x3x4xf32>) outs(%f : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  return %c : tensor<1x5x5x4xf32>
}

// -----

// Matmul with a [K, N] right-hand side (the generated [N, K] transposed),
// bias added by a generic along dimension 1.
// CHECK-LABEL: func.func @matmul_plain
// CHECK:         %[[Y:.+]] = mlg.generated_matmul %{{.+}} basis(%{{[^)]+}}) coeff_out(%{{[^)]+}}) bias(%{{[^)]+}}) {mlg.layer = "fc"}
// CHECK-SAME:      : (tensor<2x8xf32>, tensor<3x8xf32>, tensor<5x3xf32>, tensor<5xf32>) -> tensor<2x5xf32>
// CHECK-NOT:     linalg
// CHECK:         return %[[Y]]
func.func @matmul_plain(%x: tensor<2x8xf32>, %bias: tensor<5xf32>) -> tensor<2x5xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<3x8xf32>
  %v = arith.constant dense<2.0> : tensor<5x3xf32>
  %g = mlg.generate_cross %v, %b {mlg.layer = "fc"} : tensor<5x3xf32>, tensor<3x8xf32> -> tensor<5x8xf32>
  %te = tensor.empty() : tensor<8x5xf32>
  %w = linalg.transpose ins(%g : tensor<5x8xf32>) outs(%te : tensor<8x5xf32>) permutation = [1, 0]
  %e = tensor.empty() : tensor<2x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5xf32>) -> tensor<2x5xf32>
  %m = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x5xf32>) outs(%f : tensor<2x5xf32>) -> tensor<2x5xf32>
  %e2 = tensor.empty() : tensor<2x5xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%m, %bias : tensor<2x5xf32>, tensor<5xf32>) outs(%e2 : tensor<2x5xf32>) {
  ^bb0(%in: f32, %bv: f32, %out: f32):
    %s = arith.addf %in, %bv : f32
    linalg.yield %s : f32
  } -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

// Matmul with a transposed [N, K] right-hand side: no adaptation at all.
// CHECK-LABEL: func.func @matmul_transposed
// CHECK:         mlg.generated_matmul %{{.+}} basis(%{{[^)]+}}) coeff_in(%{{[^)]+}}) coeff_out(%{{[^)]+}})
// CHECK-SAME:      : (tensor<2x8xf32>, tensor<3x2xf32>, tensor<3x8x2xf32>, tensor<5x3xf32>) -> tensor<2x5xf32>
// CHECK-NOT:     linalg
func.func @matmul_transposed(%x: tensor<2x8xf32>) -> tensor<2x5xf32> {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<3x2xf32>
  %u = arith.constant dense<1.5> : tensor<3x8x2xf32>
  %v = arith.constant dense<2.0> : tensor<5x3xf32>
  %wc = mlg.generate_intra %u, %b : tensor<3x8x2xf32>, tensor<3x2xf32> -> tensor<3x8xf32>
  %w = mlg.generate_cross %v, %wc : tensor<5x3xf32>, tensor<3x8xf32> -> tensor<5x8xf32>
  %e = tensor.empty() : tensor<2x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5xf32>) -> tensor<2x5xf32>
  %m = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %w : tensor<2x8xf32>, tensor<5x8xf32>) outs(%f : tensor<2x5xf32>) -> tensor<2x5xf32>
  return %m : tensor<2x5xf32>
}

// -----

// One chain, two consumers: each gets its own fused op; the chain goes.
// CHECK-LABEL: func.func @two_users
// CHECK-NOT:     mlg.generate_
// CHECK:         mlg.generated_conv2d nchw_fchw %{{.+}} basis(%[[B:.+]]) coeff_out(%[[V:.+]]) {mlg.layer = "shared"}
// CHECK-NOT:     mlg.generate_
// CHECK:         mlg.generated_conv2d nchw_fchw %{{.+}} basis(%[[B]]) coeff_out(%[[V]]) strides [2, 2] {mlg.layer = "shared"}
// CHECK-NOT:     mlg.generate_
func.func @two_users(%x: tensor<1x3x8x8xf32>, %x2: tensor<1x3x9x9xf32>) -> (tensor<1x6x6x6xf32>, tensor<1x6x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<2x3x3x3xf32>
  %v = arith.constant dense<2.0> : tensor<6x2xf32>
  %w = mlg.generate_cross %v, %b {mlg.layer = "shared"} : tensor<6x2xf32>, tensor<2x3x3x3xf32> -> tensor<6x3x3x3xf32>
  %e = tensor.empty() : tensor<1x6x6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<6x3x3x3xf32>) outs(%f : tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>
  %e2 = tensor.empty() : tensor<1x6x4x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x2, %w : tensor<1x3x9x9xf32>, tensor<6x3x3x3xf32>) outs(%f2 : tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32>
  return %c, %c2 : tensor<1x6x6x6xf32>, tensor<1x6x4x4xf32>
}

// -----

// The generated weight is also returned: the consumer is fused, the chain
// stays for its other user.
// CHECK-LABEL: func.func @chain_kept
// CHECK:         %[[W:.+]] = mlg.generate_cross
// CHECK:         %[[Y:.+]] = mlg.generated_conv2d
// CHECK:         return %[[Y]], %[[W]]
func.func @chain_kept(%x: tensor<1x3x8x8xf32>) -> (tensor<1x6x6x6xf32>, tensor<6x3x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<2x3x3x3xf32>
  %v = arith.constant dense<2.0> : tensor<6x2xf32>
  %w = mlg.generate_cross %v, %b : tensor<6x2xf32>, tensor<2x3x3x3xf32> -> tensor<6x3x3x3xf32>
  %e = tensor.empty() : tensor<1x6x6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<6x3x3x3xf32>) outs(%f : tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>
  return %c, %w : tensor<1x6x6x6xf32>, tensor<6x3x3x3xf32>
}

// -----

// Left alone: a wrong adaptation, an accumulator that is not zero, an input
// with rows the output never reads. A pad with a non-zero value is not
// folded, but the conv still fuses on the padded input.
// CHECK-LABEL: func.func @not_matching
// CHECK:         linalg.conv_2d_nhwc_hwcf
// CHECK:         linalg.conv_2d_nchw_fchw {{.*}} outs(%{{.+}} : tensor<1x6x6x6xf32>)
// CHECK:         linalg.conv_2d_nchw_fchw {{.*}} outs(%{{.+}} : tensor<1x6x2x2xf32>)
// CHECK:         %[[P:.+]] = tensor.pad
// CHECK:         mlg.generated_conv2d nchw_fchw %[[P]] basis
// CHECK-SAME:      -> tensor<1x6x8x8xf32>
func.func @not_matching(%x: tensor<1x8x8x3xf32>, %xn: tensor<1x3x8x8xf32>, %acc: tensor<1x6x6x6xf32>)
    -> (tensor<1x6x6x3xf32>, tensor<1x6x6x6xf32>, tensor<1x6x2x2xf32>, tensor<1x6x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %b = arith.constant dense<0.5> : tensor<2x3x3x3xf32>
  %v = arith.constant dense<2.0> : tensor<3x2xf32>
  %v6 = arith.constant dense<2.0> : tensor<6x2xf32>
  %g = mlg.generate_cross %v, %b : tensor<3x2xf32>, tensor<2x3x3x3xf32> -> tensor<3x3x3x3xf32>
  %te = tensor.empty() : tensor<3x3x3x3xf32>
  // [Co, Ci, kh, kw] -> HWCF needs [2, 3, 1, 0]; [2, 3, 0, 1] swaps Ci and Co.
  %wt = linalg.transpose ins(%g : tensor<3x3x3x3xf32>) outs(%te : tensor<3x3x3x3xf32>) permutation = [2, 3, 0, 1]
  %e = tensor.empty() : tensor<1x6x6x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x6x3xf32>) -> tensor<1x6x6x3xf32>
  // expected-remark @below {{mlg-fuse-generation: left unchanged: the weight is not the generated kernel in this op's layout}}
  %c1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %wt : tensor<1x8x8x3xf32>, tensor<3x3x3x3xf32>) outs(%f : tensor<1x6x6x3xf32>) -> tensor<1x6x6x3xf32>
  %w6 = mlg.generate_cross %v6, %b : tensor<6x2xf32>, tensor<2x3x3x3xf32> -> tensor<6x3x3x3xf32>
  // expected-remark @below {{mlg-fuse-generation: left unchanged: the accumulator is neither zero nor a broadcast bias}}
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xn, %w6 : tensor<1x3x8x8xf32>, tensor<6x3x3x3xf32>) outs(%acc : tensor<1x6x6x6xf32>) -> tensor<1x6x6x6xf32>
  %e3 = tensor.empty() : tensor<1x6x2x2xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x6x2x2xf32>) -> tensor<1x6x2x2xf32>
  // expected-remark @below {{mlg-fuse-generation: left unchanged: the input holds rows or columns the output never reads}}
  %c3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%xn, %w6 : tensor<1x3x8x8xf32>, tensor<6x3x3x3xf32>) outs(%f3 : tensor<1x6x2x2xf32>) -> tensor<1x6x2x2xf32>
  %p = tensor.pad %xn low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %one : f32
  } : tensor<1x3x8x8xf32> to tensor<1x3x10x10xf32>
  %e4 = tensor.empty() : tensor<1x6x8x8xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x6x8x8xf32>) -> tensor<1x6x8x8xf32>
  %c4 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w6 : tensor<1x3x10x10xf32>, tensor<6x3x3x3xf32>) outs(%f4 : tensor<1x6x8x8xf32>) -> tensor<1x6x8x8xf32>
  return %c1, %c2, %c3, %c4 : tensor<1x6x6x3xf32>, tensor<1x6x6x6xf32>, tensor<1x6x2x2xf32>, tensor<1x6x8x8xf32>
}

// -----

// Dynamic shapes: not a layer the passes support; left alone with a remark.
// CHECK-LABEL: func.func @dynamic
// CHECK:         mlg.generate_cross
// CHECK:         linalg.matmul
func.func @dynamic(%x: tensor<?x8xf32>, %acc: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %b = arith.constant dense<0.5> : tensor<3x8xf32>
  %v = arith.constant dense<2.0> : tensor<5x3xf32>
  %w = mlg.generate_cross %v, %b : tensor<5x3xf32>, tensor<3x8xf32> -> tensor<5x8xf32>
  // expected-remark @below {{mlg-fuse-generation: left unchanged: 'linalg.matmul' has dynamic shapes or works on buffers}}
  %m = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %w : tensor<?x8xf32>, tensor<5x8xf32>) outs(%acc : tensor<?x5xf32>) -> tensor<?x5xf32>
  return %m : tensor<?x5xf32>
}
