#!/usr/bin/env python3
"""Runs random generated convolutions and matmuls through every strategy.

Draws the random cases of check_against_numpy.py (both layouts, strides,
asymmetric padding, dilations, groups up to 4, depthwise with multipliers,
kernels 1x1 to 3x3, each generation level on or off, generators decoded from
midrise or midtread codes, bias), emits each one three times with an explicit
`strategy dense|factorized|tiled`, lowers the module with
`mlg-lower-generated="tile-channels=2"` and mlg-reference-to-llvm, runs it in
mlir-runner once, and compares every output with the float64 numpy model.

usage: check_strategies_random.py MLG_OPT MLIR_RUNNER RUNNER_UTILS C_RUNNER_UTILS
"""
import os
import re
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_against_numpy as model  # noqa: E402

TOLERANCE = 1e-4
STRATEGIES = ["dense", "factorized", "tiled"]


def main():
    mlg_opt, runner, utils, c_utils = sys.argv[1:5]
    model.rng = np.random.default_rng(20260412)
    drawn = [model.conv_case(i) for i in range(12)] + [model.matmul_case(i) for i in range(4)]
    module = ["func.func private @printMemrefF32(tensor<*xf32>)"]
    calls, expected = [], []
    for case, y in drawn:
        out_type = model.tensor_type(y.shape, "f32")
        *body, fused = case.lines
        head, types = fused.split(" : (", 1)
        for strategy in STRATEGIES:
            name = f"{case.name}_{strategy}"
            module.append(f"func.func @{name}() -> {out_type} {{")
            module += ["  " + line for line in body]
            module += [f"  {head} strategy {strategy} : ({types}",
                       f"  return %y : {out_type}", "}"]
            calls += [f"  %{name} = call @{name}() : () -> {out_type}",
                      f"  %{name}_u = tensor.cast %{name} : {out_type} to tensor<*xf32>",
                      f"  call @printMemrefF32(%{name}_u) : (tensor<*xf32>) -> ()"]
            expected.append((name, y))
    module += ["func.func @main() {"] + calls + ["  return", "}"]

    lowered = subprocess.run([mlg_opt, "-", "--mlg-lower-generated=tile-channels=2"],
                             input="\n".join(module), capture_output=True, text=True)
    if lowered.returncode != 0 or "mlg.generated_" in lowered.stdout:
        sys.exit("mlg-lower-generated failed or left a fused op:\n" + lowered.stderr)
    compiled = subprocess.run([mlg_opt, "-", "--mlg-reference-to-llvm"], input=lowered.stdout,
                              capture_output=True, text=True)
    if compiled.returncode != 0:
        sys.exit("mlg-opt failed:\n" + compiled.stderr)
    ran = subprocess.run([runner, "-e", "main", "-entry-point-result=void",
                          f"-shared-libs={utils},{c_utils}"], input=compiled.stdout,
                         capture_output=True, text=True)
    if ran.returncode != 0:
        sys.exit("mlir-runner failed:\n" + ran.stderr)

    outputs = ran.stdout.split("Unranked Memref")[1:]
    if len(outputs) != len(expected):
        sys.exit(f"expected {len(expected)} outputs, got {len(outputs)}")
    failures = 0
    for (name, y), text in zip(expected, outputs):
        data = text.split("data =", 1)[1]
        got = np.array([float(t) for t in re.findall(
            r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?|-?nan|-?inf", data)])
        if got.size != y.size:
            print(f"FAIL {name}: {got.size} values, expected {y.size}")
            failures += 1
            continue
        error = np.abs(got - y.reshape(-1)).max() / max(np.abs(y).max(), 1e-30)
        ok = error <= TOLERANCE
        failures += not ok
        print(f"{'ok' if ok else 'FAIL'} {name} max relative error {error:.1e}")
    print(f"{len(expected) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
