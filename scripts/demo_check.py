#!/usr/bin/env python3
"""Numeric helpers for scripts/demo.sh (Debian's /usr/bin/python3 with numpy).

  demo_check.py basic-block-input X.npy       the input @main of basic_block.mlir builds
  demo_check.py compare REFERENCE OUT.npy     REFERENCE: a .npy, or mlir-runner's printed
                                              memref; prints the relative error, fails > TOL
  demo_check.py random-input SHAPE X.npy [SEED]
                                              a seeded N(0,1) input, SHAPE like 1x3x32x32
                                              (seed 0 by default)
  demo_check.py compare-ptc REFERENCE OUT.npy the photonic core's output against the CPU
                                              build's: fails beyond the W4A4 tolerance
  demo_check.py ptc-choices MLGC.log [--each] what mlgc --target=ptc chose per layer (its
                                              remarks): every layer with --each, else grouped
  demo_check.py ptc-report REPORT.json        one line of a ptc-sim report's totals
  demo_check.py ptc-table DIR IMAGES NAME,REF,LABEL ...
                                              a side-by-side table of the ptc-sim reports
                                              DIR/NAME-i.json (i < IMAGES, their mean), with
                                              ratios against the first NAME, and the outputs
                                              DIR/NAME-i.npy against DIR/cpu-REF-i.npy; fails
                                              below MIN_CORRELATION
  demo_check.py families LABEL=REPORT.json ...
                                              stored KiB, ratio to fp32 and RMS error of
                                              mlg-memory-report JSON reports, a line each
"""
import json
import re
import sys
import textwrap

import numpy as np

TOL = 1e-4

# The photonic core computes with 4-bit activations and weights (W4A4) and an 8-bit ADC, the
# CPU build in float32, so the two agree only up to the W4A4 format's own error. On small conv
# networks that error is 0.24-0.34 of max|y| even with an exact ADC (docs/ptc-lowering.md,
# "Accuracy"), and the lit tests accept 0.35-0.4 (test/Tools/mlgc/ptc-vs-cpu-presets.mlir:
# 0.4). The bundled block is such a network (two 3x3 convolutions and a classifier).
PTC_TOL = 0.4

# Over the 20 layers of ResNet-18 the 4-bit rounding compounds, and with the 8-bit ADC's
# calibrated full scale the logits come out with another gain (measured 1.6-1.9x their CPU
# values on dptc-edge-lpddr, 0.8x with an exact ADC), so a relative error says little; the
# correlation of the logits with the CPU build's still shows whether the program computes the
# same network. Measured on the demo's inputs (dptc-edge-lpddr): 0.95-0.97 dense, 0.84-0.85
# MLG with generated layers (W1 passes the 4-bit input DAC and W gets one scale per layer: more
# error than dense 4-bit weights; the same MLG module with dense weights: 0.99), while an
# unrelated output correlates near 0. The bound sits below the generated figure with room for
# movement as the compiler changes.
MIN_CORRELATION = 0.75


def load(path):
    if path.endswith(".npy"):
        return np.load(path).astype(np.float64)
    # printMemrefF32's output: the numbers after the "data =" header.
    text = open(path).read()
    body = text.split("data =", 1)[-1]
    return np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?", body)])


def agreement(ref, out):
    """(max|Δ|/max|y|, ‖Δ‖/‖y‖, Pearson correlation or None for a constant vector)."""
    diff = out - ref
    max_rel = np.abs(diff).max() / max(np.abs(ref).max(), 1e-30)
    rms_rel = np.linalg.norm(diff) / max(np.linalg.norm(ref), 1e-30)
    corr = (float(np.corrcoef(ref, out)[0, 1]) if ref.std() > 0 and out.std() > 0 else None)
    return max_rel, rms_rel, corr


def fmt_corr(corr):
    return "-" if corr is None else f"{corr:.3f}"


def compare_ptc(ref_path, out_path):
    ref, out = load(ref_path).ravel(), load(out_path).ravel()
    if ref.shape != out.shape:
        print(f"  shape mismatch: {ref.shape} vs {out.shape}")
        return 1
    max_rel, rms_rel, corr = agreement(ref, out)
    ok = max_rel <= PTC_TOL
    print(f"  max|diff|/max|y| {max_rel:.3f} (W4A4 tolerance {PTC_TOL:g}: "
          f"{'ok' if ok else 'FAIL'}), |diff|/|y| {rms_rel:.3f}, correlation {fmt_corr(corr)}")
    return 0 if ok else 1


# mlgc's remarks: `FILE:LINE:COL: remark: PTC lowering: <choice>` followed by the source line
# (an op with a file location), or `<unknown>:0: remark: loc("NAME"): PTC lowering: <choice>`
# (an op with a name location, as examples/models/resnet18.py writes them).
REMARK = re.compile(r'^(.*?): remark: (?:loc\("([^"]+)"\): )?PTC lowering: (.*)$')


def remarks(log_path):
    """[(layer, choice)] of mlgc's PTC lowering remarks; layer is the location's name or
    `line N (op)` for a file location."""
    lines = open(log_path).read().splitlines()
    found = []
    for i, line in enumerate(lines):
        m = REMARK.match(line)
        if not m:
            continue
        where, name, choice = m.groups()
        if name:
            layer = name
        else:
            line_no = re.search(r":(\d+):\d+$", where)
            op = re.search(r"mlg\.(\w+)", lines[i + 1]) if i + 1 < len(lines) else None
            layer = (f"line {line_no.group(1) if line_no else where}" +
                     (f" ({op.group(1)})" if op else ""))
        found.append((layer, choice))
    return found


def wrap(text):
    print(textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="    "))


