#!/usr/bin/env python3
"""A CNN with every convolution variant, for the mlgc/mlg-run end-to-end tests.

Input 1x4x12x12:
  conv_s2  3x3 stride 2, padding 1, 4 -> 16, + bias, relu       -> h1 (16x6x6)
  dw       depthwise 3x3, dilation 2, padding 2, relu            -> h2
  grouped  3x3, 2 groups of 8 -> 8, padding 1, + h1, relu        -> h3
  pw       1x1, 16 -> 24                                          -> h4 (24x6x6)
  2x2 average pooling, flatten, fc 216 -> 10 + bias               -> logits
Returns the logits and the pooled features. Float64 reference: forward().
Usage (write DIR / check DIR LOGITS.npy POOLED.npy [--compress ...]): e2e_net.py.
"""
import sys

import numpy as np

from e2e_net import constants, main, pad, ttype

INPUT_SHAPE = (1, 4, 12, 12)
INPUT_SEED = 8
# Compressed layer -> (weight key, canonical [Co, Ci/groups, k, k] -> stored layout).
LAYERS = {
    "conv_s2": ("w1", lambda c: c.reshape(16, 4, 3, 3)),
    "dw": ("wd", lambda c: c.reshape(16, 3, 3)),
    "grouped": ("wg", lambda c: c.reshape(2, 8, 8, 3, 3)),
    "pw": ("wp", lambda c: c.reshape(24, 16, 1, 1)),
    "fc": ("wf", lambda c: c.reshape(10, 216).T),
}


def weights():
    rng = np.random.default_rng(7)

    def f32(*shape, scale):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    return {
        "w1": f32(16, 4, 3, 3, scale=0.3), "b1": f32(16, scale=0.1),
        "wd": f32(16, 3, 3, scale=0.3),
        "wg": f32(2, 8, 8, 3, 3, scale=0.2),
        "wp": f32(24, 16, 1, 1, scale=0.25),
        "wf": f32(216, 10, scale=0.1), "bf": f32(10, scale=0.1),
    }


