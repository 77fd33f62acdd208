#!/usr/bin/python3
"""CPU benchmark: our code, oneDNN, PyTorch and the compressed strategies, side by side in one run.

    /usr/bin/python3 bench/cpu/run.py [--quick] [--threads N] [--out build/bench/cpu]
        [--configs bench/cpu/configs.json] [--only NAME,...] [--families MLG,SD]
        [--min-seconds S] [--runs R]
        [--skip-layers] [--skip-network] [--no-cache] [--jobs J]
        [--filter constant|argument]
        [--mlg-opt build/bin/mlg-opt] [--mlgc build/bin/mlgc] [--mlg-run build/bin/mlg-run]

Everything it measures is described by configs.json (see README.md):

1. Per layer: every distinct ResNet-18 convolution at 224x224 and 32x32, each batch size. In one
   process, harness.cpp checks and times (a) our dense convolution (mlgc without compression,
   i.e. the --mlg-to-llvm code generation; NHWC, the filter a constant of the library, or an
   argument with --filter argument), (b) oneDNN on the same filter and input, (c) the same
   convolution compressed by `mlgc --compress=...` of each generator family of configs.json
   (MLG, SmartDeal) and lowered with each of its strategies (NCHW, the C ABI). torch_bench.py
   times (d) PyTorch on the same shape. The strategy the cost model picks for each family
   (`mlgc --strategy=auto`) is read from `mlg-opt --mlg-compress=...` followed by the family's
   `auto_pick` passes, the pipeline mlgc runs.
2. Whole network: the ImageNet ResNet-18 of examples/models/resnet18.py at 224x224, batch 1:
   oneDNN (resnet18_onednn.cpp) and PyTorch (torchvision) on the weights it exports, our dense
   build (mlgc, no compression) and the MLG builds (mlgc --compress, each strategy), all run
   through mlg-run: latency, library size, compile time, peak memory; outputs cross-checked.

Writes layers.csv, network.csv and summary.md under --out and prints the summary. Compiled
artifacts are cached under <out>/cache, keyed on their input text, options and tool binaries
(--no-cache rebuilds them); the compile time reported is the one measured when the artifact
was built. Needs libdnnl-dev, python3-torch, python3-torchvision (`make bench-cpu` installs
them). Python: /usr/bin/python3 (numpy).
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import shutil
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from common import (ROOT, Cache, check_run, fail, file_identity, machine,  # noqa: E402
                    relative_difference, write_csv)

LLVM_BIN = "/usr/lib/llvm-22/bin"
NOT_COMPRESSED = "not compressed"  # a family's auto pick where it leaves the layer dense
MIB = 1024.0 * 1024.0


# --------------------------------------------------------------------------------------------
# Convolution modules


def out_size(cfg):
    return (cfg["h"] + 2 * cfg["pad"] - cfg["k"]) // cfg["stride"] + 1


def layer_filter(cfg):
    """The seeded uniform(-1, 1) filter of a layer, FCHW float32 (one per shape, any batch)."""
    rng = np.random.default_rng([cfg["c"], cfg["f"], cfg["k"], cfg["h"], cfg["stride"]])
    return rng.uniform(-1.0, 1.0, (cfg["f"], cfg["c"], cfg["k"], cfg["k"])).astype("<f4")


def zero_pad(x, xp, amounts):
    """`%p = tensor.pad %x` (type x to xp) with zeros, `amounts` on both sides of each dim."""
    both = ", ".join(str(a) for a in amounts)
    return (f"    %p = tensor.pad %x low[{both}] high[{both}] {{\n"
            f"    ^bb0(%a: index, %b: index, %c: index, %d: index):\n"
            f"      tensor.yield %zero : f32\n    }} : {x} to {xp}\n")


def conv_module_nhwc(cfg, filter_fchw, filter_argument=False):
    """Our dense path's input: `forward(x: NHWC) -> NHWC`, the filter (HWCF) a dense_resource
    constant (as in a compiled model, so it is packed at compile time) or, with
    filter_argument, a second argument (packed on every call)."""
    n, c, h, f, k = cfg["n"], cfg["c"], cfg["h"], cfg["f"], cfg["k"]
    s, p, o = cfg["stride"], cfg["pad"], out_size(cfg)
    x = f"tensor<{n}x{h}x{h}x{c}xf32>"
    xp = f"tensor<{n}x{h + 2 * p}x{h + 2 * p}x{c}xf32>"
    wt = f"tensor<{k}x{k}x{c}x{f}xf32>"
    y = f"tensor<{n}x{o}x{o}x{f}xf32>"
    pad, src = "", "%x"
    if p:
        pad = zero_pad(x, xp, (0, p, p, 0))
        src = "%p"
    if filter_argument:
        args, weights, resources = f"%x: {x}, %w: {wt}", "", ""
    else:
        hwcf = np.ascontiguousarray(filter_fchw.transpose(2, 3, 1, 0), dtype="<f4")
        args = f"%x: {x}"
        weights = f"    %w = arith.constant dense_resource<conv_weight> : {wt}\n"
        resources = (f"\n{{-#\n  dialect_resources: {{\n    builtin: {{\n"
                     f"      conv_weight: \"0x04000000{hwcf.tobytes().hex().upper()}\"\n"
                     f"    }}\n  }}\n#-}}\n")
    return (
        f"module {{\n  func.func @forward({args}) -> {y} {{\n"
        f"    %zero = arith.constant 0.0 : f32\n{weights}{pad}"
        f"    %e = tensor.empty() : {y}\n"
        f"    %i = linalg.fill ins(%zero : f32) outs(%e : {y}) -> {y}\n"
        f"    %r = linalg.conv_2d_nhwc_hwcf {{dilations = dense<1> : tensor<2xi64>, "
        f"strides = dense<{s}> : tensor<2xi64>}} ins({src}, %w : {xp if p else x}, {wt}) "
        f"outs(%i : {y}) -> {y}\n"
        f"    return %r : {y}\n  }}\n}}\n{resources}")


def conv_module_nchw(cfg, filter_fchw):
    """mlgc's input: `forward(x: NCHW) -> NCHW`, the filter a dense_resource constant, in the
    form examples/models/resnet18.py writes (what mlg-compress recognises)."""
    n, c, h, f, k = cfg["n"], cfg["c"], cfg["h"], cfg["f"], cfg["k"]
    s, p, o = cfg["stride"], cfg["pad"], out_size(cfg)
    x = f"tensor<{n}x{c}x{h}x{h}xf32>"
    xp = f"tensor<{n}x{c}x{h + 2 * p}x{h + 2 * p}xf32>"
    wt = f"tensor<{f}x{c}x{k}x{k}xf32>"
    y = f"tensor<{n}x{f}x{o}x{o}xf32>"
    pad, src = "", "%x"
    if p:
        pad = zero_pad(x, xp, (0, 0, p, p))
        src = "%p"
    blob = filter_fchw.astype("<f4").tobytes().hex().upper()
    return (
        f"module {{\n  func.func @forward(%x: {x}) -> {y} {{\n"
        f"    %zero = arith.constant 0.0 : f32\n{pad}"
        f"    %w = arith.constant dense_resource<conv_weight> : {wt}\n"
        f"    %e = tensor.empty() : {y}\n"
        f"    %i = linalg.fill ins(%zero : f32) outs(%e : {y}) -> {y}\n"
        f"    %r = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, "
        f"strides = dense<{s}> : tensor<2xi64>}} ins({src}, %w : {xp if p else x}, {wt}) "
        f"outs(%i : {y}) -> {y} loc(\"conv\")\n"
        f"    return %r : {y}\n  }}\n}}\n\n"
        f"{{-#\n  dialect_resources: {{\n    builtin: {{\n"
        f"      conv_weight: \"0x04000000{blob}\"\n    }}\n  }}\n#-}}\n")


# --------------------------------------------------------------------------------------------
# Builds (cached)


class Builder:
    def __init__(self, args, configs):
        self.args, self.configs = args, configs
        self.cache = Cache(os.path.join(args.out, "cache"), not args.no_cache)
        self.tools = [file_identity(p) for p in (args.mlg_opt, args.mlgc)]
        self.tools += [file_identity(p) for p in map(shutil.which, ("clang-22", "ld.lld-22")) if p]
        self.mlgc_thread_flags = []
        if args.threads > 1:
            # Hook for multi-threaded generated code (configs.json "threads").
            self.mlgc_thread_flags = [configs["threads"]["mlgc_option"].format(n=args.threads)]

    def mlgc(self, model_path, model_key, strategy, compress):
        """mlgc --emit=lib (with --compress when compress is set); returns (lib, meta)."""
        flags = ([f"--compress={compress}"] if compress else []) + [f"--strategy={strategy}"]
        flags += self.mlgc_thread_flags

        def build(d):
            lib = os.path.join(d, "model.so")
            # /usr/bin/time: wall and CPU time (user + system) and peak RSS of mlgc itself.
            err = check_run(["/usr/bin/time", "-f", "mlgc-usage %e %U %S %M", self.args.mlgc,
                             "-q", model_path, "--emit=lib", "-o", lib] + flags,
                            stderr_too=True)
            wall, user, system, rss_kib = re.findall(r"mlgc-usage (\S+) (\S+) (\S+) (\S+)",
                                                     err)[-1]
            return {"compile_s": float(wall), "compile_cpu_s": float(user) + float(system),
                    "compile_rss_mb": int(rss_kib) / 1024.0, "flags": flags}

        d, meta = self.cache.build(["mlgc-v2", model_key] + flags + self.tools, build)
        return os.path.join(d, "model.so"), meta

    def auto_pick(self, model_path, model_key, family):
        """The strategy mlgc --strategy=auto gives each generated conv/matmul, in order: the
        family's auto_pick pattern matched on the output of its auto_pick passes. [] when the
        family leaves the model uncompressed (no mlg op: SmartDeal keeps 7x7 convs dense)."""
        pick = family["auto_pick"]
        argv = [self.args.mlg_opt, model_path, f"--mlg-compress={family['compress']}"]
        argv += pick["passes"]

        def build(d):
            out = check_run(argv)
            picks = re.findall(pick["pattern"], out)
            if not picks and re.search(r"= mlg\.\w+", out):
                fail(f"{family['name']} auto pick: `{shlex.join(argv)}` printed no strategy "
                     f"(nothing matches the configs.json pattern {pick['pattern']!r}); "
                     "does mlg-select-strategy cost this family's layers?")
            return {"picks": picks}

        d, meta = self.cache.build(["auto-pick", model_key, family["compress"]] + pick["passes"] +
                                   [pick["pattern"]] + self.tools, build)
        return meta["picks"]


# --------------------------------------------------------------------------------------------
# Per-layer benchmark


def expand_layers(configs, args):
    layers_cfg = configs["layers"]
    batches = layers_cfg["batches"]
    wanted = set(args.only.split(",")) if args.only else None
    if args.quick:
        batches = configs["quick"]["batches"]
        wanted = wanted or set(configs["quick"]["layers"])
    out = []
    for resolution, shapes in layers_cfg["resolutions"].items():
        for shape in shapes:
            if wanted and shape["name"] not in wanted:
                continue
            for n in batches:
                cfg = dict(shape, n=n, resolution=resolution)
                cfg["symbol"] = "r%s_%s_b%d" % (resolution, re.sub(r"\W", "_", shape["name"]), n)
                out.append(cfg)
    return out


def select_families(configs, args):
    """configs.json's generator families, those of --families only when it is given."""
    families = configs["families"]
    if args.families:
        wanted = [n.strip().lower() for n in args.families.split(",")]
        known = [f["name"].lower() for f in families]
        unknown = [n for n in wanted if n not in known]
        if unknown:
            fail(f"--families: unknown {', '.join(unknown)} (configs.json has "
                 f"{', '.join(f['name'] for f in families)})")
        families = [f for f in families if f["name"].lower() in wanted]
    return families


