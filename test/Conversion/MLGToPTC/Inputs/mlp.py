"""A two-layer MLP lowered by convert-mlg-to-ptc, run on ptc-sim, checked.

  mlp.py model DIR V     writes DIR/model.mlir (linalg on tensors), DIR/x.npy
  mlp.py quantize DIR V  reads DIR/prog.mlir; writes DIR/xq.npy, the input
                         codes in the program's host layout ([rows][K padded
                         to BLOCK_IN])
  mlp.py check DIR V [T_ACC ADC_BITS FLIPS]
                         compares DIR/y.npy (output codes) with
                       (1) a numpy emulation of the program's integer
                           arithmetic from its constants (tiles, ADC windows,
                           requantization): must match exactly;
                       (2) the float64 network: max error at most TOL of
                           max |y| (see TOLERANCE below).

V = dense: linalg.matmul layers on x [20][40]; V = conv: the same weights as
1x1 linalg.conv_2d_nchw_fchw layers on x [5][40][2][2] (NCHW; the program's
rows are the 20 pixels in NHWC order) and a numpy convolution as reference.

Shapes exercise padding: M = 20 rows (two batch tiles, the second 8 rows),
K = 40 (two BLOCK_IN chunks, the second half zero), hidden 60 (two output
blocks), 10 outputs.
"""
import json
import re
import sys

import numpy as np

M, K, H, N = 20, 40, 60, 10
BATCH, BLOCK_IN, BLOCK_OUT = 12, 24, 48
IN_BITS = W_BITS = 4
# TOLERANCE: 4-bit symmetric codes round each weight and activation by up to
# half a step (1/14 of the channel's or tensor's range); over a 40- or
# 60-term dot product of mixed-sign terms these errors partly cancel, and the
# ADC (8 bits over a 14-bit full scale with T_acc = 3) adds up to 32
# product units per window. A max error of 1/4 of the output range is what
# such an int4 network is expected to meet; the measured value is printed.
TOL = 0.25


IMAGES, SIDE = 5, 2  # conv variant: 5 images of 2 x 2 pixels = 20 rows


def lit(a):
    return json.dumps(a.astype(float).tolist())


def conv_text(w1, b1, w2, b2):
    t = lambda c: f"tensor<{IMAGES}x{c}x{SIDE}x{SIDE}xf32>"
    conv = ("linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, "
            "strides = dense<1> : tensor<2xi64>}}")
    return f"""#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @convs(%x: {t(K)}) -> {t(N)} {{
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<{lit(w1.T[:, :, None, None])}> : tensor<{H}x{K}x1x1xf32>
  %b1 = arith.constant dense<{lit(b1)}> : tensor<{H}xf32>
  %w2 = arith.constant dense<{lit(w2.T[:, :, None, None])}> : tensor<{N}x{H}x1x1xf32>
  %b2 = arith.constant dense<{lit(b2)}> : tensor<{N}xf32>
  %e1 = tensor.empty() : {t(H)}
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : {t(H)}) -> {t(H)}
  %m1 = {conv.format()} ins(%x, %w1 : {t(K)}, tensor<{H}x{K}x1x1xf32>) outs(%f1 : {t(H)}) -> {t(H)} loc("conv1")
  %h1 = linalg.generic {{indexing_maps = [#nchw, #c, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}} ins(%m1, %b1 : {t(H)}, tensor<{H}xf32>) outs(%e1 : {t(H)}) {{
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> {t(H)} loc("conv1")
  %e2 = tensor.empty() : {t(N)}
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : {t(N)}) -> {t(N)}
  %m2 = {conv.format()} ins(%h1, %w2 : {t(H)}, tensor<{N}x{H}x1x1xf32>) outs(%f2 : {t(N)}) -> {t(N)} loc("conv2")
  %y = linalg.generic {{indexing_maps = [#nchw, #c, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}} ins(%m2, %b2 : {t(N)}, tensor<{N}xf32>) outs(%e2 : {t(N)}) {{
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    linalg.yield %s : f32
  }} -> {t(N)} loc("conv2")
  return %y : {t(N)}
}}
"""


