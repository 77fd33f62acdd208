// Every op and syntactic variant prints, parses back and prints identically,
// in both the custom and the generic form.
// RUN: mlg-opt %s | mlg-opt | FileCheck %s
// RUN: mlg-opt %s --mlir-print-op-generic | mlg-opt | FileCheck %s
// RUN: mlg-opt %s > %t.1 && mlg-opt %t.1 > %t.2 && diff %t.1 %t.2
// RUN: mlg-opt %s --mlir-print-op-generic > %t.g1 && mlg-opt %t.g1 --mlir-print-op-generic > %t.g2 && diff %t.g1 %t.g2

// CHECK-LABEL: func.func @dequantize_midrise_per_tensor
// CHECK: mlg.dequantize %{{.*}} as midrise<scale = 2.500000e-01> : tensor<3x2x3x3xi3> -> tensor<3x2x3x3xf32>
func.func @dequantize_midrise_per_tensor(%c: tensor<3x2x3x3xi3>) -> tensor<3x2x3x3xf32> {
  %0 = mlg.dequantize %c as midrise<scale = 0.25> : tensor<3x2x3x3xi3> -> tensor<3x2x3x3xf32>
  return %0 : tensor<3x2x3x3xf32>
}

// CHECK-LABEL: func.func @dequantize_midrise_per_channel
// CHECK: mlg.dequantize %{{.*}} as midrise<axis = 1, scales = [5.000000e-01, 1.250000e-01]> : tensor<4x2xi6> -> tensor<4x2xf16>
func.func @dequantize_midrise_per_channel(%c: tensor<4x2xi6>) -> tensor<4x2xf16> {
  %0 = mlg.dequantize %c as midrise<axis = 1, scales = [0.5, 0.125]> : tensor<4x2xi6> -> tensor<4x2xf16>
  return %0 : tensor<4x2xf16>
}

// CHECK-LABEL: func.func @dequantize_one_and_sixteen_bits
// CHECK: mlg.dequantize %{{.*}} as midrise<scale = 1.000000e+00> : tensor<8xi1> -> tensor<8xf32>
// CHECK: mlg.dequantize %{{.*}} as midrise<scale = 3.051750e-05> : tensor<?xi16> -> tensor<?xf32>
func.func @dequantize_one_and_sixteen_bits(%a: tensor<8xi1>, %b: tensor<?xi16>) -> (tensor<8xf32>, tensor<?xf32>) {
  %0 = mlg.dequantize %a as midrise<scale = 1.0> : tensor<8xi1> -> tensor<8xf32>
  %1 = mlg.dequantize %b as midrise<scale = 3.05175e-05> : tensor<?xi16> -> tensor<?xf32>
  return %0, %1 : tensor<8xf32>, tensor<?xf32>
}

// CHECK-LABEL: func.func @dequantize_midtread
// CHECK: mlg.dequantize %{{.*}} as !quant.uniform<i4<-7:7>:f32, 5.000000e-01> : tensor<16xi4> -> tensor<16xf32>
// CHECK: mlg.dequantize %{{.*}} as !quant.uniform<i3<-3:3>:f32:0, {1.000000e+00,2.500000e-01}> : tensor<2x44xi3> -> tensor<2x44xf32>
func.func @dequantize_midtread(%a: tensor<16xi4>, %b: tensor<2x44xi3>) -> (tensor<16xf32>, tensor<2x44xf32>) {
  %0 = mlg.dequantize %a as !quant.uniform<i4<-7:7>:f32, 0.5> : tensor<16xi4> -> tensor<16xf32>
  %1 = mlg.dequantize %b as !quant.uniform<i3<-3:3>:f32:0, {1.0, 0.25}> : tensor<2x44xi3> -> tensor<2x44xf32>
  return %0, %1 : tensor<16xf32>, tensor<2x44xf32>
}

