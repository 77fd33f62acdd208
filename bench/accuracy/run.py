#!/usr/bin/python3
"""Accuracy against memory on Fashion-MNIST: dense, post-training compression, MLG fine-tuning.

    /usr/bin/python3 bench/accuracy/run.py [--out DIR] [--width 16] [--epochs 4]
        [--finetune-epochs 2] [--quick] [--skip-compiled] [--replot]

1. Trains the small ResNet of fashion_mnist.py densely on the CPU (cached in DIR by its settings).
2. For every target (Bi, Bc, bits) of configs.json:
   (a) post-training: the compiler's own decomposition (mlg.compile(dense, compress=...)), and
       mlg.nn.convert's l2 projection evaluated in PyTorch, without training;
   (b) fine-tuning: mlg.nn.convert (projection init), then training with the distillation loss
       against the dense model plus the orthogonality regulariser (method.md Alg. 1).
3. Every model is evaluated in PyTorch, compiled for the CPU (mlg.compile, the whole test set) and
   for the photonic core (simulated, on the first --ptc-images test images).
Writes DIR/results.csv, DIR/summary.md and DIR/accuracy_vs_memory.png. Memory ratios count every
stored bit against fp32 weights (mlg.nn.compression_ratios, the paper's Table 2 accounting).
"""

import argparse
import copy
import csv
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import fashion_mnist as fm  # noqa: E402


def log(message):
    print(message, file=sys.stderr, flush=True)


def dense_model(args, x, y):
    """The trained dense model, from DIR's cache when its settings match."""
    key = f"dense_w{args.width}_e{args.epochs}_s{args.seed}_n{len(x)}.pt"
    path = os.path.join(args.out, key)
    model = fm.SmallResNet(args.width)
    if os.path.exists(path):
        model.load_state_dict(torch.load(path))
        log(f"[dense] loaded {path}")
        return model
    torch.manual_seed(args.seed)
    model = fm.SmallResNet(args.width)
    log(f"[dense] training {args.epochs} epochs on {len(x)} images")
    start = time.time()
    fm.train(model, x, y, args.epochs, lr=args.lr, seed=args.seed, log=log)
    log(f"[dense] {time.time() - start:.0f} s")
    torch.save(model.state_dict(), path + ".tmp")
    os.replace(path + ".tmp", path)
    return model


def finetune(student, teacher, x, y, args):
    """Alg. 1 step 2: distillation from the dense model plus the orthogonality regulariser."""
    import mlg.nn as mnn
    teacher.eval()
    kd = mnn.KDLoss()

    def loss_fn(model, inputs, labels):
        with torch.no_grad():
            teacher_logits = teacher(inputs)
        return kd(model(inputs), teacher_logits, labels) + args.ortho * mnn.ortho_loss(model)

    return fm.train(student, x, y, args.finetune_epochs, lr=args.finetune_lr, seed=args.seed + 1,
                    loss_fn=loss_fn, log=log)


def compiled_accuracy(model_or_mlir, x, y, target, batch, images, example, compress=None):
    """Top-1 accuracy (%) of the compiled model on the first `images` of (x, y); `example` (a
    batch of training images) gives the input shape and calibrates the photonic core's
    activation scales."""
    import mlg
    compiled = mlg.compile(model_or_mlir, target=target, compress=compress,
                           example_inputs=(example,))
    correct, count = 0, min(images, len(x)) // batch * batch
    for i in range(0, count, batch):
        logits = compiled(x[i:i + batch].numpy())
        correct += int((np.asarray(logits).argmax(1) == y[i:i + batch].numpy()).sum())
    return 100.0 * correct / count, compiled


def options_string(target):
    qb, qu, qv = target["bits"]
    return f"bi={target['bi']} bc={target['bc']} qb={qb} qu={qu} qv={qv}"


def evaluate_compiled(row, model, x, y, example, args, compress=None):
    if args.skip_compiled:
        return
    row["cpu_acc"], _ = compiled_accuracy(model, x, y, "cpu", args.batch, len(x), example,
                                          compress)
    row["ptc_acc"], _ = compiled_accuracy(model, x, y, "ptc", args.batch, args.ptc_images,
                                          example, compress)