def family_key(family):
    """The family's prefix of layers.csv's columns (ms_mlg_tiled, sd_auto_pick, ...)."""
    return re.sub(r"\W", "_", family["name"].lower())


def gflop(cfg):
    o = out_size(cfg)
    return 2.0 * cfg["n"] * cfg["f"] * o * o * cfg["c"] * cfg["k"] * cfg["k"] * 1e-9


def prepare_layer(builder, families, cfg, work):
    """Compiles everything one layer needs; returns the paths and facts harness.cpp needs."""
    filt = layer_filter(cfg)
    base = os.path.join(work, cfg["symbol"])
    # The same filter for oneDNN (read by harness.cpp), ours and the MLG builds.
    weights = base + ".weights"
    filt.tofile(weights)
    dense_text = conv_module_nhwc(cfg, filt, builder.args.filter == "argument")
    dense_path = base + ".nhwc.mlir"
    with open(dense_path, "w") as fh:
        fh.write(dense_text)
    dense_lib, _ = builder.mlgc(dense_path, hashlib.sha256(dense_text.encode()).hexdigest(),
                                "dense", None)
    model_text = conv_module_nchw(cfg, filt)
    model_path = base + ".mlir"
    with open(model_path, "w") as fh:
        fh.write(model_text)
    model_key = hashlib.sha256(model_text.encode()).hexdigest()
    # Harness labels FAMILY/STRATEGY: each library is checked against its family's first.
    # A family that leaves the layer uncompressed is not timed (auto None).
    libs, auto = {}, {}
    for family in families:
        name = family["name"]
        picks = builder.auto_pick(model_path, model_key, family)
        auto[name] = picks[0] if picks else None
        if not picks:
            continue
        if auto[name] not in family["strategies"]:
            fail(f"{model_path}: {name} auto picks {auto[name]}, which is not among its "
                 "strategies in configs.json")
        for strategy in family["strategies"]:
            libs[f"{name}/{strategy}"], _ = builder.mlgc(model_path, model_key, strategy,
                                                         family["compress"])
    return {"dense_lib": dense_lib, "weights": weights, "libs": libs, "auto": auto}