def model_text(rng, variant):
    w1 = (rng.standard_normal((K, H)) / np.sqrt(K)).astype(np.float32)
    b1 = (0.1 * rng.standard_normal(H)).astype(np.float32)
    w2 = (rng.standard_normal((H, N)) / np.sqrt(H)).astype(np.float32)
    b2 = (0.1 * rng.standard_normal(N)).astype(np.float32)
    if variant == "conv":
        return conv_text(w1, b1, w2, b2), (w1, b1, w2, b2)
    return f"""#nc = affine_map<(d0, d1) -> (d0, d1)>
#c = affine_map<(d0, d1) -> (d1)>
func.func @mlp(%x: tensor<{M}x{K}xf32>) -> tensor<{M}x{N}xf32> {{
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<{lit(w1)}> : tensor<{K}x{H}xf32>
  %b1 = arith.constant dense<{lit(b1)}> : tensor<{H}xf32>
  %w2 = arith.constant dense<{lit(w2)}> : tensor<{H}x{N}xf32>
  %b2 = arith.constant dense<{lit(b2)}> : tensor<{N}xf32>
  %e1 = tensor.empty() : tensor<{M}x{H}xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<{M}x{H}xf32>) -> tensor<{M}x{H}xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<{M}x{K}xf32>, tensor<{K}x{H}xf32>) outs(%f1 : tensor<{M}x{H}xf32>) -> tensor<{M}x{H}xf32> loc("fc1")
  %h1 = linalg.generic {{indexing_maps = [#nc, #c, #nc], iterator_types = ["parallel", "parallel"]}} ins(%m1, %b1 : tensor<{M}x{H}xf32>, tensor<{H}xf32>) outs(%e1 : tensor<{M}x{H}xf32>) {{
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> tensor<{M}x{H}xf32> loc("fc1")
  %e2 = tensor.empty() : tensor<{M}x{N}xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<{M}x{N}xf32>) -> tensor<{M}x{N}xf32>
  %m2 = linalg.matmul ins(%h1, %w2 : tensor<{M}x{H}xf32>, tensor<{H}x{N}xf32>) outs(%f2 : tensor<{M}x{N}xf32>) -> tensor<{M}x{N}xf32> loc("fc2")
  %y = linalg.generic {{indexing_maps = [#nc, #c, #nc], iterator_types = ["parallel", "parallel"]}} ins(%m2, %b2 : tensor<{M}x{N}xf32>, tensor<{N}xf32>) outs(%e2 : tensor<{M}x{N}xf32>) {{
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    linalg.yield %s : f32
  }} -> tensor<{M}x{N}xf32> loc("fc2")
  return %y : tensor<{M}x{N}xf32>
}}
""", (w1, b1, w2, b2)


def network(variant):
    """Model text, weights, the input as given to the model and as rows."""
    rng = np.random.default_rng(7)
    text, params = model_text(rng, variant)
    if variant == "conv":
        x = rng.standard_normal((IMAGES, K, SIDE, SIDE)).astype(np.float32)
        return text, params, x, x.transpose(0, 2, 3, 1).reshape(M, K)
    x = rng.standard_normal((M, K)).astype(np.float32)
    return text, params, x, x


def float_reference(variant, x, w1, b1, w2, b2):
    """The unquantized network on the model's input, as [rows][N]."""
    x = x.astype(np.float64)
    if variant == "conv":
        h = np.maximum(np.einsum("nchw,co->nohw", x, w1) + b1[:, None, None], 0)
        y = np.einsum("nchw,co->nohw", h, w2) + b2[:, None, None]
        return y.transpose(0, 2, 3, 1).reshape(M, N)
    return np.maximum(x @ w1 + b1, 0) @ w2 + b2


