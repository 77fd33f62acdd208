"""Residual networks lowered by convert-mlg-to-ptc (graph, ALU layers), checked.

  residual.py model DIR VARIANT     writes DIR/model.mlir and DIR/x.npy (NCHW)
  residual.py quantize DIR VARIANT  reads DIR/prog.mlir; writes DIR/xq.npy
  residual.py check DIR VARIANT [T_ACC ADC_BITS TOL]
        bit-exact against a numpy emulation of the integer program (the
        GEMM layers as in convs.py; adds, max and average pooling with the
        program's per-tensor multipliers and shift), then (with TOL) the
        dequantized output within TOL of max|y| of the float network.

VARIANT a (a ResNet stem and basic block): conv 3x3 20 -> 60 with a folded
BatchNorm and ReLU; max pooling 3x3 stride 2 with -inf padding; conv 3x3 +
ReLU; conv 3x3 + bias; residual add of the pooled tensor with ReLU in the
same generic; linalg.pooling_nchw_sum over 4 x 4 and a generic times 1/16;
tensor.collapse_shape to [N, C]; linalg.matmul + bias. 2 images of 8 x 8.
VARIANT b (examples/basic_block.mlir's forms): conv 3x3 + ReLU in its own
generic; conv 3x3 + bias; add of the network input (20 channels: the input
is stored with 48 columns for the ALU); ReLU in the next generic; max
pooling 3x3 stride 2 with zero padding after the ReLU; global average
pooling as a reduction generic of x * 1/36 into [N, C]; matmul. 2 images
of 6 x 6.

  residual.py resnet18 PROG XQ Y ADC_BITS
  residual.py resnet18-quantize PROG X XQ   (the float image as input codes)
        the same emulation for examples/models/resnet18.py's program (PROG:
        mlg-to-ptc output printed with
        --mlir-print-elementsattrs-with-hex-if-larger=-1; XQ: the host
        input codes; Y: ptc-sim's output; T_ACC 3): prints whether the
        codes are equal. Too large for a lit test (docs/ptc-lowering.md).
"""
import sys

import numpy as np

from convs import im2col, out_side, reference_layer, to_rows
from mlp import attr, lit, program_data, requantize, windowed_gemm, BLOCK_IN, BLOCK_OUT

IMAGES, C0, C1, CLASSES = 2, 20, 60, 10
IN_BITS = 4


