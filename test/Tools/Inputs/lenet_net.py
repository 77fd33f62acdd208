#!/usr/bin/env python3
"""A LeNet-style classifier for the photonic target (ptc-vs-cpu-flatten.mlir).

Input 2x1x12x12:
  conv1  5x5, 1 -> 12, + bias (no ReLU)        -> 12x8x8
  pool   2x2 max pooling, stride 2, of signed values  -> 12x4x4
  avg    2x2 average pooling, stride 2         -> 12x2x2
  flatten to [2, 48] (NCHW order), fc 48 -> 10, + bias

  lenet_net.py write DIR   DIR/net.mlir and DIR/x.npy (NCHW float32; e2e_net.main)
"""
import sys

from e2e_net import bias_relu, constants, main, random_weights, ttype

INPUT_SEED = 4
INPUT_SHAPE = (2, 1, 12, 12)


def weights():
    return random_weights(9, {"w1": ((12, 1, 5, 5), 0.3), "b1": ((12,), 0.1),
                              "wf": ((48, 10), 0.1), "bf": ((10,), 0.1)})


def module_text(w):
    n = INPUT_SHAPE[0]
    act, pooled, small = (n, 12, 8, 8), (n, 12, 4, 4), (n, 12, 2, 2)
    return f"""#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
#row = affine_map<(n, k) -> (n, k)>
#col = affine_map<(n, k) -> (k)>
func.func @lenet(%x: {ttype(INPUT_SHAPE)}) -> {ttype((n, 10))} {{
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %quarter = arith.constant 0.25 : f32
{constants(w)}
  %e = tensor.empty() : {ttype(act)}
  %acc = linalg.fill ins(%zero : f32) outs(%e : {ttype(act)}) -> {ttype(act)}
  %c1 = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%x, %w1 : {ttype(INPUT_SHAPE)}, {ttype((12, 1, 5, 5))}) outs(%acc : {ttype(act)}) -> {ttype(act)} loc("conv1")
{bias_relu("%h1", "%c1", "%b1", act, relu=False)}
  %pe = tensor.empty() : {ttype(pooled)}
  %pinit = linalg.fill ins(%ninf : f32) outs(%pe : {ttype(pooled)}) -> {ttype(pooled)}
  %window = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nchw_max {{dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}}
      ins(%h1, %window : {ttype(act)}, tensor<2x2xf32>) outs(%pinit : {ttype(pooled)}) -> {ttype(pooled)} loc("pool")
  %ae = tensor.empty() : {ttype(small)}
  %ainit = linalg.fill ins(%zero : f32) outs(%ae : {ttype(small)}) -> {ttype(small)}
  %sum = linalg.pooling_nchw_sum {{dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}}
      ins(%p, %window : {ttype(pooled)}, tensor<2x2xf32>) outs(%ainit : {ttype(small)}) -> {ttype(small)} loc("avg")
  %avg = linalg.generic {{indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%sum : {ttype(small)}) outs(%ae : {ttype(small)}) {{
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %quarter : f32
    linalg.yield %m : f32
  }} -> {ttype(small)}
  %flat = tensor.collapse_shape %avg [[0], [1, 2, 3]] : {ttype(small)} into {ttype((n, 48))}
  %fe = tensor.empty() : {ttype((n, 10))}
  %facc = linalg.fill ins(%zero : f32) outs(%fe : {ttype((n, 10))}) -> {ttype((n, 10))}
  %mm = linalg.matmul ins(%flat, %wf : {ttype((n, 48))}, {ttype((48, 10))}) outs(%facc : {ttype((n, 10))}) -> {ttype((n, 10))} loc("fc")
  %y = linalg.generic {{indexing_maps = [#row, #col, #row], iterator_types = ["parallel", "parallel"]}}
      ins(%mm, %bf : {ttype((n, 10))}, {ttype((10,))}) outs(%fe : {ttype((n, 10))}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }} -> {ttype((n, 10))}
  return %y : {ttype((n, 10))}
}}
"""



if __name__ == "__main__":
    sys.exit(main(sys.modules[__name__]))