def bench_layers(builder, configs, families, args, env):
    layers = expand_layers(configs, args)
    if not layers:
        return [], []
    work = os.path.join(args.out, "layers")
    os.makedirs(work, exist_ok=True)
    harness = build_harness(builder, args, "harness.cpp", "harness")
    print(f"[layers] compiling {len(layers)} layer configurations (ours + " +
          " + ".join(f"{len(f['strategies'])} {f['name']}" for f in families) +
          f" strategies each, {args.jobs} jobs)", flush=True)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        prepared = list(pool.map(lambda c: prepare_layer(builder, families, c, work), layers))

    print("[layers] PyTorch", flush=True)
    torch_cfgs = [{"name": c["symbol"], "n": c["n"], "c": c["c"], "h": c["h"], "w": c["h"],
                   "f": c["f"], "kh": c["k"], "kw": c["k"], "stride": c["stride"],
                   "pad": c["pad"]} for c in layers]
    torch_json = os.path.join(work, "torch_layers.json")
    with open(torch_json, "w") as fh:
        json.dump(torch_cfgs, fh)
    torch_out = check_run(["/usr/bin/python3", os.path.join(HERE, "torch_bench.py"), "layers",
                           torch_json, "--threads", str(args.threads),
                           "--min-seconds", str(args.min_seconds)], env=env)
    torch_rows = {r["name"]: r for r in map(json.loads, torch_out.splitlines())}

    tol = configs["tolerance"]
    rows, problems = [], []
    for cfg, prep in zip(layers, prepared):
        dims = [str(cfg[k]) for k in ("n", "c", "h", "h", "f", "k", "k", "stride", "pad")]
        lib_args = [f"{label}={lib}" for label, lib in prep["libs"].items()]
        out = json.loads(check_run([harness, prep["dense_lib"]] + dims +
                                   [str(args.min_seconds), prep["weights"]] + lib_args, env=env))
        t = torch_rows[cfg["symbol"]]
        row = {"resolution": cfg["resolution"], "layer": cfg["name"], "batch": cfg["n"],
               "c": cfg["c"], "f": cfg["f"], "h": cfg["h"], "k": cfg["k"],
               "stride": cfg["stride"], "gflop": round(gflop(cfg), 4),
               "ms_onednn": out["ms_onednn"], "ms_ours": out["ms_ours"], "ms_torch": t["ms"],
               "torch_format": t["format"], "rel_diff_ours_onednn": out["rel_diff"]}
        label = f"{cfg['resolution']} {cfg['name']} b{cfg['n']}"
        if out["rel_diff"] > tol["dense_vs_onednn"]:
            problems.append(f"{label}: ours differs from oneDNN by {out['rel_diff']:.3g} (relative)")
        for family in families:
            key, name = family_key(family), family["name"]
            row[f"{key}_auto_pick"] = prep["auto"][name] or NOT_COMPRESSED
            if not prep["auto"][name]:
                continue
            for s in family["strategies"]:
                r = out["strategies"][f"{name}/{s}"]
                row[f"ms_{key}_{s}"] = r["ms"]
                row[f"rel_diff_{key}_{s}"] = r["rel_diff"]
                if r["rel_diff"] > tol["between_strategies"]:
                    problems.append(f"{label}: {name} {s} differs from {name} "
                                    f"{family['strategies'][0]} by {r['rel_diff']:.3g} "
                                    "(relative)")
            row[f"ms_{key}_auto"] = row[f"ms_{key}_{prep['auto'][name]}"]
        rows.append(row)
        print(f"  {label:28s} oneDNN {row['ms_onednn']:8.3f} ms  ours {row['ms_ours']:8.3f}  "
              f"torch {row['ms_torch']:8.3f}  " +
              "  ".join(f"{lab} {r['ms']:8.3f}" for lab, r in out["strategies"].items()) +
              "".join(f"  {n} auto={a or '-'}" for n, a in prep["auto"].items()), flush=True)
    return rows, problems