def ptc_choices(log_path, each):
    found = remarks(log_path)
    if not found:
        print("  no layer with generator chains (no PTC lowering remark)")
        return 0
    if each:
        for layer, choice in found:
            print(f"  {layer}: {choice}")
        return 0
    generated = [layer for layer, choice in found if choice.startswith("weights generated")]
    wrap(f"generated on the core: {len(generated)} of {len(found)} layers with generators"
         + (f": {', '.join(generated)}" if generated else ""))
    dense = {}
    for layer, choice in found:
        if choice.startswith("weights generated"):
            continue
        # "dense weights: cost model: <figures>" -> "dense weights: cost model"
        reason = choice.split(": ")
        key = ": ".join(reason[:2]) if len(reason) > 2 else choice
        dense.setdefault(key, []).append(layer)
    for reason, layers in dense.items():
        wrap(f"{reason}: {', '.join(layers)}")
    return 0


def ptc_report(path):
    with open(path) as fh:
        t = json.load(fh)["total"]
    print(f"    ptc-sim: {t['instructions']} instructions, latency {t['latency_ns']:.0f} ns, "
          f"energy {t['energy_pj']['total'] / 1e3:.1f} nJ, DRAM weights "
          f"{t['dram_weight_bits'] // 8} B, activations {t['dram_activation_bits'] // 8} B")
    return 0


def ptc_table(directory, images, specs):
    rows = []
    for spec in specs:
        name, ref, label = spec.split(",", 2)
        totals = []
        for i in range(images):
            with open(f"{directory}/{name}-{i}.json") as fh:
                totals.append(json.load(fh)["total"])
        outs = [load(f"{directory}/{name}-{i}.npy").ravel() for i in range(images)]
        refs = [load(f"{directory}/cpu-{ref}-{i}.npy").ravel() for i in range(images)]
        corr = agreement(np.concatenate(refs), np.concatenate(outs))[2]
        top1 = sum(int(np.argmax(o) == np.argmax(r)) for o, r in zip(outs, refs))
        # Means over the images (the figures do not depend on the data unless the
        # simulator's noise is on).
        rows.append({"label": label, "corr": corr, "top1": top1,
                     "weight": np.mean([t["dram_weight_bits"] for t in totals]),
                     "activation": np.mean([t["dram_activation_bits"] for t in totals]),
                     "latency": np.mean([t["latency_ns"] for t in totals]),
                     "energy": np.mean([t["energy_pj"]["total"] for t in totals])})
    base = rows[0]

    def ratio(key, row):
        return f"{base[key] / row[key]:.2f}x" if row[key] else "-"

    print(f"  {'':18s}{'DRAM weights':18s}{'DRAM activ.':12s}{'latency':17s}{'energy':17s}"
          "against the CPU build")
    for row in rows:
        print(f"  {row['label']:18s}"
              f"{row['weight'] / 8 / 2**20:6.2f} MiB {ratio('weight', row):7s}"
              f"{row['activation'] / 8 / 2**20:5.2f} MiB   "
              f"{row['latency'] / 1e3:6.1f} us {ratio('latency', row):7s}"
              f"{row['energy'] / 1e9:6.3f} mJ {ratio('energy', row):7s}"
              f"correlation {fmt_corr(row['corr'])}, top-1 {row['top1']}/{images}")
    wrap(f"(ratios: {base['label']} / this. Correlation: the {images} images' logits against "
         f"the CPU build of the same module, >= {MIN_CORRELATION:g} required; top-1: images "
         "whose largest logit is the CPU build's.)")
    failed = [r["label"] for r in rows if r["corr"] is None or r["corr"] < MIN_CORRELATION]
    if failed:
        print(f"  FAIL: {', '.join(failed)} below correlation {MIN_CORRELATION:g}")
        return 1
    return 0


def families(specs):
    """One line per LABEL=REPORT.json: stored KiB, compression against fp32, RMS error."""
    print(f"  {'family':<28} {'stored KiB':>10} {'vs fp32':>8} {'RMS error':>10}")
    for spec in specs:
        label, path = spec.split("=", 1)
        with open(path) as fh:
            t = json.load(fh)["total"]
        print(f"  {label:<28} {t['stored_bits'] / 8192:>10.0f} "
              f"{t['dense_bits_fp32'] / t['stored_bits']:>7.1f}x {t['rel_error_rms']:>10.3f}")
    return 0


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "basic-block-input":
        c, h, w = np.meshgrid(np.arange(4), np.arange(6), np.arange(6), indexing="ij")
        np.save(argv[2], (0.1 * (h + w - c)).astype(np.float32)[None])
        return 0
    if cmd == "random-input":
        shape = [int(d) for d in argv[2].split("x")]
        seed = int(argv[4]) if len(argv) > 4 else 0
        np.save(argv[3], np.random.default_rng(seed).standard_normal(shape).astype(np.float32))
        return 0
    if cmd == "compare":
        ref, out = load(argv[2]).ravel(), load(argv[3]).ravel()
        if ref.shape != out.shape:
            print(f"  shape mismatch: {ref.shape} vs {out.shape}")
            return 1
        err = np.linalg.norm(out - ref) / max(np.linalg.norm(ref), 1e-30)
        verdict = "ok" if err <= TOL else "FAIL"
        print(f"  relative error {err:.2e} (<= {TOL:g}: {verdict})")
        return 0 if err <= TOL else 1
    if cmd == "compare-ptc":
        return compare_ptc(argv[2], argv[3])
    if cmd == "ptc-choices":
        return ptc_choices(argv[2], "--each" in argv[3:])
    if cmd == "ptc-report":
        return ptc_report(argv[2])
    if cmd == "families":
        return families(argv[2:])
    if cmd == "ptc-table":
        return ptc_table(argv[2], int(argv[3]), argv[4:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
