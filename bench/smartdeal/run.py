#!/usr/bin/python3
"""MLG, SmartDeal and MLG with power-of-two V on one ResNet-18: stored bits, reconstruction
error, CPU latency and simulated photonic energy and latency, and each SmartDeal-family
setting against the MLG setting with the fewest stored bits at equal or lower error
(bench/smartdeal/README.md).

For each entry of configs.json: `mlg-opt --mlg-compress=... --mlg-memory-report=json=...`
(stored bits, RMS and max per-layer relative error; the compressed module is kept), then
`mlgc --compress=...` and `mlg-run --bench` (batch 1, one thread), timed in `--rounds` rounds
that alternate over the configurations so that all meet the same machine load; the latency is
the smallest of the rounds' medians. On the photonic core (--ptc-model, default
dptc-edge-lpddr; --ptc-sources, default auto and generated): `mlgc --target=ptc` of the
compressed module with a calibration image and `--ptc-weight-source=SOURCE`, then `ptc-sim`
(the simulator's makespan, energy, DRAM weight traffic, instruction count and the program's
bytes); a configuration the lowering rejects for a source is reported as such. Writes
results.csv and summary.md under --out and prints the tables.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import common  # noqa: E402

ROOT = common.ROOT


def generate_model(args):
    path = os.path.join(args.out, f"resnet18_{args.dataset}_spectral_s0.mlir")
    if not os.path.exists(path):
        gen = os.path.join(ROOT, "examples", "models", "resnet18.py")
        subprocess.run(["/usr/bin/python3", gen, "--dataset", args.dataset, "--weights",
                        "spectral", "--seed", "0", "-o", path + ".tmp"], check=True)
        os.replace(path + ".tmp", path)
    shape = (1, 3, 224, 224) if args.dataset == "imagenet" else (1, 3, 32, 32)
    x = os.path.join(args.out, "x.npy")
    np.save(x, np.random.default_rng(0).standard_normal(shape).astype(np.float32))
    return path, x


def compress_report(args, model, cfg):
    """Stored bits and errors of one configuration from mlg-memory-report's JSON."""
    report = os.path.join(args.out, cfg["name"] + ".json")
    t0 = time.perf_counter()
    common.check_run([args.mlg_opt, model, f"--mlg-compress={cfg['compress']}",
                      f"--mlg-memory-report=json={report} table=", "-o",
                      compressed_path(args, cfg)])
    seconds = time.perf_counter() - t0
    with open(report) as fh:
        layers = json.load(fh)["layers"]
    # The convolutions: every family keeps the classifier dense (configs.json), so it is left
    # out of the comparison rather than adding the same 2 MB to each.
    convs = [r for r in layers if r["kind"] != "linear"]
    errors = [r["rel_error"] if r["generated"] else 0.0 for r in convs]
    return {"stored_bits": sum(r["stored_bits"] for r in convs),
            "dense_bits_fp32": sum(r["dense_bits_fp32"] for r in convs),
            "generated_layers": sum(r["generated"] for r in convs),
            "rel_error_rms": float(np.sqrt(np.mean(np.square(errors)))),
            "rel_error_max": max(errors), "compress_s": round(seconds, 1)}


def compressed_path(args, cfg):
    return os.path.join(args.out, cfg["name"] + ".compressed.mlir")


def simulate_ptc(args, cfg, x, source):
    """Simulated photonic totals of one configuration with one weight source, or the reason
    the lowering gave for rejecting it."""
    prog = os.path.join(args.out, f"{cfg['name']}.{source}.bin")
    report = os.path.join(args.out, f"{cfg['name']}.{source}.json")
    try:
        common.run_tool([args.mlgc, "-q", compressed_path(args, cfg), "--target=ptc",
                         f"--ptc-model={args.ptc_model}", f"--calibration={x}",
                         f"--ptc-weight-source={source}",
                         f"--ptc-weight-bits={args.ptc_weight_bits}", "--emit=bin", "-o", prog])
        common.run_tool([args.ptc_sim, prog, f"--model={args.ptc_model}", "--input", x,
                         "--output", os.path.join(args.out, "ptc-y.npy"), "--report-json",
                         report, "-q"])
    except common.ToolError as e:
        lines = [l for l in e.output.splitlines() if "error:" in l]
        return {"error": (lines[0].split("error:", 1)[1].strip() if lines else
                          f"exit {e.returncode}")[:160]}
    with open(report) as fh:
        total = json.load(fh)["total"]
    shadd = total["by_class"].get("shadd", {}).get("instructions", 0)
    gen = total["by_class"].get("gen", {}).get("instructions", 0)
    return {"latency_us": total["latency_ns"] * 1e-3,
            "energy_uj": total["energy_pj"]["total"] * 1e-6,
            "dram_weight_mb": total["dram_weight_bits"] / 8e6,
            "instructions": total["instructions"], "shadd": shadd, "gen": gen,
            "program_kib": os.path.getsize(prog) / 1024}


