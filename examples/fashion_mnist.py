#!/usr/bin/python3
"""The Python package in one script: train, compress with MLG layers, compile, run.

On Fashion-MNIST (Debian's dataset-fashion-mnist; nothing is downloaded):
  1. train the small ResNet of bench/accuracy densely in PyTorch;
  2. mlg.nn.convert: every convolution becomes an MLG layer (two-level generators at low bit
     widths), initialised by l2 projection of the trained weights;
  3. fine-tune it with knowledge distillation and the orthogonality regulariser (method.md,
     Alg. 1);
  4. mlg.compile the MLG model for the CPU (a shared library) and for the photonic tensor core
     (a program for ptc-sim) from the same PyTorch module, run both, and compare with PyTorch;
  5. the memory report of the compiled model and the simulator's report.

`--quick` (what `make demo` runs) trains on 8,192 images for one epoch of each kind: about two
minutes on two cores, far from convergence. Without it: all 60,000 images and more epochs
(`bench/accuracy/run.py` is the measured benchmark).

    /usr/bin/python3 examples/fashion_mnist.py --package build/python --quick
"""

import argparse
import copy
import os
import sys
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The data loader and the model are the accuracy benchmark's.
sys.path.insert(0, os.path.join(ROOT, "bench", "accuracy"))
import fashion_mnist as fm  # noqa: E402


def accuracy(logits, labels):
    return 100.0 * float((np.asarray(logits).argmax(1) == np.asarray(labels)).mean())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--package", default=os.path.join(ROOT, "build", "python"),
                    help="the built package (default: build/python)")
    ap.add_argument("--quick", action="store_true", help="a one-minute tour (make demo)")
    ap.add_argument("--bi", type=int, default=2)
    ap.add_argument("--bc", type=int, default=16)
    ap.add_argument("--bits", default="4,6,4", help="qb,qu,qv")
    args = ap.parse_args()
    sys.path.insert(0, args.package)
    import mlg
    import mlg.nn as mnn

    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    x, y = fm.load("train")
    xt, yt = fm.load("test")
    train_images, epochs, test_images, ptc_images = 60000, 3, 10000, 200
    if args.quick:
        train_images, epochs, test_images, ptc_images = 8192, 1, 1000, 100
    x, y, xt, yt = x[:train_images], y[:train_images], xt[:test_images], yt[:test_images]
    quiet = lambda message: None  # noqa: E731

    start = time.time()
    dense = fm.train(fm.SmallResNet(16), x, y, epochs, log=quiet).eval()
    dense_acc = fm.evaluate(dense, xt, yt)
    print(f"1. dense ResNet ({sum(p.numel() for p in dense.parameters()):,} weights), "
          f"{train_images} images x {epochs} epochs: {dense_acc:.2f} % on {len(xt)} test images "
          f"({time.time() - start:.0f} s)")

    bits = tuple(int(b) for b in args.bits.split(","))
    start = time.time()
    student = mnn.convert(dense, args.bi, args.bc, bits, steps=100 if args.quick else 300).eval()
    ratios = mnn.compression_ratios(student)
    print(f"2. mlg.nn.convert(bi={args.bi}, bc={args.bc}, bits={bits}): "
          f"{1 / ratios['memory_ratio']:.1f}x less memory than fp32 weights; "
          f"projected: {fm.evaluate(student, xt, yt):.2f} % ({time.time() - start:.0f} s)")

    start = time.time()
    kd = mnn.KDLoss()

    def loss_fn(model, inputs, labels):
        with torch.no_grad():
            teacher = dense(inputs)
        return kd(model(inputs), teacher, labels) + 0.05 * mnn.ortho_loss(model)

    student = fm.train(copy.deepcopy(student), x, y, epochs, lr=0.01, seed=1, loss_fn=loss_fn,
                       log=quiet).eval()
    torch_acc = fm.evaluate(student, xt, yt)
    print(f"3. fine-tuned (distillation + orthogonality): {torch_acc:.2f} % "
          f"({time.time() - start:.0f} s)")

    start = time.time()
    example = x[:100]
    cpu = mlg.compile(student, example_inputs=(example,))
    logits = np.concatenate([cpu(xt[i:i + 100].numpy()) for i in range(0, len(xt), 100)])
    with torch.no_grad():
        reference = student(xt).numpy()
    print(f"4. mlg.compile(target='cpu'): {accuracy(logits, yt):.2f} % "
          f"(PyTorch {torch_acc:.2f} %; max |difference| of the logits "
          f"{np.abs(logits - reference).max():.1e}) ({time.time() - start:.0f} s)")
    start = time.time()
    ptc = mlg.compile(student, target="ptc", example_inputs=(example,))
    codes = np.concatenate([ptc(xt[i:i + 100].numpy()) for i in range(0, ptc_images, 100)])
    print(f"   mlg.compile(target='ptc'), dptc-hbm (4-bit activations and weights, calibrated on "
          f"100 training images): {accuracy(codes, yt[:ptc_images]):.2f} % on "
          f"{ptc_images} images (PyTorch {accuracy(reference[:ptc_images], yt[:ptc_images]):.2f} %)"
          f" ({time.time() - start:.0f} s)")

    report = cpu.memory_report()["total"]
    print(f"5. memory report of the compiled model: {report['dense_bits_fp32'] / 8192:.1f} KiB of "
          f"fp32 weights stored in {report['stored_bits'] / 8192:.1f} KiB "
          f"(the MLG layers: {1 / report['memory_ratio_eq4']:.1f}x less)")
    sim = ptc.simulate(xt[:100].numpy())["total"]
    print(f"   ptc-sim, 100 images: {sim['latency_ns'] / 1e3:.1f} us, "
          f"{sim['energy_pj']['total'] / 1e6:.2f} uJ, "
          f"{sim['traffic_bits']['dram'] / 8 / 1024:.1f} KiB of DRAM traffic")


if __name__ == "__main__":
    main()