def build_harness(builder, args, source, name):
    def build(d):
        check_run(["clang++-22", "-O2", "-std=c++17", f"-I{os.path.join(ROOT, 'include')}",
                   os.path.join(HERE, source), "-ldnnl", "-ldl", "-o", os.path.join(d, name)])
        return {}

    sources = [file_identity(os.path.join(HERE, f)) for f in (source, "npy.h")]
    d, _ = builder.cache.build(["harness", name, file_identity(os.path.join(
        ROOT, "include", "mlg", "Target", "CPU", "CABITypes.h"))] + sources, build)
    return os.path.join(d, name)


# --------------------------------------------------------------------------------------------
# Whole network


def parse_mlg_run(text):
    bench = re.search(r"min ([0-9.]+) ms, median ([0-9.]+) ms", text)
    memory = re.search(r"first run: ([0-9.]+) MiB", text)
    if not bench or not memory:
        fail(f"unexpected mlg-run output:\n{text}")
    return float(bench.group(1)), float(bench.group(2)), float(memory.group(1))


def bench_network(builder, configs, args, env):
    net = configs["network"]
    runs = args.runs
    work = os.path.join(args.out, "network")
    os.makedirs(work, exist_ok=True)
    script = os.path.join(ROOT, net["model"])

    def export(d):
        check_run(["/usr/bin/python3", script] + net["args"] +
                  ["-o", os.path.join(d, "model.mlir"),
                   "--export-weights", os.path.join(d, "weights")])
        with open(os.path.join(d, "model.mlir"), "rb") as fh:
            return {"sha256": hashlib.sha256(fh.read()).hexdigest()}

    model_dir, model_meta = builder.cache.build(["model", file_identity(script)] + net["args"],
                                                export)
    model_path = os.path.join(model_dir, "model.mlir")
    weights_dir = os.path.join(model_dir, "weights")
    dense_weight_bytes = sum(np.load(os.path.join(weights_dir, f), mmap_mode="r").nbytes
                             for f in os.listdir(weights_dir))
    x = np.random.default_rng(0).standard_normal(net["input_shape"]).astype(np.float32)
    x_path = os.path.join(work, "input.npy")
    np.save(x_path, x)

    family = {f["name"]: f for f in configs["families"]}[net["family"]]
    builds = [("ours dense (mlgc, no compression)", "dense", None)]
    builds += [(f"{family['name']} {s}", s, family["compress"]) for s in net["strategies"]]
    # One at a time: their compile times are reported.
    print(f"[network] compiling {len(builds)} builds of {net['model']} {' '.join(net['args'])}",
          flush=True)
    libs = [builder.mlgc(model_path, model_meta["sha256"], b[1], b[2]) for b in builds]

    rows, outputs, problems = [], {}, []
    print("[network] oneDNN", flush=True)
    onednn = build_harness(builder, args, "resnet18_onednn.cpp", "resnet18_onednn")
    y_path = os.path.join(work, "onednn.npy")
    r = json.loads(check_run([onednn, weights_dir, x_path, y_path, str(runs)], env=env))
    outputs["oneDNN"] = np.load(y_path)
    rows.append({"config": "oneDNN dense", **r})
    print("[network] PyTorch", flush=True)
    y_path = os.path.join(work, "torch.npy")
    r = json.loads(check_run(["/usr/bin/python3", os.path.join(HERE, "torch_bench.py"),
                              "resnet18", weights_dir, x_path, y_path, "--runs", str(runs),
                              "--threads", str(args.threads)], env=env))
    outputs["PyTorch"] = np.load(y_path)
    rows.append({"config": "PyTorch (torchvision)", **r})
    for (label, strategy, _), (lib, meta) in zip(builds, libs):
        print(f"[network] {label}", flush=True)
        y_path = os.path.join(work, re.sub(r"\W+", "_", label) + ".npy")
        text = check_run([args.mlg_run, lib, "--input", x_path, "--output", y_path,
                          "--bench", str(runs), "--report-memory"], env=env)
        ms_min, ms_median, peak = parse_mlg_run(text)
        outputs[label] = np.load(y_path)
        rows.append({"config": label, "ms_min": ms_min, "ms_median": ms_median,
                     "library_mb": os.path.getsize(lib) / 1e6, "compile_s": meta["compile_s"],
                     "compile_cpu_s": meta["compile_cpu_s"], "peak_mb": peak})

    tol = configs["tolerance"]
    reference = {"oneDNN dense": None, "PyTorch (torchvision)": "oneDNN",
                 "ours dense (mlgc, no compression)": "oneDNN"}
    first_mlg = f"{family['name']} {net['strategies'][0]}"
    onednn_ms = rows[0]["ms_median"]
    for row in rows:
        ref = reference.get(row["config"], first_mlg if row["config"] != first_mlg else None)
        out_key = {"oneDNN dense": "oneDNN", "PyTorch (torchvision)": "PyTorch"}.get(
            row["config"], row["config"])
        row["speedup_vs_onednn"] = onednn_ms / row["ms_median"]
        if ref:
            row["rel_diff"] = relative_difference(outputs[out_key], outputs[ref])
            row["checked_against"] = ref
            limit = tol["dense_vs_onednn"] if ref == "oneDNN" else tol["between_strategies"]
            if row["rel_diff"] > limit:
                problems.append(f"network: {row['config']} differs from {ref} by "
                                f"{row['rel_diff']:.3g} (relative)")
    return rows, problems, dense_weight_bytes


