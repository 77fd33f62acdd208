"""Float I/O through host views (test/Tools/ptc-sim/host-view.mlir).

  host_view.py gen DIR     write x.npy (float NCHW [1, 3, 2, 2]), codes.npy
                           (its codes as [4][4] pixel rows), nan.npy, shape.npy
  host_view.py check DIR   compare y.npy (float, host shape) and raw.npy
                           (codes, [4][4]) with numpy

The program computes y_code = 3 * x_code - 2 on the [4][4] pixel rows;
x_code = clip(round_half_even(x / 0.25), -128, 127), y = y_code * 0.125.
"""
import os
import sys

import numpy as np

X_SCALE, Y_SCALE = 0.25, 0.125


def codes_of(x):
    # x / scale in float64, round half to even (np.round), clip to int8.
    q = np.clip(np.round(x.astype(np.float64) / X_SCALE), -128, 127)
    rows = np.zeros((4, 4), np.float64)
    rows[:, :3] = q.transpose(0, 2, 3, 1).reshape(4, 3)  # NHWC pixel rows
    return rows


def gen(d):
    x = np.array([0.125, 0.375, -0.625, 1.0,     # exact ties: 0.5 1.5 -2.5
                  40.0, -40.0, 3.3, -0.1,        # clipped to 127 / -128
                  7.77, 0.0, -2.2, 31.7], np.float32).reshape(1, 3, 2, 2)
    np.save(os.path.join(d, "x.npy"), x)
    np.save(os.path.join(d, "codes.npy"), codes_of(x).astype(np.float32))
    bad = x.copy()
    bad[0, 1, 1, 0] = np.nan
    np.save(os.path.join(d, "nan.npy"), bad)
    np.save(os.path.join(d, "shape.npy"), np.zeros((1, 3, 4), np.float32))


def check(d):
    x = np.load(os.path.join(d, "x.npy"))
    y_codes = 3 * codes_of(x) - 2
    y = np.load(os.path.join(d, "y.npy"))
    expected = (y_codes[:, :3].reshape(1, 2, 2, 3).transpose(0, 3, 1, 2) *
                Y_SCALE).astype(np.float32)
    print("float output", y.dtype, y.shape, "equal:",
          bool(np.array_equal(y, expected)))
    raw = np.load(os.path.join(d, "raw.npy"))
    print("raw codes", raw.shape, "equal:", bool(np.array_equal(raw, y_codes)),
          "padding column:", raw[:, 3].tolist())
    print("x codes:", codes_of(x)[:, :3].T.reshape(-1).astype(int).tolist())


if __name__ == "__main__":
    {"gen": gen, "check": check}[sys.argv[1]](sys.argv[2])