class Model:
    """MLIR text builder; `layers` records the network for the emulation
    and the float reference: (kind, name, inputs, params)."""

    def __init__(self, side, channels):
        self.lines, self.count, self.layers = [], 0, []
        self.side, self.channels = side, channels

    def value(self):
        self.count += 1
        return f"%v{self.count}"

    @staticmethod
    def t(c, side):
        return f"tensor<{IMAGES}x{c}x{side}x{side}xf32>"

    def const(self, a):
        v = self.value()
        shape = "x".join(str(d) for d in a.shape)
        self.lines.append(f"  {v} = arith.constant dense<{lit(a)}> : tensor<{shape}xf32>")
        return v

    def pad(self, x, c, side, p, fill):
        v = self.value()
        self.lines += [f"  {v} = tensor.pad {x} low[0, 0, {p}, {p}] high[0, 0, {p}, {p}] {{",
                       "  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):",
                       f"    tensor.yield {fill} : f32",
                       f"  }} : {self.t(c, side)} to {self.t(c, side + 2 * p)}"]
        return v

    def filled(self, type_, fill="%zero"):
        e, f = self.value(), self.value()
        self.lines += [f"  {e} = tensor.empty() : {type_}",
                       f"  {f} = linalg.fill ins({fill} : f32) outs({e} : {type_}) -> {type_}"]
        return f

    def conv(self, name, x, c, side, f, p, s=1):
        co, k = f.shape[0], f.shape[2]
        w = self.const(f)
        padded = self.pad(x, c, side, p, "%zero") if p else x
        o = out_side(side, k, s, p)
        init = self.filled(self.t(co, o))
        v = self.value()
        self.lines.append(
            f"  {v} = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, "
            f"strides = dense<{s}> : tensor<2xi64>}} ins({padded}, {w} : {self.t(c, side + 2 * p)}, "
            f"tensor<{co}x{c}x{k}x{k}xf32>) outs({init} : {self.t(co, o)}) -> {self.t(co, o)} loc(\"{name}\")")
        return v, co, o

    def epilogue(self, name, x, c, side, scale=None, bias=None, relu=False):
        """x * scale + bias, then max(., 0); per channel constants."""
        ins, types, args, maps = [x], [self.t(c, side)], ["%in: f32"], ["#nchw"]
        for n, a in (("scale", scale), ("bias", bias)):
            if a is not None:
                ins.append(self.const(a))
                types.append(f"tensor<{c}xf32>")
                args.append(f"%{n}: f32")
                maps.append("#c")
        v, e = self.value(), self.value()
        body, cur = [], "%in"
        if scale is not None:
            body.append(f"    %m = arith.mulf {cur}, %scale : f32")
            cur = "%m"
        if bias is not None:
            body.append(f"    %s = arith.addf {cur}, %bias : f32")
            cur = "%s"
        if relu:
            body.append(f"    %r = arith.maximumf {cur}, %zero : f32")
            cur = "%r"
        self.lines += [f"  {e} = tensor.empty() : {self.t(c, side)}",
                       f"  {v} = linalg.generic {{indexing_maps = [{', '.join(maps + ['#nchw'])}], "
                       f"iterator_types = [\"parallel\", \"parallel\", \"parallel\", \"parallel\"]}} "
                       f"ins({', '.join(ins)} : {', '.join(types)}) outs({e} : {self.t(c, side)}) {{",
                       f"  ^bb0({', '.join(args)}, %out: f32):"] + body + [
                       f"    linalg.yield {cur} : f32", f"  }} -> {self.t(c, side)} loc(\"{name}\")"]
        return v

    def add(self, name, a, b, c, side, relu):
        v, e = self.value(), self.value()
        t = self.t(c, side)
        self.lines += [f"  {e} = tensor.empty() : {t}",
                       f"  {v} = linalg.generic {{indexing_maps = [#nchw, #nchw, #nchw], iterator_types = "
                       f"[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]}} ins({a}, {b} : {t}, {t}) "
                       f"outs({e} : {t}) {{",
                       "  ^bb0(%lhs: f32, %rhs: f32, %out: f32):",
                       "    %t = arith.addf %lhs, %rhs : f32"]
        self.lines += (["    %r = arith.maximumf %t, %zero : f32", "    linalg.yield %r : f32"]
                       if relu else ["    linalg.yield %t : f32"])
        self.lines.append(f"  }} -> {t} loc(\"{name}\")")
        return v

    def maxpool(self, name, x, c, side, k, s, p, fill):
        padded = self.pad(x, c, side, p, fill)
        o = out_side(side, k, s, p)
        win, v = self.value(), self.value()
        init = self.filled(self.t(c, o), fill)
        self.lines += [f"  {win} = tensor.empty() : tensor<{k}x{k}xf32>",
                       f"  {v} = linalg.pooling_nchw_max {{dilations = dense<1> : tensor<2xi64>, "
                       f"strides = dense<{s}> : tensor<2xi64>}} ins({padded}, {win} : "
                       f"{self.t(c, side + 2 * p)}, tensor<{k}x{k}xf32>) outs({init} : {self.t(c, o)}) "
                       f"-> {self.t(c, o)} loc(\"{name}\")"]
        return v, o

    def mean_sum_pool(self, name, x, c, side):
        """pooling_nchw_sum, a generic times 1/(side^2), collapse to [N, C]."""
        win, v, m, e, flat = (self.value() for _ in range(5))
        init = self.filled(self.t(c, 1))
        inv = self.value()
        self.lines += [f"  {win} = tensor.empty() : tensor<{side}x{side}xf32>",
                       f"  {inv} = arith.constant {1.0 / side ** 2!r} : f32",
                       f"  {v} = linalg.pooling_nchw_sum {{dilations = dense<1> : tensor<2xi64>, "
                       f"strides = dense<1> : tensor<2xi64>}} ins({x}, {win} : {self.t(c, side)}, "
                       f"tensor<{side}x{side}xf32>) outs({init} : {self.t(c, 1)}) -> {self.t(c, 1)} loc(\"{name}\")",
                       f"  {e} = tensor.empty() : {self.t(c, 1)}",
                       f"  {m} = linalg.generic {{indexing_maps = [#nchw, #nchw], iterator_types = "
                       f"[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]}} ins({v} : {self.t(c, 1)}) "
                       f"outs({e} : {self.t(c, 1)}) {{",
                       "  ^bb0(%in: f32, %out: f32):",
                       f"    %r = arith.mulf %in, {inv} : f32",
                       "    linalg.yield %r : f32",
                       f"  }} -> {self.t(c, 1)} loc(\"{name}\")",
                       f"  {flat} = tensor.collapse_shape {m} [[0], [1, 2, 3]] : {self.t(c, 1)} "
                       f"into tensor<{IMAGES}x{c}xf32>"]
        return flat

    def mean_reduction(self, name, x, c, side):
        """The reduction generic of examples/basic_block.mlir."""
        inv, init, v = self.value(), self.filled(f"tensor<{IMAGES}x{c}xf32>"), self.value()
        self.lines += [f"  {inv} = arith.constant {1.0 / side ** 2!r} : f32",
                       f"  {v} = linalg.generic {{indexing_maps = [#nchw, #pool], iterator_types = "
                       f"[\"parallel\", \"parallel\", \"reduction\", \"reduction\"]}} ins({x} : "
                       f"{self.t(c, side)}) outs({init} : tensor<{IMAGES}x{c}xf32>) {{",
                       "  ^bb0(%in: f32, %acc: f32):",
                       f"    %scaled = arith.mulf %in, {inv} : f32",
                       "    %sum = arith.addf %acc, %scaled : f32",
                       "    linalg.yield %sum : f32",
                       f"  }} -> tensor<{IMAGES}x{c}xf32> loc(\"{name}\")"]
        return v

    def matmul(self, name, x, c, w, bias=None):
        n = w.shape[1]
        wv = self.const(w)
        t = f"tensor<{IMAGES}x{n}xf32>"
        init = self.filled(t)
        v = self.value()
        self.lines.append(f"  {v} = linalg.matmul ins({x}, {wv} : tensor<{IMAGES}x{c}xf32>, "
                          f"tensor<{c}x{n}xf32>) outs({init} : {t}) -> {t} loc(\"{name}\")")
        if bias is None:
            return v
        b, e, y = self.const(bias), self.value(), self.value()
        self.lines += [f"  {e} = tensor.empty() : {t}",
                       f"  {y} = linalg.generic {{indexing_maps = [#nc, #c1, #nc], iterator_types = "
                       f"[\"parallel\", \"parallel\"]}} ins({v}, {b} : {t}, tensor<{n}xf32>) outs({e} : {t}) {{",
                       "  ^bb0(%in: f32, %bias: f32, %out: f32):",
                       "    %r = arith.addf %in, %bias : f32",
                       "    linalg.yield %r : f32",
                       f"  }} -> {t} loc(\"{name}\")"]
        return y

    def text(self, x_shape, result):
        header = ["#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>",
                  "#c = affine_map<(d0, d1, d2, d3) -> (d1)>",
                  "#pool = affine_map<(d0, d1, d2, d3) -> (d0, d1)>",
                  "#nc = affine_map<(d0, d1) -> (d0, d1)>",
                  "#c1 = affine_map<(d0, d1) -> (d1)>",
                  f"func.func @net(%x: tensor<{'x'.join(map(str, x_shape))}xf32>) -> "
                  f"tensor<{IMAGES}x{CLASSES}xf32> {{",
                  "  %zero = arith.constant 0.0 : f32",
                  "  %ninf = arith.constant 0xFF800000 : f32"]
        return "\n".join(header + self.lines + [f"  return {result} : tensor<{IMAGES}x{CLASSES}xf32>", "}"]) + "\n"


