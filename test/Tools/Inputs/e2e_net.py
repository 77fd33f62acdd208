"""Shared driver of the mlgc/mlg-run end-to-end test networks.

A network module (small_net.py, variants_net.py) describes its weights, its
MLIR text and a float64 numpy forward pass, and calls `main(network)`:

  NET.py write DIR
      writes DIR/net.mlir and DIR/x.npy, both from fixed seeds.
  NET.py check DIR OUTPUT.npy... [--compress OPTIONS --mlg-opt PATH]
      computes the network in float64 with numpy from the same weights and
      compares every output. With --compress, the weights are the ones
      mlg-compress stores: the module is compressed again with mlg-opt (the
      pass is deterministic) and the generators are regenerated in float64 by
      the reconstruction of test/Pipelines/Inputs/check_compression.py.

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


def literal(a):
    if a.ndim == 0:
        return repr(float(a))
    return "[" + ", ".join(literal(x) for x in a) + "]"


def ttype(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


def constants(w):
    """One `arith.constant` per weight, named after its key."""
    return "\n".join(f"  %{k} = arith.constant dense<{literal(v)}> : {ttype(v.shape)}"
                     for k, v in w.items())


def random_weights(seed, specs):
    """float32 N(0, scale^2) tensors: `specs` maps a name to (shape, scale)."""
    rng = np.random.default_rng(seed)
    return {k: (rng.standard_normal(shape) * scale).astype(np.float32)
            for k, (shape, scale) in specs.items()}


def bias_relu(result, value, bias, shape, init="%e", relu=True):
    """`result` = max(`value` + `bias`[c], 0) on an NCHW tensor (maps #id, #chan);
    without `relu`, the sum alone."""
    body = (f"    %r = arith.maximumf %s, %zero : f32\n    linalg.yield %r : f32\n" if relu
            else "    linalg.yield %s : f32\n")
    return (f"  {result} = linalg.generic {{indexing_maps = [#id, #chan, #id], iterator_types = "
            f"[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]}}\n"
            f"      ins({value}, {bias} : {ttype(shape)}, {ttype((shape[1],))}) "
            f"outs({init} : {ttype(shape)}) {{\n"
            f"  ^bb0(%a: f32, %b: f32, %o: f32):\n"
            f"    %s = arith.addf %a, %b : f32\n"
            f"{body}"
            f"  }} -> {ttype(shape)}")


def relu(result, value, shape, init="%e"):
    """`result` = max(`value`, 0) on an NCHW tensor (map #id)."""
    return (f"  {result} = linalg.generic {{indexing_maps = [#id, #id], iterator_types = "
            f"[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]}}\n"
            f"      ins({value} : {ttype(shape)}) outs({init} : {ttype(shape)}) {{\n"
            f"  ^bb0(%a: f32, %o: f32):\n"
            f"    %r = arith.maximumf %a, %zero : f32\n"
            f"    linalg.yield %r : f32\n"
            f"  }} -> {ttype(shape)}")


def pad(value, src, dst, low, high):
    """A zero tensor.pad of `value` (NCHW): `low`/`high` pad H and W."""
    return (f"tensor.pad {value} low[0, 0, {low}, {low}] high[0, 0, {high}, {high}] {{\n"
            f"  ^bb0(%i: index, %j: index, %k: index, %l: index):\n"
            f"    tensor.yield %zero : f32\n"
            f"  }} : {ttype(src)} to {ttype(dst)}")


def compressed_weights(network, w, directory, options, mlg_opt):
    """The weights as mlg-compress stores them, regenerated in float64."""
    result = subprocess.run(
        [mlg_opt, os.path.join(directory, "net.mlir"), f"--mlg-compress={options}",
         "--mlir-print-elementsattrs-with-hex-if-larger=-1"],
        capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("mlg-opt failed:\n" + result.stderr)
    layers = reconstruct(result.stdout)
    w = dict(w)
    for layer, (key, from_canonical) in network.LAYERS.items():
        if layer in layers:
            w[key] = from_canonical(layers[layer][0])
    print("compressed layers:", " ".join(sorted(layers)) or "none")
    return w


def main(network):
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument("dir")
    parser.add_argument("outputs", nargs="*")
    parser.add_argument("--compress")
    parser.add_argument("--mlg-opt", default="mlg-opt")
    args = parser.parse_args()
    w = network.weights()
    if args.command == "write":
        with open(os.path.join(args.dir, "net.mlir"), "w") as f:
            f.write(network.module_text(w))
        x = np.random.default_rng(network.INPUT_SEED).standard_normal(network.INPUT_SHAPE)
        np.save(os.path.join(args.dir, "x.npy"), x.astype(np.float32))
        return 0
    x = np.load(os.path.join(args.dir, "x.npy")).astype(np.float64)
    if args.compress is not None:
        w = compressed_weights(network, w, args.dir, args.compress, args.mlg_opt)
    w64 = {k: v.astype(np.float64) for k, v in w.items()}
    references = network.forward(x, w64)
    if len(args.outputs) != len(references):
        sys.exit(f"expected {len(references)} output files, got {len(args.outputs)}")
    failed = 0
    for (name, ref), path in zip(references.items(), args.outputs):
        y = np.load(path)
        assert y.dtype == np.float32 and y.shape == ref.shape, (y.dtype, y.shape)
        error = np.linalg.norm(y - ref) / np.linalg.norm(ref)
        ok = error <= TOLERANCE
        failed += not ok
        print(f"{name}: shape {y.shape} rel error {error:.2e} {'ok' if ok else 'FAIL'}")
    return 1 if failed else 0
