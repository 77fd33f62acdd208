#!/usr/bin/python3
"""PyTorch side of the CPU benchmark (Debian python3-torch, python3-torchvision); run by run.py.

    /usr/bin/python3 bench/cpu/torch_bench.py layers LAYERS.json --threads N --min-seconds S
    /usr/bin/python3 bench/cpu/torch_bench.py resnet18 WEIGHTS_DIR INPUT.npy OUTPUT.npy \
        --threads N --runs R

layers: LAYERS.json is a list of {"name", "n", "c", "h", "w", "f", "kh", "kw", "stride", "pad"};
  each convolution (no bias, random data) is timed in both memory formats (contiguous NCHW and
  channels_last), like harness.cpp (warm-up, batches until S seconds, median batch), and the
  faster format is reported: one JSON line per layer {"name", "ms", "format", "ms_nchw",
  "ms_channels_last"}.
resnet18: torchvision.models.resnet18 with the parameters written by
  `examples/models/resnet18.py --dataset imagenet --export-weights DIR` (each BatchNorm gets
  weight = scale, bias = shift, running_mean 0, running_var 1, eps 0: the folded function of the
  MLIR model), eval mode, torch.no_grad. Writes the logits of INPUT to OUTPUT, times R runs after
  R/10 (at least one) warm-up runs, prints one JSON line {"ms_min", "ms_median", "model_mb",
  "peak_mb"}: resident memory (MiB) after building the model and the peak resident memory of the
  first inference, both above the resident memory before the model was built (torch imported).
"""
import argparse
import json
import os
import re
import statistics
import sys
import time

import numpy as np
import torch
import torchvision


def resident_mib(field):
    with open("/proc/self/status") as fh:
        return int(re.search(field + r":\s+(\d+) kB", fh.read()).group(1)) / 1024.0


def reset_peak_resident():
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def median_batch_seconds(call, min_seconds):
    """Median seconds per call over batches lasting at least min_seconds in all (harness.cpp)."""
    for _ in range(3):
        call()
    t0 = time.perf_counter()
    call()
    once = max(time.perf_counter() - t0, 1e-7)
    per_batch = max(1, int(0.05 / once))
    batches = []
    start = time.perf_counter()
    while len(batches) < 5 or time.perf_counter() - start < min_seconds:
        b0 = time.perf_counter()
        for _ in range(per_batch):
            call()
        batches.append((time.perf_counter() - b0) / per_batch)
    return statistics.median(batches)


def bench_layers(args):
    with open(args.layers) as fh:
        layers = json.load(fh)
    gen = torch.Generator().manual_seed(0)
    for cfg in layers:
        conv = torch.nn.Conv2d(cfg["c"], cfg["f"], (cfg["kh"], cfg["kw"]), stride=cfg["stride"],
                               padding=cfg["pad"], bias=False).eval()
        x = torch.rand((cfg["n"], cfg["c"], cfg["h"], cfg["w"]), generator=gen) * 2 - 1
        times = {}
        with torch.no_grad():
            for fmt, memory_format in (("nchw", torch.contiguous_format),
                                       ("channels_last", torch.channels_last)):
                c = conv.to(memory_format=memory_format)
                xf = x.contiguous(memory_format=memory_format)
                times[fmt] = median_batch_seconds(lambda: c(xf), args.min_seconds) * 1e3
        best = min(times, key=times.get)
        print(json.dumps({"name": cfg["name"], "ms": times[best], "format": best,
                          "ms_nchw": times["nchw"], "ms_channels_last": times["channels_last"]}),
              flush=True)


def load_resnet18(weights_dir):
    model = torchvision.models.resnet18(num_classes=1000)
    state = model.state_dict()
    loaded = {}
    for name, tensor in state.items():
        path = os.path.join(weights_dir, name + ".npy")
        if name.endswith("running_mean"):
            loaded[name] = torch.zeros_like(tensor)
        elif name.endswith("running_var"):
            loaded[name] = torch.ones_like(tensor)
        elif name.endswith("num_batches_tracked"):
            loaded[name] = tensor
        else:
            array = torch.from_numpy(np.load(path))
            if array.shape != tensor.shape:
                sys.exit(f"error: {path}: shape {tuple(array.shape)}, expected {tuple(tensor.shape)}")
            loaded[name] = array
    model.load_state_dict(loaded)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.eps = 0.0
    return model.eval()


def bench_resnet18(args):
    before = resident_mib("VmRSS")
    model = load_resnet18(args.weights)
    x = torch.from_numpy(np.load(args.input))
    model_mb = resident_mib("VmRSS") - before
    with torch.no_grad():
        reset_peak_resident()
        y = model(x)
        peak_mb = resident_mib("VmHWM") - before
        np.save(args.output, y.numpy().astype(np.float32))
        for _ in range(max(1, args.runs // 10)):
            model(x)
        ms = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            model(x)
            ms.append((time.perf_counter() - t0) * 1e3)
    print(json.dumps({"ms_min": min(ms), "ms_median": statistics.median(ms),
                      "model_mb": round(model_mb, 2), "peak_mb": round(peak_mb, 2)}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    layers = sub.add_parser("layers")
    layers.add_argument("layers")
    layers.add_argument("--min-seconds", type=float, default=0.5)
    net = sub.add_parser("resnet18")
    net.add_argument("weights")
    net.add_argument("input")
    net.add_argument("output")
    net.add_argument("--runs", type=int, default=20)
    for p in (layers, net):
        p.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.mode == "layers":
        bench_layers(args)
    else:
        bench_resnet18(args)


if __name__ == "__main__":
    main()
