#!/usr/bin/env python3
"""Numeric helpers for scripts/demo.sh (Debian's /usr/bin/python3 with numpy).

  demo_check.py basic-block-input X.npy       the input @main of basic_block.mlir builds
  demo_check.py compare REFERENCE OUT.npy     REFERENCE: a .npy, or mlir-runner's printed
                                              memref; prints the relative error, fails > TOL
  demo_check.py random-input SHAPE X.npy      a seeded N(0,1) input, SHAPE like 1x3x32x32
"""
import re
import sys

import numpy as np

TOL = 1e-4


def load(path):
    if path.endswith(".npy"):
        return np.load(path).astype(np.float64)
    # printMemrefF32's output: the numbers after the "data =" header.
    text = open(path).read()
    body = text.split("data =", 1)[-1]
    return np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?", body)])


def main(argv):
    cmd = argv[1]
    if cmd == "basic-block-input":
        c, h, w = np.meshgrid(np.arange(4), np.arange(6), np.arange(6), indexing="ij")
        np.save(argv[2], (0.1 * (h + w - c)).astype(np.float32)[None])
        return 0
    if cmd == "random-input":
        shape = [int(d) for d in argv[2].split("x")]
        np.save(argv[3], np.random.default_rng(0).standard_normal(shape).astype(np.float32))
        return 0
    if cmd == "compare":
        ref, out = load(argv[2]).ravel(), load(argv[3]).ravel()
        if ref.shape != out.shape:
            print(f"  shape mismatch: {ref.shape} vs {out.shape}")
            return 1
        err = np.linalg.norm(out - ref) / max(np.linalg.norm(ref), 1e-30)
        verdict = "ok" if err <= TOL else "FAIL"
        print(f"  relative error {err:.2e} (<= {TOL:g}: {verdict})")
        return 0 if err <= TOL else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
