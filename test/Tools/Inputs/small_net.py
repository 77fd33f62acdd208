#!/usr/bin/env python3
"""A small CNN for the mlgc/mlg-run end-to-end tests, with a float64 reference.

  small_net.py write DIR
      writes DIR/net.mlir (conv3x3 + bias + relu, conv3x3 + bias + residual add
      + relu, 2x2 max pooling, flatten, linear + bias; returns the logits and
      the pooled features) and DIR/x.npy, both from a fixed seed.
  small_net.py check DIR LOGITS.npy POOLED.npy [--compress OPTIONS --mlg-opt PATH]
      computes the network in float64 with numpy from the same weights and
      compares. With --compress, the weights are the ones mlg-compress stores:
      the module is compressed again with mlg-opt (the pass is
      deterministic) and the generators are regenerated in float64 by the
      reconstruction of test/Pipelines/Inputs/check_compression.py.

Prints the relative error of each output and `ok` when it is <= 1e-4.
"""
import argparse
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "Pipelines", "Inputs"))
from check_compression import reconstruct  # noqa: E402

TOLERANCE = 1e-4


def weights():
    rng = np.random.default_rng(5)

    def f32(*shape, scale):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    return {
        "w1": f32(16, 4, 3, 3, scale=0.3), "b1": f32(16, scale=0.1),
        "w2": f32(16, 16, 3, 3, scale=0.15), "b2": f32(16, scale=0.1),
        "w3": f32(256, 10, scale=0.1), "b3": f32(10, scale=0.1),
    }


def literal(a):
    if a.ndim == 0:
        return repr(float(a))
    return "[" + ", ".join(literal(x) for x in a) + "]"


def ttype(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


def module_text(w):
    conv = ("linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, "
            "strides = dense<1> : tensor<2xi64>}")
    act = ttype((1, 16, 8, 8))
    const = "\n".join(f"  %{k} = arith.constant dense<{literal(v)}> : {ttype(v.shape)}"
                      for k, v in w.items())
    pad = """tensor.pad {x} low[0, 0, 1, 1] high[0, 0, 1, 1] {{
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  }} : {src} to {dst}"""
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
  %xp = {pad.format(x="%x", src=ttype((1, 4, 8, 8)), dst=ttype((1, 4, 10, 10)))}
  %c1 = {conv} ins(%xp, %w1 : {ttype((1, 4, 10, 10))}, {ttype((16, 4, 3, 3))}) outs(%acc : {act}) -> {act} loc("conv1")
  %h1 = linalg.generic {{indexing_maps = [#id, #chan, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%c1, %b1 : {act}, {ttype((16,))}) outs(%e : {act}) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> {act}
  %hp = {pad.format(x="%h1", src=act, dst=ttype((1, 16, 10, 10)))}
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
    w = {k: v.astype(np.float64) for k, v in w.items()}
    h1 = np.maximum(conv3x3(x, w["w1"]) + w["b1"][:, None, None], 0)
    h2 = np.maximum(conv3x3(h1, w["w2"]) + w["b2"][:, None, None] + h1, 0)
    pool = h2.reshape(1, 16, 4, 2, 4, 2).max(axis=(3, 5))
    logits = pool.reshape(1, 256) @ w["w3"] + w["b3"]
    return logits, pool


def compressed_weights(w, directory, options, mlg_opt):
    result = subprocess.run(
        [mlg_opt, os.path.join(directory, "net.mlir"), f"--mlg-compress={options}",
         "--mlir-print-elementsattrs-with-hex-if-larger=-1"],
        capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("mlg-opt failed:\n" + result.stderr)
    layers = reconstruct(result.stdout)
    w = dict(w)
    for name, key in (("conv1", "w1"), ("conv2", "w2")):
        if name in layers:
            w[key] = layers[name][0].reshape(w[key].shape)
    if "fc" in layers:
        w["w3"] = layers["fc"][0].reshape(10, 256).T
    print("compressed layers:", " ".join(sorted(layers)) or "none")
    return w


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("dir")
    parser.add_argument("outputs", nargs="*")
    parser.add_argument("--compress")
    parser.add_argument("--mlg-opt", default="mlg-opt")
    args = parser.parse_args()
    w = weights()
    if args.command == "write":
        with open(os.path.join(args.dir, "net.mlir"), "w") as f:
            f.write(module_text(w))
        x = np.random.default_rng(6).standard_normal((1, 4, 8, 8)).astype(np.float32)
        np.save(os.path.join(args.dir, "x.npy"), x)
        return 0
    x = np.load(os.path.join(args.dir, "x.npy")).astype(np.float64)
    if args.compress is not None:
        w = compressed_weights(w, args.dir, args.compress, args.mlg_opt)
    failed = 0
    for name, path, ref in zip(("logits", "pooled"), args.outputs, forward(x, w)):
        y = np.load(path)
        assert y.dtype == np.float32 and y.shape == ref.shape, (y.dtype, y.shape)
        error = np.linalg.norm(y - ref) / np.linalg.norm(ref)
        ok = error <= TOLERANCE
        failed += not ok
        print(f"{name}: shape {y.shape} rel error {error:.2e} {'ok' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