def compile_library(args, model, cfg):
    lib = os.path.join(args.out, cfg["name"] + ".so")
    t0 = time.perf_counter()
    common.check_run([args.mlgc, model, f"--compress={cfg['compress']}", "-o", lib])
    return lib, round(time.perf_counter() - t0, 1)


def median_ms(args, lib, x):
    out = common.check_run([args.mlg_run, lib, "--input", x, "--output",
                            os.path.join(args.out, "y.npy"), f"--bench={args.runs}"])
    return float(out.split("median ")[1].split(" ms")[0])


def equal_error_pairs(rows):
    """For each non-MLG row, the MLG row with the fewest stored bits whose RMS error is not
    higher (None when no MLG row is that accurate)."""
    mlg = [r for r in rows if r["family"] == "mlg"]
    pairs = []
    for r in rows:
        if r["family"] == "mlg":
            continue
        candidates = [m for m in mlg if m["rel_error_rms"] <= r["rel_error_rms"]]
        best = min(candidates, key=lambda m: m["stored_bits"]) if candidates else None
        pairs.append((r, best))
    return pairs


def number(value, digits):
    """`value` with `digits` decimals, or "-" when not measured (--no-cpu)."""
    return "-" if value != value else f"{value:.{digits}f}"


def tables(rows, header, args):
    lines = [header, "", "Stored bits and errors are the convolutions' (the classifier is dense "
             "in every configuration); the RMS and max run over the convolutions, a dense one "
             "counting as 0; the latency is the whole network's.", "",
             "| config | family | conv weights KiB | vs fp32 | RMS error | max error | CPU ms | mlgc s |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['family']} | {r['stored_bits'] / 8192:.0f} | "
                     f"{r['dense_bits_fp32'] / r['stored_bits']:.1f}x | "
                     f"{r['rel_error_rms']:.3f} | {r['rel_error_max']:.3f} | "
                     f"{number(r['cpu_ms'], 2)} | {number(r['mlgc_s'], 1)} |")
    # The simulated ratios are the first weight source's (`auto` by default).
    source = args.ptc_sources[0] if args.ptc_sources else None
    ptc_head = (f" PTC latency, config / MLG ({source}) | PTC energy, config / MLG ({source}) |"
                if source else "")
    lines += ["", "At equal or lower error: each SmartDeal-family setting against the MLG setting "
              "with the fewest stored bits whose RMS error is not higher.", "",
              "| config | RMS error | MLG match | its error | stored bits, config / MLG | "
              "CPU latency, config / MLG |" + ptc_head,
              "|---|---:|---|---:|---:|---:|" + ("---:|---:|" if source else "")]

    def ptc_ratio(r, m, key):
        a, b = r.get(f"ptc_{source}", {}), m.get(f"ptc_{source}", {})
        return f"{a[key] / b[key]:.2f}" if key in a and key in b else "not lowered"

    for r, m in equal_error_pairs(rows):
        if m is None:
            lines.append(f"| {r['name']} | {r['rel_error_rms']:.3f} | none this accurate | | | |"
                         + (" | |" if source else ""))
            continue
        lines.append(f"| {r['name']} | {r['rel_error_rms']:.3f} | {m['name']} | "
                     f"{m['rel_error_rms']:.3f} | {r['stored_bits'] / m['stored_bits']:.2f} | "
                     f"{number(r['cpu_ms'] / m['cpu_ms'], 2)} |"
                     + (f" {ptc_ratio(r, m, 'latency_us')} | {ptc_ratio(r, m, 'energy_uj')} |"
                        if source else ""))
    lines += ptc_table(rows, args)
    return "\n".join(lines) + "\n"