// CHECK-LABEL: func.func @generate_two_levels
// CHECK: %[[WC:.*]] = mlg.generate_intra %{{.*}}, %{{.*}} : tensor<44x64x2xf32>, tensor<44x2x3x3xf32> -> tensor<44x64x3x3xf32>
// CHECK: mlg.generate_cross %{{.*}}, %[[WC]] : tensor<128x44xf32>, tensor<44x64x3x3xf32> -> tensor<128x64x3x3xf32>
func.func @generate_two_levels(%u: tensor<44x64x2xf32>, %b: tensor<44x2x3x3xf32>, %v: tensor<128x44xf32>) -> tensor<128x64x3x3xf32> {
  %wc = mlg.generate_intra %u, %b : tensor<44x64x2xf32>, tensor<44x2x3x3xf32> -> tensor<44x64x3x3xf32>
  %w = mlg.generate_cross %v, %wc : tensor<128x44xf32>, tensor<44x64x3x3xf32> -> tensor<128x64x3x3xf32>
  return %w : tensor<128x64x3x3xf32>
}

// Linear layers have no spatial dimensions; dynamic sizes propagate.
// CHECK-LABEL: func.func @generate_linear_dynamic
// CHECK: mlg.generate_intra %{{.*}}, %{{.*}} : tensor<4x?x2xf32>, tensor<4x2xf32> -> tensor<4x?xf32>
// CHECK: mlg.generate_cross %{{.*}}, %{{.*}} : tensor<?x4xf32>, tensor<4x?xf32> -> tensor<?x?xf32>
func.func @generate_linear_dynamic(%u: tensor<4x?x2xf32>, %b: tensor<4x2xf32>, %v: tensor<?x4xf32>) -> tensor<?x?xf32> {
  %wc = mlg.generate_intra %u, %b : tensor<4x?x2xf32>, tensor<4x2xf32> -> tensor<4x?xf32>
  %w = mlg.generate_cross %v, %wc : tensor<?x4xf32>, tensor<4x?xf32> -> tensor<?x?xf32>
  return %w : tensor<?x?xf32>
}

// CHECK-LABEL: func.func @conv_all_operands_nchw
// CHECK: mlg.generated_conv2d nchw_fchw %{{.*}} basis(%{{.*}}) coeff_in(%{{.*}}) coeff_out(%{{.*}}) bias(%{{.*}}) strides [2, 2] padding [1, 1, 1, 1] : (tensor<1x64x32x32xf32>, tensor<44x2x3x3xf32>, tensor<44x64x2xf32>, tensor<128x44xf32>, tensor<128xf32>) -> tensor<1x128x16x16xf32>
func.func @conv_all_operands_nchw(%x: tensor<1x64x32x32xf32>, %b: tensor<44x2x3x3xf32>, %u: tensor<44x64x2xf32>, %v: tensor<128x44xf32>, %bias: tensor<128xf32>) -> tensor<1x128x16x16xf32> {
  %0 = mlg.generated_conv2d nchw_fchw %x basis(%b) coeff_in(%u) coeff_out(%v) bias(%bias) strides [2, 2] padding [1, 1, 1, 1] : (tensor<1x64x32x32xf32>, tensor<44x2x3x3xf32>, tensor<44x64x2xf32>, tensor<128x44xf32>, tensor<128xf32>) -> tensor<1x128x16x16xf32>
  return %0 : tensor<1x128x16x16xf32>
}