def params(variant):
    rng = np.random.default_rng(5)
    conv = lambda co, ci: (rng.standard_normal((co, ci, 3, 3)) / np.sqrt(9 * ci)).astype(np.float32)
    vec = lambda n, s=0.1: (s * rng.standard_normal(n)).astype(np.float32)
    if variant == "a":
        p = dict(f0=conv(C1, C0), g0=rng.uniform(0.5, 1.5, C1).astype(np.float32), b0=vec(C1),
                 f1=conv(C1, C1), b1=vec(C1), f2=conv(C1, C1), b2=vec(C1),
                 w=(rng.standard_normal((C1, CLASSES)) / np.sqrt(C1)).astype(np.float32), bw=vec(CLASSES))
        x = rng.standard_normal((IMAGES, C0, 8, 8)).astype(np.float32)
    else:
        p = dict(f1=conv(C0, C0), f2=conv(C0, C0), b2=vec(C0),
                 w=(rng.standard_normal((C0, CLASSES)) / np.sqrt(C0)).astype(np.float32))
        x = rng.standard_normal((IMAGES, C0, 6, 6)).astype(np.float32)
    return p, x


def build(variant, p, x):
    """The model text and the layer list [(kind, name, inputs, options)];
    tensor ids: 0 = input, i + 1 = layer i."""
    m = Model(x.shape[2], C0)
    L = []

    def layer(kind, name, inputs, **opts):
        L.append((kind, f"{name}_{len(L)}", inputs, opts))
        return len(L)
    if variant == "a":
        v, c, s = m.conv("stem", "%x", C0, 8, p["f0"], 1)
        v = m.epilogue("stem", v, c, s, scale=p["g0"], bias=p["b0"], relu=True)
        stem = layer("gemm", "stem", [0], k=3, s=1, p=1, relu=True)
        pool, s = m.maxpool("pool", v, c, s, 3, 2, 1, "%ninf")
        pooled = layer("maxpool", "pool", [stem], k=3, s=2, p=1)
        v, c, s = m.conv("conv1", pool, c, s, p["f1"], 1)
        v = m.epilogue("conv1", v, c, s, bias=p["b1"], relu=True)
        h = layer("gemm", "conv1", [pooled], k=3, s=1, p=1, relu=True)
        v, c, s = m.conv("conv2", v, c, s, p["f2"], 1)
        v = m.epilogue("conv2", v, c, s, bias=p["b2"])
        h = layer("gemm", "conv2", [h], k=3, s=1, p=1, relu=False)
        v = m.add("add", v, pool, c, s, relu=True)
        h = layer("add", "add", [h, pooled], relu=True)
        v = m.mean_sum_pool("avgpool", v, c, s)
        h = layer("avgpool", "avgpool", [h], side=s)
        v = m.matmul("fc", v, c, p["w"], p["bw"])
        layer("matmul", "fc", [h], relu=False)
    else:
        v, c, s = m.conv("conv1", "%x", C0, 6, p["f1"], 1)
        v = m.epilogue("relu1", v, c, s, relu=True)
        h = layer("gemm", "conv1", [0], k=3, s=1, p=1, relu=True)
        v, c, s = m.conv("conv2", v, c, s, p["f2"], 1)
        v = m.epilogue("conv2", v, c, s, bias=p["b2"])
        h = layer("gemm", "conv2", [h], k=3, s=1, p=1, relu=False)
        v = m.add("add", v, "%x", c, s, relu=False)
        v = m.epilogue("relu2", v, c, s, relu=True)
        h = layer("add", "add", [h, 0], relu=True)
        v, s = m.maxpool("pool", v, c, s, 3, 2, 1, "%zero")
        h = layer("maxpool", "pool", [h], k=3, s=2, p=1)
        v = m.mean_reduction("avgpool", v, c, s)
        h = layer("avgpool", "avgpool", [h], side=s)
        v = m.matmul("fc", v, c, p["w"])
        layer("matmul", "fc", [h], relu=False)
    return m.text(x.shape, v), L


