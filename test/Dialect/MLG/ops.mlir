// Round-trip tests: every mlg op and syntactic variant prints, parses back,
// and prints again; the generic form parses back to the same ops.
// RUN: mlg-opt %s | mlg-opt | FileCheck %s
// RUN: mlg-opt %s --mlir-print-op-generic | mlg-opt | FileCheck %s
// RUN: mlg-opt %s | mlg-opt --mlir-print-op-generic | mlg-opt | FileCheck %s
// RUN: mlg-opt %s > %t.1 && mlg-opt %t.1 > %t.2 && diff %t.1 %t.2

// Midrise grid, per tensor (`scale = s`), f32 result.
// CHECK-LABEL: func.func @dequantize_midrise_per_tensor(
// CHECK-SAME:    %[[C:.*]]: tensor<4x2xi3>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<scale = 2.500000e-01> : tensor<4x2xi3> -> tensor<4x2xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4x2xf32>
func.func @dequantize_midrise_per_tensor(%c: tensor<4x2xi3>) -> tensor<4x2xf32> {
  %0 = mlg.dequantize %c as midrise<scale = 0.25> : tensor<4x2xi3> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// Midrise grid, per channel along axis 1 (`axis = N, scales = [...]`), f16 result.
// CHECK-LABEL: func.func @dequantize_midrise_per_channel(
// CHECK-SAME:    %[[C:.*]]: tensor<2x3xi4>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<axis = 1, scales = [1.000000e+00, 5.000000e-01, 1.250000e-01]> : tensor<2x3xi4> -> tensor<2x3xf16>
// CHECK-NEXT:    return %[[R]] : tensor<2x3xf16>
func.func @dequantize_midrise_per_channel(%c: tensor<2x3xi4>) -> tensor<2x3xf16> {
  %0 = mlg.dequantize %c as midrise<axis = 1, scales = [1.0, 0.5, 0.125]> : tensor<2x3xi4> -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// Midrise per channel along a dynamic axis: the scale count is not checked.
// CHECK-LABEL: func.func @dequantize_midrise_dynamic_axis(
// CHECK-SAME:    %[[C:.*]]: tensor<?x4xi8>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<axis = 0, scales = [5.000000e-01, 2.500000e-01]> : tensor<?x4xi8> -> tensor<?x4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<?x4xf32>
func.func @dequantize_midrise_dynamic_axis(%c: tensor<?x4xi8>) -> tensor<?x4xf32> {
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = [0.5, 0.25]> : tensor<?x4xi8> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// Midrise scales needing all digits of a double survive; hex bit patterns parse.
// CHECK-LABEL: func.func @dequantize_midrise_exact_scale(
// CHECK-SAME:    %[[C:.*]]: tensor<4xi5>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<axis = 0, scales = [0.123456789012345, 1.000000e-300, 3.000000e+00, 1.000000e+00]> : tensor<4xi5> -> tensor<4xf64>
// CHECK-NEXT:    return %[[R]] : tensor<4xf64>
func.func @dequantize_midrise_exact_scale(%c: tensor<4xi5>) -> tensor<4xf64> {
  %0 = mlg.dequantize %c as midrise<axis = 0, scales = [0.123456789012345, 1.0e-300, 3.0, 0x3FF0000000000000]> : tensor<4xi5> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// Midtread grid, per tensor: `!quant.uniform<i4<-7:7>:f32, 0.5>`.
// CHECK-LABEL: func.func @dequantize_midtread_per_tensor(
// CHECK-SAME:    %[[C:.*]]: tensor<8xi4>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as !quant.uniform<i4<-7:7>:f32, 5.000000e-01> : tensor<8xi4> -> tensor<8xf32>
// CHECK-NEXT:    return %[[R]] : tensor<8xf32>
func.func @dequantize_midtread_per_tensor(%c: tensor<8xi4>) -> tensor<8xf32> {
  %0 = mlg.dequantize %c as !quant.uniform<i4<-7:7>:f32, 0.5> : tensor<8xi4> -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// Midtread grid, per axis 0: `!quant.uniform<i3<-3:3>:f32:0, {...}>`.
// CHECK-LABEL: func.func @dequantize_midtread_per_axis(
// CHECK-SAME:    %[[C:.*]]: tensor<2x5xi3>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as !quant.uniform<i3<-3:3>:f32:0, {5.000000e-01,2.500000e-01}> : tensor<2x5xi3> -> tensor<2x5xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x5xf32>
func.func @dequantize_midtread_per_axis(%c: tensor<2x5xi3>) -> tensor<2x5xf32> {
  %0 = mlg.dequantize %c as !quant.uniform<i3<-3:3>:f32:0, {0.5, 0.25}> : tensor<2x5xi3> -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// Midtread per axis with explicit zero points of 0 (printed without them), f16.
// CHECK-LABEL: func.func @dequantize_midtread_zero_points(
// CHECK-SAME:    %[[C:.*]]: tensor<3x2xi8>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as !quant.uniform<i8<-127:127>:f16:1, {5.000000e-01,2.500000e-01}> : tensor<3x2xi8> -> tensor<3x2xf16>
// CHECK-NEXT:    return %[[R]] : tensor<3x2xf16>
func.func @dequantize_midtread_zero_points(%c: tensor<3x2xi8>) -> tensor<3x2xf16> {
  %0 = mlg.dequantize %c as !quant.uniform<i8<-127:127>:f16:1, {0.5:0, 0.25:0}> : tensor<3x2xi8> -> tensor<3x2xf16>
  return %0 : tensor<3x2xf16>
}

// 1-bit midrise codes (two levels, +-scale/2).
// CHECK-LABEL: func.func @dequantize_1bit_midrise(
// CHECK-SAME:    %[[C:.*]]: tensor<16xi1>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<scale = 2.000000e+00> : tensor<16xi1> -> tensor<16xf32>
// CHECK-NEXT:    return %[[R]] : tensor<16xf32>
func.func @dequantize_1bit_midrise(%c: tensor<16xi1>) -> tensor<16xf32> {
  %0 = mlg.dequantize %c as midrise<scale = 2.0> : tensor<16xi1> -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// 2-bit midtread codes, the narrowest midtread grid.
// CHECK-LABEL: func.func @dequantize_2bit_midtread(
// CHECK-SAME:    %[[C:.*]]: tensor<16xi2>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as !quant.uniform<i2<-1:1>:f32, 1.000000e+00> : tensor<16xi2> -> tensor<16xf32>
// CHECK-NEXT:    return %[[R]] : tensor<16xf32>
func.func @dequantize_2bit_midtread(%c: tensor<16xi2>) -> tensor<16xf32> {
  %0 = mlg.dequantize %c as !quant.uniform<i2<-1:1>:f32, 1.0> : tensor<16xi2> -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// 16-bit codes, the widest, on a midtread grid.
// CHECK-LABEL: func.func @dequantize_16bit_midtread(
// CHECK-SAME:    %[[C:.*]]: tensor<3x3xi16>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as !quant.uniform<i16<-32767:32767>:f32, 1.000000e-03> : tensor<3x3xi16> -> tensor<3x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<3x3xf32>
func.func @dequantize_16bit_midtread(%c: tensor<3x3xi16>) -> tensor<3x3xf32> {
  %0 = mlg.dequantize %c as !quant.uniform<i16<-32767:32767>:f32, 1.0e-3> : tensor<3x3xi16> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// 16-bit codes on a midrise grid.
// CHECK-LABEL: func.func @dequantize_16bit_midrise(
// CHECK-SAME:    %[[C:.*]]: tensor<3x3xi16>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<scale = 3.0517578125E-5> : tensor<3x3xi16> -> tensor<3x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<3x3xf32>
func.func @dequantize_16bit_midrise(%c: tensor<3x3xi16>) -> tensor<3x3xf32> {
  %0 = mlg.dequantize %c as midrise<scale = 3.0517578125e-05> : tensor<3x3xi16> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// Rank-0 codes with a per-tensor grid.
// CHECK-LABEL: func.func @dequantize_rank0(
// CHECK-SAME:    %[[C:.*]]: tensor<i6>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<scale = 5.000000e-01> : tensor<i6> -> tensor<bf16>
// CHECK-NEXT:    return %[[R]] : tensor<bf16>
func.func @dequantize_rank0(%c: tensor<i6>) -> tensor<bf16> {
  %0 = mlg.dequantize %c as midrise<scale = 0.5> : tensor<i6> -> tensor<bf16>
  return %0 : tensor<bf16>
}

// Discardable attributes go after the grid.
// CHECK-LABEL: func.func @dequantize_attr_dict(
// CHECK-SAME:    %[[C:.*]]: tensor<4xi2>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<scale = 5.000000e-01> {tag = "u"} : tensor<4xi2> -> tensor<4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4xf32>
func.func @dequantize_attr_dict(%c: tensor<4xi2>) -> tensor<4xf32> {
  %0 = mlg.dequantize %c as midrise<scale = 0.5> {tag = "u"} : tensor<4xi2> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// The generic form spells the grid as a full #mlg.midrise attribute.
// CHECK-LABEL: func.func @dequantize_generic(
// CHECK-SAME:    %[[C:.*]]: tensor<2x2xi4>)
// CHECK-NEXT:    %[[R:.*]] = mlg.dequantize %[[C]] as midrise<axis = 1, scales = [5.000000e-01, 2.500000e-01]> : tensor<2x2xi4> -> tensor<2x2xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x2xf32>
func.func @dequantize_generic(%c: tensor<2x2xi4>) -> tensor<2x2xf32> {
  %0 = "mlg.dequantize"(%c) <{grid = #mlg.midrise<axis = 1, scales = [0.5, 0.25]>}> : (tensor<2x2xi4>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// Level 1 for a convolution: rank-4 basis [Bc, Bi, kh, kw].
// CHECK-LABEL: func.func @generate_intra_conv(
// CHECK-SAME:    %[[U:.*]]: tensor<44x64x2xf32>, %[[B:.*]]: tensor<44x2x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generate_intra %[[U]], %[[B]] : tensor<44x64x2xf32>, tensor<44x2x3x3xf32> -> tensor<44x64x3x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<44x64x3x3xf32>
func.func @generate_intra_conv(%u: tensor<44x64x2xf32>, %b: tensor<44x2x3x3xf32>) -> tensor<44x64x3x3xf32> {
  %0 = mlg.generate_intra %u, %b : tensor<44x64x2xf32>, tensor<44x2x3x3xf32> -> tensor<44x64x3x3xf32>
  return %0 : tensor<44x64x3x3xf32>
}

// Level 1 for a linear layer: rank-2 basis [Bc, Bi].
// CHECK-LABEL: func.func @generate_intra_linear(
// CHECK-SAME:    %[[U:.*]]: tensor<8x512x4xf16>, %[[B:.*]]: tensor<8x4xf16>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generate_intra %[[U]], %[[B]] : tensor<8x512x4xf16>, tensor<8x4xf16> -> tensor<8x512xf16>
// CHECK-NEXT:    return %[[R]] : tensor<8x512xf16>
func.func @generate_intra_linear(%u: tensor<8x512x4xf16>, %b: tensor<8x4xf16>) -> tensor<8x512xf16> {
  %0 = mlg.generate_intra %u, %b : tensor<8x512x4xf16>, tensor<8x4xf16> -> tensor<8x512xf16>
  return %0 : tensor<8x512xf16>
}

// Level 1 with one spatial dimension (any trailing rank is allowed).
// CHECK-LABEL: func.func @generate_intra_1d(
// CHECK-SAME:    %[[U:.*]]: tensor<2x6x3xf32>, %[[B:.*]]: tensor<2x3x5xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generate_intra %[[U]], %[[B]] : tensor<2x6x3xf32>, tensor<2x3x5xf32> -> tensor<2x6x5xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x6x5xf32>
func.func @generate_intra_1d(%u: tensor<2x6x3xf32>, %b: tensor<2x3x5xf32>) -> tensor<2x6x5xf32> {
  %0 = mlg.generate_intra %u, %b : tensor<2x6x3xf32>, tensor<2x3x5xf32> -> tensor<2x6x5xf32>
  return %0 : tensor<2x6x5xf32>
}

// Level 1 with dynamic dimensions; `?` matches any size.
// CHECK-LABEL: func.func @generate_intra_dynamic(
// CHECK-SAME:    %[[U:.*]]: tensor<?x64x?xf32>, %[[B:.*]]: tensor<4x2x?x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generate_intra %[[U]], %[[B]] : tensor<?x64x?xf32>, tensor<4x2x?x3xf32> -> tensor<4x64x?x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4x64x?x3xf32>
func.func @generate_intra_dynamic(%u: tensor<?x64x?xf32>, %b: tensor<4x2x?x3xf32>) -> tensor<4x64x?x3xf32> {
  %0 = mlg.generate_intra %u, %b : tensor<?x64x?xf32>, tensor<4x2x?x3xf32> -> tensor<4x64x?x3xf32>
  return %0 : tensor<4x64x?x3xf32>
}

// Level 2 over rank-4 kernels.
// CHECK-LABEL: func.func @generate_cross_conv(
// CHECK-SAME:    %[[V:.*]]: tensor<128x44xf32>, %[[WC:.*]]: tensor<44x64x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generate_cross %[[V]], %[[WC]] : tensor<128x44xf32>, tensor<44x64x3x3xf32> -> tensor<128x64x3x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<128x64x3x3xf32>
func.func @generate_cross_conv(%v: tensor<128x44xf32>, %wc: tensor<44x64x3x3xf32>) -> tensor<128x64x3x3xf32> {
  %0 = mlg.generate_cross %v, %wc : tensor<128x44xf32>, tensor<44x64x3x3xf32> -> tensor<128x64x3x3xf32>
  return %0 : tensor<128x64x3x3xf32>
}

// Level 2 over rank-2 kernels (linear layer).
// CHECK-LABEL: func.func @generate_cross_linear(
// CHECK-SAME:    %[[V:.*]]: tensor<10x64xf32>, %[[WC:.*]]: tensor<64x512xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generate_cross %[[V]], %[[WC]] : tensor<10x64xf32>, tensor<64x512xf32> -> tensor<10x512xf32>
// CHECK-NEXT:    return %[[R]] : tensor<10x512xf32>
func.func @generate_cross_linear(%v: tensor<10x64xf32>, %wc: tensor<64x512xf32>) -> tensor<10x512xf32> {
  %0 = mlg.generate_cross %v, %wc : tensor<10x64xf32>, tensor<64x512xf32> -> tensor<10x512xf32>
  return %0 : tensor<10x512xf32>
}

// Level 2 with dynamic dimensions, with a discardable attribute.
// CHECK-LABEL: func.func @generate_cross_dynamic(
// CHECK-SAME:    %[[V:.*]]: tensor<?x?xf32>, %[[WC:.*]]: tensor<4x?x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generate_cross %[[V]], %[[WC]] {tag = 2 : i64} : tensor<?x?xf32>, tensor<4x?x3x3xf32> -> tensor<?x?x3x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<?x?x3x3xf32>
func.func @generate_cross_dynamic(%v: tensor<?x?xf32>, %wc: tensor<4x?x3x3xf32>) -> tensor<?x?x3x3xf32> {
  %0 = mlg.generate_cross %v, %wc {tag = 2 : i64} : tensor<?x?xf32>, tensor<4x?x3x3xf32> -> tensor<?x?x3x3xf32>
  return %0 : tensor<?x?x3x3xf32>
}

// Conv, NCHW, basis only (the basis is the weight itself); all defaults elided.
// CHECK-LABEL: func.func @conv_nchw_basis_only(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<16x8x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x16x14x14xf32>
func.func @conv_nchw_basis_only(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// Conv, NCHW, both levels, bias and padding.
// CHECK-LABEL: func.func @conv_nchw_full(
// CHECK-SAME:    %[[X:.*]]: tensor<1x64x32x32xf32>, %[[B:.*]]: tensor<44x2x3x3xf32>, %[[U:.*]]: tensor<44x64x2xf32>, %[[V:.*]]: tensor<128x44xf32>, %[[BIAS:.*]]: tensor<128xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) coeff_in(%[[U]]) coeff_out(%[[V]]) bias(%[[BIAS]]) padding [1, 1, 1, 1] : (tensor<1x64x32x32xf32>, tensor<44x2x3x3xf32>, tensor<44x64x2xf32>, tensor<128x44xf32>, tensor<128xf32>) -> tensor<1x128x32x32xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x128x32x32xf32>
func.func @conv_nchw_full(%x: tensor<1x64x32x32xf32>, %b: tensor<44x2x3x3xf32>, %u: tensor<44x64x2xf32>, %v: tensor<128x44xf32>, %bias: tensor<128xf32>) -> tensor<1x128x32x32xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias) padding [1, 1, 1, 1] : (tensor<1x64x32x32xf32>, tensor<44x2x3x3xf32>, tensor<44x64x2xf32>, tensor<128x44xf32>, tensor<128xf32>) -> tensor<1x128x32x32xf32>
  return %0 : tensor<1x128x32x32xf32>
}

// Conv, NHWC, coeff_in only, strides.
// CHECK-LABEL: func.func @conv_nhwc_coeff_in(
// CHECK-SAME:    %[[X:.*]]: tensor<2x16x16x8xf32>, %[[B:.*]]: tensor<4x2x3x3xf32>, %[[U:.*]]: tensor<4x8x2xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nhwc_hwcf %[[X]] basis(%[[B]]) coeff_in(%[[U]]) strides [2, 2] : (tensor<2x16x16x8xf32>, tensor<4x2x3x3xf32>, tensor<4x8x2xf32>) -> tensor<2x7x7x4xf32>
// CHECK-NEXT:    return %[[R]] : tensor<2x7x7x4xf32>
func.func @conv_nhwc_coeff_in(%x: tensor<2x16x16x8xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<4x8x2xf32>) -> tensor<2x7x7x4xf32> {
  %0 = mlg.generated_conv2d nhwc_hwcf %x basis(%b) coeff_in(%u) strides [2, 2] : (tensor<2x16x16x8xf32>, tensor<4x2x3x3xf32>, tensor<4x8x2xf32>) -> tensor<2x7x7x4xf32>
  return %0 : tensor<2x7x7x4xf32>
}

// Conv, NCHW, coeff_out only, dilations.
// CHECK-LABEL: func.func @conv_coeff_out_only(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x10x10xf32>, %[[B:.*]]: tensor<4x8x3x3xf32>, %[[V:.*]]: tensor<12x4xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) coeff_out(%[[V]]) dilations [2, 2] : (tensor<1x8x10x10xf32>, tensor<4x8x3x3xf32>, tensor<12x4xf32>) -> tensor<1x12x6x6xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x12x6x6xf32>
func.func @conv_coeff_out_only(%x: tensor<1x8x10x10xf32>, %b: tensor<4x8x3x3xf32>, %v: tensor<12x4xf32>) -> tensor<1x12x6x6xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_out(%v) dilations [2, 2] : (tensor<1x8x10x10xf32>, tensor<4x8x3x3xf32>, tensor<12x4xf32>) -> tensor<1x12x6x6xf32>
  return %0 : tensor<1x12x6x6xf32>
}

// Conv, NCHW, bias without generators.
// CHECK-LABEL: func.func @conv_bias_only(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<16x8x3x3xf32>, %[[BIAS:.*]]: tensor<16xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) bias(%[[BIAS]]) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x16x14x14xf32>
func.func @conv_bias_only(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>, %bias: tensor<16xf32>) -> tensor<1x16x14x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) bias(%bias) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// Conv with every optional clause, in the printed order, asymmetric values.
// CHECK-LABEL: func.func @conv_all_clauses(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x17x19xf32>, %[[B:.*]]: tensor<4x2x3x5xf32>, %[[U:.*]]: tensor<4x4x2xf32>, %[[V:.*]]: tensor<6x4xf32>, %[[BIAS:.*]]: tensor<6xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) coeff_in(%[[U]]) coeff_out(%[[V]]) bias(%[[BIAS]]) strides [3, 4] padding [1, 0, 2, 0] dilations [1, 2] groups 2 strategy tiled : (tensor<1x8x17x19xf32>, tensor<4x2x3x5xf32>, tensor<4x4x2xf32>, tensor<6x4xf32>, tensor<6xf32>) -> tensor<1x6x6x3xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x6x6x3xf32>
func.func @conv_all_clauses(%x: tensor<1x8x17x19xf32>, %b: tensor<4x2x3x5xf32>, %u: tensor<4x4x2xf32>, %v: tensor<6x4xf32>, %bias: tensor<6xf32>) -> tensor<1x6x6x3xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias) strides [3, 4] padding [1, 0, 2, 0] dilations [1, 2] groups 2 strategy tiled : (tensor<1x8x17x19xf32>, tensor<4x2x3x5xf32>, tensor<4x4x2xf32>, tensor<6x4xf32>, tensor<6xf32>) -> tensor<1x6x6x3xf32>
  return %0 : tensor<1x6x6x3xf32>
}

// Conv, NHWC, both levels, bias, groups, f16.
// CHECK-LABEL: func.func @conv_nhwc_full(
// CHECK-SAME:    %[[X:.*]]: tensor<1x9x9x4xf16>, %[[B:.*]]: tensor<3x2x2x2xf16>, %[[U:.*]]: tensor<3x2x2xf16>, %[[V:.*]]: tensor<8x3xf16>, %[[BIAS:.*]]: tensor<8xf16>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nhwc_hwcf %[[X]] basis(%[[B]]) coeff_in(%[[U]]) coeff_out(%[[V]]) bias(%[[BIAS]]) strides [2, 2] groups 2 strategy dense : (tensor<1x9x9x4xf16>, tensor<3x2x2x2xf16>, tensor<3x2x2xf16>, tensor<8x3xf16>, tensor<8xf16>) -> tensor<1x4x4x8xf16>
// CHECK-NEXT:    return %[[R]] : tensor<1x4x4x8xf16>
func.func @conv_nhwc_full(%x: tensor<1x9x9x4xf16>, %b: tensor<3x2x2x2xf16>, %u: tensor<3x2x2xf16>, %v: tensor<8x3xf16>, %bias: tensor<8xf16>) -> tensor<1x4x4x8xf16> {
  %0 = mlg.generated_conv2d nhwc_hwcf %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias) strides [2, 2] groups 2 strategy dense : (tensor<1x9x9x4xf16>, tensor<3x2x2x2xf16>, tensor<3x2x2xf16>, tensor<8x3xf16>, tensor<8xf16>) -> tensor<1x4x4x8xf16>
  return %0 : tensor<1x4x4x8xf16>
}

// Depthwise conv: one shared basis [1, Bi, kh, kw], groups = Ci, factorized.
// CHECK-LABEL: func.func @conv_depthwise(
// CHECK-SAME:    %[[X:.*]]: tensor<1x32x8x8xf32>, %[[B:.*]]: tensor<1x4x3x3xf32>, %[[U:.*]]: tensor<1x32x4xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) coeff_in(%[[U]]) padding [1, 1, 1, 1] groups 32 depthwise strategy factorized : (tensor<1x32x8x8xf32>, tensor<1x4x3x3xf32>, tensor<1x32x4xf32>) -> tensor<1x32x8x8xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x32x8x8xf32>
func.func @conv_depthwise(%x: tensor<1x32x8x8xf32>, %b: tensor<1x4x3x3xf32>, %u: tensor<1x32x4xf32>) -> tensor<1x32x8x8xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) padding [1, 1, 1, 1] groups 32 depthwise strategy factorized : (tensor<1x32x8x8xf32>, tensor<1x4x3x3xf32>, tensor<1x32x4xf32>) -> tensor<1x32x8x8xf32>
  return %0 : tensor<1x32x8x8xf32>
}

// Depthwise conv without coeff_in and with a channel multiplier (Co = 2 Ci), NHWC.
// CHECK-LABEL: func.func @conv_depthwise_multiplier(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x8x4xf32>, %[[B:.*]]: tensor<1x8x3x3xf32>, %[[BIAS:.*]]: tensor<8xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nhwc_hwcf %[[X]] basis(%[[B]]) bias(%[[BIAS]]) groups 4 depthwise : (tensor<1x8x8x4xf32>, tensor<1x8x3x3xf32>, tensor<8xf32>) -> tensor<1x6x6x8xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x6x6x8xf32>
func.func @conv_depthwise_multiplier(%x: tensor<1x8x8x4xf32>, %b: tensor<1x8x3x3xf32>, %bias: tensor<8xf32>) -> tensor<1x6x6x8xf32> {
  %0 = mlg.generated_conv2d nhwc_hwcf %x basis(%b) bias(%bias) groups 4 depthwise : (tensor<1x8x8x4xf32>, tensor<1x8x3x3xf32>, tensor<8xf32>) -> tensor<1x6x6x8xf32>
  return %0 : tensor<1x6x6x8xf32>
}

// strategy dense.
// CHECK-LABEL: func.func @conv_strategy_dense(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<16x8x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) strategy dense : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x16x14x14xf32>
func.func @conv_strategy_dense(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) strategy dense : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// strategy tiled.
// CHECK-LABEL: func.func @conv_strategy_tiled(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<16x8x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) strategy tiled : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x16x14x14xf32>
func.func @conv_strategy_tiled(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) strategy tiled : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// strategy factorized.
// CHECK-LABEL: func.func @conv_strategy_factorized(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<4x2x3x3xf32>, %[[U:.*]]: tensor<4x8x2xf32>, %[[V:.*]]: tensor<16x4xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) coeff_in(%[[U]]) coeff_out(%[[V]]) strategy factorized : (tensor<1x8x16x16xf32>, tensor<4x2x3x3xf32>, tensor<4x8x2xf32>, tensor<16x4xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x16x14x14xf32>
func.func @conv_strategy_factorized(%x: tensor<1x8x16x16xf32>, %b: tensor<4x2x3x3xf32>, %u: tensor<4x8x2xf32>, %v: tensor<16x4xf32>) -> tensor<1x16x14x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) strategy factorized : (tensor<1x8x16x16xf32>, tensor<4x2x3x3xf32>, tensor<4x8x2xf32>, tensor<16x4xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// strategy auto is the default: written explicitly, it is elided when printed.
// CHECK-LABEL: func.func @conv_strategy_auto(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<16x8x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x16x14x14xf32>
func.func @conv_strategy_auto(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) strategy auto : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// Default strides, padding, dilations and groups written explicitly are elided.
// CHECK-LABEL: func.func @conv_defaults_spelled(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<16x8x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x16x14x14xf32>
func.func @conv_defaults_spelled(%x: tensor<1x8x16x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) strides [1, 1] padding [0, 0, 0, 0] dilations [1, 1] groups 1 : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// Dynamic batch and height: the inferred result keeps them dynamic.
// CHECK-LABEL: func.func @conv_dynamic(
// CHECK-SAME:    %[[X:.*]]: tensor<?x8x?x16xf32>, %[[B:.*]]: tensor<16x8x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) : (tensor<?x8x?x16xf32>, tensor<16x8x3x3xf32>) -> tensor<?x16x?x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<?x16x?x14xf32>
func.func @conv_dynamic(%x: tensor<?x8x?x16xf32>, %b: tensor<16x8x3x3xf32>) -> tensor<?x16x?x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) : (tensor<?x8x?x16xf32>, tensor<16x8x3x3xf32>) -> tensor<?x16x?x14xf32>
  return %0 : tensor<?x16x?x14xf32>
}

// Dynamic generator dimensions (Bc, Co, kernel width).
// CHECK-LABEL: func.func @conv_dynamic_generators(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<?x2x3x?xf32>, %[[U:.*]]: tensor<?x8x2xf32>, %[[V:.*]]: tensor<?x?xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) coeff_in(%[[U]]) coeff_out(%[[V]]) : (tensor<1x8x16x16xf32>, tensor<?x2x3x?xf32>, tensor<?x8x2xf32>, tensor<?x?xf32>) -> tensor<1x?x14x?xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x?x14x?xf32>
func.func @conv_dynamic_generators(%x: tensor<1x8x16x16xf32>, %b: tensor<?x2x3x?xf32>, %u: tensor<?x8x2xf32>, %v: tensor<?x?xf32>) -> tensor<1x?x14x?xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) : (tensor<1x8x16x16xf32>, tensor<?x2x3x?xf32>, tensor<?x8x2xf32>, tensor<?x?xf32>) -> tensor<1x?x14x?xf32>
  return %0 : tensor<1x?x14x?xf32>
}

// Discardable attributes on a conv.
// CHECK-LABEL: func.func @conv_attr_dict(
// CHECK-SAME:    %[[X:.*]]: tensor<1x8x16x16xf32>, %[[B:.*]]: tensor<16x4x3x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_conv2d nchw_fchw %[[X]] basis(%[[B]]) groups 2 {tag = "c"} : (tensor<1x8x16x16xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x14x14xf32>
// CHECK-NEXT:    return %[[R]] : tensor<1x16x14x14xf32>
func.func @conv_attr_dict(%x: tensor<1x8x16x16xf32>, %b: tensor<16x4x3x3xf32>) -> tensor<1x16x14x14xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) groups 2 {tag = "c"} : (tensor<1x8x16x16xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x14x14xf32>
  return %0 : tensor<1x16x14x14xf32>
}