def program_data(path):
    """name -> (values as int64 array, attributes text) of every ptc.data."""
    data = {}
    pattern = re.compile(r'ptc\.data @(\w+) offset \d+ = dense<(.*?)> : '
                         r'tensor<([0-9x]+)xi\d+>(.*)')
    for line in open(path):
        match = pattern.search(line)
        if not match:
            continue
        name, literal, shape, attrs = match.groups()
        shape = [int(d) for d in shape.split("x")]
        values = np.array(json.loads(literal), dtype=np.int64)
        data[name] = (np.broadcast_to(values, shape).copy(), attrs)
    return data


def attr(attrs, key):
    return float(re.search(key + r" = ([-0-9.eE+]+)", attrs).group(1))


def adc(x, t_acc, adc_bits, full_scale=0):
    """The ADC of docs/ptc-sim.md §1.7; full_scale: CFG adc_fs_bits (0: the
    worst case of the operand widths)."""
    if not full_scale:
        full_scale = IN_BITS + W_BITS - 1 + int(np.ceil(np.log2(t_acc * BLOCK_IN)))
    shift = max(0, full_scale - adc_bits)
    code = (x + ((1 << shift) >> 1)) >> shift
    return np.clip(code, -(1 << (adc_bits - 1)), (1 << (adc_bits - 1)) - 1) << shift



def requantize(acc, shift, relu, bits):
    """The ALU epilogue after the multiply: a rounding right shift, the ReLU,
    saturation to `bits`-bit codes."""
    if shift:
        acc = (acc + (1 << (shift - 1))) >> shift
    if relu:
        acc = np.maximum(acc, 0)
    top = (1 << (bits - 1)) - 1
    return np.clip(acc, -top - 1, top)


def check_emulated_output(got, want, ref, n_out, scale, what, reference, tol):
    """The simulator's output codes `got` must equal the emulation's `want`
    (exit 1 otherwise); prints `what` and the max error of the dequantized
    first `n_out` columns against the float `reference` network's `ref`,
    failing when above `tol` (None: report only)."""
    if not np.array_equal(got, want):
        print("EMULATION MISMATCH at", np.argwhere(got != want)[:5])
        raise SystemExit(1)
    y = got[:, :n_out] * scale
    err = np.abs(y - ref).max() / np.abs(ref).max()
    print(f"{what}; padding columns zero: {not got[:, n_out:].any()}")
    print(f"max error / max|y| vs the {reference}: {err:.3f}"
          + ("" if tol is None else
             f" (tolerance {tol}): {'ok' if err <= tol else 'TOO LARGE'}"))
    if tol is not None and err > tol:
        raise SystemExit(1)


def windowed_gemm(x, w, t_acc, adc_bits, segment=None, full_scale=0):
    """x @ w.T as the program runs it: GEMM runs of `segment` chunks (one per
    segment, the whole reduction without one), each in ADC windows of t_acc
    chunks."""
    chunks = x.shape[1] // BLOCK_IN
    segment = segment or chunks
    acc = np.zeros((x.shape[0], w.shape[0]), np.int64)
    for begin in range(0, chunks, segment):
        end = min(chunks, begin + segment)
        for first in range(begin, end, t_acc):
            c = slice(first * BLOCK_IN, min(end, first + t_acc) * BLOCK_IN)
            acc += adc(x[:, c] @ w[:, c].T, t_acc, adc_bits, full_scale)
    return acc

def emulate(data, xq, t_acc, adc_bits):
    x = xq
    for index, (relu, bits) in enumerate(((True, IN_BITS), (False, 16))):
        name = next(n[:-len("_weight")] for n in data
                    if n.endswith(f"_{index}_weight"))
        w = data[name + "_weight"][0]
        full_scale = int(attr(data[name + "_weight"][1], "adc_fs_bits"))
        mult, mult_attrs = data[name + "_multiplier"]
        bias = data[name + "_bias"][0]
        shift = int(attr(mult_attrs, "shift"))
        # The reduction reads the stored columns up to the weight's K'.
        x = x[:, :w.shape[1]]
        chunks = x.shape[1] // BLOCK_IN
        acc = np.zeros((x.shape[0], w.shape[0]), np.int64)
        # Two-digit weights (weight-bits=8): a GEMM per digit, then
        # low + (high << W_BITS).
        high = data.get(name + "_weight_high", (None,))[0]
        for first in range(0, chunks, t_acc):
            cols = slice(first * BLOCK_IN, min(chunks, first + t_acc) * BLOCK_IN)
            acc += adc(x[:, cols] @ w[:, cols].T, t_acc, adc_bits, full_scale)
            if high is not None:
                acc += adc(x[:, cols] @ high[:, cols].T, t_acc, adc_bits,
                           full_scale) << W_BITS
        x = requantize((acc + bias) * mult, shift, relu, bits)
    return x