// Only level 2 (a 1x1 conv), NHWC, dilation, groups, every strategy keyword.
// CHECK-LABEL: func.func @conv_variants
// CHECK: mlg.generated_conv2d nhwc_hwcf %{{.*}} basis(%{{.*}}) coeff_out(%{{.*}}) strategy factorized : (tensor<8x7x7x256xf32>, tensor<44x256x1x1xf32>, tensor<512x44xf32>) -> tensor<8x7x7x512xf32>
// CHECK: mlg.generated_conv2d nhwc_hwcf %{{.*}} basis(%{{.*}}) padding [2, 2, 2, 2] dilations [2, 2] groups 4 strategy tiled : (tensor<?x9x9x8xf32>, tensor<8x2x3x3xf32>) -> tensor<?x9x9x8xf32>
// CHECK: mlg.generated_conv2d nchw_fchw %{{.*}} basis(%{{.*}}) coeff_in(%{{.*}}) groups 32 depthwise strategy dense : (tensor<1x32x8x8xf32>, tensor<1x2x3x3xf32>, tensor<1x32x2xf32>) -> tensor<1x32x6x6xf32>
// CHECK: mlg.generated_conv2d nchw_fchw %{{.*}} basis(%{{.*}}) padding [0, 1, 2, 3] : (tensor<1x3x5x5xf32>, tensor<4x3x2x2xf32>) -> tensor<1x4x6x8xf32>
func.func @conv_variants(%x1: tensor<8x7x7x256xf32>, %b1: tensor<44x256x1x1xf32>, %v1: tensor<512x44xf32>,
                         %x2: tensor<?x9x9x8xf32>, %w2: tensor<8x2x3x3xf32>,
                         %x3: tensor<1x32x8x8xf32>, %b3: tensor<1x2x3x3xf32>, %u3: tensor<1x32x2xf32>,
                         %x4: tensor<1x3x5x5xf32>, %w4: tensor<4x3x2x2xf32>) {
  %0 = mlg.generated_conv2d nhwc_hwcf %x1 basis(%b1) coeff_out(%v1) strategy factorized : (tensor<8x7x7x256xf32>, tensor<44x256x1x1xf32>, tensor<512x44xf32>) -> tensor<8x7x7x512xf32>
  %1 = mlg.generated_conv2d nhwc_hwcf %x2 basis(%w2) padding [2, 2, 2, 2] dilations [2, 2] groups 4 strategy tiled : (tensor<?x9x9x8xf32>, tensor<8x2x3x3xf32>) -> tensor<?x9x9x8xf32>
  %2 = mlg.generated_conv2d nchw_fchw %x3 basis(%b3) coeff_in(%u3) groups 32 depthwise strategy dense : (tensor<1x32x8x8xf32>, tensor<1x2x3x3xf32>, tensor<1x32x2xf32>) -> tensor<1x32x6x6xf32>
  %3 = mlg.generated_conv2d nchw_fchw %x4 basis(%w4) padding [0, 1, 2, 3] strategy auto : (tensor<1x3x5x5xf32>, tensor<4x3x2x2xf32>) -> tensor<1x4x6x8xf32>
  return
}

// CHECK-LABEL: func.func @matmuls
// CHECK: mlg.generated_matmul %{{.*}} basis(%{{.*}}) coeff_out(%{{.*}}) bias(%{{.*}}) : (tensor<8x512xf32>, tensor<64x512xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<8x10xf32>
// CHECK: mlg.generated_matmul %{{.*}} basis(%{{.*}}) coeff_in(%{{.*}}) strategy factorized : (tensor<?x16xf32>, tensor<4x2xf32>, tensor<4x16x2xf32>) -> tensor<?x4xf32>
func.func @matmuls(%x: tensor<8x512xf32>, %wc: tensor<64x512xf32>, %v: tensor<10x64xf32>, %bias: tensor<10xf32>,
                   %x2: tensor<?x16xf32>, %b2: tensor<4x2xf32>, %u2: tensor<4x16x2xf32>) {
  %0 = mlg.generated_matmul %x basis(%wc) coeff_out(%v) bias(%bias) : (tensor<8x512xf32>, tensor<64x512xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<8x10xf32>
  %1 = mlg.generated_matmul %x2 basis(%b2) coeff_in(%u2) strategy factorized : (tensor<?x16xf32>, tensor<4x2xf32>, tensor<4x16x2xf32>) -> tensor<?x4xf32>
  return
}
