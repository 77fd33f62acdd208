// RUN: mlg-opt %s --mlg-fuse-generation --mlir-print-debuginfo | FileCheck %s

// The fused op keeps the consumer's location (the layer name that reports
// and overrides use), fused with the bias add's when that is folded.
// CHECK-LABEL: func.func @named
// CHECK:         mlg.generated_conv2d {{.+}} loc(#[[CONV:loc[0-9]+]])
// CHECK:         mlg.generated_matmul {{.+}} bias({{.+}} loc(#[[FC:loc[0-9]+]])
// CHECK-DAG:     #[[CONVNAME:loc[0-9]+]] = loc("layer1.conv")
// CHECK-DAG:     #[[BIASNAME:loc[0-9]+]] = loc("layer1.bias")
// CHECK-DAG:     #[[CONV]] = loc(fused[#[[CONVNAME]], #[[BIASNAME]]])
// CHECK-DAG:     #[[FC]] = loc("fc")
func.func @named(%x: tensor<1x3x6x6xf32>, %bias: tensor<6xf32>, %xf: tensor<2x8xf32>) -> (tensor<1x6x4x4xf32>, tensor<2x5xf32>) {
  %zero = arith.constant 0.0 : f32
  %b = arith.constant dense<0.5> : tensor<2x3x3x3xf32>
  %v = arith.constant dense<2.0> : tensor<6x2xf32>
  %w = mlg.generate_cross %v, %b : tensor<6x2xf32>, tensor<2x3x3x3xf32> -> tensor<6x3x3x3xf32>
  %e = tensor.empty() : tensor<1x6x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x6x6xf32>, tensor<6x3x3x3xf32>) outs(%f : tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32> loc("layer1.conv")
  %e2 = tensor.empty() : tensor<1x6x4x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c, %bias : tensor<1x6x4x4xf32>, tensor<6xf32>) outs(%e2 : tensor<1x6x4x4xf32>) {
  ^bb0(%in: f32, %bv: f32, %out: f32):
    %s = arith.addf %in, %bv : f32
    linalg.yield %s : f32
  } -> tensor<1x6x4x4xf32> loc("layer1.bias")
  %fb = arith.constant dense<0.5> : tensor<3x8xf32>
  %fv = arith.constant dense<2.0> : tensor<5x3xf32>
  %fbias = arith.constant dense<1.0> : tensor<5xf32>
  %fw = mlg.generate_cross %fv, %fb : tensor<5x3xf32>, tensor<3x8xf32> -> tensor<5x8xf32>
  %fe = tensor.empty() : tensor<2x5xf32>
  %init = linalg.broadcast ins(%fbias : tensor<5xf32>) outs(%fe : tensor<2x5xf32>) dimensions = [0]
  %m = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%xf, %fw : tensor<2x8xf32>, tensor<5x8xf32>) outs(%init : tensor<2x5xf32>) -> tensor<2x5xf32> loc("fc")
  return %y, %m : tensor<1x6x4x4xf32>, tensor<2x5xf32>
}
