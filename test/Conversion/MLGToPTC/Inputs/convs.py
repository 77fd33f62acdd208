"""Two k x k convolutions lowered by convert-mlg-to-ptc (im2col), checked.

  Every mode takes --wide, --stem or --odd (anywhere): the variants below.

  convs.py model DIR     writes DIR/model.mlir and DIR/x.npy (NCHW)
  convs.py quantize DIR  reads DIR/prog.mlir; writes DIR/xq.npy, the input
                         codes as NHWC pixel rows, channels padded
  convs.py check DIR [T_ACC ADC_BITS FLIPS]
                         as mlp.py check: bit-exact against an emulation of
                         the integer program (im2col in numpy, tap-major),
                         then (exact ADC) within FLIPS hidden-code steps of
                         a float fake quantization; the float reference is a
                         direct NCHW convolution loop.

conv1: 3x3, stride 1, padding 1, 40 -> 60 channels, bias, ReLU;
conv2: 3x3, stride 2, padding 1, 60 -> 10 channels, then per channel
x * scale + shift (a folded BatchNorm: the pass folds the scale into the
weights and the bias; conv1's epilogue has the same form, scale 1); on 2
images of
5 x 5 pixels (tiles of 5 pixels per output row: left/right padding rows in
the loads, zero rows for taps above/below the image).

--wide: conv1 reduces over 3 x 3 x 160 channels (63 chunks of BLOCK_IN,
more than the 56 inp rows of a double-buffered dptc-hbm tile: two
segments, one GEMM run each, accumulating in the tile's acc row) on 2
images of 14 x 14 pixels (56 tiles: three groups of live acc rows, the
block's weights resident across them).

--odd: one image, conv1 on 20 channels (24 stored columns): the input, 25 x
24 = 600 codes, is copied into the global SRAM in a tile of 12 x 48 codes
and a remainder of 24 codes.

--stem: conv1 is 7 x 7 stride 2 padding 3 on 3 channels (a ResNet stem),
3 -> 16, on 2 images of 16 x 16; conv2 3 x 3 stride 2, 16 -> 10. The pass
packs conv1's kernel rows: the input is stored unpadded with 3 zero pixels
left and right of each row ([2 * 16 * 22][3]), and each reduction chunk
is one kernel row (7 pixels x 3 channels contiguous, then 3 zeros): 7
chunks instead of 49.
"""
import re
import sys

import numpy as np

from mlp import attr, lit, program_data, requantize, windowed_gemm, BLOCK_IN, IN_BITS, W_BITS

WIDE, STEM, ODD = "--wide" in sys.argv, "--stem" in sys.argv, "--odd" in sys.argv
sys.argv = [a for a in sys.argv if a not in ("--wide", "--stem", "--odd")]
IMAGES, C0, C1, C2, SIDE = ((2, 160, 60, 10, 14) if WIDE else (2, 3, 16, 10, 16) if STEM
                            else (1, 20, 60, 10, 5) if ODD else (2, 40, 60, 10, 5))
LAYERS = ((7 if STEM else 3, 2 if STEM else 1, 3 if STEM else 1, True, IN_BITS),
          (3, 2, 1, False, 16))  # k, s, p, relu, bits
K1, S1, P1 = LAYERS[0][:3]


def out_side(side, k, s, p):
    return (side + 2 * p - k) // s + 1


def params():
    rng = np.random.default_rng(11)
    f1 = (rng.standard_normal((C1, C0, K1, K1)) / np.sqrt(K1 * K1 * C0)).astype(np.float32)
    b1 = (0.1 * rng.standard_normal(C1)).astype(np.float32)
    f2 = (rng.standard_normal((C2, C1, 3, 3)) / np.sqrt(9 * C1)).astype(np.float32)
    b2 = (0.1 * rng.standard_normal(C2)).astype(np.float32)
    x = rng.standard_normal((IMAGES, C0, SIDE, SIDE)).astype(np.float32)
    g2 = rng.uniform(-2, 2, C2).astype(np.float32)
    return (f1, b1, f2, b2, g2), x


def scale_bias_epilogue(i, result_type, channels, bias, relu, loc):
    """The lines of `%y<i>`: a per-channel scale `%g<i>` (a folded BatchNorm)
    and `bias` applied to the NCHW convolution result `%m<i>` into `%e<i>`,
    then an optional ReLU (the epilogue the PTC lowering folds into a GEMM
    layer)."""
    c = f"tensor<{channels}xf32>"
    lines = [
        f"  %y{i} = linalg.generic {{indexing_maps = [#nchw, #c, #c, #nchw], iterator_types = "
        f"[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]}} ins(%m{i}, %g{i}, {bias} : "
        f"{result_type}, {c}, {c}) outs(%e{i} : {result_type}) {{",
        "  ^bb0(%in: f32, %scale: f32, %bias: f32, %out: f32):",
        "    %n = arith.mulf %in, %scale : f32",
        "    %s = arith.addf %n, %bias : f32"]
    lines += (["    %r = arith.maximumf %s, %zero : f32", "    linalg.yield %r : f32"]
              if relu else ["    linalg.yield %s : f32"])
    return lines + [f"  }} -> {result_type} loc(\"{loc}\")"]


