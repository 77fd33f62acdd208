#!/usr/bin/env python3
"""Inputs and checks for test/Tools/mlgc/threads.mlir.

  threads_check.py write DIR
      writes DIR/x.npy, w.npy, a.npy, b.npy, e.npy (fixed seed) for
      @forward.
  threads_check.py check DIR SUFFIX...
      for each SUFFIX, compares DIR/conv<SUFFIX>.npy, DIR/mm<SUFFIX>.npy and
      DIR/ew<SUFFIX>.npy with a float64 numpy reference (relu(conv(x, w)),
      a @ b, relu(2 e)) and with the outputs of the first SUFFIX; prints one
      line per output and suffix.
"""
import sys

import numpy as np

SHAPES = {"x": (1, 16, 32, 32), "w": (32, 16, 3, 3), "a": (64, 256),
          "b": (256, 128), "e": (1, 64, 64, 64)}


def write(d):
    rng = np.random.default_rng(11)
    for name, shape in SHAPES.items():
        np.save(f"{d}/{name}.npy", rng.standard_normal(shape).astype(np.float32))


def reference(d):
    x, w, a, b, e = (np.load(f"{d}/{n}.npy").astype(np.float64)
                     for n in "xwabe")
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(2, 3))
    conv = np.einsum("nchwij,fcij->nfhw", windows, w)
    return {"conv": np.maximum(conv, 0.0), "mm": a @ b,
            "ew": np.maximum(2.0 * e, 0.0)}


def check(d, suffixes):
    ref = reference(d)
    for name, expected in ref.items():
        first = np.load(f"{d}/{name}{suffixes[0]}.npy")
        for suffix in suffixes:
            got = np.load(f"{d}/{name}{suffix}.npy")
            rel = np.abs(got - expected).max() / np.abs(expected).max()
            same = np.abs(got - first).max() / np.abs(first).max()
            print(f"{name}{suffix}: shape {got.shape} "
                  f"{'ok' if rel <= 1e-5 else 'FAIL'} against numpy, "
                  f"{'same' if same <= 1e-6 else 'DIFFERENT'} as "
                  f"{name}{suffixes[0]}")


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    else:
        check(sys.argv[2], sys.argv[3:])
