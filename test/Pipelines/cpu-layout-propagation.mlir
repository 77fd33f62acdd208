// RUN: mlg-opt %s --pass-pipeline='builtin.module(func.func(mlg-cpu-vectorize))' --mlir-print-local-scope | FileCheck %s

// A residual block in NCHW: the activations stay NHWC from the input
// transpose to the output transpose. Bias + ReLU, the padding, the residual
// add and the max pooling all run in NHWC (the transposes the NHWC
// convolutions leave sink through them and cancel at the next convolution).

#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
// CHECK-LABEL: func.func @block
// The input and both filters are transposed once (filters: to HWCF).
// CHECK:       linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
// CHECK-SAME:    ins(%arg0 : tensor<1x8x8x8xf32>)
// CHECK-NOT:   (d0, d3, d1, d2)
// CHECK-NOT:   (d0, d2, d3, d1)
// Bias + ReLU over NHWC, the bias indexed by the channel, now last.
// CHECK:       linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
// CHECK-SAME:    ins(%{{.*}}, %arg3 : tensor<1x6x6x8xf32>, tensor<8xf32>)
// CHECK:       tensor.pad {{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK-NOT:   (d0, d3, d1, d2)
// CHECK-NOT:   (d0, d2, d3, d1)
// CHECK:       linalg.pooling_nhwc_max {{.*}} -> tensor<1x3x3x8xf32>
// Back to NCHW for the result only.
// CHECK-NEXT:  tensor.empty() : tensor<1x8x3x3xf32>
// CHECK-NEXT:  %[[OUT:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
// CHECK:       return %[[OUT]] : tensor<1x8x3x3xf32>
func.func @block(%x: tensor<1x8x8x8xf32>, %w1: tensor<8x8x3x3xf32>, %w2: tensor<8x8x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x8x6x6xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w1 : tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) outs(%acc : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %r = linalg.generic {indexing_maps = [#id, #chan, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c1, %b : tensor<1x8x6x6xf32>, tensor<8xf32>) outs(%e : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %bb: f32, %o: f32):
    %s = arith.addf %a, %bb : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x6x6xf32>
  %p = tensor.pad %r low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x6x6xf32> to tensor<1x8x8x8xf32>
  %c2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w2 : tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) outs(%acc : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %res = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c2, %r : tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>) outs(%e : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %bb: f32, %o: f32):
    %s = arith.addf %a, %bb : f32
    linalg.yield %s : f32
  } -> tensor<1x8x6x6xf32>
  %pe = tensor.empty() : tensor<1x8x3x3xf32>
  %pinit = linalg.fill ins(%ninf : f32) outs(%pe : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  %window = tensor.empty() : tensor<2x2xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%res, %window : tensor<1x8x6x6xf32>, tensor<2x2xf32>) outs(%pinit : tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %pool : tensor<1x8x3x3xf32>
}