def model_text(f1, b1, f2, b2, g2):
    s1 = out_side(SIDE, K1, S1, P1)
    s2 = out_side(s1, 3, 2, 1)
    t = lambda c, side: f"tensor<{IMAGES}x{c}x{side}x{side}xf32>"
    lines = ["#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>",
             "#c = affine_map<(d0, d1, d2, d3) -> (d1)>",
             f"func.func @convs(%x: {t(C0, SIDE)}) -> {t(C2, s2)} {{",
             "  %zero = arith.constant 0.0 : f32"]
    value, side, channels = "%x", SIDE, C0
    scales = (np.ones(C1, np.float32), g2)
    for i, ((k, s, p, relu, _), f, b, g) in enumerate(zip(LAYERS, (f1, f2), (b1, b2), scales)):
        co = f.shape[0]
        o = out_side(side, k, s, p)
        lines += [
            f"  %w{i} = arith.constant dense<{lit(f)}> : tensor<{co}x{channels}x{k}x{k}xf32>",
            f"  %b{i} = arith.constant dense<{lit(b)}> : tensor<{co}xf32>",
            f"  %g{i} = arith.constant dense<{lit(g)}> : tensor<{co}xf32>",
            f"  %p{i} = tensor.pad {value} low[0, 0, {p}, {p}] high[0, 0, {p}, {p}] {{",
            "  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):",
            "    tensor.yield %zero : f32",
            f"  }} : {t(channels, side)} to {t(channels, side + 2 * p)}",
            f"  %e{i} = tensor.empty() : {t(co, o)}",
            f"  %f{i} = linalg.fill ins(%zero : f32) outs(%e{i} : {t(co, o)}) -> {t(co, o)}",
            f"  %m{i} = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, "
            f"strides = dense<{s}> : tensor<2xi64>}} ins(%p{i}, %w{i} : {t(channels, side + 2 * p)}, "
            f"tensor<{co}x{channels}x{k}x{k}xf32>) outs(%f{i} : {t(co, o)}) -> {t(co, o)} loc(\"conv{i + 1}\")"]
        lines += scale_bias_epilogue(i, t(co, o), co, f"%b{i}", relu, f"conv{i + 1}")
        value, side, channels = f"%y{i}", o, co
    lines += [f"  return {value} : {t(channels, side)}", "}"]
    return "\n".join(lines) + "\n"


def im2col(x, k, s, p):
    """NHWC [n][h][w][c] -> [n * ho * wo][k * k * c], tap-major."""
    n, h, w, c = x.shape
    o = out_side(h, k, s, p)
    padded = np.zeros((n, h + 2 * p, w + 2 * p, c), x.dtype)
    padded[:, p:p + h, p:p + w] = x
    taps = [padded[:, dy:dy + s * (o - 1) + 1:s, dx:dx + s * (o - 1) + 1:s]
            for dy in range(k) for dx in range(k)]
    return np.concatenate(taps, axis=3).reshape(n * o * o, k * k * c), o


def reference(x, f1, b1, f2, b2, g2):
    """Direct NCHW convolutions in float64 (no im2col)."""
    h = np.maximum(reference_layer(x.astype(np.float64), f1, b1, S1, P1), 0)
    zero = np.zeros_like(b2)
    return reference_layer(h, f2, zero, 2, 1) * g2[:, None, None] + b2[:, None, None]


def to_rows(x):
    return x.transpose(0, 2, 3, 1).reshape(-1, x.shape[1])