def multipliers(attrs):
    import re
    return [int(v) for v in re.search(r"multipliers = array<i64: ([-0-9, ]+)>", attrs).group(1).split(",")]


def requantize_scaled(acc, mults, shift, relu, bits):
    """mlp.requantize of acc times `mults` (a list: already applied)."""
    acc = acc * mults if not isinstance(mults, list) else acc
    return requantize(acc, shift, relu, bits)


def layer_weight(data, name, kernel, settings):
    """A GEMM layer's weight codes [co_padded][k_padded]: stored, or for a
    layer generated on the core regenerated from its generator tensors with
    the ISA's rules (generated.py; SmartDeal codes: smartdeal.py)."""
    if name + "_weight" in data:
        return data[name + "_weight"][0]
    mult_attrs = data[name + "_multiplier"][1]
    if name + "_codes" in data:
        # SmartDeal codes and bases: SHADD's weights (smartdeal.py).
        import smartdeal
        return smartdeal.regenerate(data, name, kernel, int(attr(mult_attrs, "reduction")),
                                    data[name + "_multiplier"][0].shape[0])
    import generated
    generated.ADC_BITS = ADC_BITS
    k_padded = int(attr(mult_attrs, "reduction"))
    co_padded = data[name + "_multiplier"][0].shape[0]
    taps = kernel * kernel
    out_blocks = co_padded // BLOCK_OUT
    if name + "_coeff_v" in data:
        bc_blocks = data[name + "_coeff_v"][0].shape[0] // out_blocks
    else:
        bc_blocks = out_blocks
    bi = 0
    if name + "_basis" in data:
        bi = data[name + "_basis"][0].shape[0] // (taps * bc_blocks)
    return generated.regenerate(data, name, settings.get(name, {}), bi,
                                k_padded, co_padded)


