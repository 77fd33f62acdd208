#!/usr/bin/env python3
"""A small CNN for the mlgc/mlg-run end-to-end tests, with a float64 reference.

conv3x3 + bias + relu, conv3x3 + bias + residual add + relu, 2x2 max pooling,
flatten, linear + bias; returns the logits and the pooled features.
Usage (write DIR / check DIR LOGITS.npy POOLED.npy [--compress ...]): e2e_net.py.
"""
import sys

import numpy as np

from e2e_net import constants, main, pad, ttype

INPUT_SHAPE = (1, 4, 8, 8)
INPUT_SEED = 6
# Compressed layer -> (weight key, canonical [Co, Ci, k, k] -> stored layout).
LAYERS = {
    "conv1": ("w1", lambda c: c.reshape(16, 4, 3, 3)),
    "conv2": ("w2", lambda c: c.reshape(16, 16, 3, 3)),
    "fc": ("w3", lambda c: c.reshape(10, 256).T),
}


def weights():
    rng = np.random.default_rng(5)

    def f32(*shape, scale):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    return {
        "w1": f32(16, 4, 3, 3, scale=0.3), "b1": f32(16, scale=0.1),
        "w2": f32(16, 16, 3, 3, scale=0.15), "b2": f32(16, scale=0.1),
        "w3": f32(256, 10, scale=0.1), "b3": f32(10, scale=0.1),
    }


def module_text(w):
    conv = ("linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, "
            "strides = dense<1> : tensor<2xi64>}")
    act = ttype((1, 16, 8, 8))
    const = constants(w)
    return f"""#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
#chan = affine_map<(n, c, h, w) -> (c)>
#row = affine_map<(n, k) -> (n, k)>
#col = affine_map<(n, k) -> (k)>
func.func @forward(%x: {ttype((1, 4, 8, 8))}) -> ({ttype((1, 10))}, {ttype((1, 16, 4, 4))}) {{
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
{const}
  %e = tensor.empty() : {act}
  %acc = linalg.fill ins(%zero : f32) outs(%e : {act}) -> {act}
  %xp = {pad("%x", (1, 4, 8, 8), (1, 4, 10, 10), 1, 1)}
  %c1 = {conv} ins(%xp, %w1 : {ttype((1, 4, 10, 10))}, {ttype((16, 4, 3, 3))}) outs(%acc : {act}) -> {act} loc("conv1")
  %h1 = linalg.generic {{indexing_maps = [#id, #chan, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%c1, %b1 : {act}, {ttype((16,))}) outs(%e : {act}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> {act}
  %hp = {pad("%h1", (1, 16, 8, 8), (1, 16, 10, 10), 1, 1)}
  %c2 = {conv} ins(%hp, %w2 : {ttype((1, 16, 10, 10))}, {ttype((16, 16, 3, 3))}) outs(%acc : {act}) -> {act} loc("conv2")
  %h2 = linalg.generic {{indexing_maps = [#id, #chan, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%c2, %b2, %h1 : {act}, {ttype((16,))}, {act}) outs(%e : {act}) {{
  ^bb0(%a: f32, %b: f32, %res: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %t = arith.addf %s, %res : f32
    %r = arith.maximumf %t, %zero : f32
    linalg.yield %r : f32
  }} -> {act}
  %pe = tensor.empty() : {ttype((1, 16, 4, 4))}
  %pinit = linalg.fill ins(%ninf : f32) outs(%pe : {ttype((1, 16, 4, 4))}) -> {ttype((1, 16, 4, 4))}
  %window = tensor.empty() : tensor<2x2xf32>
  %pool = linalg.pooling_nchw_max {{dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}}
      ins(%h2, %window : {act}, tensor<2x2xf32>) outs(%pinit : {ttype((1, 16, 4, 4))}) -> {ttype((1, 16, 4, 4))}
  %flat = tensor.collapse_shape %pool [[0], [1, 2, 3]] : {ttype((1, 16, 4, 4))} into {ttype((1, 256))}
  %le = tensor.empty() : {ttype((1, 10))}
  %lacc = linalg.fill ins(%zero : f32) outs(%le : {ttype((1, 10))}) -> {ttype((1, 10))}
  %mm = linalg.matmul ins(%flat, %w3 : {ttype((1, 256))}, {ttype((256, 10))}) outs(%lacc : {ttype((1, 10))}) -> {ttype((1, 10))} loc("fc")
  %logits = linalg.generic {{indexing_maps = [#row, #col, #row], iterator_types = ["parallel", "parallel"]}}
      ins(%mm, %b3 : {ttype((1, 10))}, {ttype((10,))}) outs(%le : {ttype((1, 10))}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }} -> {ttype((1, 10))}
  return %logits, %pool : {ttype((1, 10))}, {ttype((1, 16, 4, 4))}
}}
"""


def conv3x3(x, w):
    """'same' 3x3 convolution, NCHW x FCHW, float64."""
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (3, 3), axis=(2, 3))
    return np.einsum("nchwij,fcij->nfhw", windows, w)


def forward(x, w):
    h1 = np.maximum(conv3x3(x, w["w1"]) + w["b1"][:, None, None], 0)
    h2 = np.maximum(conv3x3(h1, w["w2"]) + w["b2"][:, None, None] + h1, 0)
    pool = h2.reshape(1, 16, 4, 2, 4, 2).max(axis=(3, 5))
    logits = pool.reshape(1, 256) @ w["w3"] + w["b3"]
    return {"logits": logits, "pooled": pool}



if __name__ == "__main__":
    sys.exit(main(sys.modules[__name__]))
