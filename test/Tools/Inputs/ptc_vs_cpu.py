"""The PTC program's float I/O against the CPU build (ptc-vs-cpu.mlir).

  ptc_vs_cpu.py quantize DIR   read DIR/prog.mlir (the disassembled binary)
                               and DIR/x.npy; write DIR/xq.npy, the input
                               codes in the symbol's layout (independently of
                               ptc-sim: float64 x / scale, round half to
                               even, clip; host_row_padding zero pixels
                               each side of an image row)
  ptc_vs_cpu.py check DIR TOL  DIR/ptc.npy (ptc-sim's float output) must
                               equal DIR/raw.npy (the codes of the run on
                               xq.npy, --raw-codes) times the output scale,
                               laid out in the host shape, exactly; and be
                               within TOL * max|y| of DIR/cpu.npy (mlg-run)
  ptc_vs_cpu.py error DIR NAME TOL [REF]
                               DIR/NAME.npy (a ptc-sim float output) within
                               TOL * max|y| of DIR/REF.npy (default cpu)

The scales and host shapes come from the binary alone (prog.mlir is
mlg-translate --binary-to-ptc of it).
"""
import re
import sys

import numpy as np

DATA = re.compile(r'ptc\.data @(\w+) offset \d+ = dense<0> : '
                  r'tensor<(\d+)x(\d+)xi(\d+)> \{host_layout = "nchw_pixels", '
                  r'(?:host_row_padding = (\d+) : i64, )?'
                  r'host_shape = array<i64: ([0-9, ]+)>, role = "\w+", '
                  r'scale = ([-0-9.eE+]+) : f64\}')


def host_views(path):
    views = {}
    for match in DATA.finditer(open(path).read()):
        name, rows, cols, bits, pad, shape, scale = match.groups()
        views[name] = ((int(rows), int(cols)), int(bits),
                       tuple(int(d) for d in shape.split(", ")), float(scale),
                       int(pad or 0))
    return views


def to_rows(x):
    """NCHW (or [N, K]) -> pixel rows [N*H*W][C]."""
    x = x.reshape(x.shape + (1,) * (4 - x.ndim))
    return x.transpose(0, 2, 3, 1).reshape(-1, x.shape[1])


def from_rows(rows, shape):
    full = shape + (1,) * (4 - len(shape))
    n, c, h, w = full
    return rows[:, :c].reshape(n, h, w, c).transpose(0, 3, 1, 2).reshape(shape)


def quantize(d):
    (rows, cols), bits, shape, scale, pad = host_views(
        f"{d}/prog.mlir")["input"]
    x = np.load(f"{d}/x.npy")
    assert x.shape == shape, (x.shape, shape)
    top = (1 << (bits - 1)) - 1
    if pad:
        n, c, h, w = shape
        x = np.pad(x, ((0, 0), (0, 0), (0, 0), (pad, pad)))
    xq = np.zeros((rows, cols))
    xq[:, :shape[1]] = np.clip(np.round(to_rows(x.astype(np.float64)) / scale),
                               -top - 1, top)
    np.save(f"{d}/xq.npy", xq.astype(np.float32))


def check(d, tolerance):
    views = host_views(f"{d}/prog.mlir")
    _, _, shape, scale, _ = views["output"]
    cpu, ptc, raw = (np.load(f"{d}/{n}.npy") for n in ("cpu", "ptc", "raw"))
    dequantized = (from_rows(raw.astype(np.float64), shape) * scale)
    print("input host shape", views["input"][2], "output host shape", shape)
    print("float output", ptc.dtype, ptc.shape, "= codes * scale:",
          bool(np.array_equal(ptc, dequantized.astype(np.float32))))
    assert cpu.shape == shape, (cpu.shape, shape)
    error = np.abs(ptc.astype(np.float64) - cpu).max() / np.abs(cpu).max()
    print(f"max error / max|y| vs the CPU build: {error:.3f} "
          f"(tolerance {tolerance}):", "ok" if error <= tolerance else "FAIL")


def error(d, name, tolerance, reference="cpu"):
    cpu, ptc = np.load(f"{d}/{reference}.npy"), np.load(f"{d}/{name}.npy")
    assert cpu.shape == ptc.shape, (cpu.shape, ptc.shape)
    err = np.abs(ptc.astype(np.float64) - cpu).max() / np.abs(cpu).max()
    print(f"{name}: max error / max|y| vs the CPU build: {err:.3f} "
          f"(tolerance {tolerance}):", "ok" if err <= tolerance else "FAIL")


if __name__ == "__main__":
    if sys.argv[1] == "quantize":
        quantize(sys.argv[2])
    elif sys.argv[1] == "error":
        error(sys.argv[2], sys.argv[3], float(sys.argv[4]), *sys.argv[5:6])
    else:
        check(sys.argv[2], float(sys.argv[3]))
