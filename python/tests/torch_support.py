"""Test helper: compile an imported module with the build's mlgc and run it with mlg-run.

The build directory is $MLG_BUILD_DIR, else <repo>/build. Tests skip when its tools are missing.
"""

import os
import re
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


def run_tool(args, timeout=600, env=None):
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout, env=env)
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


def compile_for_ptc(text, workdir, stem="model"):
    """`mlgc --target=ptc` on MLIR text (written to WORKDIR/STEM.mlir); returns the size of the
    program binary WORKDIR/STEM.ptc, which must be non-empty."""
    path = os.path.join(str(workdir), stem + ".mlir")
    with open(path, "w") as f:
        f.write(text)
    binary = os.path.join(str(workdir), stem + ".ptc")
    run_tool([tool("mlgc"), path, "--target=ptc", "-q", "-o", binary])
    size = os.path.getsize(binary)
    assert size > 0, binary
    return size


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

    def __call__(self, *inputs, outputs=1, perturb=None):
        """Runs the library on `inputs`; returns its output(s). With `perturb` (default: the
        environment variable MLG_TEST_MALLOC_PERTURB is set), glibc fills freshly allocated and
        freed blocks with a byte pattern, so that reading uninitialised or freed memory shows in
        the outputs instead of passing by luck."""
        if perturb is None:
            perturb = bool(os.environ.get("MLG_TEST_MALLOC_PERTURB"))
        d = self._dir.name
        args = [tool("mlg-run"), self.lib]
        for i, x in enumerate(inputs):
            p = os.path.join(d, "in%d.npy" % i)
            np.save(p, np.ascontiguousarray(np.asarray(x, dtype=np.float32)))
            args += ["--input", p]
        outs = [os.path.join(d, "out%d.npy" % i) for i in range(outputs)]
        for p in outs:
            args += ["--output", p]
        run_tool(args, env=dict(os.environ, MALLOC_PERTURB_="165") if perturb else None)
        results = [np.load(p) for p in outs]
        return results[0] if outputs == 1 else results

    def close(self):
        self._dir.cleanup()


def rel_error(got, want):
    """max |got - want| / max |want| (a relative error robust to near-zero entries)."""
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    scale = max(np.abs(want).max(), 1e-30)
    return float(np.abs(got - want).max() / scale)


MLIR_RUNNER = "/usr/lib/llvm-22/bin/mlir-runner"
RUNNER_LIBS = "/usr/lib/llvm-22/lib/libmlir_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so"


def have_reference():
    return have_tools("mlg-opt") and os.access(MLIR_RUNNER, os.X_OK)


def run_reference(text, *inputs, name="forward", workdir=None):
    """Runs function `name` of the module `text` on `inputs` through the reference lowering
    (mlg-opt --mlg-reference-to-llvm, then mlir-runner): the executable definition of every op,
    independent of mlgc's optimised CPU pipeline. Returns the list of outputs."""
    sig = re.search(r"func\.func @%s\((.*?)\) -> (.*?) \{\n" % re.escape(name), text)
    if sig is None:
        raise ValueError("no func.func @%s" % name)
    result_types = re.findall(r"tensor<[^>]*>", sig.group(2))
    main = ["  func.func private @printMemrefF32(tensor<*xf32>)", "  func.func @main() {"]
    args = []
    for i, x in enumerate(inputs):
        x = np.ascontiguousarray(np.asarray(x, dtype="<f4"))
        ty = "tensor<%sxf32>" % "x".join(str(d) for d in x.shape)
        main.append('    %%in%d = arith.constant dense<"0x%s"> : %s' % (i, x.tobytes().hex().upper(), ty))
        args.append(("%%in%d" % i, ty))
    results = ", ".join("%%r%d" % i for i in range(len(result_types)))
    main.append("    %s = call @%s(%s) : (%s) -> (%s)" % (results, name, ", ".join(a for a, _ in args),
                                                        ", ".join(t for _, t in args), ", ".join(result_types)))
    for i, ty in enumerate(result_types):
        main.append("    %%u%d = tensor.cast %%r%d : %s to tensor<*xf32>" % (i, i, ty))
        main.append("    call @printMemrefF32(%%u%d) : (tensor<*xf32>) -> ()" % i)
    main.append("    return")
    main.append("  }")
    end = text.rindex("\n}\n", 0, text.index("{-#") if "{-#" in text else len(text))
    full = text[:end] + "\n" + "\n".join(main) + text[end:]
    with tempfile.TemporaryDirectory(dir=workdir) as d:
        src = os.path.join(d, "ref.mlir")
        with open(src, "w") as f:
            f.write(full)
        llvm = os.path.join(d, "ref.llvm.mlir")
        run_tool([tool("mlg-opt"), src, "--mlg-reference-to-llvm", "-o", llvm])
        out = run_tool([MLIR_RUNNER, llvm, "-e", "main", "-entry-point-result=void", "-shared-libs=" + RUNNER_LIBS]).stdout
    outputs = []
    for chunk in out.split("Unranked Memref")[1:]:
        shape = [int(s) for s in re.search(r"sizes = \[([^\]]*)\]", chunk).group(1).split(",") if s.strip()]
        data = chunk.split("data =", 1)[1]
        values = [float(v) for v in re.findall(r"[-+]?(?:nan|inf|\d+\.?\d*(?:e[-+]?\d+)?)", data)]
        outputs.append(np.array(values, np.float32).reshape(shape))
    return outputs


def freed_then_loaded(text):
    """Buffers that mlgc's CPU pipeline reads after freeing them: for each function of the IR
    after mlg-cpu-broadcast-loads, (buffer, first later use) for every `memref.dealloc %b`
    followed by a use of %b. Empty when the lowering is sound in this respect."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.mlir")
        with open(src, "w") as f:
            f.write(text)
        r = subprocess.run([tool("mlgc"), src, "--emit=mlir", "-q", "-o", os.devnull,
                            "--mlir-print-ir-after=mlg-cpu-broadcast-loads"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError("mlgc failed:\n" + r.stderr[-4000:])
    found = []
    for function in re.split(r"\n\s*func\.func ", r.stderr):
        lines = function.split("\n")
        for i, line in enumerate(lines):
            m = re.search(r"memref\.dealloc (%[\w]+) ", line)
            if not m:
                continue
            use = re.compile(re.escape(m.group(1)) + r"[\[ ,)]")
            for later in lines[i + 1:]:
                if use.search(later) and "memref.dealloc" not in later:
                    found.append((m.group(1), later.strip()))
                    break
    return found
