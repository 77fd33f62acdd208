// RUN: mlg-opt %s --mlg-decompose --split-input-file -verify-diagnostics | FileCheck %s

// Layers the pass cannot compress are left exactly as they were, with a
// remark saying why; nothing fails.

// CHECK-LABEL: func.func @weight_is_an_argument
// CHECK:         linalg.conv_2d_nchw_fchw {{.*}} ins(%arg0, %arg1 :
func.func @weight_is_an_argument(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %out: tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> {
  // expected-remark @below {{mlg-decompose: left unchanged: the weight is not compressible, it is not a constant}}
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) outs(%out : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @conv_3d
// CHECK:         linalg.conv_3d_ncdhw_fcdhw
func.func @conv_3d(%x: tensor<1x2x4x4x4xf32>, %out: tensor<1x2x2x2x2xf32>) -> tensor<1x2x2x2x2xf32> {
  %w = arith.constant dense<0.5> : tensor<2x2x3x3x3xf32>
  // expected-remark @below {{mlg-decompose: left unchanged: 'linalg.conv_3d_ncdhw_fcdhw' is not a supported convolution}}
  %y = linalg.conv_3d_ncdhw_fcdhw {dilations = dense<1> : tensor<3xi64>, strides = dense<1> : tensor<3xi64>}
      ins(%x, %w : tensor<1x2x4x4x4xf32>, tensor<2x2x3x3x3xf32>) outs(%out : tensor<1x2x2x2x2xf32>) -> tensor<1x2x2x2x2xf32>
  return %y : tensor<1x2x2x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @depthwise_with_multiplier
// CHECK:         linalg.depthwise_conv_2d_nhwc_hwcm
func.func @depthwise_with_multiplier(%x: tensor<1x5x5x4xf32>, %out: tensor<1x3x3x4x2xf32>) -> tensor<1x3x3x4x2xf32> {
  %w = arith.constant dense<0.5> : tensor<3x3x4x2xf32>
  // expected-remark @below {{mlg-decompose: left unchanged: 'linalg.depthwise_conv_2d_nhwc_hwcm' is not a supported convolution}}
  %y = linalg.depthwise_conv_2d_nhwc_hwcm {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x5x5x4xf32>, tensor<3x3x4x2xf32>) outs(%out : tensor<1x3x3x4x2xf32>) -> tensor<1x3x3x4x2xf32>
  return %y : tensor<1x3x3x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @integer_weight
// CHECK:         linalg.conv_2d_nchw_fchw
func.func @integer_weight(%x: tensor<1x3x8x8xi8>, %out: tensor<1x8x6x6xi32>) -> tensor<1x8x6x6xi32> {
  %w = arith.constant dense<1> : tensor<8x3x3x3xi8>
  // expected-remark @below {{mlg-decompose: left unchanged: the weight is not compressible, it is not a static float tensor}}
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xi8>, tensor<8x3x3x3xi8>) outs(%out : tensor<1x8x6x6xi32>) -> tensor<1x8x6x6xi32>
  return %y : tensor<1x8x6x6xi32>
}

// -----

// CHECK-LABEL: func.func @elided_weight
// CHECK:         dense_resource<__elided__>
func.func @elided_weight(%x: tensor<1x3x8x8xf32>, %out: tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %w = arith.constant dense_resource<__elided__> : tensor<8x3x3x3xf32>
  // expected-remark @below {{mlg-decompose: left unchanged: weight not read: its dense_resource blob '__elided__' has no data (elided or missing)}}
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) outs(%out : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

// CHECK-LABEL: func.func @nan_weight
// CHECK-NOT:     mlg.generate
func.func @nan_weight(%x: tensor<1x3x8x8xf32>, %out: tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %w = arith.constant dense<0x7FC00000> : tensor<8x3x3x3xf32>
  // expected-remark @below {{mlg-decompose: left unchanged: the weight has non-finite values}}
  %y = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) outs(%out : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %y : tensor<1x8x6x6xf32>
}

// -----

// Pooling shares the convolution interface but has no weight: no remark.
// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x2x4x4xf32>, %out: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %window = tensor.empty() : tensor<2x2xf32>
  %y = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %window : tensor<1x2x4x4xf32>, tensor<2x2xf32>) outs(%out : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
