#!/usr/bin/python3
"""Writes a ResNet-18 as MLIR (linalg on tensors, NCHW, weights as dense_resource blobs).

    /usr/bin/python3 examples/models/resnet18.py --dataset {cifar10,cifar100,imagenet} \
        [--weights {random,spectral}] [--seed N] [--batch N] [--no-fc-bias] [--stats]
        [--export-weights DIR] -o out.mlir

Models
  cifar10 / cifar100: the CIFAR ResNet-18 of the MLG release (core/models/resnet.py): conv1 3x3 s1 p1
      (64 ch, no maxpool), four stages of two BasicBlocks (64/128/256/512; stride 2 and a 1x1 stride-2
      projection shortcut + BN at stages 2-4), global average pool, FC 512 -> 10/100. Input Nx3x32x32.
      Parameter names follow that code (`layer2.0.shortcut.0`, `layer2.0.shortcut.1`), except that
      the classifier is called `fc` (the release calls it `linear`).
  imagenet: torchvision resnet18: conv1 7x7 s2 p3, BN, ReLU, maxpool 3x3 s2 p1, the same stages
      (shortcut named `layerN.0.downsample.{0,1}`), avgpool, FC 512 -> 1000. Input Nx3x224x224.
  Convolutions have no bias. The FC has a bias by default, as in torchvision; the MLG release builds
  it without one (`--no-fc-bias` reproduces that: 10/100 fewer parameters, and Table 2's CIFAR-100
  8-8-8 memory ratio then rounds to 0.0140 instead of 0.0141).

Parameter count (printed to stderr) = conv weights + 2*C per BatchNorm (gamma, beta) + FC weight
(+ bias), i.e. PyTorch's sum(p.numel() for p in model.parameters()).

IR form (what the mlg passes recognise; see examples/models/README.md):
  * every parameter is `arith.constant dense_resource<NAME>` with NAME the PyTorch parameter name,
    dots replaced by underscores; blobs live in the trailing dialect_resources section;
  * conv: [tensor.pad (zero)] + tensor.empty + linalg.fill 0.0 + linalg.conv_2d_nchw_fchw, weight in
    PyTorch's [Co, Ci, kh, kw] layout;
  * BatchNorm (inference, folded): one linalg.generic computing x*scale+shift with per-channel
    constants `<bn>_weight` (scale = gamma/sqrt(var+eps)) and `<bn>_bias` (shift = beta-mean*scale);
    a ReLU that directly follows a BN is fused into the same generic (arith.maximumf against 0.0);
  * residual: one linalg.generic computing max(a + b, 0);
  * maxpool: tensor.pad with -inf + linalg.pooling_nchw_max; avgpool: linalg.pooling_nchw_sum,
    a linalg.generic multiplying by 1/(H*W), tensor.collapse_shape to [N, 512];
  * FC: linalg.matmul with `fc_weight` = transpose of PyTorch's fc.weight ([512, classes]), then a
    linalg.generic adding `fc_bias`;
  * every op that consumes a parameter carries loc("<PyTorch module name>").

--export-weights DIR also writes every parameter of the module as DIR/<PyTorch name>.npy (float32,
C order), in PyTorch's layouts: `<conv>.weight` [Co, Ci, kh, kw]; `<bn>.weight` / `<bn>.bias` the
folded scale / shift (load them into a torch BatchNorm2d as weight / bias with running_mean 0,
running_var 1 and eps 0 to get the same function); `fc.weight` [classes, 512] (the module stores its
transpose); `fc.bias`. bench/cpu runs oneDNN and PyTorch on these files.

Deterministic: each tensor is drawn from its own numpy Generator seeded with (seed, crc32(name)),
so the same arguments give a byte-identical file (on one machine / BLAS build).
Standard library + numpy only.
"""
import argparse
import math
import os
import sys
import time
import zlib

import numpy as np

BN_EPS = 1e-5

# --------------------------------------------------------------------------------------------
# Weights


def tensor_rng(seed, name):
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, zlib.crc32(name.encode())])))