// Matmul, basis only (the basis is W[Co, Ci]).
// CHECK-LABEL: func.func @matmul_basis_only(
// CHECK-SAME:    %[[X:.*]]: tensor<8x512xf32>, %[[W:.*]]: tensor<10x512xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_matmul %[[X]] basis(%[[W]]) : (tensor<8x512xf32>, tensor<10x512xf32>) -> tensor<8x10xf32>
// CHECK-NEXT:    return %[[R]] : tensor<8x10xf32>
func.func @matmul_basis_only(%x: tensor<8x512xf32>, %w: tensor<10x512xf32>) -> tensor<8x10xf32> {
  %0 = mlg.generated_matmul %x basis(%w) : (tensor<8x512xf32>, tensor<10x512xf32>) -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}

// Matmul with both levels, bias and strategy factorized.
// CHECK-LABEL: func.func @matmul_full(
// CHECK-SAME:    %[[X:.*]]: tensor<8x512xf32>, %[[B:.*]]: tensor<16x4xf32>, %[[U:.*]]: tensor<16x512x4xf32>, %[[V:.*]]: tensor<10x16xf32>, %[[BIAS:.*]]: tensor<10xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_matmul %[[X]] basis(%[[B]]) coeff_in(%[[U]]) coeff_out(%[[V]]) bias(%[[BIAS]]) strategy factorized : (tensor<8x512xf32>, tensor<16x4xf32>, tensor<16x512x4xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<8x10xf32>
// CHECK-NEXT:    return %[[R]] : tensor<8x10xf32>
func.func @matmul_full(%x: tensor<8x512xf32>, %b: tensor<16x4xf32>, %u: tensor<16x512x4xf32>, %v: tensor<10x16xf32>, %bias: tensor<10xf32>) -> tensor<8x10xf32> {
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias) strategy factorized : (tensor<8x512xf32>, tensor<16x4xf32>, tensor<16x512x4xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}