def main():
    mode, out_dir = sys.argv[1:3]
    t_acc = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    adc_bits = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    flips = float(sys.argv[5]) if len(sys.argv) > 5 else None
    (f1, b1, f2, b2, g2), x = params()
    if mode == "model":
        open(f"{out_dir}/model.mlir", "w").write(model_text(f1, b1, f2, b2, g2))
        np.save(f"{out_dir}/x.npy", x)
        return
    data = program_data(f"{out_dir}/prog.mlir")
    x_scale = attr(data["input"][1], "scale")
    cols = data["input"][0].shape[1]
    xq = np.zeros((IMAGES * SIDE * SIDE, cols), np.int64)
    xq[:, :C0] = np.clip(np.round(to_rows(x) / x_scale), -8, 7)
    # Packed kernel rows: the host stores each image row with `host_row_padding`
    # zero pixels left and right, channels unpadded.
    packed = "host_row_padding" in data["input"][1]
    if mode == "quantize":
        host = xq
        if packed:
            pad = int(attr(data["input"][1], "host_row_padding"))
            host = np.pad(xq.reshape(IMAGES, SIDE, SIDE, cols),
                          ((0, 0), (0, 0), (pad, pad), (0, 0))).reshape(-1, cols)
        np.save(f"{out_dir}/xq.npy", host.astype(np.float32))
        return
    # Emulation of the integer program.
    act, side = xq.reshape(IMAGES, SIDE, SIDE, cols), SIDE
    for index, (k, s, p, relu, bits) in enumerate(LAYERS):
        name = f"conv{index + 1}_{index}"
        w = data[name + "_weight"][0]
        mult, mult_attrs = data[name + "_multiplier"]
        shift = int(attr(mult_attrs, "shift"))
        if packed and index == 0:
            # Chunk dy: the kernel row's k * C values (tap-major, dx then
            # c) and BLOCK_IN - k * C zeros.
            taps, side = im2col(act, k, s, p)
            taps = taps.reshape(taps.shape[0], k, k * cols)
            patches = np.zeros((taps.shape[0], k, BLOCK_IN), np.int64)
            patches[:, :, :k * cols] = taps
            patches = patches.reshape(taps.shape[0], k * BLOCK_IN)
        else:
            # The reduction reads each tap's channels to BLOCK_IN (K' =
            # taps x that), not all the stored columns.
            patches, side = im2col(act[..., :w.shape[1] // (k * k)], k, s, p)
        # ADC windows of t_acc chunks, restarting at every segment (GEMM).
        segment = int(attr(data[name + "_weight"][1], "segment"))
        full_scale = int(attr(data[name + "_weight"][1], "adc_fs_bits"))
        acc = windowed_gemm(patches, w, t_acc, adc_bits, segment, full_scale)
        act = requantize((acc + data[name + "_bias"][0]) * mult, shift, relu,
                         bits).reshape(IMAGES, side, side, -1)
    want = act.reshape(IMAGES * side * side, -1)
    got = np.load(f"{out_dir}/y.npy").astype(np.int64)
    if not np.array_equal(got, want):
        print("EMULATION MISMATCH at", np.argwhere(got != want)[:5])
        raise SystemExit(1)
    ref = to_rows(reference(x, f1, b1, f2, b2, g2))
    y = got[:, :C2] * attr(data["output"][1], "scale")

    # Float W4A4 fake quantization with the documented scale rules.
    def quant(a, scale):
        return np.clip(np.round(a / scale), -8, 7) * scale

    def quant_filter(f):
        scale = np.abs(f).reshape(f.shape[0], -1).max(1) / 7
        return quant(f, scale[:, None, None, None])
    x64 = x.astype(np.float64)
    h_float = np.maximum(reference_layer(x64, f1, b1, S1, P1), 0)
    h_fake = np.maximum(reference_layer(quant(x64, np.abs(x64).max() / 7),
                                        quant_filter(f1), b1, S1, P1), 0)
    h_step = h_float.max() / 7
    # The folded weight f2 * g2 is what gets quantized.
    folded = f2 * g2[:, None, None, None]
    fake = to_rows(reference_layer(quant(h_fake, h_step), quant_filter(folded), b2, 2, 1))
    err = np.abs(y - ref).max() / np.abs(ref).max()
    print(f"convs: {got.size} codes match the emulation; padding columns zero: "
          f"{not got[:, C2:].any()}")
    print(f"max error / max|y|: vs float {err:.3f}")
    if flips is not None:
        worst = np.abs(y - fake).max() / (h_step * np.abs(folded).max())
        print(f"vs fake quantization: {worst:.2f} hidden-code flips (tolerance "
              f"{flips:g}): {'ok' if worst <= flips else 'TOO LARGE'}")
        if worst > flips:
            raise SystemExit(1)


def reference_layer(x, f, b, s, p):
    """One NCHW convolution as a sum over taps of shifted windows."""
    n, _, h, _ = x.shape
    k = f.shape[2]
    o = out_side(h, k, s, p)
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    y = np.zeros((n, f.shape[0], o, o))
    for dy in range(k):
        for dx in range(k):
            window = xp[:, :, dy:dy + s * (o - 1) + 1:s, dx:dx + s * (o - 1) + 1:s]
            y += np.einsum("nchw,oc->nohw", window, f[:, :, dy, dx])
    return y + b[:, None, None]


if __name__ == "__main__":
    main()
