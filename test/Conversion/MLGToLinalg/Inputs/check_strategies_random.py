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
    functions, expected = [], []
    for case, y in drawn:
        *body, fused = case.lines
        head, types = fused.split(" : (", 1)
        for strategy in STRATEGIES:
            name = f"{case.name}_{strategy}"
            functions.append((name, body + [f"{head} strategy {strategy} : ({types}"], y.shape))
            expected.append((name, y))

    lowered = subprocess.run([mlg_opt, "-", "--mlg-lower-generated=tile-channels=2"],
                             input=model.printing_module(functions), capture_output=True,
                             text=True)
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

    outputs = model.printed_memrefs(ran.stdout)
    if len(outputs) != len(expected):
        sys.exit(f"expected {len(expected)} outputs, got {len(outputs)}")
    failures = 0
    for (name, y), got in zip(expected, outputs):
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
