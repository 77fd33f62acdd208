"""SmartDeal layers lowered by convert-mlg-to-ptc onto SHADD, checked.

  smartdeal.py model DIR      writes DIR/model.mlir (dense float weights, for
                              mlg-decompose family=smartdeal) and DIR/x.npy
  smartdeal.py quantize DIR   writes DIR/xq.npy (input codes, host layout)
  smartdeal.py check DIR [ADC_BITS [TOL]]
                              checks DIR/y.npy (ADC_BITS: the model's ADC):
    (1) bit-exact against a numpy emulation that regenerates every weight
        from the codes and basis codes stored in the program, by SHADD's
        rule (docs/isa.md: sum_j pow2(c_j) * b_j, rounding right shift by
        the output block's shift, saturation to w_bits), with the mapping
        of docs/ptc-lowering.md "SmartDeal weights" (3x3: the codes of row
        (ci, kh) of channel o's block, the basis column kw; 1x1: rows of 3
        along K), then the GEMMs, ADC windows and ALU requantization; a
        layer the lowering left dense uses its stored weight codes;
    (2) the dequantized output against the float network of the original
        dense weights (SmartDeal's approximation included): max error /
        max|y| printed, and at most TOL when given.

--fc (anywhere): two linear layers instead, on 20 rows: fc1 200 -> 70, bias,
ReLU (rows of 3 in two blocks of 34 rows; a partial second output block of
22 channels), fc2 70 -> 10 (one block of 24 rows), each a linalg.matmul of
the transposed, cropped SmartDeal weight.

The network, on 2 NCHW images of 5 x 5: sd1 1x1, 200 -> 64, bias, ReLU
(rows of 3 in two blocks of 34 rows: a block boundary inside a K chunk);
sd2 3x3 pad 1, 64 -> 80, per-channel scale and bias, ReLU (one block of 64
channels per output channel); sd3 3x3 stride 2 pad 1, 80 -> 10, bias (two
blocks of 40 channels: a group boundary inside a K chunk).
"""
import sys

import numpy as np

from mlp import adc, attr, check_emulated_output, lit, program_data, requantize, windowed_gemm, BLOCK_IN, BLOCK_OUT, \
    IN_BITS, W_BITS
from convs import im2col, out_side, reference_layer, scale_bias_epilogue, to_rows

FC = "--fc" in sys.argv
sys.argv = [a for a in sys.argv if a != "--fc"]
ADC_BITS = 8
IMAGES, SIDE = 2, 5
ROWS = 20
# (name, in, out, relu)
FC_LAYERS = (("fc1", 200, 70, True), ("fc2", 70, 10, False))
OUTPUT_SCALE = [0.0]  # the program's output scale, read by main
# (name, kernel, stride, pad, ci, co, relu, scale)
LAYERS = (("sd1", 1, 1, 0, 200, 64, True, False),
          ("sd2", 3, 1, 1, 64, 80, True, True),
          ("sd3", 3, 2, 1, 80, 10, False, False))


def params():
    rng = np.random.default_rng(5)
    layers = []
    for _, k, _, _, ci, co, _, scale in LAYERS:
        f = rng.normal(0, 1 / np.sqrt(ci * k * k), (co, ci, k, k))
        b = rng.normal(0, 0.05, co)
        g = rng.uniform(0.5, 1.5, co) if scale else np.ones(co)
        layers.append((f, b, g))
    x = rng.uniform(-1, 1, (IMAGES, LAYERS[0][4], SIDE, SIDE)).astype(np.float32)
    return layers, x