# --------------------------------------------------------------------------------------------
# Report


def fmt(v, digits=3):
    return "-" if v is None or v == "" else f"{v:.{digits}f}"


def layer_table(rows, family, baselines):
    """One row per layer: oneDNN, with baselines ours and PyTorch, then the family's strategies
    and its auto pick."""
    key, name = family_key(family), family["name"]
    head = ("| res | layer | batch | shape | GFLOP | oneDNN ms | " +
            ("ours ms (×) | PyTorch ms (×) | " if baselines else "") +
            "".join(f"{name} {s} ms (×) | " for s in family["strategies"]) +
            f"{name} auto picks |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        o = r["ms_onednn"]

        def cell(ms):
            return "-" if ms is None else f"{ms:.3f} ({o / ms:.2f})"
        shape = f"{r['c']}→{r['f']} {r['k']}×{r['k']} s{r['stride']} @{r['h']}"
        torch = f"{cell(r['ms_torch'])} {'CL' if r['torch_format'] == 'channels_last' else ''}"
        lines.append(f"| {r['resolution']} | {r['layer']} | {r['batch']} | {shape} | "
                     f"{r['gflop']:.3f} | {o:.3f} | " +
                     (f"{cell(r['ms_ours'])} | {torch.strip()} | " if baselines else "") +
                     "".join(f"{cell(r.get(f'ms_{key}_{s}'))} | " for s in family["strategies"]) +
                     f"{r[f'{key}_auto_pick']} |")
    return "\n".join(lines)


def compile_cell(row):
    if "compile_s" not in row:
        return "-"
    return f"{row['compile_s']:.1f} ({row['compile_cpu_s']:.1f})"


def network_table(rows, dense_weight_bytes):
    lines = ["| config | min ms | median ms | speedup vs oneDNN | library MB | "
             "compile s (CPU s) | peak MiB | rel. diff (vs) |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        diff = (f"{r['rel_diff']:.2g} ({r['checked_against']})" if "rel_diff" in r else "ref")
        lines.append(f"| {r['config']} | {r['ms_min']:.2f} | {r['ms_median']:.2f} | "
                     f"{r['speedup_vs_onednn']:.2f} | {fmt(r.get('library_mb'), 2)} | "
                     f"{compile_cell(r)} | {r['peak_mb']:.1f} | {diff} |")
    lines.append(f"\nDense fp32 weights: {dense_weight_bytes / 1e6:.1f} MB "
                 f"({dense_weight_bytes / MIB:.1f} MiB).")
    return "\n".join(lines)


def auto_vs_best(rows, family):
    """How far each layer's auto pick is from the family's fastest strategy there."""
    key = family_key(family)
    rows = [r for r in rows if f"ms_{key}_auto" in r]
    if not rows:
        return f"- {family['name']}: no layer compressed"

    def ratio(r):
        return r[f"ms_{key}_auto"] / min(r[f"ms_{key}_{s}"] for s in family["strategies"])
    best = sum(ratio(r) == 1.0 for r in rows)
    worst = max(rows, key=ratio)
    return (f"- {family['name']} auto picks the fastest of its strategies on {best}/{len(rows)} "
            f"layers; worst {worst['resolution']} {worst['layer']} b{worst['batch']}: "
            f"{worst[f'{key}_auto_pick']}, {ratio(worst):.2f}× the fastest's time")


def targets(layer_rows, net_rows, dense_weight_bytes, families):
    lines = []
    if layer_rows:
        ok = [r for r in layer_rows if r["ms_ours"] <= 1.5 * r["ms_onednn"]]
        worst = max(layer_rows, key=lambda r: r["ms_ours"] / r["ms_onednn"])
        lines.append(f"- our dense conv within 1.5× of oneDNN: {len(ok)}/{len(layer_rows)} layers "
                     f"(worst: {worst['resolution']} {worst['layer']} b{worst['batch']}, "
                     f"{worst['ms_ours'] / worst['ms_onednn']:.2f}× oneDNN's time)")
        lines += [auto_vs_best(layer_rows, f) for f in families]
    by = {r["config"]: r for r in net_rows}
    auto = by.get("MLG auto")
    if auto:
        lines.append(f"- MLG ResNet-18 (auto) vs oneDNN dense, end to end: "
                     f"{auto['speedup_vs_onednn']:.2f}× faster (target ≥ 2×)")
        mlg = [r for r in net_rows if r["config"].startswith("MLG")]
        lines.append("- peak memory of an MLG inference vs dense weights "
                     f"({dense_weight_bytes / MIB:.1f} MiB): " +
                     ", ".join(f"{r['config'][4:]} {r['peak_mb']:.1f} MiB" for r in mlg))
        lines.append(f"- compile time of the auto build (whole mlgc: parse, compress, lower, "
                     f"object, link): {auto['compile_s']:.1f} s wall, {auto['compile_cpu_s']:.1f} s "
                     f"CPU (target < 20 s)")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mlg-opt", default=os.path.join(ROOT, "build", "bin", "mlg-opt"))
    ap.add_argument("--mlgc", default=os.path.join(ROOT, "build", "bin", "mlgc"))
    ap.add_argument("--mlg-run", default=os.path.join(ROOT, "build", "bin", "mlg-run"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "cpu"))
    ap.add_argument("--configs", default=os.path.join(HERE, "configs.json"))
    ap.add_argument("--quick", action="store_true",
                    help="batch 1, a few layers, short timings (configs.json 'quick')")
    ap.add_argument("--threads", type=int, default=1,
                    help="threads for oneDNN, PyTorch and (hook) ours; default 1")
    ap.add_argument("--only", default="", help="layer names (configs.json) to run")
    ap.add_argument("--families", default="",
                    help="generator families (configs.json names, e.g. MLG,SD) of the per-layer "
                         "benchmark; default all")
    ap.add_argument("--min-seconds", type=float, default=None,
                    help="per-layer timing per implementation")
    ap.add_argument("--runs", type=int, default=None, help="timed whole-network runs")
    ap.add_argument("--skip-layers", action="store_true")
    ap.add_argument("--skip-network", action="store_true")
    ap.add_argument("--no-cache", action="store_true", help="rebuild every compiled artifact")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="parallel compiles (timings always run one at a time)")
    ap.add_argument("--filter", choices=["constant", "argument"], default="constant",
                    help="our dense layer: filter as a module constant or an argument")
    args = ap.parse_args()
    with open(args.configs) as fh:
        configs = json.load(fh)
    if args.min_seconds is None:
        args.min_seconds = configs["quick" if args.quick else "layers"]["min_seconds"]
    if args.runs is None:
        args.runs = configs["quick" if args.quick else "network"]["runs"]
    if args.threads < 1:
        ap.error("--threads must be at least 1")
    for tool in (args.mlg_opt, args.mlgc, args.mlg_run):
        if not os.access(tool, os.X_OK):
            fail(f"{tool} not found; build first (make build)")
    os.makedirs(args.out, exist_ok=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    env[configs["threads"]["mlg_env"]] = str(args.threads)
    builder = Builder(args, configs)
    families = select_families(configs, args)
    t0 = time.perf_counter()
    header = (f"# CPU benchmark ({'quick' if args.quick else 'full'} run)\n\n"
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {machine()}; "
              f"threads {args.threads}; " +
              "; ".join(f"{f['name']} `{f['compress']}`" for f in configs["families"]) + ".\n")
    print(header, flush=True)

    layer_rows, net_rows, problems, dense_bytes = [], [], [], 0
    if not args.skip_layers:
        layer_rows, p = bench_layers(builder, configs, families, args, env)
        problems += p
        write_csv(os.path.join(args.out, "layers.csv"), layer_rows)
    if not args.skip_network:
        net_rows, p, dense_bytes = bench_network(builder, configs, args, env)
        problems += p
        write_csv(os.path.join(args.out, "network.csv"), net_rows)

    parts = [header]
    if layer_rows:
        parts.append("## Per layer (median ms; (×) = oneDNN time / this time; "
                     f"{args.min_seconds} s per implementation)\n\n" +
                     layer_table(layer_rows, families[0], True))
        parts += [f"### {f['name']} (`{f['compress']}`), same run\n\n" +
                  layer_table(layer_rows, f, False) for f in families[1:]]
    if net_rows:
        parts.append(f"## ResNet-18, ImageNet 224×224, batch 1 ({args.runs} runs)\n\n" +
                     network_table(net_rows, dense_bytes))
    parts.append("## Targets\n\n" + targets(layer_rows, net_rows, dense_bytes, families))
    parts.append("## Checks\n\n" + ("\n".join(f"- FAILED: {p}" for p in problems) if problems
                                    else "- all outputs agree within the tolerances of "
                                         "configs.json"))
    parts.append(f"Total time {time.perf_counter() - t0:.0f} s.")
    summary = "\n\n".join(parts) + "\n"
    with open(os.path.join(args.out, "summary.md"), "w") as fh:
        fh.write(summary)
    print("\n" + summary)
    written = (["layers.csv"] if layer_rows else []) + (["network.csv"] if net_rows else [])
    print(f"results in {args.out}: {', '.join(written + ['summary.md'])}")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
