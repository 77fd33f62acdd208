#!/usr/bin/python3
"""CPU convolution benchmark: mlg-to-llvm code against oneDNN, side by side.

    /usr/bin/python3 bench/cpu/run.py [--mlg-opt build/bin/mlg-opt] [--out build/bench/cpu]
        [--configs bench/cpu/configs.json] [--min-seconds 1] [--only NAME,...]
        [--filter constant|argument] [--pipeline-options "vector-width=16"]

Per entry of the configs file (a JSON list of {"name", "n", "c", "h", "w", "f", "kh", "kw",
"stride", "pad"}), writes an NHWC/HWCF convolution (zero padding included) whose result is
stored into a caller buffer. Its filter is a constant of the module (--filter constant, the
default: as in a compiled model, so its packing happens at compile time) or an argument
(packed on every call). Compiles it

    mlg-opt conv.mlir --mlg-to-llvm | mlir-translate --mlir-to-llvmir | clang-22 -O3 -march=native -shared

and runs harness.cpp (built once, linked with oneDNN), which checks the two outputs against each
other and times both in the same process. Writes results.csv under --out and prints a table
with GFLOP/s and the ratio (oneDNN time / ours: 1.0 means as fast as oneDNN).
Needs libdnnl-dev (apt-get install libdnnl-dev). Standard library only.
"""
import argparse
import array
import csv
import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
LLVM_BIN = "/usr/lib/llvm-22/bin"
FIELDS = ["config", "filter", "gflop", "ms_mlg", "ms_onednn", "gflops_mlg", "gflops_onednn",
          "ratio", "max_abs_diff"]


def random_filter(cfg, path):
    """Writes a seeded uniform(-1, 1) FCHW filter as raw f32 to path; returns the HWCF hex."""
    f, c, kh, kw = cfg["f"], cfg["c"], cfg["kh"], cfg["kw"]
    rng = random.Random(0)
    fchw = array.array("f", (rng.uniform(-1.0, 1.0) for _ in range(f * c * kh * kw)))
    with open(path, "wb") as fh:
        fchw.tofile(fh)
    hwcf = array.array("f", bytes(4 * len(fchw)))
    for o in range(f):
        for i in range(c):
            for y in range(kh):
                for x in range(kw):
                    hwcf[((y * kw + x) * c + i) * f + o] = fchw[((o * c + i) * kh + y) * kw + x]
    if sys.byteorder != "little":
        hwcf.byteswap()
    return hwcf.tobytes().hex().upper()


def conv_module(cfg, filter_hex=None):
    """The MLIR text of one convolution, written in place into its last argument; the filter
    is an argument, or the constant filter_hex (HWCF, little-endian f32)."""
    n, c, h, w, f = cfg["n"], cfg["c"], cfg["h"], cfg["w"], cfg["f"]
    kh, kw, s, p = cfg["kh"], cfg["kw"], cfg["stride"], cfg["pad"]
    oh, ow = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
    x = f"tensor<{n}x{h}x{w}x{c}xf32>"
    xp = f"tensor<{n}x{h + 2 * p}x{w + 2 * p}x{c}xf32>"
    wt = f"tensor<{kh}x{kw}x{c}x{f}xf32>"
    y = f"tensor<{n}x{oh}x{ow}x{f}xf32>"
    ym = f"memref<{n}x{oh}x{ow}x{f}xf32>"
    pad = ""
    src = "%x"
    if p:
        pad = (f"  %p = tensor.pad %x low[0, {p}, {p}, 0] high[0, {p}, {p}, 0] {{\n"
               f"  ^bb0(%a: index, %b: index, %c: index, %d: index):\n"
               f"    tensor.yield %zero : f32\n  }} : {x} to {xp}\n")
        src = "%p"
    if filter_hex is None:
        args, weights = f"%x: {x}, %w: {wt}, %out: {ym}", ""
    else:
        args = f"%x: {x}, %out: {ym}"
        weights = f'  %w = arith.constant dense<"0x{filter_hex}"> : {wt}\n'
    return (
        f"func.func @{cfg['name']}({args}) "
        f"attributes {{llvm.emit_c_interface}} {{\n"
        f"  %zero = arith.constant 0.0 : f32\n{weights}{pad}"
        f"  %e = tensor.empty() : {y}\n"
        f"  %i = linalg.fill ins(%zero : f32) outs(%e : {y}) -> {y}\n"
        f"  %r = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>, "
        f"strides = dense<{s}> : tensor<2xi64>}}\n"
        f"      ins({src}, %w : {xp if p else x}, {wt}) outs(%i : {y}) -> {y}\n"
        f"  bufferization.materialize_in_destination %r in restrict writable %out "
        f": ({y}, {ym}) -> ()\n"
        f"  return\n}}\n")


