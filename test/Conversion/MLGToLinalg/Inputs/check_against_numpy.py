#!/usr/bin/env python3
"""Checks the reference lowering against an independent float64 numpy model.

Builds random generated convolutions and matmuls (both layouts, strides,
asymmetric padding, dilations, groups, depthwise, bias, each generation level
on or off, generators decoded from midrise or midtread codes), lowers them with
`mlg-opt --mlg-reference-to-llvm`, runs them in `mlir-runner`, and compares
every output element with numpy within a relative tolerance.

usage: check_against_numpy.py MLG_OPT MLIR_RUNNER RUNNER_UTILS C_RUNNER_UTILS
"""
import re
import subprocess
import sys

import numpy as np

TOLERANCE = 1e-5  # relative to the largest |reference| value of each case
rng = np.random.default_rng(20211011)


def literal(array):
    if array.ndim == 0:
        value = array.item()
        return repr(float(value)) if array.dtype.kind == "f" else str(int(value))
    return "[" + ", ".join(literal(a) for a in array) + "]"


def tensor_type(shape, element):
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


class Case:
    """One function in the generated module; `value()` makes its operands."""

    def __init__(self, name):
        self.name, self.lines, self.counter = name, [], 0

    def fresh(self):
        self.counter += 1
        return f"%v{self.counter}"

    def float_constant(self, array):
        name = self.fresh()
        self.lines.append(f"{name} = arith.constant dense<{literal(array)}> : "
                          f"{tensor_type(array.shape, 'f32')}")
        return name

    def fused_op(self, op, x_name, x_shape, operands, attrs, y_shape):
        """`%y = <op> x keyword(operand)... attrs : (types) -> result type`."""
        types = [tensor_type(x_shape, "f32")] + [tensor_type(s, "f32") for _, _, s in operands]
        self.lines.append(
            f"%y = {op} {x_name} " + " ".join(f"{kw}({name})" for kw, name, _ in operands)
            + f" {attrs} : ({', '.join(types)}) -> {tensor_type(y_shape, 'f32')}")

    def generator(self, shape):
        """A generator tensor: plain floats, or decoded codes. Returns its SSA
        name and its exact float64 value."""
        kind = rng.integers(3)
        if kind == 0:
            values = rng.uniform(-1, 1, shape).astype(np.float32)
            return self.float_constant(values), values.astype(np.float64)
        bits = int(rng.integers(2, 9))
        scale = 2.0 ** -int(rng.integers(1, 5))  # exact in f32
        codes_name = self.fresh()
        name = self.fresh()
        if kind == 1:  # midrise
            codes = rng.integers(-(1 << (bits - 1)), 1 << (bits - 1), shape)
            grid = f"midrise<scale = {scale!r}>"
            values = scale * (codes + 0.5)
        else:  # midtread, per axis 0
            m = (1 << (bits - 1)) - 1
            codes = rng.integers(-m, m + 1, shape)
            scales = [2.0 ** -int(rng.integers(1, 5)) for _ in range(shape[0])]
            grid = (f"!quant.uniform<i{bits}<{-m}:{m}>:f32:0, "
                    "{" + ", ".join(repr(s) for s in scales) + "}>")
            values = codes * np.array(scales).reshape([-1] + [1] * (len(shape) - 1))
        self.lines.append(f"{codes_name} = arith.constant dense<{literal(codes)}> : "
                          f"{tensor_type(shape, f'i{bits}')}")
        self.lines.append(f"{name} = mlg.dequantize {codes_name} as {grid} : "
                          f"{tensor_type(shape, f'i{bits}')} -> {tensor_type(shape, 'f32')}")
        return name, values.astype(np.float64)


def generated_weight(case, bc, cg, co, spatial, intra, cross):
    """Generator operands (name, type) and the float64 weight [co', cg, *spatial]."""
    operands = []
    bi = int(rng.integers(1, 4))
    if intra:
        basis, b = case.generator([bc, bi] + spatial)
        u_name, u = case.generator([bc, cg, bi])
        wc = np.einsum("bcj,bj...->bc...", u, b)
        operands += [("basis", basis, [bc, bi] + spatial), ("coeff_in", u_name, [bc, cg, bi])]
    else:
        basis, wc = case.generator([bc, cg] + spatial)
        operands.append(("basis", basis, [bc, cg] + spatial))
    if cross:
        v_name, v = case.generator([co, bc])
        w = np.einsum("ob,b...->o...", v, wc)
        operands.append(("coeff_out", v_name, [co, bc]))
    else:
        w = wc
    return operands, w


