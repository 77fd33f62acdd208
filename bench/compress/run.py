#!/usr/bin/python3
"""Compression benchmark: time, peak memory and result of `mlg-opt --mlg-compress` on ResNet-18.

    /usr/bin/python3 bench/compress/run.py [--mlg-opt build/bin/mlg-opt] [--out build/bench/compress]
        [--configs bench/compress/configs.json] [--dataset imagenet] [--weights spectral] [--seed 0]
        [--only NAME,...] [--repeat N] [--timeout S] [--target-s 10] [--keep-outputs]

Generates the model once with examples/models/resnet18.py (cached in --out), then runs, per entry of
the configs file (a JSON list of {"name", "compress"}; an empty "compress" is the anchor: parse,
report and print only),

    mlg-opt MODEL [--mlg-compress="<compress>"] --mlg-memory-report="json=NAME.json" -o NAME.out.mlir

measuring each child's wall time and its own rusage (os.wait4: peak RSS, user and system time), reads
the report JSON, writes results.csv and summary.md under --out and prints the summary tables.
Standard library only.
"""
import argparse
import csv
import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MIB = 1024.0 * 1024.0

CSV_FIELDS = [
    "config", "compress", "rc", "wall_s", "wall_s_min", "user_s", "sys_s", "peak_rss_mib",
    "output_mib", "layers", "generated_layers", "params_dense", "params_stored", "stored_bits",
    "stored_mib", "conv_stored_bits", "conv_dense_bits_fp32", "dense_bits_fp32", "dense_mib_fp32",
    "param_ratio", "memory_ratio_eq4", "memory_ratio_official", "rel_error_rms", "rel_error_max",
    "error",
]