def check_run(argv, **kw):
    proc = subprocess.run(argv, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(argv)} failed:\n{proc.stderr}")
    return proc.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mlg-opt", default=os.path.join(ROOT, "build", "bin", "mlg-opt"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "cpu"))
    ap.add_argument("--configs", default=os.path.join(HERE, "configs.json"))
    ap.add_argument("--filter", choices=["constant", "argument"], default="constant")
    ap.add_argument("--min-seconds", type=float, default=1.0)
    ap.add_argument("--only", default="")
    ap.add_argument("--pipeline-options", default="")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with open(args.configs) as fh:
        configs = json.load(fh)
    if args.only:
        wanted = set(args.only.split(","))
        configs = [c for c in configs if c["name"] in wanted]

    harness = os.path.join(args.out, "harness")
    check_run(["clang++-22", "-O2", "-std=c++17", os.path.join(HERE, "harness.cpp"),
               "-ldnnl", "-ldl", "-o", harness])
    options = args.pipeline_options
    # One thread: the generated code is single-threaded, so is oneDNN here.
    env = dict(os.environ, OMP_NUM_THREADS="1")
    rows = []
    for cfg in configs:
        name = cfg["name"]
        base = os.path.join(args.out, name)
        weights = []
        filter_hex = None
        if args.filter == "constant":
            filter_hex = random_filter(cfg, base + ".weights")
            weights = [base + ".weights"]
        with open(base + ".mlir", "w") as fh:
            fh.write(conv_module(cfg, filter_hex))
        llvm_mlir = check_run([args.mlg_opt, base + ".mlir", f"--mlg-to-llvm={options}"])
        with open(base + ".llvm.mlir", "w") as fh:
            fh.write(llvm_mlir)
        check_run([os.path.join(LLVM_BIN, "mlir-translate"), "--mlir-to-llvmir",
                   base + ".llvm.mlir", "-o", base + ".ll"])
        check_run(["clang-22", "-O3", "-march=native", "-shared", "-fPIC",
                   "-Wno-override-module", base + ".ll", "-o", base + ".so"])
        dims = [str(cfg[k]) for k in ("n", "c", "h", "w", "f", "kh", "kw", "stride", "pad")]
        out = check_run([harness, base + ".so", name] + dims + [str(args.min_seconds)] + weights,
                        env=env).strip().split(",")
        oh = (cfg["h"] + 2 * cfg["pad"] - cfg["kh"]) // cfg["stride"] + 1
        ow = (cfg["w"] + 2 * cfg["pad"] - cfg["kw"]) // cfg["stride"] + 1
        gflop = 2.0 * cfg["n"] * cfg["f"] * oh * ow * cfg["c"] * cfg["kh"] * cfg["kw"] * 1e-9
        row = dict(zip(FIELDS, [name, args.filter, f"{gflop:.4f}"] + out))
        rows.append(row)
        print(f"{name:32s} mlg {float(row['gflops_mlg']):7.1f} GFLOP/s ({float(row['ms_mlg']):8.3f} ms)"
              f"  oneDNN {float(row['gflops_onednn']):7.1f} GFLOP/s ({float(row['ms_onednn']):8.3f} ms)"
              f"  ratio {float(row['ratio']):5.2f}  max|diff| {row['max_abs_diff']}", flush=True)
        if float(row["max_abs_diff"]) > 1e-2:
            print(f"error: {name}: outputs differ from oneDNN by {row['max_abs_diff']}",
                  file=sys.stderr)
            sys.exit(1)
    with open(os.path.join(args.out, "results.csv"), "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"results in {os.path.join(args.out, 'results.csv')}")


if __name__ == "__main__":
    main()