def fake_quantized(x, w1, b1, w2, b2):
    """The W4A4 network in float: the documented scale rules (per-channel
    weights, per-tensor activations calibrated on x), no integer tricks."""
    top = (1 << (IN_BITS - 1)) - 1

    def quant(a, scale, bits):
        t = (1 << (bits - 1)) - 1
        return np.clip(np.round(a / scale), -t - 1, t) * scale

    def quant_weight(w):
        return quant(w, np.abs(w).max(0) / top, W_BITS)
    hidden = np.maximum(x @ w1 + b1, 0)
    h = np.maximum(quant(x, np.abs(x).max() / top, IN_BITS) @ quant_weight(w1) + b1, 0)
    return quant(h, hidden.max() / top, IN_BITS) @ quant_weight(w2) + b2


def main():
    mode, out_dir, variant = sys.argv[1:4]
    t_acc = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    adc_bits = int(sys.argv[5]) if len(sys.argv) > 5 else 8
    tol = float(sys.argv[6]) if len(sys.argv) > 6 else None
    text, (w1, b1, w2, b2), x_model, x = network(variant)
    if mode == "model":
        open(f"{out_dir}/model.mlir", "w").write(text)
        np.save(f"{out_dir}/x.npy", x_model)
        return
    data = program_data(f"{out_dir}/prog.mlir")
    x_scale = attr(data["input"][1], "scale")
    k_padded = data["input"][0].shape[1]
    xq = np.zeros((M, k_padded), np.int64)
    xq[:, :K] = np.clip(np.round(x / x_scale), -8, 7)
    if mode == "quantize":
        np.save(f"{out_dir}/xq.npy", xq.astype(np.float32))
        return
    got = np.load(f"{out_dir}/y.npy").astype(np.int64)
    want = emulate(data, xq, t_acc, adc_bits)
    if not np.array_equal(got, want):
        print("EMULATION MISMATCH at", np.argwhere(got != want)[:5])
        raise SystemExit(1)
    y_scale = attr(data["output"][1], "scale")
    y = got[:, :N] * y_scale
    x64 = x.astype(np.float64)
    ref = float_reference(variant, x_model, w1, b1, w2, b2)
    fake = fake_quantized(x64, w1, b1, w2, b2)
    err = np.abs(y - ref).max() / np.abs(ref).max()
    err_fake = np.abs(y - fake).max() / np.abs(ref).max()
    err_int4 = np.abs(fake - ref).max() / np.abs(ref).max()
    print(f"mlp: {got.size} codes match the emulation; padding columns zero: "
          f"{not got[:, N:].any()}")
    print(f"max error / max|y|: vs float {err:.3f}, vs float int4 fake "
          f"quantization {err_fake:.3f} (which is itself {err_int4:.3f} off)")
    # The integer program and the float fake quantization round differently
    # (bias in accumulator units, fixed-point multipliers), so a hidden code
    # near a rounding boundary can land one step (s_h) apart; an output moves
    # by at most s_h * max|W2| per such flip. Allowed: `tol` flips per output.
    if tol is not None:
        hidden_step = np.maximum(x64 @ w1 + b1, 0).max() / ((1 << (IN_BITS - 1)) - 1)
        bound = tol * hidden_step * np.abs(w2).max()
        worst = np.abs(y - fake).max()
        print(f"vs fake quantization: {worst / (hidden_step * np.abs(w2).max()):.2f} "
              f"hidden-code flips (tolerance {tol:g}): "
              f"{'ok' if worst <= bound else 'TOO LARGE'}")
        if worst > bound:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
