#!/usr/bin/env python3
"""Checks mlg-compress against an independent float64 reconstruction.

Writes a module of convolutions and matmuls in every supported layout with
known random weights (decaying spectra, as trained weights have), compresses
it with `mlg-opt --mlg-compress=OPTIONS`, reads the stored generators back
from the output text (codes and midrise scales, or float constants),
regenerates every weight in float64 with numpy, and compares:

  * the relative error against the original weight with the `mlg.rel_error`
    the compiler recorded (they must agree to 1e-5 relative);
  * for error-targeted modes, that error with the target (`--max-error`).

usage: check_compression.py MLG_OPT "COMPRESS OPTIONS" [--max-error E]
Prints one line per layer and `N layers checked, M failed`.
"""
import argparse
import ast
import re
import subprocess
import sys

import numpy as np

rng = np.random.default_rng(20211011)


def decaying(rows, cols):
    """A [rows, cols] matrix with singular values decaying as 1/(i+1)."""
    q1, _ = np.linalg.qr(rng.standard_normal((rows, rows)))
    q2, _ = np.linalg.qr(rng.standard_normal((cols, cols)))
    r = min(rows, cols)
    sigma = 1.0 / (np.arange(r) + 1.0)
    return (q1[:, :r] * sigma) @ q2[:, :r].T


def canonical_weight(co, ci, kh, kw):
    return decaying(co, ci * kh * kw).reshape(co, ci, kh, kw).astype(np.float32).astype(np.float64)


def literal(a):
    if a.ndim == 0:
        return repr(float(a))
    return "[" + ", ".join(literal(x) for x in a) + "]"


def ttype(shape, element="f32"):
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


# (name, op, input shape, weight layout builder, output shape, extra attrs)
def build_module():
    funcs, originals = [], {}

    def add(name, op, x_shape, w_layout, out_shape, canonical, maps=""):
        originals[name] = canonical
        funcs.append(
            f"func.func @{name.replace('.', '_')}(%x: {ttype(x_shape)}, %o: {ttype(out_shape)}) -> {ttype(out_shape)} {{\n"
            f"  %w = arith.constant dense<{literal(w_layout.astype(np.float32))}> : {ttype(w_layout.shape)}\n"
            f"  %y = {op} {maps} ins(%x, %w : {ttype(x_shape)}, {ttype(w_layout.shape)}) "
            f"outs(%o : {ttype(out_shape)}) -> {ttype(out_shape)} loc(\"{name}\")\n"
            f"  return %y : {ttype(out_shape)}\n}}")

    conv_attrs = "{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}"
    w = canonical_weight(16, 8, 3, 3)
    add("nchw.3x3", "linalg.conv_2d_nchw_fchw " + conv_attrs, (1, 8, 6, 6), w, (1, 16, 4, 4), w)
    w = canonical_weight(12, 16, 1, 1)
    add("nchw.1x1", "linalg.conv_2d_nchw_fchw " + conv_attrs, (1, 16, 4, 4), w, (1, 12, 4, 4), w)
    w = canonical_weight(16, 6, 3, 3)
    add("nhwc.hwcf", "linalg.conv_2d_nhwc_hwcf " + conv_attrs, (1, 6, 6, 6), w.transpose(2, 3, 1, 0), (1, 4, 4, 16), w)
    w = canonical_weight(10, 8, 3, 3)
    add("nhwc.fhwc", "linalg.conv_2d_nhwc_fhwc " + conv_attrs, (1, 6, 6, 8), w.transpose(0, 2, 3, 1), (1, 4, 4, 10), w)
    w = canonical_weight(1, 12, 3, 3)
    add("depthwise", "linalg.depthwise_conv_2d_nchw_chw " + conv_attrs, (1, 12, 6, 6), w[0], (1, 12, 4, 4), w)
    w = canonical_weight(2 * 6, 4, 3, 3)
    add("grouped", "linalg.conv_2d_ngchw_gfchw " + conv_attrs, (1, 2, 4, 6, 6), w.reshape(2, 6, 4, 3, 3), (1, 2, 6, 4, 4), w)
    w = canonical_weight(10, 24, 1, 1)[:, :, 0, 0]
    add("linear", "linalg.matmul", (2, 24), w.T, (2, 10), w.reshape(10, 24, 1, 1))
    return "\n\n".join(funcs) + "\n", originals


def parse_array(text, element):
    text = text.strip()
    if text.startswith('"0x'):
        sys.exit("hex-encoded constant: run mlg-opt with --mlir-print-elementsattrs-with-hex-if-larger=-1")
    value = ast.literal_eval(text.replace("true", "1").replace("false", "0"))
    return np.array(value, dtype=np.float64)