def spatial_cov(k):
    """k*k x k*k spatial covariance of a kernel: a DC term, a Gaussian (length k/3) and a floor.

    For k=3 its eigenvalues put 57% / 70% / 82% of the energy in the top 1 / 2 / 3 of 9 components
    (k=7: 56% / 67% / 78%)."""
    ys, xs = np.mgrid[0:k, 0:k]
    p = np.stack([ys.ravel(), xs.ravel()], 1).astype(np.float64)
    d2 = ((p[:, None, :] - p[None, :, :]) ** 2).sum(-1)
    ell = k / 3.0
    return 0.5 + np.exp(-d2 / (2 * ell * ell)) + 0.1 * np.eye(k * k)


def solve_power(r, m, target):
    """p such that sigma_i = (i+1)^-p puts `target` of sum(sigma^2) in the top m of r values."""
    i = np.arange(1, r + 1, dtype=np.float64)

    def frac(p):
        e = i ** (-2.0 * p)
        return e[:m].sum() / e.sum()

    lo, hi = 0.0, 8.0
    if frac(hi) < target:
        return hi
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if frac(mid) < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def hartley(x, axis):
    """Orthonormal discrete Hartley transform along `axis` (symmetric, H @ H = I)."""
    f = np.fft.fft(x, axis=axis)
    return (f.real - f.imag) / math.sqrt(x.shape[axis])


class FastOrthogonal:
    """A random orthogonal m x m map R = H D3 H D2 H D1 P (P a permutation, D random signs, H the
    Hartley transform): applied in O(m log m) with numpy's FFT, since the reference BLAS that
    Debian's numpy links makes QR and dense products of ResNet-sized matrices take seconds."""

    def __init__(self, rng, m):
        self.perm = rng.permutation(m)
        self.signs = rng.choice(np.array([-1.0, 1.0]), size=(3, m))

    def apply(self, x, axis):
        x = np.take(x, self.perm, axis=axis)
        shape = [1] * x.ndim
        shape[axis] = -1
        for d in self.signs:
            x = hartley(x * d.reshape(shape), axis)
        return x


