#!/usr/bin/env python3
"""A LeNet-style classifier for the photonic target (ptc-vs-cpu-flatten.mlir).

Input 2x1x12x12:
  conv1  5x5, 1 -> 12, + bias, relu            -> 12x8x8
  pool   2x2 max pooling, stride 2             -> 12x4x4
  flatten to [2, 192] (NCHW order), fc 192 -> 10, + bias

  lenet_net.py write DIR   DIR/model.mlir and DIR/x.npy (NCHW float32)
"""
import os
import sys

import numpy as np

from e2e_net import constants, ttype

INPUT_SHAPE = (2, 1, 12, 12)


def weights():
    rng = np.random.default_rng(9)

    def f32(*shape, scale):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    return {"w1": f32(12, 1, 5, 5, scale=0.3), "b1": f32(12, scale=0.1),
            "wf": f32(192, 10, scale=0.1), "bf": f32(10, scale=0.1)}


def module_text(w):
    n = INPUT_SHAPE[0]
    act, pooled = (n, 12, 8, 8), (n, 12, 4, 4)
    return f"""#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
#row = affine_map<(n, k) -> (n, k)>
#col = affine_map<(n, k) -> (k)>
func.func @lenet(%x: {ttype(INPUT_SHAPE)}) -> {ttype((n, 10))} {{
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
{constants(w)}
  %e = tensor.empty() : {ttype(act)}
  %acc = linalg.fill ins(%zero : f32) outs(%e : {ttype(act)}) -> {ttype(act)}
  %c1 = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%x, %w1 : {ttype(INPUT_SHAPE)}, {ttype((12, 1, 5, 5))}) outs(%acc : {ttype(act)}) -> {ttype(act)} loc("conv1")
  %h1 = linalg.generic {{indexing_maps = [#id, #chan, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%c1, %b1 : {ttype(act)}, {ttype((12,))}) outs(%e : {ttype(act)}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> {ttype(act)}
  %pe = tensor.empty() : {ttype(pooled)}
  %pinit = linalg.fill ins(%ninf : f32) outs(%pe : {ttype(pooled)}) -> {ttype(pooled)}
  %window = tensor.empty() : tensor<2x2xf32>
  %p = linalg.pooling_nchw_max {{dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}}
      ins(%h1, %window : {ttype(act)}, tensor<2x2xf32>) outs(%pinit : {ttype(pooled)}) -> {ttype(pooled)} loc("pool")
  %flat = tensor.collapse_shape %p [[0], [1, 2, 3]] : {ttype(pooled)} into {ttype((n, 192))}
  %fe = tensor.empty() : {ttype((n, 10))}
  %facc = linalg.fill ins(%zero : f32) outs(%fe : {ttype((n, 10))}) -> {ttype((n, 10))}
  %mm = linalg.matmul ins(%flat, %wf : {ttype((n, 192))}, {ttype((192, 10))}) outs(%facc : {ttype((n, 10))}) -> {ttype((n, 10))} loc("fc")
  %y = linalg.generic {{indexing_maps = [#row, #col, #row], iterator_types = ["parallel", "parallel"]}}
      ins(%mm, %bf : {ttype((n, 10))}, {ttype((10,))}) outs(%fe : {ttype((n, 10))}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }} -> {ttype((n, 10))}
  return %y : {ttype((n, 10))}
}}
"""


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "write":
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = sys.argv[2]
    with open(os.path.join(out_dir, "model.mlir"), "w") as fh:
        fh.write(module_text(weights()))
    x = np.random.default_rng(4).standard_normal(INPUT_SHAPE).astype(np.float32)
    np.save(os.path.join(out_dir, "x.npy"), x)
    return 0


if __name__ == "__main__":
    sys.exit(main())