CONST = re.compile(r"^\s*(%[\w.]+) = arith.constant dense<(.*)> : tensor<([0-9x]*)x(\w+)>$")
DEQ = re.compile(r"^\s*(%[\w.]+) = mlg.dequantize (%[\w.]+) as midrise<(.*)> : .*$")
GEN = re.compile(r"^\s*(%[\w.]+) = mlg.generate_(intra|cross) (%[\w.]+), (%[\w.]+)( \{.*\})? : .*$")
POW2 = re.compile(r"^\s*(%[\w.]+) = mlg.decode_pow2 (%[\w.]+) min_exponent (-?\d+) : .*$")
# The reshapes and crop between a SmartDeal chain's blocks and its kernel.
RESHAPE = re.compile(r"^\s*(%[\w.]+) = tensor.(?:collapse|expand)_shape (%[\w.]+) .* into tensor<([0-9x]*)x\w+>$")
SLICE = re.compile(r"^\s*(%[\w.]+) = tensor.extract_slice (%[\w.]+)\[[0, ]*\] \[([0-9, ]*)\] \[[1, ]*\] : .*$")


def shape_of(dims):
    return tuple(int(d) for d in dims.split("x")) if dims else ()


def reconstruct(output):
    """name -> (float64 canonical weight, recorded rel_error) from mlg-opt text."""
    values, layers, layer_of = {}, {}, {}
    for line in output.splitlines():
        if m := POW2.match(line):
            name, codes, low = m.groups()
            c = values[codes]
            values[name] = np.where(c == 0, 0.0, np.sign(c) * np.exp2(int(low) + np.abs(c) - 1.0))
            continue
        if (m := RESHAPE.match(line)) or (m := SLICE.match(line)):
            name, source, dims = m.groups()
            if source not in values:
                continue
            shape = [int(d) for d in re.split(r"[x,] *", dims)]
            if "extract_slice" in line:
                values[name] = values[source][tuple(slice(0, d) for d in shape)]
            else:
                values[name] = values[source].reshape(shape)
            if source in layer_of:
                layer, err = layer_of[name] = layer_of[source]
                layers[layer] = (values[name], err)
            continue
        if m := CONST.match(line):
            name, body, dims, element = m.groups()
            shape = shape_of(dims)
            array = parse_array(body, element)
            values[name] = np.broadcast_to(array, shape).astype(np.float64) if array.ndim == 0 else array.reshape(shape)
        elif m := DEQ.match(line):
            name, codes, grid = m.groups()
            c = values[codes]
            if g := re.fullmatch(r"scale = ([-0-9.eE+]+)", grid):
                values[name] = float(np.float32(float(g.group(1)))) * (c + 0.5)
            else:
                g = re.fullmatch(r"axis = (\d+), scales = \[(.*)\]", grid)
                axis, scales = int(g.group(1)), np.array([float(np.float32(float(s))) for s in g.group(2).split(",")])
                shape = [1] * c.ndim
                shape[axis] = -1
                values[name] = scales.reshape(shape) * (c + 0.5)
        elif m := GEN.match(line):
            name, level, coeff, other, attrs = m.groups()
            a, b = values[coeff], values[other]
            if level == "intra":  # [Bc, Ci, Bi] x [Bc, Bi, s...]
                values[name] = np.einsum("bcj,bj...->bc...", a, b)
            else:  # [Co, Bc] x [Bc, ...]
                values[name] = np.einsum("ob,b...->o...", a, b)
            if attrs and "mlg.layer" in attrs:
                layer = re.search(r'mlg.layer = "([^"]*)"', attrs).group(1)
                err = re.search(r"mlg.rel_error = ([-0-9.eE+]+)", attrs)
                layers[layer] = (values[name], float(err.group(1)) if err else None)
                layer_of[name] = (layer, layers[layer][1])
    return layers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mlg_opt")
    parser.add_argument("options")
    parser.add_argument("--max-error", type=float)
    args = parser.parse_args()
    module, originals = build_module()
    result = subprocess.run(
        [args.mlg_opt, "-", f"--mlg-compress={args.options}",
         "--mlir-print-elementsattrs-with-hex-if-larger=-1"],
        input=module, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("mlg-opt failed:\n" + result.stderr)
    layers = reconstruct(result.stdout)
    failed = 0
    for name, original in originals.items():
        if name not in layers:
            print(f"{name}: dense")
            continue
        generated, recorded = layers[name]
        generated = generated.reshape(original.shape)
        error = np.linalg.norm(generated - original) / np.linalg.norm(original)
        ok = recorded is not None and abs(error - recorded) <= 1e-5 * max(recorded, 1e-3)
        if args.max_error is not None:
            ok = ok and error <= args.max_error * (1 + 1e-6)
        failed += not ok
        print(f"{name}: numpy {error:.6f} recorded {recorded} {'ok' if ok else 'MISMATCH'}")
    print(f"{len(originals)} layers checked, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