def spectral_weight(rng, co, ci, k, target):
    """W [Co, Ci, k, k] with W viewed [Co, Ci*k*k] = Q1 diag(sigma) Q2^T exactly (Q1, Q2 orthonormal):

    * sigma_j ~ (j+1)^-p, p chosen so that the top 30% of the r = min(Co, Ci*k*k) singular values
      carry `target` of the energy; scaled so ||W||_F = sqrt(2*Co), the expected norm of the
      He-normal init;
    * Q1 = the first r columns of a random orthogonal Co x Co map;
    * Q2's column j (a kernel-shaped Ci x k*k matrix) is  sum_b C[b, m] * (R_b e_a) (x) e_b, with
      (m, a) = divmod(j, Ci), e_b the eigenvectors of the spatial covariance spatial_cov(k) (largest
      eigenvalue first), R_b an independent random orthogonal Ci x Ci map per spatial component b,
      and C the Householder reflection whose first column is sqrt(lambda / sum(lambda)). The first Ci
      columns, which get the largest singular values, are full-rank kernels whose spatial energy
      follows the covariance's spectrum (top 2 of 9 components: about 70%); later columns lean
      towards single higher-frequency components. For k = 1 this reduces to R_0 e_a.
    """
    kk = k * k
    n = ci * kk
    r = min(co, n)
    m = int(math.ceil(0.3 * r))
    p = solve_power(r, m, target)
    sigma = np.arange(1, r + 1, dtype=np.float64) ** (-p)
    sigma *= math.sqrt(2.0 * co) / np.linalg.norm(sigma)
    if kk > 1:
        lam, evec = np.linalg.eigh(spatial_cov(k))
        order = np.argsort(-lam, kind="stable")
        lam, evec = lam[order], evec[:, order]
        c0 = np.sqrt(lam / lam.sum())
        v = c0.copy()
        v[0] -= 1.0
        house = np.eye(kk) - 2.0 * np.outer(v, v) / (v @ v)  # house[:, 0] == c0
    # Row space coordinates: a[o, a, m] is the weight of Q2's column (m, a) in row o.
    j = np.arange(r)
    coef = np.zeros((co, ci, kk))
    coef[j, j % ci, j // ci] = sigma
    coef = FastOrthogonal(rng, co).apply(coef, 0)  # rows mixed by Q1
    if kk > 1:
        coef = coef @ house.T  # (I (x) C): column m -> spatial components b
    mixers = [FastOrthogonal(rng, ci) for _ in range(kk)]
    for b in range(kk):
        coef[:, :, b] = mixers[b].apply(coef[:, :, b], 1)
    if kk > 1:
        coef = coef @ evec.T  # spatial eigen-coordinates -> pixels
    return coef.reshape(co, ci, k, k)


def conv_weight(mode, seed, name, co, ci, k, depth):
    rng = tensor_rng(seed, name)
    if mode == "random":
        w = rng.standard_normal((co, ci, k, k)) * math.sqrt(2.0 / (ci * k * k))
    else:
        # Top-30% energy 0.90 at the first conv falling linearly to 0.80 at the last one
        # (shallower layers are more correlated, method.md 1.1).
        target = 0.90 - 0.10 * depth
        w = spectral_weight(rng, co, ci, k, target)
    return w.astype(np.float32)


def fc_params(mode, seed, classes, bias):
    rng = tensor_rng(seed, "fc.weight")
    if mode == "random":
        w = rng.standard_normal((classes, 512)) * math.sqrt(2.0 / 512)
    else:
        w = spectral_weight(rng, classes, 512, 1, 0.80).reshape(classes, 512)
    b = None
    if bias:
        b = tensor_rng(seed, "fc.bias").uniform(-1.0 / math.sqrt(512), 1.0 / math.sqrt(512), classes)
        b = b.astype(np.float32)
    return w.astype(np.float32), b


def bn_params(seed, name, c):
    """Folded inference BN: gamma~1, beta~0, mean~0, var~1 with small seeded perturbations."""
    rng = tensor_rng(seed, name)
    gamma = 1.0 + 0.1 * rng.standard_normal(c)
    beta = 0.05 * rng.standard_normal(c)
    mean = 0.05 * rng.standard_normal(c)
    var = np.exp(0.1 * rng.standard_normal(c))
    scale = gamma / np.sqrt(var + BN_EPS)
    shift = beta - mean * scale
    return scale.astype(np.float32), shift.astype(np.float32)


# --------------------------------------------------------------------------------------------
# IR emission


def ttype(shape):
    return "tensor<" + "x".join(str(d) for d in shape) + "xf32>"


def f32lit(x):
    return "%.9e" % float(np.float32(x))


class Emitter:
    def __init__(self, mode, seed, want_stats=False):
        self.mode, self.seed, self.want_stats = mode, seed, want_stats
        self.lines = []
        self.resources = []  # (name, bytes)
        self.pytorch_params = {}  # PyTorch name -> array in PyTorch's layout (--export-weights)
        self.counter = 0
        self.params = 0
        self.stats = []

    def fresh(self, stem):
        self.counter += 1
        return "%%%s%d" % (stem, self.counter)

    def emit(self, s):
        self.lines.append("    " + s)

    def const(self, pname, arr):
        """A dense_resource constant for the PyTorch parameter `pname`."""
        key = pname.replace(".", "_")
        arr = np.ascontiguousarray(arr, dtype="<f4")
        self.resources.append((key, arr.tobytes()))
        self.pytorch_params[pname] = arr
        self.params += arr.size
        v = self.fresh("w")
        self.emit("%s = arith.constant dense_resource<%s> : %s" % (v, key, ttype(arr.shape)))
        return v

    def filled(self, shape, value):
        e = self.fresh("e")
        f = self.fresh("f")
        self.emit("%s = tensor.empty() : %s" % (e, ttype(shape)))
        self.emit("%s = linalg.fill ins(%s : f32) outs(%s : %s) -> %s" % (f, value, e, ttype(shape), ttype(shape)))
        return f

    def pad(self, x, shape, p, value):
        out = [shape[0], shape[1], shape[2] + 2 * p, shape[3] + 2 * p]
        v = self.fresh("pad")
        self.emit("%s = tensor.pad %s low[0, 0, %d, %d] high[0, 0, %d, %d] {" % (v, x, p, p, p, p))
        self.emit("^bb0(%i0: index, %i1: index, %i2: index, %i3: index):")
        self.emit("  tensor.yield %s : f32" % value)
        self.emit("} : %s to %s" % (ttype(shape), ttype(out)))
        return v, out

    def conv(self, x, shape, name, co, k, stride, pad, depth):
        ci = shape[1]
        w = conv_weight(self.mode, self.seed, name + ".weight", co, ci, k, depth)
        if self.want_stats:
            self.stats.append((name, w))
        if pad > 0:
            x, shape = self.pad(x, shape, pad, "%zero")
        ho = (shape[2] - k) // stride + 1
        wo = (shape[3] - k) // stride + 1
        out = [shape[0], co, ho, wo]
        wv = self.const(name + ".weight", w)
        init = self.filled(out, "%zero")
        v = self.fresh("conv")
        self.emit(
            "%s = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<%d> : tensor<2xi64>}"
            " ins(%s, %s : %s, %s) outs(%s : %s) -> %s loc(\"%s\")"
            % (v, stride, x, wv, ttype(shape), ttype(w.shape), init, ttype(out), ttype(out), name))
        return v, out

    def bn(self, x, shape, name, relu):
        c = shape[1]
        scale, shift = bn_params(self.seed, name, c)
        s = self.const(name + ".weight", scale)
        b = self.const(name + ".bias", shift)
        e = self.fresh("e")
        v = self.fresh("bn")
        self.emit("%s = tensor.empty() : %s" % (e, ttype(shape)))
        self.emit("%s = linalg.generic {indexing_maps = [#nchw, #chan, #chan, #nchw], iterator_types = "
                  "[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]} ins(%s, %s, %s : %s, %s, %s) outs(%s : %s) {"
                  % (v, x, s, b, ttype(shape), ttype([c]), ttype([c]), e, ttype(shape)))
        self.emit("^bb0(%in: f32, %scale: f32, %shift: f32, %out: f32):")
        self.emit("  %m = arith.mulf %in, %scale : f32")
        self.emit("  %a = arith.addf %m, %shift : f32")
        if relu:
            self.emit("  %r = arith.maximumf %a, %zero : f32")
            self.emit("  linalg.yield %r : f32")
        else:
            self.emit("  linalg.yield %a : f32")
        self.emit("} -> %s loc(\"%s\")" % (ttype(shape), name))
        return v

    def add_relu(self, a, b, shape, name):
        e = self.fresh("e")
        v = self.fresh("add")
        self.emit("%s = tensor.empty() : %s" % (e, ttype(shape)))
        self.emit("%s = linalg.generic {indexing_maps = [#nchw, #nchw, #nchw], iterator_types = "
                  "[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]} ins(%s, %s : %s, %s) outs(%s : %s) {"
                  % (v, a, b, ttype(shape), ttype(shape), e, ttype(shape)))
        self.emit("^bb0(%lhs: f32, %rhs: f32, %out: f32):")
        self.emit("  %t = arith.addf %lhs, %rhs : f32")
        self.emit("  %r = arith.maximumf %t, %zero : f32")
        self.emit("  linalg.yield %r : f32")
        self.emit("} -> %s loc(\"%s\")" % (ttype(shape), name))
        return v

    def maxpool(self, x, shape, k, stride, pad):
        x, pshape = self.pad(x, shape, pad, "%ninf")
        out = [shape[0], shape[1], (pshape[2] - k) // stride + 1, (pshape[3] - k) // stride + 1]
        win = self.fresh("win")
        self.emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (win, k, k))
        init = self.filled(out, "%ninf")
        v = self.fresh("maxpool")
        self.emit("%s = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<%d> : tensor<2xi64>}"
                  " ins(%s, %s : %s, tensor<%dx%dxf32>) outs(%s : %s) -> %s loc(\"maxpool\")"
                  % (v, stride, x, win, ttype(pshape), k, k, init, ttype(out), ttype(out)))
        return v, out

    def avgpool(self, x, shape):
        n, c, h, w = shape
        out = [n, c, 1, 1]
        win = self.fresh("win")
        self.emit("%s = tensor.empty() : tensor<%dx%dxf32>" % (win, h, w))
        init = self.filled(out, "%zero")
        s = self.fresh("sum")
        self.emit("%s = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}"
                  " ins(%s, %s : %s, tensor<%dx%dxf32>) outs(%s : %s) -> %s loc(\"avgpool\")"
                  % (s, x, win, ttype(shape), h, w, init, ttype(out), ttype(out)))
        inv = self.fresh("inv")
        self.emit("%s = arith.constant %s : f32" % (inv, f32lit(1.0 / (h * w))))
        e = self.fresh("e")
        m = self.fresh("mean")
        self.emit("%s = tensor.empty() : %s" % (e, ttype(out)))
        self.emit("%s = linalg.generic {indexing_maps = [#nchw, #nchw], iterator_types = "
                  "[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]} ins(%s : %s) outs(%s : %s) {"
                  % (m, s, ttype(out), e, ttype(out)))
        self.emit("^bb0(%in: f32, %out: f32):")
        self.emit("  %%r = arith.mulf %%in, %s : f32" % inv)
        self.emit("  linalg.yield %r : f32")
        self.emit("} -> %s loc(\"avgpool\")" % ttype(out))
        flat = self.fresh("flat")
        self.emit("%s = tensor.collapse_shape %s [[0], [1, 2, 3]] : %s into %s"
                  % (flat, m, ttype(out), ttype([n, c])))
        return flat, [n, c]

    def fc(self, x, shape, classes, bias):
        n = shape[0]
        w, b = fc_params(self.mode, self.seed, classes, bias)
        wv = self.const("fc.weight", w.T)  # [512, classes]: transpose of PyTorch's fc.weight
        self.pytorch_params["fc.weight"] = np.ascontiguousarray(w, dtype="<f4")
        out = [n, classes]
        init = self.filled(out, "%zero")
        v = self.fresh("fc")
        self.emit("%s = linalg.matmul ins(%s, %s : %s, %s) outs(%s : %s) -> %s loc(\"fc\")"
                  % (v, x, wv, ttype(shape), ttype([512, classes]), init, ttype(out), ttype(out)))
        if b is None:
            return v, out
        bv = self.const("fc.bias", b)
        e = self.fresh("e")
        r = self.fresh("logits")
        self.emit("%s = tensor.empty() : %s" % (e, ttype(out)))
        self.emit("%s = linalg.generic {indexing_maps = [#nc, #c, #nc], iterator_types = [\"parallel\", \"parallel\"]}"
                  " ins(%s, %s : %s, %s) outs(%s : %s) {" % (r, v, bv, ttype(out), ttype([classes]), e, ttype(out)))
        self.emit("^bb0(%in: f32, %bias: f32, %out: f32):")
        self.emit("  %r = arith.addf %in, %bias : f32")
        self.emit("  linalg.yield %r : f32")
        self.emit("} -> %s loc(\"fc\")" % ttype(out))
        return r, out


def build(args):
    cifar = args.dataset.startswith("cifar")
    classes = {"cifar10": 10, "cifar100": 100, "imagenet": 1000}[args.dataset]
    hw = 32 if cifar else 224
    em = Emitter(args.weights, args.seed, args.stats)
    shape = [args.batch, 3, hw, hw]
    n_convs = 20  # conv1 + 16 block convs + 3 shortcuts
    depth = [0]

    def conv(x, shape, name, co, k, stride, pad):
        d = depth[0] / (n_convs - 1)
        depth[0] += 1
        return em.conv(x, shape, name, co, k, stride, pad, d)

    em.emit("%zero = arith.constant 0.000000e+00 : f32")
    if not cifar:
        em.emit("%ninf = arith.constant 0xFF800000 : f32")
    x = "%input"
    if cifar:
        x, shape = conv(x, shape, "conv1", 64, 3, 1, 1)
    else:
        x, shape = conv(x, shape, "conv1", 64, 7, 2, 3)
    x = em.bn(x, shape, "bn1", relu=True)
    if not cifar:
        x, shape = em.maxpool(x, shape, 3, 2, 1)
    short_name = "shortcut" if cifar else "downsample"
    for stage, planes in enumerate([64, 128, 256, 512]):
        for blk in range(2):
            pre = "layer%d.%d" % (stage + 1, blk)
            stride = 2 if (stage > 0 and blk == 0) else 1
            inp, in_shape = x, shape
            y, yshape = conv(inp, in_shape, pre + ".conv1", planes, 3, stride, 1)
            y = em.bn(y, yshape, pre + ".bn1", relu=True)
            y, yshape = conv(y, yshape, pre + ".conv2", planes, 3, 1, 1)
            y = em.bn(y, yshape, pre + ".bn2", relu=False)
            if stride != 1 or in_shape[1] != planes:
                sc, sshape = conv(inp, in_shape, "%s.%s.0" % (pre, short_name), planes, 1, stride, 0)
                sc = em.bn(sc, sshape, "%s.%s.1" % (pre, short_name), relu=False)
            else:
                sc = inp
            x = em.add_relu(y, sc, yshape, pre + ".add")
            shape = yshape
    x, shape = em.avgpool(x, shape)
    x, shape = em.fc(x, shape, classes, not args.no_fc_bias)
    assert depth[0] == n_convs
    return em, hw, classes, x, shape


def module_text(em, header, in_shape, result, rshape):
    """The module of an Emitter's lines: `func.func @forward(%input)` returning `result`, the
    affine maps its generics use, and the weights as a dialect_resources section. `header` is
    the leading comment text."""
    out = [header]
    out.append("#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>\n")
    out.append("#chan = affine_map<(d0, d1, d2, d3) -> (d1)>\n")
    out.append("#nc = affine_map<(d0, d1) -> (d0, d1)>\n")
    out.append("#c = affine_map<(d0, d1) -> (d1)>\n")
    out.append("module {\n")
    out.append("  func.func @forward(%%input: %s) -> %s {\n" % (ttype(in_shape), ttype(rshape)))
    out.append("\n".join(em.lines))
    out.append("\n    return %s : %s\n  }\n}\n\n" % (result, ttype(rshape)))
    out.append("{-#\n  dialect_resources: {\n    builtin: {\n")
    blobs = []
    for key, data in em.resources:
        blobs.append('      %s: "0x04000000%s"' % (key, data.hex().upper()))
    out.append(",\n".join(blobs))
    out.append("\n    }\n  }\n#-}\n")
    return "".join(out)


def write(args):
    em, hw, classes, result, rshape = build(args)
    header = ("// ResNet-18 (%s), weights=%s seed=%d batch=%d%s: %d parameters.\n"
              % (args.dataset, args.weights, args.seed, args.batch,
                 " no-fc-bias" if args.no_fc_bias else "", em.params) +
              "// Generated by examples/models/resnet18.py; do not edit by hand.\n\n")
    text = module_text(em, header, [args.batch, 3, hw, hw], result, rshape)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w") as f:
            f.write(text)
    return em


def export_weights(em, directory):
    """Writes each parameter as directory/<PyTorch name>.npy (see the module docstring)."""
    os.makedirs(directory, exist_ok=True)
    for name, arr in em.pytorch_params.items():
        np.save(os.path.join(directory, name + ".npy"), arr)


def print_stats(em):
    """Per conv: energy share of the top 30% singular values of W as [Co, Ci*k*k] (cross-kernel) and
    mean energy share of the top 2 of k*k singular values of each kernel as [Ci, k*k] (intra-kernel)."""
    sys.stderr.write("%-26s %18s %8s %10s\n" % ("layer", "shape", "top30%", "intra-top2"))
    for name, w in em.stats:
        co, ci, k, _ = w.shape
        s = np.linalg.svd(w.reshape(co, -1).astype(np.float64), compute_uv=False)
        e = s ** 2
        top30 = e[: int(math.ceil(0.3 * len(e)))].sum() / e.sum()
        intra = float("nan")
        if k > 1 and ci > 2:
            si = np.linalg.svd(w.reshape(co, ci, k * k).astype(np.float64), compute_uv=False) ** 2
            intra = float((si[:, :2].sum(1) / si.sum(1)).mean())
        sys.stderr.write("%-26s %18s %8.3f %10.3f\n" % (name, "x".join(map(str, w.shape)), top30, intra))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", required=True, choices=["cifar10", "cifar100", "imagenet"])
    ap.add_argument("--weights", default="random", choices=["random", "spectral"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--no-fc-bias", action="store_true",
                    help="FC without bias, as in the MLG release (default: with bias, as torchvision)")
    ap.add_argument("--stats", action="store_true", help="print per-conv spectrum statistics to stderr")
    ap.add_argument("--export-weights", metavar="DIR",
                    help="also write every parameter as DIR/<PyTorch name>.npy (PyTorch layouts)")
    ap.add_argument("-o", "--output", required=True, help="output .mlir file ('-' for stdout)")
    args = ap.parse_args()
    if args.batch < 1 or args.seed < 0:
        ap.error("--batch must be >= 1 and --seed >= 0")
    t0 = time.perf_counter()
    em = write(args)
    if args.export_weights:
        export_weights(em, args.export_weights)
    dt = time.perf_counter() - t0
    sys.stderr.write("resnet18 %s (%s weights, seed %d): %s params, written in %.2f s\n"
                     % (args.dataset, args.weights, args.seed, format(em.params, ","), dt))
    if args.stats:
        print_stats(em)


if __name__ == "__main__":
    main()