// Matmul with coeff_out and bias, strategy dense.
// CHECK-LABEL: func.func @matmul_coeff_out_bias(
// CHECK-SAME:    %[[X:.*]]: tensor<8x512xf32>, %[[W:.*]]: tensor<64x512xf32>, %[[V:.*]]: tensor<10x64xf32>, %[[BIAS:.*]]: tensor<10xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_matmul %[[X]] basis(%[[W]]) coeff_out(%[[V]]) bias(%[[BIAS]]) strategy dense : (tensor<8x512xf32>, tensor<64x512xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<8x10xf32>
// CHECK-NEXT:    return %[[R]] : tensor<8x10xf32>
func.func @matmul_coeff_out_bias(%x: tensor<8x512xf32>, %w: tensor<64x512xf32>, %v: tensor<10x64xf32>, %bias: tensor<10xf32>) -> tensor<8x10xf32> {
  %0 = mlg.generated_matmul %x basis(%w) coeff_out(%v) bias(%bias) strategy dense : (tensor<8x512xf32>, tensor<64x512xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}

// Matmul with coeff_in only, dynamic batch, bf16, strategy tiled.
// CHECK-LABEL: func.func @matmul_coeff_in(
// CHECK-SAME:    %[[X:.*]]: tensor<?x32xbf16>, %[[B:.*]]: tensor<6x3xbf16>, %[[U:.*]]: tensor<6x32x3xbf16>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_matmul %[[X]] basis(%[[B]]) coeff_in(%[[U]]) strategy tiled : (tensor<?x32xbf16>, tensor<6x3xbf16>, tensor<6x32x3xbf16>) -> tensor<?x6xbf16>
// CHECK-NEXT:    return %[[R]] : tensor<?x6xbf16>
func.func @matmul_coeff_in(%x: tensor<?x32xbf16>, %b: tensor<6x3xbf16>, %u: tensor<6x32x3xbf16>) -> tensor<?x6xbf16> {
  %0 = mlg.generated_matmul %x basis(%b) coeff_in(%u) strategy tiled : (tensor<?x32xbf16>, tensor<6x3xbf16>, tensor<6x32x3xbf16>) -> tensor<?x6xbf16>
  return %0 : tensor<?x6xbf16>
}

// Matmul with coeff_out only, no bias.
// CHECK-LABEL: func.func @matmul_coeff_out(
// CHECK-SAME:    %[[X:.*]]: tensor<4x16xf32>, %[[W:.*]]: tensor<3x16xf32>, %[[V:.*]]: tensor<10x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_matmul %[[X]] basis(%[[W]]) coeff_out(%[[V]]) : (tensor<4x16xf32>, tensor<3x16xf32>, tensor<10x3xf32>) -> tensor<4x10xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4x10xf32>
func.func @matmul_coeff_out(%x: tensor<4x16xf32>, %w: tensor<3x16xf32>, %v: tensor<10x3xf32>) -> tensor<4x10xf32> {
  %0 = mlg.generated_matmul %x basis(%w) coeff_out(%v) : (tensor<4x16xf32>, tensor<3x16xf32>, tensor<10x3xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// Matmul with bias only; explicit `strategy auto` is elided.
// CHECK-LABEL: func.func @matmul_bias_auto(
// CHECK-SAME:    %[[X:.*]]: tensor<4x16xf32>, %[[W:.*]]: tensor<10x16xf32>, %[[BIAS:.*]]: tensor<10xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_matmul %[[X]] basis(%[[W]]) bias(%[[BIAS]]) : (tensor<4x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<4x10xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4x10xf32>
func.func @matmul_bias_auto(%x: tensor<4x16xf32>, %w: tensor<10x16xf32>, %bias: tensor<10xf32>) -> tensor<4x10xf32> {
  %0 = mlg.generated_matmul %x basis(%w) bias(%bias) strategy auto : (tensor<4x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// Matmul with a dynamic Ci on both sides and a discardable attribute.
// CHECK-LABEL: func.func @matmul_dynamic(
// CHECK-SAME:    %[[X:.*]]: tensor<4x?xf32>, %[[W:.*]]: tensor<10x?xf32>)
// CHECK-NEXT:    %[[R:.*]] = mlg.generated_matmul %[[X]] basis(%[[W]]) {tag} : (tensor<4x?xf32>, tensor<10x?xf32>) -> tensor<4x10xf32>
// CHECK-NEXT:    return %[[R]] : tensor<4x10xf32>
func.func @matmul_dynamic(%x: tensor<4x?xf32>, %w: tensor<10x?xf32>) -> tensor<4x10xf32> {
  %0 = mlg.generated_matmul %x basis(%w) {tag} : (tensor<4x?xf32>, tensor<10x?xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// #mlg.midrise on its own, as a discardable attribute (both spellings).
// CHECK-LABEL: func.func @midrise_attribute()
// CHECK-SAME:    attributes {grid = #mlg.midrise<axis = 2, scales = [5.000000e-01, 2.500000e-01]>, grid1 = #mlg.midrise<scale = 1.500000e+00>}
// CHECK-NEXT:    return
func.func @midrise_attribute() attributes {grid = #mlg.midrise<axis = 2, scales = [0.5, 0.25]>, grid1 = #mlg.midrise<scale = 1.5>} {
  return
}

// Power-of-two codes, f32 and f16 results (the widest exponent range f16 has
// for 5-bit codes: [-14, 2], one more for the code -16).
// CHECK-LABEL: func.func @decode_pow2(
// CHECK-SAME:    %[[C:.*]]: tensor<4x3xi5>, %[[H:.*]]: tensor<2xi5>)
// CHECK-NEXT:    %[[R:.*]] = mlg.decode_pow2 %[[C]] min_exponent -9 : tensor<4x3xi5> -> tensor<4x3xf32>
// CHECK-NEXT:    %[[S:.*]] = mlg.decode_pow2 %[[H]] min_exponent -14 : tensor<2xi5> -> tensor<2xf16>
// CHECK-NEXT:    return %[[R]], %[[S]] : tensor<4x3xf32>, tensor<2xf16>
func.func @decode_pow2(%c: tensor<4x3xi5>, %h: tensor<2xi5>) -> (tensor<4x3xf32>, tensor<2xf16>) {
  %0 = mlg.decode_pow2 %c min_exponent -9 : tensor<4x3xi5> -> tensor<4x3xf32>
  %1 = mlg.decode_pow2 %h min_exponent -14 : tensor<2xi5> -> tensor<2xf16>
  return %0, %1 : tensor<4x3xf32>, tensor<2xf16>
}