def plot(rows, dense_acc, path):
    """Accuracy against compression: PyTorch (lines), the compiled CPU model (crosses) and the
    simulated photonic core (dotted) for the post-training and fine-tuned models."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for kind, color in (("post-training", "tab:blue"), ("fine-tuned", "tab:orange")):
        mine = sorted((r for r in rows if r["kind"] == kind), key=lambda r: 1 / r["memory_ratio"])
        if not mine:
            continue
        x = [1 / r["memory_ratio"] for r in mine]
        ax.plot(x, [r["torch_acc"] for r in mine], marker="o", color=color,
                label=f"MLG {kind}, PyTorch")
        for key, style, what in (("cpu_acc", dict(marker="x", ls="none", ms=9), "compiled CPU"),
                                 ("ptc_acc", dict(marker="^", ls=":"), "simulated PTC")):
            points = [(xi, r[key]) for xi, r in zip(x, mine) if r.get(key) is not None]
            if points:
                ax.plot(*zip(*points), color=color, label=f"MLG {kind}, {what}", **style)
    dense = next((r for r in rows if r["kind"] == "dense"), None)
    ax.axhline(dense_acc, color="k", ls="--", lw=1, label="dense fp32, PyTorch")
    if dense and dense.get("ptc_acc") is not None:
        ax.axhline(dense["ptc_acc"], color="k", ls=":", lw=1, label="dense, simulated PTC")
    ax.axhline(dense_acc - 1, color="gray", ls=":", lw=1, label="dense − 1 point")
    ax.axvline(20, color="gray", ls="-.", lw=1, label="20× compression")
    ax.set_xscale("log")
    ax.set_xlabel("memory compression against fp32 (×)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title("Fashion-MNIST, small ResNet")
    ax.legend(fontsize=6, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def read_results(path):
    """The rows of a results.csv written by this script (numbers back to floats)."""
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        for key in ("memory_ratio", "torch_acc", "cpu_acc", "ptc_acc"):
            r[key] = float(r[key]) if r.get(key) not in (None, "") else None
    return rows


def fmt(value):
    return "-" if value is None else f"{value:.2f}"


def summary(rows, args, elapsed):
    cols = ["kind", "target", "memory_ratio", "torch_acc", "cpu_acc", "ptc_acc"]
    lines = [
        "# Accuracy against memory, Fashion-MNIST",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; small ResNet width {args.width}; "
        f"{args.trained_on} training images; dense {args.epochs} epochs, fine-tuning "
        f"{args.finetune_epochs} epochs; CPU accuracy on "
        f"the whole test set, photonic-core (dptc-hbm, simulated) on its first {args.ptc_images} "
        f"images; {elapsed / 60:.1f} min.",
        "",
        "| model | target (Bi, Bc, qb/qu/qv) | compression vs fp32 | PyTorch % | compiled CPU % | "
        "simulated PTC % |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['kind']} | {r['target']} | {1 / r['memory_ratio']:.1f}× | "
                     f"{fmt(r.get('torch_acc'))} | {fmt(r.get('cpu_acc'))} | "
                     f"{fmt(r.get('ptc_acc'))} |")
    dense = next(r for r in rows if r["kind"] == "dense")
    best = [r for r in rows if r["kind"] == "fine-tuned" and 1 / r["memory_ratio"] >= 20
            and r["torch_acc"] >= dense["torch_acc"] - 1]
    lines += ["", "## Goal", "",
              "- at least 20× memory compression within 1 point of the dense model after "
              "fine-tuning: " + (
                  "met by " + ", ".join(f"{r['target']} ({1 / r['memory_ratio']:.1f}×, "
                                        f"{r['torch_acc']:.2f}%)" for r in best)
                  if best else "not met")]
    return "\n".join(lines) + "\n", cols


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench", "accuracy"))
    ap.add_argument("--configs", default=os.path.join(HERE, "configs.json"))
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--finetune-epochs", type=int, default=2)
    ap.add_argument("--finetune-lr", type=float, default=0.01)
    ap.add_argument("--ortho", type=float, default=0.05,
                    help="weight of the orthogonality regulariser during fine-tuning")
    ap.add_argument("--projection-steps", type=int, default=300)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--ptc-images", type=int, default=500)
    ap.add_argument("--train-images", type=int, default=0,
                    help="train on the first N training images (0: all 60,000)")
    ap.add_argument("--only", default="",
                    help="comma-separated indices of configs.json's targets to run (default all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--package", default=os.path.join(ROOT, "build", "python"),
                    help="directory holding the built mlg package (default build/python)")
    ap.add_argument("--quick", action="store_true",
                    help="a smoke run: 2048 training and 500 test images, one target, 1 epoch each")
    ap.add_argument("--replot", action="store_true",
                    help="only redraw the plot from OUT/results.csv")
    ap.add_argument("--skip-compiled", action="store_true",
                    help="PyTorch accuracies only (no mlg.compile)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.replot:
        rows = read_results(os.path.join(args.out, "results.csv"))
        plot(rows, rows[0]["torch_acc"], os.path.join(args.out, "accuracy_vs_memory.png"))
        return
    # The built package (pure Python and the native extension), as `make` assembles it.
    sys.path.insert(0, args.package)
    import mlg.nn as mnn

    torch.set_num_threads(os.cpu_count() or 1)
    with open(args.configs) as fh:
        targets = json.load(fh)["targets"]
    x, y = fm.load("train")
    xt, yt = fm.load("test")
    if args.train_images:
        x, y = x[:args.train_images], y[:args.train_images]
    if args.only:
        targets = [targets[int(i)] for i in args.only.split(",")]
    if args.quick:
        x, y, xt, yt = x[:2048], y[:2048], xt[:500], yt[:500]
        args.epochs = args.finetune_epochs = 1
        args.ptc_images = min(args.ptc_images, 100)
        targets = targets[:1]
    args.trained_on = len(x)
    start = time.time()

    dense = dense_model(args, x, y)
    dense.eval()
    rows = [{"kind": "dense", "target": "fp32", "memory_ratio": 1.0,
             "torch_acc": fm.evaluate(dense, xt, yt)}]
    evaluate_compiled(rows[0], dense, xt, yt, x[:args.batch], args)
    log(f"[dense] {rows[0]}")

    for target in targets:
        label = f"({target['bi']}, {target['bc']}, {'/'.join(map(str, target['bits']))})"
        # (a) Post-training: the compiler's decomposition, and projection in PyTorch.
        projected = mnn.convert(dense, target["bi"], target["bc"], tuple(target["bits"]),
                                steps=args.projection_steps)
        projected.eval()
        ratio = mnn.compression_ratios(projected)["memory_ratio"]
        row = {"kind": "post-training", "target": label, "memory_ratio": ratio,
               "torch_acc": fm.evaluate(projected, xt, yt)}
        evaluate_compiled(row, dense, xt, yt, x[:args.batch], args,
                          compress=options_string(target))
        rows.append(row)
        log(f"[post-training {label}] {row}")
        # (b) Fine-tuning with MLG layers from the projection.
        student = finetune(copy.deepcopy(projected), dense, x, y, args)
        student.eval()
        row = {"kind": "fine-tuned", "target": label, "memory_ratio": ratio,
               "torch_acc": fm.evaluate(student, xt, yt)}
        evaluate_compiled(row, student, xt, yt, x[:args.batch], args)
        rows.append(row)
        log(f"[fine-tuned {label}] {row}")

    text, cols = summary(rows, args, time.time() - start)
    with open(os.path.join(args.out, "results.csv"), "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    with open(os.path.join(args.out, "summary.md"), "w") as fh:
        fh.write(text)
    plot(rows, rows[0]["torch_acc"], os.path.join(args.out, "accuracy_vs_memory.png"))
    print(text)


if __name__ == "__main__":
    main()
