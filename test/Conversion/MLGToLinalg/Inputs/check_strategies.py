#!/usr/bin/env python3
"""Checks an execution strategy of mlg-lower-generated against the reference.

Builds a fixed set of small generated convolutions and matmuls (stride 2,
asymmetric padding, dilation 2, groups 2, depthwise with and without each
level, 1x1, no coeff_in, no coeff_out, bias, NHWC and NCHW), all with
strategy `auto`, and runs the same module twice through mlir-runner:

  mlg-opt --mlg-lower-generated="default-strategy=S ..." | mlg-opt --mlg-reference-to-llvm
  mlg-opt --mlg-reference-to-llvm                                  (the reference)

Every output must match the reference run within TOLERANCE relative to the
largest |reference| value of its case; the reference run is also checked
against an independent float64 numpy model, so both runs computing the same
wrong thing fails too.

usage: check_strategies.py MLG_OPT MLIR_RUNNER RUNNER_UTILS C_RUNNER_UTILS
                           LOWER_GENERATED_OPTIONS
"""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_against_numpy import (conv_reference, literal, printed_memrefs,  # noqa: E402
                                 printing_module, tensor_type)

TOLERANCE = 1e-4
rng = np.random.default_rng(20240607)


def rand(*shape):
    return rng.uniform(-1, 1, shape).astype(np.float32)


class Case:
    def __init__(self, name):
        self.name, self.lines, self.operands = name, [], []

    def constant(self, keyword, array):
        ssa = f"%{keyword}"
        self.lines.append(f"{ssa} = arith.constant dense<{literal(array)}> : "
                          f"{tensor_type(array.shape, 'f32')}")
        if keyword != "x":
            self.operands.append((keyword, ssa, array.shape))
        return array.astype(np.float64)


def generated(case, basis_shape, u_shape, v_shape):
    """Declares basis/coeff_in/coeff_out; returns the float64 weight [K, C, ...]."""
    basis = case.constant("basis", rand(*basis_shape))
    w = basis
    if u_shape:
        u = case.constant("coeff_in", rand(*u_shape))
        w = np.einsum("bcj,bj...->bc...", u, basis)
    if v_shape:
        v = case.constant("coeff_out", rand(*v_shape))
        w = np.einsum("ob,b...->o...", v, w)
    return w


def conv(name, nhwc, n, ci, hw, basis, u=None, v=None, groups=1, depthwise=False,
         strides=(1, 1), padding=(0, 0, 0, 0), dilations=(1, 1), bias=False):
    case = Case(name)
    x = rand(n, ci, *hw)
    x_in = x.transpose(0, 2, 3, 1) if nhwc else x
    case.constant("x", x_in)
    w = generated(case, basis, u, v)
    if depthwise:  # [1, Co, kh, kw] read as [Co, 1, kh, kw]
        w = w.reshape(w.shape[1], 1, *w.shape[2:])
    co = w.shape[0]
    y = conv_reference(x.astype(np.float64), w, strides, padding, dilations, groups)
    if bias:
        y += case.constant("bias", rand(co)).reshape(1, co, 1, 1)
    if nhwc:
        y = y.transpose(0, 2, 3, 1)
    keywords = " ".join(f"{kw}({ssa})" for kw, ssa, _ in case.operands)
    types = ", ".join(tensor_type(s, "f32") for s in [x_in.shape] + [s for _, _, s in case.operands])
    layout = "nhwc_hwcf" if nhwc else "nchw_fchw"
    attrs = (f"strides [{strides[0]}, {strides[1]}] padding [{', '.join(map(str, padding))}] "
             f"dilations [{dilations[0]}, {dilations[1]}] groups {groups}"
             + (" depthwise" if depthwise else ""))
    case.lines.append(f"%y = mlg.generated_conv2d {layout} %x {keywords} {attrs} : "
                      f"({types}) -> {tensor_type(y.shape, 'f32')}")
    return case, y


def matmul(name, m, ci, basis, u=None, v=None, bias=False):
    case = Case(name)
    x = case.constant("x", rand(m, ci))
    w = generated(case, basis, u, v)
    y = x @ w.T
    if bias:
        y += case.constant("bias", rand(w.shape[0]))
    keywords = " ".join(f"{kw}({ssa})" for kw, ssa, _ in case.operands)
    types = ", ".join(tensor_type(s, "f32") for s in [(m, ci)] + [s for _, _, s in case.operands])
    case.lines.append(f"%y = mlg.generated_matmul %x {keywords} : "
                      f"({types}) -> {tensor_type(y.shape, 'f32')}")
    return case, y


