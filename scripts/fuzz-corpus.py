#!/usr/bin/env python3
"""Seed corpora for the fuzz targets (docs/errors.md), taken from the tests.

    fuzz-corpus.py BUILD_DIR OUT_DIR

writes OUT_DIR/<fuzzer>/<seed> for
  mlg-pipeline-fuzzer  every MLIR module of test/ with a func.func (each
                       `// -----` chunk and each split-file part separately),
  ptc-binary-fuzzer    the binaries mlg-translate --ptc-to-binary makes of
  ptc-sim-fuzzer       every ptc.program of test/ (same splitting),
  ptc-model-fuzzer     the accelerator presets and the tests' JSON models,
  npy-fuzzer           small .npy files of every header form numpy writes.
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_SEED_BYTES = 64 * 1024


def chunks(text):
    """The modules of one test file: split-file parts and `// -----` chunks."""
    parts = re.split(r"^//--- .*$", text, flags=re.M)
    for part in parts:
        for chunk in re.split(r"^// -----\s*$", part, flags=re.M):
            if chunk.strip():
                yield chunk


def save(directory, data):
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    build, out = sys.argv[1], sys.argv[2]
    translate = os.path.join(build, "bin", "mlg-translate")
    counts = {}
    sources = []
    for dirpath, _, files in os.walk(os.path.join(ROOT, "test")):
        if "/Inputs" in dirpath:
            continue
        for name in sorted(files):
            if name.endswith(".mlir"):
                with open(os.path.join(dirpath, name)) as f:
                    sources.append(f.read())
    with tempfile.TemporaryDirectory() as tmp:
        for text in sources:
            for chunk in chunks(text):
                data = chunk.encode()
                if len(data) > MAX_SEED_BYTES:
                    continue
                if "func.func" in chunk:
                    save(os.path.join(out, "mlg-pipeline-fuzzer"), data)
                    counts["mlg-pipeline-fuzzer"] = counts.get("mlg-pipeline-fuzzer", 0) + 1
                if "ptc.program" in chunk:
                    src = os.path.join(tmp, "p.mlir")
                    binary = os.path.join(tmp, "p.bin")
                    with open(src, "w") as f:
                        f.write(chunk)
                    run = subprocess.run([translate, "--ptc-to-binary", src, "-o", binary],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    if run.returncode == 0:
                        with open(binary, "rb") as f:
                            data = f.read()
                        for fuzzer in ("ptc-binary-fuzzer", "ptc-sim-fuzzer"):
                            save(os.path.join(out, fuzzer), data)
                            counts[fuzzer] = counts.get(fuzzer, 0) + 1
        # Accelerator models: the presets and the tests' variants.
        for directory in (os.path.join(ROOT, "data", "ptc"),
                          os.path.join(ROOT, "test", "Tools", "Inputs"),
                          os.path.join(ROOT, "test", "Tools", "ptc-sim", "Inputs"),
                          os.path.join(ROOT, "test", "Conversion", "MLGToPTC", "Inputs")):
            if not os.path.isdir(directory):
                continue
            for name in sorted(os.listdir(directory)):
                if name.endswith(".json"):
                    with open(os.path.join(directory, name), "rb") as f:
                        save(os.path.join(out, "ptc-model-fuzzer"), f.read())
                    counts["ptc-model-fuzzer"] = counts.get("ptc-model-fuzzer", 0) + 1
        # .npy: scalar, vectors, matrices, 4-d, a version-2.0 header, zeros.
        arrays = [np.float32(1.5), np.arange(5, dtype=np.float32),
                  np.ones((2, 3), np.float32), np.zeros((0, 4), np.float32),
                  np.linspace(-1, 1, 24, dtype=np.float32).reshape(1, 2, 3, 4)]
        for index, array in enumerate(arrays):
            path = os.path.join(tmp, "a.npy")
            np.save(path, array)
            with open(path, "rb") as f:
                save(os.path.join(out, "npy-fuzzer"), f.read())
            counts["npy-fuzzer"] = counts.get("npy-fuzzer", 0) + 1
        path = os.path.join(tmp, "v2.npy")
        with open(path, "wb") as f:
            np.lib.format.write_array(f, np.ones((3,), np.float32), version=(2, 0))
        with open(path, "rb") as f:
            save(os.path.join(out, "npy-fuzzer"), f.read())
    for fuzzer, count in sorted(counts.items()):
        print(f"fuzz-corpus: {fuzzer}: {count} seeds")
    if "ptc-binary-fuzzer" not in counts:
        sys.exit("fuzz-corpus: no PTC binary could be made (is %s built?)" % translate)


if __name__ == "__main__":
    main()
