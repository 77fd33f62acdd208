#!/usr/bin/env python3
"""Writes a module whose @main runs three layers mlg-decompose="family=smartdeal"
rewrites, and prints their outputs with printMemrefF32:

  * conv3x3: 128 -> 8 channels (each output channel has two
    blocks of 64 input channels: splits 2);
  * conv1x1: 10 -> 6 channels, stride 2 (rows of 3 input channels, padded to
    12 and cropped back);
  * fc: linear 7 -> 5, a linalg.matmul with a [7, 5] weight (padded to 9);
  * conv_nhwc: 3x3, 16 -> 4 channels, NHWC with an HWCF filter.

usage: smartdeal_layers.py OUT.mlir
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_against_numpy import literal, tensor_type  # noqa: E402

rng = np.random.default_rng(7)


def rand(*shape):
    return rng.uniform(-1, 1, shape).astype(np.float32)


def const(name, array):
    return (f"  %{name} = arith.constant dense<{literal(array)}> : "
            f"{tensor_type(array.shape, 'f32')}")


def conv(name, x, w, out, stride, layout="nchw_fchw"):
    attrs = (f"{{dilations = dense<1> : tensor<2xi64>, "
             f"strides = dense<{stride}> : tensor<2xi64>}}")
    return (f"  %{name} = linalg.conv_2d_{layout} {attrs} ins(%{x}, %{w} : "
            f"{x_types[x]}, {tensor_type(weights[w].shape, 'f32')}) "
            f"outs(%{name}_init : {tensor_type(out, 'f32')}) -> "
            f"{tensor_type(out, 'f32')} loc(\"{name}\")")


x3 = rand(1, 128, 6, 6)
x1 = rand(1, 10, 5, 5)
xf = rand(2, 7)
weights = {"w3": rand(8, 128, 3, 3), "w1": rand(6, 10, 1, 1), "wf": rand(7, 5)}
xh = rand(1, 6, 6, 16)
weights["wh"] = rand(3, 3, 16, 4)
x_types = {"x3": tensor_type(x3.shape, "f32"), "x1": tensor_type(x1.shape, "f32"),
           "xh": tensor_type(xh.shape, "f32")}
outputs = {"conv3x3": (1, 8, 4, 4), "conv1x1": (1, 6, 3, 3), "fc": (2, 5),
           "conv_nhwc": (1, 4, 4, 4)}

lines = ["func.func private @printMemrefF32(tensor<*xf32>)", "",
         "func.func @main() {", "  %zero = arith.constant 0.0 : f32"]
for name, array in [("x3", x3), ("x1", x1), ("xf", xf), ("xh", xh)] + list(weights.items()):
    lines.append(const(name, array))
for name, shape in outputs.items():
    t = tensor_type(shape, "f32")
    lines.append(f"  %{name}_empty = tensor.empty() : {t}")
    lines.append(f"  %{name}_init = linalg.fill ins(%zero : f32) "
                 f"outs(%{name}_empty : {t}) -> {t}")
lines.append(conv("conv3x3", "x3", "w3", outputs["conv3x3"], 1))
lines.append(conv("conv1x1", "x1", "w1", outputs["conv1x1"], 2))
lines.append(conv("conv_nhwc", "xh", "wh", outputs["conv_nhwc"], 1, "nhwc_hwcf"))
lines.append(f"  %fc = linalg.matmul ins(%xf, %wf : {tensor_type(xf.shape, 'f32')}, "
             f"{tensor_type(weights['wf'].shape, 'f32')}) outs(%fc_init : "
             f"{tensor_type(outputs['fc'], 'f32')}) -> "
             f"{tensor_type(outputs['fc'], 'f32')} loc(\"fc\")")
for name, shape in outputs.items():
    lines.append(f"  %{name}_u = tensor.cast %{name} : {tensor_type(shape, 'f32')} "
                 f"to tensor<*xf32>")
    lines.append(f"  call @printMemrefF32(%{name}_u) : (tensor<*xf32>) -> ()")
lines += ["  return", "}", ""]
with open(sys.argv[1], "w") as fh:
    fh.write("\n".join(lines))