def emulate(data, L, xq, side, t_acc, adc_bits, settings=None):
    """Tensors as NHWC int64 arrays [n][h][w][columns] (or [n][columns])."""
    global ADC_BITS
    ADC_BITS = adc_bits
    settings = settings or {}
    tensors = [xq.reshape(IMAGES, side, side, -1)]
    for index, (kind, name, inputs, o) in enumerate(L):
        last = index + 1 == len(L)
        result = "output" if last else name + "_result"
        bits = 16 if last else IN_BITS
        x = tensors[inputs[0]]
        if kind in ("gemm", "matmul"):
            w = layer_weight(data, name, o.get("k", 1), settings)
            mult, mult_attrs = data[name + "_multiplier"]
            shift = int(attr(mult_attrs, "shift"))
            # The reduction reads each tap's channels up to BLOCK_IN.
            packed = inputs[0] == 0 and "host_row_padding" in data["input"][1]
            if kind == "gemm" and packed:
                # Packed kernel rows (convs.py --stem): chunk dy holds the
                # row's k * C values, then zeros.
                k = o["k"]
                taps, s = im2col(x, k, o["s"], o["p"])
                taps = taps.reshape(taps.shape[0], k, -1)
                patches = np.zeros((taps.shape[0], k, BLOCK_IN), np.int64)
                patches[:, :, :taps.shape[2]] = taps
                patches = patches.reshape(taps.shape[0], -1)
            elif kind == "gemm":
                patches, s = im2col(x[..., :w.shape[1] // o["k"] ** 2], o["k"], o["s"], o["p"])
            else:
                patches, s = x.reshape(IMAGES, -1)[:, :w.shape[1]], None
            # A generated layer's run attributes are on its multiplier.
            attrs = data[name + ("_weight" if name + "_weight" in data
                                 else "_multiplier")][1]
            # A 3x3 SmartDeal layer reduces channel chunk by channel chunk.
            import smartdeal
            order = smartdeal.reduction_order(data, name, w.shape[1])
            patches, w = patches[:, order], w[:, order]
            acc = windowed_gemm(patches, w, t_acc, adc_bits,
                                int(attr(attrs, "segment")),
                                int(attr(attrs, "adc_fs_bits")))
            y = requantize_scaled((acc + data[name + "_bias"][0]) * mult, 1, shift, o["relu"], bits)
            y = y.reshape(IMAGES, s, s, -1) if s else y
        else:
            attrs = data[result][1]
            ms, shift = multipliers(attrs), int(attr(attrs, "shift"))
            if kind == "add":
                acc = x * ms[0] + tensors[inputs[1]] * ms[1]
            elif kind == "maxpool":
                k, s, p = o["k"], o["s"], o["p"]
                n, h, _, cols = x.shape
                out = out_side(h, k, s, p)
                acc = np.full((n, out, out, cols), np.iinfo(np.int64).min)
                for dy in range(k):
                    for dx in range(k):
                        for yo in range(out):
                            for xo in range(out):
                                yi, xi = yo * s + dy - p, xo * s + dx - p
                                if 0 <= yi < h and 0 <= xi < h:
                                    acc[:, yo, xo] = np.maximum(acc[:, yo, xo], x[:, yi, xi])
                acc = acc * ms[0]
            else:  # avgpool
                acc = x.sum(axis=(1, 2)) * ms[0]
            y = requantize_scaled(acc, 1, shift, o.get("relu", False), bits)
        tensors.append(y)
    return tensors[-1]


def float_reference(variant, p, x):
    """The float64 network on NCHW x, as [images][classes]."""
    x = x.astype(np.float64)
    relu = lambda a: np.maximum(a, 0)

    def maxpool(a):
        n, c, h, _ = a.shape
        o = out_side(h, 3, 2, 1)
        ap = np.pad(a, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
        return np.max([ap[:, :, dy:dy + 2 * (o - 1) + 1:2, dx:dx + 2 * (o - 1) + 1:2]
                       for dy in range(3) for dx in range(3)], axis=0)
    if variant == "a":
        zero = np.zeros(C1)
        h = relu(reference_layer(x, p["f0"], zero, 1, 1) * p["g0"][:, None, None] + p["b0"][:, None, None])
        pooled = maxpool(h)
        h = relu(reference_layer(pooled, p["f1"], p["b1"], 1, 1))
        h = reference_layer(h, p["f2"], p["b2"], 1, 1)
        h = relu(h + pooled)
        return h.mean(axis=(2, 3)) @ p["w"] + p["bw"]
    h = relu(reference_layer(x, p["f1"], np.zeros(C0), 1, 1))
    h = relu(reference_layer(h, p["f2"], p["b2"], 1, 1) + x)
    return maxpool(h).mean(axis=(2, 3)) @ p["w"]


def resnet18_bases():
    """ResNet-18's layer names in program order, for programs whose layers
    lost their names (mlg-compress output: layer_0, layer_1, ...)."""
    bases = ["conv1", "maxpool"]
    for stage in range(1, 5):
        for block in range(2):
            bases += [f"layer{stage}_{block}_conv1", f"layer{stage}_{block}_conv2"]
            if stage > 1 and block == 0:
                bases.append(f"layer{stage}_{block}_downsample_0")
            bases.append(f"layer{stage}_{block}_add")
    return bases + ["avgpool", "fc"]


def resnet18_layers(names):
    """The layer list of examples/models/resnet18.py from its layer names."""
    L, block_in = [], None
    anonymous = all(n.rsplit("_", 1)[0] == "layer" for n in names)
    for i, name in enumerate(names):
        base = resnet18_bases()[i] if anonymous else name.rsplit("_", 1)[0]
        if base == "conv1":
            L.append(("gemm", name, [0], dict(k=7, s=2, p=3, relu=True)))
        elif base == "maxpool":
            L.append(("maxpool", name, [i], dict(k=3, s=2, p=1)))
            block_in = i + 1
        elif base.endswith("conv1"):
            stage, block = int(base[5]), int(base[7])
            stride = 2 if stage > 1 and block == 0 else 1
            L.append(("gemm", name, [block_in], dict(k=3, s=stride, p=1, relu=True)))
        elif base.endswith("conv2"):
            L.append(("gemm", name, [i], dict(k=3, s=1, p=1, relu=False)))
            conv2, shortcut = i + 1, block_in
        elif base.endswith("downsample_0"):
            L.append(("gemm", name, [block_in], dict(k=1, s=2, p=0, relu=False)))
            shortcut = i + 1
        elif base.endswith("add"):
            L.append(("add", name, [conv2, shortcut], dict(relu=True)))
            block_in = i + 1
        elif base == "avgpool":
            L.append(("avgpool", name, [i], {}))
        else:
            L.append(("matmul", name, [i], dict(relu=False)))
    return L


def network_layer_names(prog):
    """The program's ptc.layer names of network layers (not the copy of the
    input into the global SRAM, which the emulation does not need)."""
    import re
    return [n for n in re.findall(r'ptc.layer "(\w+)"', open(prog).read())
            if n != "input_staging"]


def check_resnet18(prog, xq_path, y_path, adc_bits):
    import re
    global IMAGES
    IMAGES = 1
    data = program_data(prog)
    names = network_layer_names(prog)
    pad = int(attr(data["input"][1], "host_row_padding"))
    side = 224
    pad = 0
    if "row_padding" in data["input"][1]:
        pad = int(attr(data["input"][1], "row_padding"))
    x = np.load(xq_path).astype(np.int64).reshape(1, side, side + 2 * pad, -1)
    xq = x[:, :, pad:pad + side].reshape(side * side, -1)
    import generated
    settings = generated.layer_settings(prog)
    # The GEMMs' t_acc: the program's first CFG of it (mzi-ws: 1).
    t_acc = int(re.search(r"ptc.cfg t_acc = (\d+)", open(prog).read()).group(1))
    want = emulate(data, resnet18_layers(names), xq, side, t_acc, adc_bits,
                   settings)
    got = np.load(y_path).astype(np.int64)
    print(f"resnet18: {len(names)} layers; output codes equal the emulation: "
          f"{np.array_equal(got, want)}; non-zero: {np.count_nonzero(got)}")


def quantize_resnet18(prog, x_path, xq_path):
    """The float image as the program's input codes: [1][224][224 + 2 pad][C]
    (the packed stem's row padding) or [224 * 224][columns]."""
    data = program_data(prog)
    x = np.load(x_path).astype(np.float64)[0].transpose(1, 2, 0)
    q = np.clip(np.round(x / attr(data["input"][1], "scale")), -8, 7)
    rows, cols = data["input"][0].shape
    side = x.shape[0]
    if "row_padding" in data["input"][1]:
        pad = int(attr(data["input"][1], "row_padding"))
        xq = np.zeros((side, side + 2 * pad, cols))
        xq[:, pad:pad + side, :q.shape[2]] = q
    else:
        xq = np.zeros((side * side, cols))
        xq[:, :q.shape[2]] = q.reshape(side * side, -1)
    np.save(xq_path, xq.reshape(rows, cols).astype(np.float32))


def main():
    if sys.argv[1] == "resnet18":
        check_resnet18(*sys.argv[2:5], int(sys.argv[5]))
        return
    if sys.argv[1] == "resnet18-quantize":
        quantize_resnet18(*sys.argv[2:5])
        return
    mode, out_dir, variant = sys.argv[1:4]
    t_acc = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    adc_bits = int(sys.argv[5]) if len(sys.argv) > 5 else 8
    tol = float(sys.argv[6]) if len(sys.argv) > 6 else None
    p, x = params(variant)
    text, L = build(variant, p, x)
    if mode == "model":
        open(f"{out_dir}/model.mlir", "w").write(text)
        np.save(f"{out_dir}/x.npy", x)
        return
    data = program_data(f"{out_dir}/prog.mlir")
    x_scale = attr(data["input"][1], "scale")
    cols = data["input"][0].shape[1]
    side = x.shape[2]
    xq = np.zeros((IMAGES * side * side, cols), np.int64)
    xq[:, :C0] = np.clip(np.round(to_rows(x) / x_scale), -8, 7)
    if mode == "quantize":
        np.save(f"{out_dir}/xq.npy", xq.astype(np.float32))
        return
    import generated
    import re
    settings = generated.layer_settings(f"{out_dir}/prog.mlir")
    # mlg-compress output has lost the layer names: layer_0, layer_1, ...
    names = network_layer_names(f"{out_dir}/prog.mlir")
    if len(names) == len(L):
        L = [(kind, names[i], inputs, o) for i, (kind, _, inputs, o) in enumerate(L)]
    want = emulate(data, L, xq, side, t_acc, adc_bits, settings)
    got = np.load(f"{out_dir}/y.npy").astype(np.int64)
    if not np.array_equal(got, want):
        print("EMULATION MISMATCH at", np.argwhere(got != want)[:5])
        raise SystemExit(1)
    kinds = " ".join(k for k, *_ in L)
    print(f"residual {variant}: {got.size} codes match the emulation ({kinds}); "
          f"padding columns zero: {not got[:, CLASSES:].any()}")
    ref = float_reference(variant, p, x)
    y = got[:, :CLASSES] * attr(data["output"][1], "scale")
    err = np.abs(y - ref).max() / np.abs(ref).max()
    print(f"max error / max|y| vs float: {err:.3f}")
    if tol is not None:
        print(f"tolerance {tol:g}: {'ok' if err <= tol else 'TOO LARGE'}")
        if err > tol:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