def module_text(w):
    act = (1, 16, 6, 6)
    grouped_act = (1, 2, 8, 6, 6)
    return f"""#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
#row = affine_map<(n, k) -> (n, k)>
#col = affine_map<(n, k) -> (k)>
func.func @forward(%x: {ttype(INPUT_SHAPE)}) -> ({ttype((1, 10))}, {ttype((1, 24, 3, 3))}) {{
  %zero = arith.constant 0.0 : f32
  %quarter = arith.constant 0.25 : f32
{constants(w)}
  %e = tensor.empty() : {ttype(act)}
  %acc = linalg.fill ins(%zero : f32) outs(%e : {ttype(act)}) -> {ttype(act)}
  %xp = {pad("%x", INPUT_SHAPE, (1, 4, 14, 14), 1, 1)}
  %c1 = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}}
      ins(%xp, %w1 : {ttype((1, 4, 14, 14))}, {ttype((16, 4, 3, 3))}) outs(%acc : {ttype(act)}) -> {ttype(act)} loc("conv_s2")
  %h1 = linalg.generic {{indexing_maps = [#id, #chan, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%c1, %b1 : {ttype(act)}, {ttype((16,))}) outs(%e : {ttype(act)}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> {ttype(act)}
  %h1p = {pad("%h1", act, (1, 16, 10, 10), 2, 2)}
  %cd = linalg.depthwise_conv_2d_nchw_chw {{dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%h1p, %wd : {ttype((1, 16, 10, 10))}, {ttype((16, 3, 3))}) outs(%acc : {ttype(act)}) -> {ttype(act)} loc("dw")
  %h2 = linalg.generic {{indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%cd : {ttype(act)}) outs(%e : {ttype(act)}) {{
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }} -> {ttype(act)}
  %h2p = {pad("%h2", act, (1, 16, 8, 8), 1, 1)}
  %h2g = tensor.expand_shape %h2p [[0], [1, 2], [3], [4]] output_shape [1, 2, 8, 8, 8] : {ttype((1, 16, 8, 8))} into {ttype((1, 2, 8, 8, 8))}
  %ge = tensor.empty() : {ttype(grouped_act)}
  %gacc = linalg.fill ins(%zero : f32) outs(%ge : {ttype(grouped_act)}) -> {ttype(grouped_act)}
  %cg = linalg.conv_2d_ngchw_gfchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%h2g, %wg : {ttype((1, 2, 8, 8, 8))}, {ttype((2, 8, 8, 3, 3))}) outs(%gacc : {ttype(grouped_act)}) -> {ttype(grouped_act)} loc("grouped")
  %cgf = tensor.collapse_shape %cg [[0], [1, 2], [3], [4]] : {ttype(grouped_act)} into {ttype(act)}
  %h3 = linalg.generic {{indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%cgf, %h1 : {ttype(act)}, {ttype(act)}) outs(%e : {ttype(act)}) {{
  ^bb0(%a: f32, %res: f32, %o: f32):
    %s = arith.addf %a, %res : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> {ttype(act)}
  %pe = tensor.empty() : {ttype((1, 24, 6, 6))}
  %pacc = linalg.fill ins(%zero : f32) outs(%pe : {ttype((1, 24, 6, 6))}) -> {ttype((1, 24, 6, 6))}
  %h4 = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}}
      ins(%h3, %wp : {ttype(act)}, {ttype((24, 16, 1, 1))}) outs(%pacc : {ttype((1, 24, 6, 6))}) -> {ttype((1, 24, 6, 6))} loc("pw")
  %se = tensor.empty() : {ttype((1, 24, 3, 3))}
  %sinit = linalg.fill ins(%zero : f32) outs(%se : {ttype((1, 24, 3, 3))}) -> {ttype((1, 24, 3, 3))}
  %window = tensor.empty() : tensor<2x2xf32>
  %sum = linalg.pooling_nchw_sum {{dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}}
      ins(%h4, %window : {ttype((1, 24, 6, 6))}, tensor<2x2xf32>) outs(%sinit : {ttype((1, 24, 3, 3))}) -> {ttype((1, 24, 3, 3))}
  %pool = linalg.generic {{indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%sum : {ttype((1, 24, 3, 3))}) outs(%se : {ttype((1, 24, 3, 3))}) {{
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %quarter : f32
    linalg.yield %m : f32
  }} -> {ttype((1, 24, 3, 3))}
  %flat = tensor.collapse_shape %pool [[0], [1, 2, 3]] : {ttype((1, 24, 3, 3))} into {ttype((1, 216))}
  %le = tensor.empty() : {ttype((1, 10))}
  %lacc = linalg.fill ins(%zero : f32) outs(%le : {ttype((1, 10))}) -> {ttype((1, 10))}
  %mm = linalg.matmul ins(%flat, %wf : {ttype((1, 216))}, {ttype((216, 10))}) outs(%lacc : {ttype((1, 10))}) -> {ttype((1, 10))} loc("fc")
  %logits = linalg.generic {{indexing_maps = [#row, #col, #row], iterator_types = ["parallel", "parallel"]}}
      ins(%mm, %bf : {ttype((1, 10))}, {ttype((10,))}) outs(%le : {ttype((1, 10))}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }} -> {ttype((1, 10))}
  return %logits, %pool : {ttype((1, 10))}, {ttype((1, 24, 3, 3))}
}}
"""


def conv(x, w, stride=1, padding=0, dilation=1, groups=1):
    """NCHW x [Co, Ci/groups, k, k] convolution in float64, written out directly."""
    n, c, h, width = x.shape
    co, cig, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    span = dilation * (k - 1) + 1
    oh = (h + 2 * padding - span) // stride + 1
    ow = (width + 2 * padding - span) // stride + 1
    out = np.zeros((n, co, oh, ow))
    cog = co // groups
    for f in range(co):
        g = f // cog
        for i in range(k):
            for j in range(k):
                rows = xp[:, g * cig:(g + 1) * cig,
                          i * dilation:i * dilation + stride * (oh - 1) + 1:stride,
                          j * dilation:j * dilation + stride * (ow - 1) + 1:stride]
                out[:, f] += np.einsum("nchw,c->nhw", rows, w[f, :, i, j])
    return out


def forward(x, w):
    h1 = np.maximum(conv(x, w["w1"], stride=2, padding=1) + w["b1"][:, None, None], 0)
    h2 = np.maximum(conv(h1, w["wd"][:, None], padding=2, dilation=2, groups=16), 0)
    h3 = np.maximum(conv(h2, w["wg"].reshape(16, 8, 3, 3), padding=1, groups=2) + h1, 0)
    h4 = conv(h3, w["wp"])
    pool = h4.reshape(1, 24, 3, 2, 3, 2).mean(axis=(3, 5))
    logits = pool.reshape(1, 216) @ w["wf"] + w["bf"]
    return {"logits": logits, "pooled": pool}


if __name__ == "__main__":
    sys.exit(main(sys.modules[__name__]))