def model_text(layers):
    t = lambda c, side: f"tensor<{IMAGES}x{c}x{side}x{side}xf32>"
    lines = ["#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>",
             "#c = affine_map<(d0, d1, d2, d3) -> (d1)>"]
    sides = [SIDE]
    for _, k, s, p, *_ in LAYERS:
        sides.append(out_side(sides[-1], k, s, p))
    lines += [f"func.func @sd(%x: {t(LAYERS[0][4], SIDE)}) -> {t(LAYERS[-1][5], sides[-1])} {{",
              "  %zero = arith.constant 0.0 : f32"]
    value = "%x"
    for i, ((name, k, s, p, ci, co, relu, _), (f, b, g)) in enumerate(zip(LAYERS, layers)):
        side, o = sides[i], sides[i + 1]
        lines.append(f"  %w{i} = arith.constant dense<{lit(f)}> : tensor<{co}x{ci}x{k}x{k}xf32>")
        src = value
        if p:
            lines += [
                f"  %p{i} = tensor.pad {value} low[0, 0, {p}, {p}] high[0, 0, {p}, {p}] {{",
                "  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):",
                "    tensor.yield %zero : f32",
                f"  }} : {t(ci, side)} to {t(ci, side + 2 * p)}"]
            src = f"%p{i}"
        lines += [
            f"  %e{i} = tensor.empty() : {t(co, o)}",
            f"  %f{i} = linalg.fill ins(%zero : f32) outs(%e{i} : {t(co, o)}) -> {t(co, o)}",
            f"  %m{i} = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, "
            f"strides = dense<{s}> : tensor<2xi64>}} ins({src}, %w{i} : {t(ci, side + 2 * p)}, "
            f"tensor<{co}x{ci}x{k}x{k}xf32>) outs(%f{i} : {t(co, o)}) -> {t(co, o)} loc(\"{name}\")",
            f"  %bias{i} = arith.constant dense<{lit(b)}> : tensor<{co}xf32>",
            f"  %g{i} = arith.constant dense<{lit(g)}> : tensor<{co}xf32>"]
        lines += scale_bias_epilogue(i, t(co, o), co, f"%bias{i}", relu, name)
        value = f"%y{i}"
    lines += [f"  return {value} : {t(LAYERS[-1][5], sides[-1])}", "}"]
    return "\n".join(lines) + "\n"


def fc_params():
    rng = np.random.default_rng(7)
    layers = [(rng.normal(0, 1 / np.sqrt(k), (k, n)), rng.normal(0, 0.05, n))
              for _, k, n, _ in FC_LAYERS]
    return layers, rng.uniform(-1, 1, (ROWS, FC_LAYERS[0][1])).astype(np.float32)


def fc_model_text(layers):
    t = lambda n: f"tensor<{ROWS}x{n}xf32>"
    lines = ["#row = affine_map<(d0, d1) -> (d0, d1)>",
             "#col = affine_map<(d0, d1) -> (d1)>",
             f"func.func @fc(%x: {t(FC_LAYERS[0][1])}) -> {t(FC_LAYERS[-1][2])} {{",
             "  %zero = arith.constant 0.0 : f32"]
    value = "%x"
    for i, ((name, k, n, relu), (w, b)) in enumerate(zip(FC_LAYERS, layers)):
        lines += [
            f"  %w{i} = arith.constant dense<{lit(w)}> : tensor<{k}x{n}xf32>",
            f"  %e{i} = tensor.empty() : {t(n)}",
            f"  %f{i} = linalg.fill ins(%zero : f32) outs(%e{i} : {t(n)}) -> {t(n)}",
            f"  %m{i} = linalg.matmul ins({value}, %w{i} : {t(k)}, tensor<{k}x{n}xf32>) "
            f"outs(%f{i} : {t(n)}) -> {t(n)} loc(\"{name}\")",
            f"  %b{i} = arith.constant dense<{lit(b)}> : tensor<{n}xf32>",
            f"  %y{i} = linalg.generic {{indexing_maps = [#row, #col, #row], iterator_types = "
            f"[\"parallel\", \"parallel\"]}} ins(%m{i}, %b{i} : {t(n)}, tensor<{n}xf32>) "
            f"outs(%e{i} : {t(n)}) {{",
            "  ^bb0(%in: f32, %bias: f32, %out: f32):",
            "    %v = arith.addf %in, %bias : f32"]
        lines += (["    %r = arith.maximumf %v, %zero : f32", "    linalg.yield %r : f32"]
                  if relu else ["    linalg.yield %v : f32"])
        lines.append(f"  }} -> {t(n)} loc(\"{name}\")")
        value = f"%y{i}"
    lines += [f"  return {value} : {t(FC_LAYERS[-1][2])}", "}"]
    return "\n".join(lines) + "\n"