def run_child(argv, stdout_path, timeout):
    """Runs argv; returns (rc, wall seconds, rusage of that child alone, timed_out)."""
    with open(stdout_path, "w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                proc.kill()
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    return proc.returncode, wall, usage, bool(timed_out)


def generate_model(args):
    name = "resnet18_%s_%s_s%d.mlir" % (args.dataset, args.weights, args.seed)
    path = os.path.join(args.out, name)
    if os.path.exists(path) and not args.regen:
        print("model: %s (cached)" % path, file=sys.stderr)
        return path, None
    gen = os.path.join(ROOT, "examples", "models", "resnet18.py")
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    argv = [python, gen, "--dataset", args.dataset, "--weights", args.weights,
            "--seed", str(args.seed), "-o", path + ".tmp"]
    t0 = time.perf_counter()
    subprocess.run(argv, check=True)
    dt = time.perf_counter() - t0
    os.replace(path + ".tmp", path)
    print("model: %s (generated in %.2f s, %.1f MiB)" % (path, dt, os.path.getsize(path) / MIB),
          file=sys.stderr)
    return path, dt


def num(x):
    return None if x is None else float(x)


def run_config(args, model, cfg):
    name, compress = cfg["name"], cfg.get("compress", "").strip()
    report = os.path.join(args.out, name + ".json")
    output = os.path.join(args.out, name + ".out.mlir")
    log = os.path.join(args.out, name + ".log")
    argv = [args.mlg_opt, model]
    if compress:
        argv.append("--mlg-compress=%s" % compress)
    argv += ["--mlg-memory-report=json=%s" % report, "-o", output]
    row = {"config": name, "compress": compress}
    walls, users, syss, rss = [], [], [], []
    for _ in range(args.repeat):
        for stale in (report, output):
            if os.path.exists(stale):
                os.remove(stale)
        rc, wall, usage, timed_out = run_child(argv, log, args.timeout)
        row["rc"] = rc
        if rc != 0:
            with open(log) as f:
                tail = f.read()[-2000:]
            row["error"] = "timed out after %d s" % args.timeout if timed_out else "exit %d" % rc
            print("  %s: %s\n%s" % (name, row["error"], tail), file=sys.stderr)
            break
        walls.append(wall)
        users.append(usage.ru_utime)
        syss.append(usage.ru_stime)
        rss.append(usage.ru_maxrss / 1024.0)  # KiB on Linux
    if walls:
        row["wall_s"] = statistics.median(walls)
        row["wall_s_min"] = min(walls)
        row["user_s"] = statistics.median(users)
        row["sys_s"] = statistics.median(syss)
        row["peak_rss_mib"] = max(rss)
    if os.path.exists(output):
        row["output_mib"] = os.path.getsize(output) / MIB
        if not args.keep_outputs:
            os.remove(output)
    if row.get("rc") == 0:
        try:
            with open(report) as f:
                rep = json.load(f)
        except (OSError, ValueError) as e:
            row["error"] = "report: %s" % e
            return row
        tot = rep.get("total", {})
        layers = rep.get("layers", [])
        row["layers"] = len(layers)
        row["generated_layers"] = sum(1 for l in layers if l.get("generated"))
        convs = [l for l in layers if str(l.get("kind", "")).startswith("conv")]
        if convs and all(l.get("stored_bits") is not None for l in convs):
            row["conv_stored_bits"] = sum(l["stored_bits"] for l in convs)
            row["conv_dense_bits_fp32"] = sum(l.get("dense_bits_fp32") or 0 for l in convs)
        for key in ("params_dense", "params_stored", "stored_bits", "dense_bits_fp32"):
            row[key] = tot.get(key)
        for key in ("param_ratio", "memory_ratio_eq4", "memory_ratio_official", "rel_error_rms",
                    "rel_error_max"):
            row[key] = num(tot.get(key))
        if row.get("stored_bits") is not None:
            row["stored_mib"] = row["stored_bits"] / 8.0 / MIB
        if row.get("dense_bits_fp32") is not None:
            row["dense_mib_fp32"] = row["dense_bits_fp32"] / 8.0 / MIB
    return row


def fmt(x, spec):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return format(x, spec)


def summary_tables(rows, target_s, model_line):
    out = [model_line, ""]
    out.append("| config | time s | <= %g s | peak MiB | stored MiB | param ratio | mem ratio Eq.4 "
               "| mem ratio official | rel err RMS | rel err max |" % target_s)
    out.append("|---|---:|:---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r.get("rc") != 0 or "wall_s" not in r:
            out.append("| %s | %s | ✗ | - | - | - | - | - | - | - |" % (r["config"], r.get("error", "failed")))
            continue
        ok = "✓" if r["wall_s"] <= target_s else "✗"
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["config"], fmt(r["wall_s"], ".2f"), ok, fmt(r.get("peak_rss_mib"), ".0f"),
            fmt(r.get("stored_mib"), ".3f"), fmt(r.get("param_ratio"), ".4f"),
            fmt(r.get("memory_ratio_eq4"), ".4f"), fmt(r.get("memory_ratio_official"), ".4f"),
            fmt(r.get("rel_error_rms"), ".4f"), fmt(r.get("rel_error_max"), ".4f")))
    out.append("")

    # Auto against paper: for each paper setting, the auto setting with the fewest stored bits among
    # those whose RMS relative error is equal or lower. Also conv layers alone, since the paper mode
    # keeps the FC dense (on ImageNet, 16 of its 19 Mbit) while the auto mode may compress it.
    ok_rows = [r for r in rows if r.get("rc") == 0 and r.get("stored_bits") is not None]
    paper = [r for r in ok_rows if "decompose-mode=paper" in r["compress"]]
    auto = [r for r in ok_rows if "decompose-mode=auto" in r["compress"]]
    out.append("Auto vs paper at equal or lower error (RMS relative error over layers):")
    out.append("")
    out.append("| paper config | stored MiB | RMS / max err | best auto config | stored MiB | RMS / max err "
               "| auto / paper bits | auto / paper conv bits |")
    out.append("|---|---:|---:|---|---:|---:|---:|---:|")
    for p in paper:
        if p.get("rel_error_rms") is None:
            continue
        cands = [a for a in auto
                 if a.get("rel_error_rms") is not None and a["rel_error_rms"] <= p["rel_error_rms"]]
        perr = "%s / %s" % (fmt(p["rel_error_rms"], ".3f"), fmt(p.get("rel_error_max"), ".3f"))
        if not cands:
            out.append("| %s | %s | %s | (none at equal or lower error) | - | - | - | - |"
                       % (p["config"], fmt(p["stored_mib"], ".3f"), perr))
            continue
        a = min(cands, key=lambda r: r["stored_bits"])
        conv = None
        if a.get("conv_stored_bits") and p.get("conv_stored_bits"):
            conv = a["conv_stored_bits"] / float(p["conv_stored_bits"])
        out.append("| %s | %s | %s | %s | %s | %s / %s | %.3f | %s |" % (
            p["config"], fmt(p["stored_mib"], ".3f"), perr, a["config"], fmt(a["stored_mib"], ".3f"),
            fmt(a["rel_error_rms"], ".3f"), fmt(a.get("rel_error_max"), ".3f"),
            a["stored_bits"] / float(p["stored_bits"]), fmt(conv, ".3f")))
    out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mlg-opt", default=os.path.join(ROOT, "build", "bin", "mlg-opt"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "compress"))
    ap.add_argument("--configs", default=os.path.join(ROOT, "bench", "compress", "configs.json"))
    ap.add_argument("--dataset", default="imagenet", choices=["cifar10", "cifar100", "imagenet"])
    ap.add_argument("--weights", default="spectral", choices=["random", "spectral"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="", help="comma-separated config names to run")
    ap.add_argument("--repeat", type=int, default=1, help="runs per config (median time, max RSS)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per mlg-opt run")
    ap.add_argument("--target-s", type=float, default=10.0, help="wall-time target per config")
    ap.add_argument("--regen", action="store_true", help="regenerate the model even if cached")
    ap.add_argument("--keep-outputs", action="store_true", help="keep each config's output .mlir")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    if not os.access(args.mlg_opt, os.X_OK):
        ap.error("mlg-opt not found or not executable: %s (build it first)" % args.mlg_opt)
    with open(args.configs) as f:
        configs = json.load(f)
    if not isinstance(configs, list) or not all(isinstance(c, dict) and "name" in c for c in configs):
        ap.error("%s: expected a JSON list of {\"name\", \"compress\"}" % args.configs)
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {c["name"] for c in configs}
        if unknown:
            ap.error("unknown config(s): %s" % ", ".join(sorted(unknown)))
        configs = [c for c in configs if c["name"] in wanted]
    os.makedirs(args.out, exist_ok=True)

    model, gen_s = generate_model(args)
    rows = []
    for cfg in configs:
        print("running %s ..." % cfg["name"], file=sys.stderr)
        row = run_config(args, model, cfg)
        if "wall_s" in row:
            print("  %.2f s, %.0f MiB peak" % (row["wall_s"], row["peak_rss_mib"]), file=sys.stderr)
        rows.append(row)

    csv_path = os.path.join(args.out, "results.csv")
    with open(csv_path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in CSV_FIELDS})
    model_line = "ResNet-18 %s, %s weights, seed %d (%s, %.1f MiB of MLIR%s); mlg-opt %s" % (
        args.dataset, args.weights, args.seed, os.path.basename(model), os.path.getsize(model) / MIB,
        "" if gen_s is None else ", generated in %.2f s" % gen_s, args.mlg_opt)
    text = summary_tables(rows, args.target_s, model_line)
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    print("wrote %s and summary.md" % csv_path, file=sys.stderr)
    return 0 if all(r.get("rc") == 0 and not r.get("error") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