def conv_reference(x, w, strides, padding, dilations, groups):
    """NCHW x [N, Ci, H, W], w [Co, Ci/groups, kh, kw], float64."""
    n, ci, h, wd = x.shape
    co, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0], padding[2]), (padding[1], padding[3])))
    ho = (h + padding[0] + padding[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    wo = (wd + padding[1] + padding[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, co, ho, wo))
    fg = co // groups
    for p in range(kh):
        for q in range(kw):
            rows = slice(p * dilations[0], p * dilations[0] + strides[0] * (ho - 1) + 1, strides[0])
            cols = slice(q * dilations[1], q * dilations[1] + strides[1] * (wo - 1) + 1, strides[1])
            window = xp[:, :, rows, cols]
            for g in range(groups):
                y[:, g * fg:(g + 1) * fg] += np.einsum(
                    "nchw,oc->nohw", window[:, g * cg:(g + 1) * cg], w[g * fg:(g + 1) * fg, :, p, q])
    return y


def conv_case(index):
    case = Case(f"conv{index}")
    nhwc = bool(rng.integers(2))
    depthwise = index % 4 == 3
    groups = int(rng.choice([1, 2, 3])) if not depthwise else int(rng.integers(2, 5))
    n = int(rng.integers(1, 3))
    ci = groups * (1 if depthwise else int(rng.integers(1, 4)))
    co = groups * int(rng.integers(1, 4))
    kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    strides = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
    dilations = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
    padding = [int(rng.integers(0, 3)) for _ in range(4)]
    h = dilations[0] * (kh - 1) + 1 + int(rng.integers(0, 5))
    wd = dilations[1] * (kw - 1) + 1 + int(rng.integers(0, 5))
    if depthwise:
        operands, w = generated_weight(case, 1, co, 1, [kh, kw], intra=True, cross=False)
        w = w.reshape(co, 1, kh, kw)
    else:
        bc = int(rng.integers(1, co + 1))
        intra, cross = bool(rng.integers(2)), bool(rng.integers(2))
        operands, w = generated_weight(case, bc if cross else co, ci // groups, co,
                                       [kh, kw], intra, cross)
    x = rng.uniform(-1, 1, (n, ci, h, wd)).astype(np.float32)
    x_in = x.transpose(0, 2, 3, 1) if nhwc else x
    x_name = case.float_constant(x_in)
    bias = None
    if rng.integers(2):
        bias = rng.uniform(-1, 1, co).astype(np.float32)
        operands.append(("bias", case.float_constant(bias), [co]))
    y = conv_reference(x.astype(np.float64), w, strides, padding, dilations, groups)
    if bias is not None:
        y += bias.astype(np.float64).reshape(1, co, 1, 1)
    if nhwc:
        y = y.transpose(0, 2, 3, 1)
    layout = "nhwc_hwcf" if nhwc else "nchw_fchw"
    attrs = (f"strides [{strides[0]}, {strides[1]}] padding [{', '.join(map(str, padding))}] "
             f"dilations [{dilations[0]}, {dilations[1]}] groups {groups}"
             + (" depthwise" if depthwise else ""))
    case.fused_op(f"mlg.generated_conv2d {layout}", x_name, x_in.shape, operands, attrs,
                  y.shape)
    return case, y


def matmul_case(index):
    case = Case(f"matmul{index}")
    m, ci, co = int(rng.integers(1, 4)), int(rng.integers(1, 6)), int(rng.integers(1, 6))
    bc = int(rng.integers(1, co + 1))
    intra, cross = bool(rng.integers(2)), bool(rng.integers(2))
    operands, w = generated_weight(case, bc if cross else co, ci, co, [], intra, cross)
    x = rng.uniform(-1, 1, (m, ci)).astype(np.float32)
    x_name = case.float_constant(x)
    y = x.astype(np.float64) @ w.T
    if rng.integers(2):
        bias = rng.uniform(-1, 1, co).astype(np.float32)
        operands.append(("bias", case.float_constant(bias), [co]))
        y += bias.astype(np.float64)
    case.fused_op("mlg.generated_matmul", x_name, x.shape, operands, "", y.shape)
    return case, y


def printing_module(functions):
    """A module of `functions`, (name, body lines defining %y, result shape)
    each, and a @main that calls them in order and prints every result with
    printMemrefF32."""
    module = ["func.func private @printMemrefF32(tensor<*xf32>)"]
    calls = []
    for name, lines, shape in functions:
        out_type = tensor_type(shape, "f32")
        module.append(f"func.func @{name}() -> {out_type} {{")
        module += ["  " + line for line in lines]
        module += [f"  return %y : {out_type}", "}"]
        calls += [f"  %{name} = call @{name}() : () -> {out_type}",
                  f"  %{name}_u = tensor.cast %{name} : {out_type} to tensor<*xf32>",
                  f"  call @printMemrefF32(%{name}_u) : (tensor<*xf32>) -> ()"]
    module += ["func.func @main() {"] + calls + ["  return", "}"]
    return "\n".join(module)


def printed_memrefs(stdout):
    """The values of every printMemrefF32 call in mlir-runner's `stdout`, one
    flat array per call, in order."""
    return [np.array([float(t) for t in re.findall(
                r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?|-?nan|-?inf", text.split("data =", 1)[1])])
            for text in stdout.split("Unranked Memref")[1:]]


def main():
    mlg_opt, runner, utils, c_utils = sys.argv[1:5]
    cases = [conv_case(i) for i in range(16)] + [matmul_case(i) for i in range(6)]
    source = printing_module([(case.name, case.lines, y.shape) for case, y in cases])

    lowered = subprocess.run([mlg_opt, "-", "--mlg-reference-to-llvm"], input=source,
                             capture_output=True, text=True)
    if lowered.returncode != 0:
        sys.exit("mlg-opt failed:\n" + lowered.stderr)
    ran = subprocess.run([runner, "-e", "main", "-entry-point-result=void",
                          f"-shared-libs={utils},{c_utils}"],
                         input=lowered.stdout, capture_output=True, text=True)
    if ran.returncode != 0:
        sys.exit("mlir-runner failed:\n" + ran.stderr)

    outputs = printed_memrefs(ran.stdout)
    if len(outputs) != len(cases):
        sys.exit(f"expected {len(cases)} outputs, got {len(outputs)}")
    failures = 0
    for (case, expected), got in zip(cases, outputs):
        if got.size != expected.size:
            print(f"FAIL {case.name}: {got.size} values, expected {expected.size}")
            failures += 1
            continue
        scale = max(np.abs(expected).max(), 1e-30)
        error = np.abs(got - expected.reshape(-1)).max() / scale
        status = "ok" if error <= TOLERANCE else "FAIL"
        failures += status == "FAIL"
        print(f"{status} {case.name} shape {list(expected.shape)} max relative error {error:.2e}")
    print(f"{len(cases) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