def ptc_table(rows, args):
    """The simulated photonic core, per configuration and weight source."""
    if not args.ptc_sources:
        return []
    bits = (f", dense weights of {args.ptc_weight_bits} bits" if args.ptc_weight_bits
            else "")
    lines = ["", f"Simulated on {args.ptc_model}{bits} (ptc-sim, batch 1, the whole network; "
             "`auto`: the cost model chooses per layer, `generated`: every generated layer on "
             "the core, GEN for MLG and SHADD for SmartDeal). DRAM weights: the weight, "
             "generator, code and basis loads; program: the binary's bytes.", "",
             "| config | source | latency us | energy uJ | DRAM weights MB | instructions | "
             "GEN | SHADD | program KiB |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        for source in args.ptc_sources:
            p = r.get(f"ptc_{source}", {})
            if "error" in p:
                lines.append(f"| {r['name']} | {source} | not lowered: {p['error']} | | | | | | |")
                continue
            lines.append(f"| {r['name']} | {source} | {p['latency_us']:.1f} | "
                         f"{p['energy_uj']:.1f} | {p['dram_weight_mb']:.3f} | "
                         f"{p['instructions']} | {p['gen']} | {p['shadd']} | "
                         f"{p['program_kib']:.0f} |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    build = os.path.join(ROOT, "build", "bin")
    ap.add_argument("--mlg-opt", default=os.path.join(build, "mlg-opt"))
    ap.add_argument("--mlgc", default=os.path.join(build, "mlgc"))
    ap.add_argument("--mlg-run", default=os.path.join(build, "mlg-run"))
    ap.add_argument("--ptc-sim", default=os.path.join(build, "ptc-sim"))
    ap.add_argument("--ptc-model", default="dptc-edge-lpddr",
                    help="accelerator preset or JSON for the simulated columns")
    ap.add_argument("--ptc-sources", default="auto,generated",
                    help="comma-separated weight sources to simulate (empty: none)")
    ap.add_argument("--ptc-weight-bits", type=int, default=0,
                    help="bits of dense weights in DRAM (mlgc --ptc-weight-bits; 0: the "
                    "model's)")
    ap.add_argument("--no-cpu", action="store_true", help="skip the CPU build and timing")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "smartdeal"))
    ap.add_argument("--configs", default=os.path.join(ROOT, "bench", "smartdeal", "configs.json"))
    ap.add_argument("--dataset", default="imagenet", choices=["cifar10", "imagenet"])
    ap.add_argument("--only", default="", help="comma-separated config names")
    ap.add_argument("--runs", type=int, default=10, help="timed runs per round")
    ap.add_argument("--rounds", type=int, default=3, help="alternating timing rounds")
    args = ap.parse_args()
    args.ptc_sources = [v for v in args.ptc_sources.split(",") if v]
    os.makedirs(args.out, exist_ok=True)
    with open(args.configs) as fh:
        configs = json.load(fh)
    if args.only:
        wanted = set(args.only.split(","))
        configs = [c for c in configs if c["name"] in wanted]
        if not configs:
            common.fail(f"--only {args.only} names no configuration")
    model, x = generate_model(args)
    rows, libs = [], []
    for cfg in configs:
        row = {"name": cfg["name"], "family": cfg["family"], "compress": cfg["compress"]}
        row.update(compress_report(args, model, cfg))
        for source in args.ptc_sources:
            row[f"ptc_{source}"] = simulate_ptc(args, cfg, x, source)
        if not args.no_cpu:
            lib, row["mlgc_s"] = compile_library(args, model, cfg)
            libs.append(lib)
        rows.append(row)
        print(f"{cfg['name']}: {row['stored_bits'] / 8192:.0f} KiB, RMS error "
              f"{row['rel_error_rms']:.3f}, mlgc {row.get('mlgc_s', '-')} s", file=sys.stderr)
    medians = [[] for _ in rows]
    for _ in range(args.rounds if libs else 0):
        for i, lib in enumerate(libs):
            medians[i].append(median_ms(args, lib, x))
    for row, m in zip(rows, medians):
        row["cpu_ms"] = min(m) if m else float("nan")
        row["mlgc_s"] = row.get("mlgc_s", float("nan"))
        row["cpu_ms_rounds"] = " ".join(f"{v:.2f}" for v in m)
    header = (f"ResNet-18 ({args.dataset}, spectral weights), batch 1, one thread; "
              f"{common.machine()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    text = tables(rows, header, args)
    flat = [{**{k: v for k, v in r.items() if not k.startswith("ptc_")},
             **{f"{k}_{field}": v for k in r if k.startswith("ptc_")
                for field, v in r[k].items()}} for r in rows]
    common.write_csv(os.path.join(args.out, "results.csv"), flat)
    with open(os.path.join(args.out, "summary.md"), "w") as fh:
        fh.write(text)
    print(text)


if __name__ == "__main__":
    main()