def cases():
    return [
        conv("nchw_stride2_padding", False, 1, 4, (7, 6), [3, 2, 3, 3], [3, 4, 2], [6, 3],
             strides=(2, 2), padding=(1, 0, 2, 1), bias=True),
        conv("nhwc_dilation2", True, 2, 3, (7, 7), [2, 2, 3, 3], [2, 3, 2], [5, 2],
             padding=(2, 2, 2, 2), dilations=(2, 2)),
        conv("nchw_groups2", False, 1, 4, (5, 5), [3, 2, 3, 3], [3, 2, 2], [6, 3],
             groups=2, padding=(1, 1, 1, 1), bias=True),
        conv("nhwc_groups2_stride_dilation", True, 1, 6, (7, 8), [2, 3, 2, 3], [2, 3, 3], [4, 2],
             groups=2, strides=(2, 1), dilations=(1, 2), padding=(0, 1, 1, 0)),
        conv("nchw_depthwise_coeff_in", False, 1, 3, (5, 5), [1, 2, 3, 3], [1, 6, 2], None,
             groups=3, depthwise=True, padding=(1, 1, 1, 1), bias=True),
        conv("nhwc_depthwise_both_levels", True, 1, 4, (6, 6), [2, 2, 3, 3], [2, 4, 2], [1, 2],
             groups=4, depthwise=True, strides=(2, 2), padding=(1, 1, 0, 0)),
        conv("nhwc_depthwise_coeff_out_only", True, 1, 2, (5, 5), [2, 4, 3, 3], None, [1, 2],
             groups=2, depthwise=True, dilations=(2, 1), bias=True),
        conv("nchw_depthwise_basis_only", False, 1, 3, (4, 5), [1, 3, 2, 2], None, None,
             groups=3, depthwise=True, padding=(0, 1, 0, 1)),
        conv("nchw_1x1_stride2", False, 1, 5, (6, 6), [3, 2, 1, 1], [3, 5, 2], [7, 3],
             strides=(2, 2), padding=(1, 0, 0, 1), bias=True),
        conv("nhwc_no_coeff_in", True, 1, 4, (5, 5), [3, 2, 3, 3], None, [6, 3],
             groups=2, padding=(1, 1, 1, 1)),
        conv("nchw_no_coeff_out", False, 1, 4, (5, 5), [6, 2, 3, 3], [6, 2, 2], None,
             groups=2, padding=(1, 0, 1, 0), bias=True),
        conv("nhwc_no_levels", True, 1, 3, (5, 5), [5, 3, 3, 3], None, None,
             strides=(2, 2), padding=(1, 1, 1, 1), bias=True),
        matmul("matmul_both_levels", 3, 6, [3, 2], [3, 6, 2], [7, 3], bias=True),
        matmul("matmul_no_coeff_in", 2, 5, [3, 5], None, [5, 3]),
        matmul("matmul_no_coeff_out", 2, 4, [5, 2], [5, 4, 2], None, bias=True),
        matmul("matmul_no_levels", 3, 4, [5, 4], None, None, bias=True),
    ]


def mlg_opt_run(mlg_opt, source, passes):
    lowered = subprocess.run([mlg_opt, "-"] + passes, input=source,
                             capture_output=True, text=True)
    if lowered.returncode != 0:
        sys.exit(f"mlg-opt {' '.join(passes)} failed:\n" + lowered.stderr)
    return lowered.stdout


def run(mlg_opt, runner, utils, source, strategy_options=None):
    if strategy_options is not None:
        source = mlg_opt_run(mlg_opt, source, [f"--mlg-lower-generated={strategy_options}"])
        # The strategy must have replaced every fused op, or the reference
        # lowering below would silently compare the reference with itself.
        if "mlg.generated_" in source:
            sys.exit("mlg-lower-generated left a fused op")
    lowered = mlg_opt_run(mlg_opt, source, ["--mlg-reference-to-llvm"])
    ran = subprocess.run([runner, "-e", "main", "-entry-point-result=void",
                          f"-shared-libs={utils}"], input=lowered,
                         capture_output=True, text=True)
    if ran.returncode != 0:
        sys.exit("mlir-runner failed:\n" + ran.stderr)
    return printed_memrefs(ran.stdout)


def main():
    mlg_opt, runner, utils, c_utils, options = sys.argv[1:6]
    all_cases = cases()
    source = printing_module([(case.name, case.lines, y.shape) for case, y in all_cases])

    shared = f"{utils},{c_utils}"
    # The two runs are independent: overlap them.
    with ThreadPoolExecutor(max_workers=2) as pool:
        reference_run = pool.submit(run, mlg_opt, runner, shared, source)
        strategy_run = pool.submit(run, mlg_opt, runner, shared, source, options)
        reference, strategy = reference_run.result(), strategy_run.result()
    if len(reference) != len(all_cases) or len(strategy) != len(all_cases):
        sys.exit(f"expected {len(all_cases)} outputs, got {len(reference)} and {len(strategy)}")
    failures = 0
    for (case, expected), ref, got in zip(all_cases, reference, strategy):
        expected = expected.reshape(-1)
        if ref.size != expected.size or got.size != expected.size:
            print(f"FAIL {case.name}: sizes {ref.size} / {got.size}, expected {expected.size}")
            failures += 1
            continue
        scale = max(np.abs(ref).max(), 1e-30)
        error = np.abs(got - ref).max() / scale
        model_error = np.abs(ref - expected).max() / scale
        ok = error <= TOLERANCE and model_error <= TOLERANCE
        failures += not ok
        print(f"{'ok' if ok else 'FAIL'} {case.name} relative error {error:.1e} "
              f"(reference vs numpy {model_error:.1e})")
    print(f"{len(all_cases) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