def check_fc(data, xq, layers, x):
    """The fc network's codes as the program computes them, and the float
    reference."""
    t_acc, act, ref = 3, xq, x.astype(np.float64)
    generated = 0
    for i, ((name, k, n, relu), (w_float, b)) in enumerate(zip(FC_LAYERS, layers)):
        name = f"{name}_{i}"
        mult, mult_attrs = data[name + "_multiplier"]
        generated += name + "_codes" in data
        attrs = data[name + "_weight"][1] if name + "_weight" in data else mult_attrs
        k_padded = (data[name + "_weight"][0].shape[1] if name + "_weight" in data
                    else int(attr(mult_attrs, "reduction")))
        w = regenerate(data, name, 1, k_padded, mult.shape[0])
        acc = windowed_gemm(act[:, :k_padded], w, t_acc, ADC_BITS, int(attr(attrs, "segment")),
                            int(attr(attrs, "adc_fs_bits")))
        last = i == len(FC_LAYERS) - 1
        act = requantize((acc + data[name + "_bias"][0]) * mult, int(attr(mult_attrs, "shift")),
                         relu, 16 if last else IN_BITS)
        ref = ref @ w_float + b
        if relu:
            ref = np.maximum(ref, 0)
    return act, ref, generated


def sat(v, bits):
    return np.clip(v, -(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def shadd(codes, basis, shift):
    """SHADD's weights from [..., rank] codes and basis values (docs/isa.md),
    shifted right by `shift` (an array broadcasting to the weights) with
    rounding."""
    mag = np.abs(codes)
    terms = np.where(codes == 0, 0, np.sign(codes) * (basis << np.maximum(mag - 1, 0)))
    total = terms.sum(axis=-1)
    rounding = np.where(shift > 0, np.left_shift(1, np.maximum(shift - 1, 0)), 0)
    return sat((total + rounding) >> shift, W_BITS)


def regenerate(data, name, kernel, k_padded, co_padded):
    """The layer's weights [co_padded][k_padded] as SHADD writes them, from
    the program's codes and basis codes (or its stored dense codes)."""
    if name + "_weight" in data:
        return data[name + "_weight"][0]
    codes, attrs = data[name + "_codes"]
    shifts = np.array([int(v) for v in
                       attrs.split("shifts = array<i64: ")[1].split(">")[0].split(",")])
    rows = int(attr(attrs, "block_rows"))
    basis = data[name + "_basis"][0]  # [o][block * 9]
    splits = basis.shape[1] // 9
    units = codes.shape[0] // co_padded  # per output block: units x BLOCK_OUT rows
    codes = codes.reshape(co_padded // BLOCK_OUT, units, BLOCK_OUT, -1)
    o = np.arange(co_padded)[:, None, None]
    ob, ol = o // BLOCK_OUT, o % BLOCK_OUT
    k = np.arange(k_padded)[None, :, None]
    j = np.arange(3)[None, None, :]
    if kernel == 3:
        # Units [channel chunk][kernel row], codes [ci][j]; the basis
        # transposed, [kw][j].
        tap_cols = k_padded // 9
        tap, c = k // tap_cols, k % tap_cols
        kh, kw = tap // 3, tap % 3
        cc, cl = c // BLOCK_IN, c % BLOCK_IN
        row = codes[ob, cc * 3 + kh, ol, cl * 3 + j]
        block = np.minimum(c // (rows // 3), splits - 1)
        column = basis[o, block * 9 + kw * 3 + j]
    else:
        # Units are K chunks of rows of 3, codes [row][j]; the basis [j][col].
        kc, e = k // BLOCK_IN, k % BLOCK_IN
        row = codes[ob, kc, ol, e - e % 3 + j]
        block = np.minimum(k // 3 // rows, splits - 1)
        column = basis[o, block * 9 + j * 3 + k % 3]
    return shadd(row, column, shifts[ob[:, :, 0]])


def reduction_order(data, name, k_padded):
    """The K columns in the order the program reduces them: a 3x3 SmartDeal
    layer runs channel chunk by channel chunk, each chunk's 9 taps together
    (its ADC windows are t_acc consecutive chunks of that order)."""
    columns = np.arange(k_padded)
    codes = data.get(name + "_codes")
    if codes is None or "channel_chunk_major" not in codes[1]:
        return columns
    cc_count = k_padded // (9 * BLOCK_IN)
    chunks = [tap * cc_count + cc for cc in range(cc_count) for tap in range(9)]
    return np.concatenate([columns[c * BLOCK_IN:(c + 1) * BLOCK_IN] for c in chunks])


def main():
    global ADC_BITS
    mode, out_dir = sys.argv[1:3]
    if len(sys.argv) > 3:
        ADC_BITS = int(sys.argv[3])
    tol = float(sys.argv[4]) if len(sys.argv) > 4 else None
    t_acc = 3
    layers, x = fc_params() if FC else params()
    if mode == "model":
        open(f"{out_dir}/model.mlir", "w").write(fc_model_text(layers) if FC
                                                 else model_text(layers))
        np.save(f"{out_dir}/x.npy", x)
        return
    prog = f"{out_dir}/prog.mlir"
    data = program_data(prog)
    x_scale = attr(data["input"][1], "scale")
    OUTPUT_SCALE[0] = attr(data["output"][1], "scale")
    cols = data["input"][0].shape[1]
    x_rows = x if FC else to_rows(x)
    xq = np.zeros((x_rows.shape[0], cols), np.int64)
    xq[:, :x_rows.shape[1]] = np.clip(np.round(x_rows / x_scale), -8, 7)
    if mode == "quantize":
        np.save(f"{out_dir}/xq.npy", xq.astype(np.float32))
        return
    got = np.load(f"{out_dir}/y.npy").astype(np.int64)
    if FC:
        want, ref, generated = check_fc(data, xq, layers, x)
        report(got, want, ref, generated, FC_LAYERS[-1][2], tol)
        return
    act, side = xq.reshape(IMAGES, SIDE, SIDE, cols), SIDE
    ref = x.astype(np.float64)
    generated = 0
    for i, ((name, k, s, p, ci, co, relu, _), (f, b, g)) in enumerate(zip(LAYERS, layers)):
        name = f"{name}_{i}"
        last = i == len(LAYERS) - 1
        tap_cols = -(-ci // BLOCK_IN) * BLOCK_IN
        patches, side = im2col(act[..., :tap_cols], k, s, p)
        mult, mult_attrs = data[name + "_multiplier"]
        generated += name + "_codes" in data
        w = regenerate(data, name, k, patches.shape[1], mult.shape[0])
        weight_attrs = data[name + "_weight"][1] if name + "_weight" in data else mult_attrs
        segment = int(attr(weight_attrs, "segment"))
        fs = int(attr(weight_attrs, "adc_fs_bits"))
        order = reduction_order(data, name, patches.shape[1])
        acc = windowed_gemm(patches[:, order], w[:, order], t_acc, ADC_BITS, segment, fs)
        act = requantize((acc + data[name + "_bias"][0]) * mult, int(attr(mult_attrs, "shift")),
                         relu, 16 if last else IN_BITS)
        act = act.reshape(IMAGES, side, side, -1)
        ref = reference_layer(ref, f, np.zeros(co), s, p) * g[:, None, None] + b[:, None, None]
        if relu:
            ref = np.maximum(ref, 0)
    report(got, act.reshape(got.shape[0], -1), to_rows(ref), generated, LAYERS[-1][5], tol)


def report(got, want, ref, generated, n_out, tol):
    """Bit-exactness against the emulation, then the error against the float
    network."""
    check_emulated_output(got, want, ref, n_out, OUTPUT_SCALE[0],
                          f"smartdeal: {got.size} codes match the emulation "
                          f"({generated} layers by SHADD)", "float network", tol)


if __name__ == "__main__":
    main()
