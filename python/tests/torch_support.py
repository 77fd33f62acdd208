"""Test helper: compile an imported module with the build's mlgc and run it with mlg-run.

The build directory is $MLG_BUILD_DIR, else <repo>/build. Tests skip when its tools are missing.
"""

import os
import subprocess
import tempfile
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("MLG_BUILD_DIR", os.path.join(REPO, "build"))


def tool(name):
    return os.path.join(BUILD, "bin", name)


def have_tools(*names):
    return all(os.access(tool(n), os.X_OK) for n in names)


def run_tool(args, timeout=600):
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s%s" % (os.path.basename(args[0]), r.returncode, r.stdout, r.stderr[-8000:]))
    return r


def mlg_opt(text, *passes, workdir=None):
    """Runs mlg-opt on `text` with `passes`; returns its output text."""
    with tempfile.TemporaryDirectory(dir=workdir) as d:
        src = os.path.join(d, "in.mlir")
        with open(src, "w") as f:
            f.write(text)
        out = os.path.join(d, "out.mlir")
        run_tool([tool("mlg-opt"), src, *passes, "-o", out])
        with open(out) as f:
            return f.read()


class Compiled:
    """A library built by `mlgc --emit=lib` from MLIR text, run through mlg-run on .npy files."""

    def __init__(self, text, compress=None, extra=(), workdir=None):
        self._dir = tempfile.TemporaryDirectory(dir=workdir)
        d = self._dir.name
        self.mlir = os.path.join(d, "model.mlir")
        with open(self.mlir, "w") as f:
            f.write(text)
        self.lib = os.path.join(d, "model.so")
        args = [tool("mlgc"), self.mlir, "--emit=lib", "-o", self.lib, "-q", *extra]
        if compress:
            args.append("--compress=%s" % compress)
        start = time.perf_counter()
        run_tool(args)
        self.compile_seconds = time.perf_counter() - start

    def __call__(self, *inputs, outputs=1):
        d = self._dir.name
        args = [tool("mlg-run"), self.lib]
        for i, x in enumerate(inputs):
            p = os.path.join(d, "in%d.npy" % i)
            np.save(p, np.ascontiguousarray(np.asarray(x, dtype=np.float32)))
            args += ["--input", p]
        outs = [os.path.join(d, "out%d.npy" % i) for i in range(outputs)]
        for p in outs:
            args += ["--output", p]
        run_tool(args)
        results = [np.load(p) for p in outs]
        return results[0] if outputs == 1 else results

    def close(self):
        self._dir.cleanup()


def rel_error(got, want):
    """max |got - want| / max |want| (a relative error robust to near-zero entries)."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    scale = max(np.abs(want).max(), 1e-30)
    return float(np.abs(got - want).max() / scale)
