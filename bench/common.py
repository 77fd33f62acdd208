"""Helpers shared by the benchmark drivers (bench/*/run.py): running the tools, a build cache,
output comparison, CSV and machine description. Standard library + numpy only.

A driver imports it with `sys.path.insert(0, <bench>)`, then `import common`.
"""
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ToolError(Exception):
    """A tool exited with an error: `argv`, `returncode`, `output` (stderr + stdout); the
    message holds the command line and the output."""

    def __init__(self, argv, returncode, output):
        super().__init__(f"{' '.join(argv)} failed (exit {returncode}):\n{output}")
        self.argv, self.returncode, self.output = argv, returncode, output


def fail(message):
    sys.exit(f"run.py: error: {message}")


def run_tool(argv, stderr_too=False, **kw):
    """Runs argv; returns its stdout (stdout + stderr with stderr_too); raises ToolError with
    the command and its output when it exits with an error."""
    proc = subprocess.run(argv, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        raise ToolError(argv, proc.returncode, proc.stderr + proc.stdout)
    return proc.stdout + proc.stderr if stderr_too else proc.stdout


def check_run(argv, stderr_too=False, **kw):
    """run_tool, but a failing tool ends the benchmark."""
    try:
        return run_tool(argv, stderr_too=stderr_too, **kw)
    except ToolError as e:
        fail(str(e))


def file_identity(path):
    """What the cache key uses for a tool or script: its path, size and modification time."""
    st = os.stat(path)
    return f"{os.path.realpath(path)}:{st.st_size}:{st.st_mtime_ns}"


class Cache:
    """Directories under root keyed on the hash of a build's inputs, with a meta.json."""

    def __init__(self, root, enabled):
        self.root, self.enabled = root, enabled

    def build(self, key_parts, build_fn):
        """Returns (directory, meta); build_fn(tmpdir) fills a fresh directory, returns meta.
        If build_fn raises, nothing is cached and the exception propagates."""
        digest = hashlib.sha256()
        for part in key_parts:
            digest.update(part if isinstance(part, bytes) else str(part).encode())
            digest.update(b"\0")
        final = os.path.join(self.root, digest.hexdigest()[:24])
        meta_path = os.path.join(final, "meta.json")
        if self.enabled and os.path.exists(meta_path):
            with open(meta_path) as fh:
                return final, json.load(fh)
        os.makedirs(self.root, exist_ok=True)
        tmp = tempfile.mkdtemp(dir=self.root, prefix="tmp-")
        try:
            meta = build_fn(tmp)
            with open(os.path.join(tmp, "meta.json"), "w") as fh:
                json.dump(meta, fh)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(final, ignore_errors=True)
        os.rename(tmp, final)
        return final, meta


def relative_difference(a, b):
    """max |a - b| / max |b| (the plain maximum difference when b is all zeros)."""
    scale = float(np.abs(b).max())
    return float(np.abs(a - b).max()) / scale if scale else float(np.abs(a - b).max())


def write_csv(path, rows):
    fields = []
    for r in rows:
        fields += [k for k in r if k not in fields]
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as fh:
        m = re.search(r"model name\s*:\s*(.*)", fh.read())
        if m:
            model = m.group(1)
    return f"{model}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
