"""Layers with MLG-generated filters lowered by convert-mlg-to-ptc, checked.

  generated.py model DIR V     writes DIR/model.mlir and DIR/x.npy
  generated.py quantize DIR V  writes DIR/xq.npy (input codes, host layout)
  generated.py check DIR V [ADC_BITS [TOL]]
                               checks DIR/y.npy (ADC_BITS: the model's ADC,
                               default 8):
    (1) bit-exact against a numpy emulation that regenerates every weight
        from the generator codes stored in the program (ptc-sim.md §1.5:
        GEN level 1 per digit of U, RECOMP, GEN level 2 with its ADC and
        requantization, reading t_acc / req_shift / RECOMP fields from the
        program), then the GEMM, ADC windows and ALU requantization;
    (2) the dequantized output against the float network of the same
        compressed module (numpy): max error / max|y| printed, and at most
        TOL when given.

V = conv: two generated 3x3 convolutions (levels 1 + 2; qb 3, qu 6, qv 3,
Bi 2) on 2 NCHW images of 5x5; V = fc: a generated matmul (level 2 only,
W = V . B through a linalg.transpose) then a dense one, on 20 rows; V =
grids: the two convolutions with per-channel grids, wider codes and a
power-of-two V, which the lowering puts on the core's grids (grids_params);
V = intra-grids: level 1 alone with per-channel grids (intra_grids_params).
"""
import json
import re
import sys

import numpy as np

from mlp import (adc, attr, check_emulated_output, lit, program_data, requantize, windowed_gemm, BLOCK_IN, BLOCK_OUT,
                 IN_BITS, W_BITS)
from convs import im2col, out_side, reference_layer, scale_bias_epilogue, to_rows

ADC_BITS = 8
# Tolerances used by the tests (with an exact 16-bit ADC, so that they
# measure the lowering, not the ADC rule): the generated weights are 4-bit
# codes with one step per layer (GEN requantizes per instruction), from
# level-1 kernels that pass the 4-bit input DAC; activations are 4-bit (3
# bits after ReLU). Measured: conv 0.50 (dense 4-bit per-channel weights of
# the same network: 0.40), fc 0.24 (dense: 0.22). With dptc-hbm's 8-bit ADC
# (a 14-bit worst-case full scale for the GEMM) the error is ADC-bound:
# conv 1.4, fc 0.7, as for the dense tests (docs/ptc-lowering.md).


def ilit(a):
    return json.dumps(np.asarray(a).astype(int).tolist())


def codes(rng, shape, bits):
    return rng.integers(-(1 << (bits - 1)), 1 << (bits - 1), shape)


def dequant(c, scale):
    """Midrise levels; `scale` per tensor or one per index of dimension 0."""
    scale = np.asarray(scale, np.float64)
    return scale.reshape(scale.shape + (1,) * (c.ndim - scale.ndim)) * (c + 0.5)


def decode_pow2(c, min_exponent):
    return np.sign(c) * np.where(c == 0, 0.0, np.exp2(min_exponent + np.abs(c) - 1.0))


def grid(scale):
    """The midrise grid attribute of a per-tensor or per-channel scale."""
    if np.ndim(scale) == 0:
        return f"midrise<scale = {scale}>"
    return f"midrise<axis = 0, scales = {lit(np.asarray(scale))}>"


def conv_params():
    rng = np.random.default_rng(5)
    layers = []
    for ci, co, stride, relu in ((16, 20, 1, True), (20, 10, 2, False)):
        bc, bi = 6, 2
        p = dict(ci=ci, co=co, stride=stride, relu=relu, bc=bc, bi=bi,
                 b=codes(rng, (bc, bi, 3, 3), 3), u=codes(rng, (bc, ci, bi), 6),
                 v=codes(rng, (co, bc), 3), sb=0.25, su=1 / 64, sv=0.125,
                 bias=0.1 * rng.standard_normal(co),
                 scale=rng.uniform(0.5, 1.5, co))
        layers.append(p)
    x = rng.standard_normal((2, 16, 5, 5)).astype(np.float32)
    return layers, x


def grids_params():
    """Generators the core's DACs cannot take as stored, put on its grids by
    the lowering: layer 1 with one scale per channel (dimension 0) for the
    basis (4-bit codes, wider than the input DAC), U and V (4-bit codes,
    wider than the weight DAC); layer 2 with a power-of-two V
    (mlg.decode_pow2, family=mlg+smartdeal) spanning more octaves than the
    weight DAC."""
    rng = np.random.default_rng(11)
    bc, bi = 6, 2
    first = dict(ci=16, co=20, stride=1, relu=True, bc=bc, bi=bi,
                 b=codes(rng, (bc, bi, 3, 3), 4), bb=4,
                 u=codes(rng, (bc, 16, bi), 6), ub=6,
                 v=codes(rng, (20, bc), 4), vb=4,
                 sb=rng.uniform(0.05, 0.2, bc), su=rng.uniform(0.01, 0.04, bc),
                 sv=rng.uniform(0.05, 0.2, 20),
                 bias=0.1 * rng.standard_normal(20), scale=rng.uniform(0.5, 1.5, 20))
    # decode_pow2 codes: 0 or sign * 2^(min_exponent + |c| - 1), |c| <= 15.
    v = rng.integers(9, 16, (10, bc)) * rng.choice([-1, 1], (10, bc))
    v[rng.random((10, bc)) < 0.2] = 0
    second = dict(ci=20, co=10, stride=2, relu=False, bc=bc, bi=bi,
                  b=codes(rng, (bc, bi, 3, 3), 3), u=codes(rng, (bc, 20, bi), 6),
                  v=v, vb=5, pow2=-14, sb=0.25, su=1 / 64,
                  bias=0.1 * rng.standard_normal(10), scale=rng.uniform(0.5, 1.5, 10))
    x = rng.standard_normal((2, 16, 5, 5)).astype(np.float32)
    return [first, second], x


def intra_grids_params():
    """intra_params with one scale per output channel (= basis group) for U
    and for a 4-bit basis: level 1 alone, so the channels' weight scales
    differ."""
    layers, x = intra_params()
    rng = np.random.default_rng(12)
    p = layers[0]
    p.update(b=codes(rng, (12, 2, 3, 3), 4), bb=4, sb=rng.uniform(0.05, 0.2, 12),
             su=rng.uniform(0.1, 0.4, 12))
    return layers, x


def intra_params():
    """One 3x3 convolution generated at level 1 only (Bc = Co = 12; U of 3
    bits, which fits the weight DAC without the digit split)."""
    rng = np.random.default_rng(8)
    p = dict(ci=16, co=12, stride=1, relu=False, bc=12, bi=2,
             b=codes(rng, (12, 2, 3, 3), 3), u=codes(rng, (12, 16, 2), 3),
             su=0.25, sb=0.25, bias=0.1 * rng.standard_normal(12),
             scale=np.ones(12))
    x = rng.standard_normal((2, 16, 5, 5)).astype(np.float32)
    return [p], x


def fc_params():
    rng = np.random.default_rng(6)
    gen = dict(ci=40, co=30, bc=8, b=codes(rng, (8, 40), 3),
               v=codes(rng, (30, 8), 3), sb=0.25, sv=0.125,
               bias=0.1 * rng.standard_normal(30))
    w2 = (rng.standard_normal((30, 10)) / np.sqrt(30)).astype(np.float32)
    b2 = (0.1 * rng.standard_normal(10)).astype(np.float32)
    x = rng.standard_normal((20, 40)).astype(np.float32)
    return gen, w2, b2, x


def float_filter(p):
    """The dequantized generated filter [co][ci](kh kw) of the module."""
    b = dequant(p["b"], p["sb"])
    if "u" in p:
        u = dequant(p["u"], p["su"])
        b = np.einsum("bci,bikl->bckl", u, b)
    if "v" not in p:
        return b
    v = decode_pow2(p["v"], p["pow2"]) if "pow2" in p else dequant(p["v"], p["sv"])
    return np.tensordot(v, b, axes=(1, 0))


def conv_model(layers, fused=False):
    """With `fused`, the same layers as mlg.generated_conv2d (own padding)."""
    t = lambda c, side: f"tensor<2x{c}x{side}x{side}xf32>"
    sides = [5]
    for p in layers:
        sides.append(out_side(sides[-1], 3, p["stride"], 1))
    lines = ["#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>",
             "#c = affine_map<(d0, d1, d2, d3) -> (d1)>",
             f"func.func @gen(%x: {t(16, 5)}) -> {t(layers[-1]['co'], sides[-1])} {{",
             "  %zero = arith.constant 0.0 : f32"]
    value, side = "%x", 5
    for i, p in enumerate(layers):
        ci, co, bc, bi, s = p["ci"], p["co"], p["bc"], p["bi"], p["stride"]
        o = out_side(side, 3, s, 1)
        ub = p.get("ub", 6 if np.abs(p["u"]).max() > 4 else 3)
        bb, vb = p.get("bb", 3), p.get("vb", 3)
        lines += [
            f"  %bc{i} = arith.constant dense<{ilit(p['b'])}> : tensor<{bc}x{bi}x3x3xi{bb}>",
            f"  %uc{i} = arith.constant dense<{ilit(p['u'])}> : tensor<{bc}x{ci}x{bi}xi{ub}>",
            f"  %b{i} = mlg.dequantize %bc{i} as {grid(p['sb'])} : tensor<{bc}x{bi}x3x3xi{bb}> -> tensor<{bc}x{bi}x3x3xf32>",
            f"  %u{i} = mlg.dequantize %uc{i} as {grid(p['su'])} : tensor<{bc}x{ci}x{bi}xi{ub}> -> tensor<{bc}x{ci}x{bi}xf32>",
            f"  %k{i} = mlg.generate_intra %u{i}, %b{i} : tensor<{bc}x{ci}x{bi}xf32>, tensor<{bc}x{bi}x3x3xf32> -> tensor<{bc}x{ci}x3x3xf32>"]
        if "v" in p:
            decode = (f"mlg.decode_pow2 %vc{i} min_exponent {p['pow2']}" if "pow2" in p else
                      f"mlg.dequantize %vc{i} as {grid(p['sv'])}")
            lines += [
                f"  %vc{i} = arith.constant dense<{ilit(p['v'])}> : tensor<{co}x{bc}xi{vb}>",
                f"  %v{i} = {decode} : tensor<{co}x{bc}xi{vb}> -> tensor<{co}x{bc}xf32>",
                f"  %w{i} = mlg.generate_cross %v{i}, %k{i} : tensor<{co}x{bc}xf32>, tensor<{bc}x{ci}x3x3xf32> -> tensor<{co}x{ci}x3x3xf32>"]
        w = f"%w{i}" if "v" in p else f"%k{i}"
        lines += [
            f"  %bias{i} = arith.constant dense<{lit(p['bias'])}> : tensor<{co}xf32>",
            f"  %g{i} = arith.constant dense<{lit(p['scale'])}> : tensor<{co}xf32>"]
        if fused:
            lines = [l for l in lines if "mlg.generate_" not in l]
            v_op = f" coeff_out(%v{i})" if "v" in p else ""
            v_type = f", tensor<{co}x{bc}xf32>" if "v" in p else ""
            lines += [
                f"  %m{i} = mlg.generated_conv2d nchw_fchw {value} basis(%b{i}) coeff_in(%u{i}){v_op} "
                f"strides [{s}, {s}] padding [1, 1, 1, 1] : ({t(ci, side)}, tensor<{bc}x{bi}x3x3xf32>, "
                f"tensor<{bc}x{ci}x{bi}xf32>{v_type}) -> {t(co, o)} loc(\"gconv{i + 1}\")",
                f"  %e{i} = tensor.empty() : {t(co, o)}"]
        else:
            lines += [
            f"  %p{i} = tensor.pad {value} low[0, 0, 1, 1] high[0, 0, 1, 1] {{",
            "  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):",
            "    tensor.yield %zero : f32",
            f"  }} : {t(ci, side)} to {t(ci, side + 2)}",
            f"  %e{i} = tensor.empty() : {t(co, o)}",
            f"  %f{i} = linalg.fill ins(%zero : f32) outs(%e{i} : {t(co, o)}) -> {t(co, o)}",
            f"  %m{i} = linalg.conv_2d_nchw_fchw {{dilations = dense<1> : tensor<2xi64>, "
            f"strides = dense<{s}> : tensor<2xi64>}} ins(%p{i}, {w} : {t(ci, side + 2)}, "
            f"tensor<{co}x{ci}x3x3xf32>) outs(%f{i} : {t(co, o)}) -> {t(co, o)} loc(\"gconv{i + 1}\")"]
        lines += scale_bias_epilogue(i, t(co, o), co, f"%bias{i}", p["relu"], f"gconv{i + 1}")
        value, side = f"%y{i}", o
    lines += [f"  return {value} : {t(layers[-1]['co'], side)}", "}"]
    return "\n".join(lines) + "\n"


def fc_model(gen, w2, b2, fused=False):
    """With `fused`, the generated layer is an mlg.generated_matmul with its
    bias, followed by the ReLU."""
    ci, co, bc = gen["ci"], gen["co"], gen["bc"]
    text = f"""#nc = affine_map<(d0, d1) -> (d0, d1)>
#c = affine_map<(d0, d1) -> (d1)>
func.func @gfc(%x: tensor<20x{ci}xf32>) -> tensor<20x10xf32> {{
  %zero = arith.constant 0.0 : f32
  %bc = arith.constant dense<{ilit(gen['b'])}> : tensor<{bc}x{ci}xi3>
  %vc = arith.constant dense<{ilit(gen['v'])}> : tensor<{co}x{bc}xi3>
  %b = mlg.dequantize %bc as midrise<scale = {gen['sb']}> : tensor<{bc}x{ci}xi3> -> tensor<{bc}x{ci}xf32>
  %v = mlg.dequantize %vc as midrise<scale = {gen['sv']}> : tensor<{co}x{bc}xi3> -> tensor<{co}x{bc}xf32>
  %w = mlg.generate_cross %v, %b : tensor<{co}x{bc}xf32>, tensor<{bc}x{ci}xf32> -> tensor<{co}x{ci}xf32>
  %te = tensor.empty() : tensor<{ci}x{co}xf32>
  %wt = linalg.transpose ins(%w : tensor<{co}x{ci}xf32>) outs(%te : tensor<{ci}x{co}xf32>) permutation = [1, 0]
  %b1 = arith.constant dense<{lit(gen['bias'])}> : tensor<{co}xf32>
  %w2 = arith.constant dense<{lit(w2)}> : tensor<{co}x10xf32>
  %b2 = arith.constant dense<{lit(b2)}> : tensor<10xf32>
  %e1 = tensor.empty() : tensor<20x{co}xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<20x{co}xf32>) -> tensor<20x{co}xf32>
  %m1 = linalg.matmul ins(%x, %wt : tensor<20x{ci}xf32>, tensor<{ci}x{co}xf32>) outs(%f1 : tensor<20x{co}xf32>) -> tensor<20x{co}xf32> loc("gfc1")
  %h1 = linalg.generic {{indexing_maps = [#nc, #c, #nc], iterator_types = ["parallel", "parallel"]}} ins(%m1, %b1 : tensor<20x{co}xf32>, tensor<{co}xf32>) outs(%e1 : tensor<20x{co}xf32>) {{
  ^bb0(%in: f32, %bb: f32, %out: f32):
    %s = arith.addf %in, %bb : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }} -> tensor<20x{co}xf32> loc("gfc1")
  %e2 = tensor.empty() : tensor<20x10xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<20x10xf32>) -> tensor<20x10xf32>
  %m2 = linalg.matmul ins(%h1, %w2 : tensor<20x{co}xf32>, tensor<{co}x10xf32>) outs(%f2 : tensor<20x10xf32>) -> tensor<20x10xf32> loc("fc2")
  %y = linalg.generic {{indexing_maps = [#nc, #c, #nc], iterator_types = ["parallel", "parallel"]}} ins(%m2, %b2 : tensor<20x10xf32>, tensor<10xf32>) outs(%e2 : tensor<20x10xf32>) {{
  ^bb0(%in: f32, %bb: f32, %out: f32):
    %s = arith.addf %in, %bb : f32
    linalg.yield %s : f32
  }} -> tensor<20x10xf32> loc("fc2")
  return %y : tensor<20x10xf32>
}}
"""
    if not fused:
        return text
    lines = text.split("\n")
    first = next(i for i, l in enumerate(lines) if "mlg.generate_cross" in l)
    last = next(i for i, l in enumerate(lines) if 'loc("gfc1")' in l and "generic" not in l and "}" in l)
    fused_layer = [
        f"  %b1 = arith.constant dense<{lit(gen['bias'])}> : tensor<{co}xf32>",
        f"  %m1 = mlg.generated_matmul %x basis(%b) coeff_out(%v) bias(%b1) : (tensor<20x{ci}xf32>, "
        f"tensor<{bc}x{ci}xf32>, tensor<{co}x{bc}xf32>, tensor<{co}xf32>) -> tensor<20x{co}xf32> loc(\"gfc1\")",
        f"  %e1 = tensor.empty() : tensor<20x{co}xf32>",
        f"  %h1 = linalg.generic {{indexing_maps = [#nc, #nc], iterator_types = [\"parallel\", \"parallel\"]}} "
        f"ins(%m1 : tensor<20x{co}xf32>) outs(%e1 : tensor<20x{co}xf32>) {{",
        "  ^bb0(%in: f32, %out: f32):",
        "    %r = arith.maximumf %in, %zero : f32",
        "    linalg.yield %r : f32",
        f"  }} -> tensor<20x{co}xf32> loc(\"gfc1\")"]
    keep = [l for l in lines[first:last + 1] if l.startswith("  %w2 =") or l.startswith("  %b2 =")]
    return "\n".join(lines[:first] + fused_layer + keep + lines[last + 1:])


def layer_settings(path):
    """Per ptc.layer: the RECOMP fields and the level-2 t_acc / req_shift."""
    layers, current = {}, None
    t_acc, fs_bits = None, 0
    for line in open(path):
        m = re.search(r'ptc\.layer "(\w+)"', line)
        if m:
            current = layers.setdefault(m.group(1), {})
            continue
        m = re.search(r"ptc\.cfg t_acc = (\d+)", line)
        if m:
            t_acc = int(m.group(1))
        m = re.search(r"ptc\.cfg req_shift = (\d+)", line)
        if m and current is not None:
            current["req_shift"] = int(m.group(1))
        m = re.search(r"ptc\.cfg adc_fs_bits = (\d+)", line)
        if m:
            fs_bits = int(m.group(1))
        m = re.search(r"ptc\.recomp wgt .* slices (\d+) slice_bits (\d+) "
                      r"stride 1 out_bits (\d+) round(?: rshift (\d+))?", line)
        if m and current is not None:
            current["recomp"] = tuple(int(g or 0) for g in m.groups())
        if "ptc.gen level 2" in line and current is not None:
            current["t_acc2"] = t_acc
            current["fs_bits2"] = fs_bits
    return layers


def full_scale(terms):
    return IN_BITS + W_BITS - 1 + int(np.ceil(np.log2(terms)))


def adc_value(x, fs):
    """The ADC at full scale `fs` (CFG adc_fs_bits, > 0)."""
    return adc(x, 1, ADC_BITS, fs)


def sat(v, bits):
    return np.clip(v, -(1 << (bits - 1)), (1 << (bits - 1)) - 1)


def level1(data, name, settings, bi, chunks, bc_blocks):
    """W1 rows [bc block][K chunk][c][k] from coeff_u digits and the basis:
    one GEN level-1 run per digit (t_acc 1), then RECOMP."""
    u = data[name + "_coeff_u"][0].reshape(-1, BLOCK_OUT, BLOCK_IN)
    basis = data[name + "_basis"][0]
    taps = basis.shape[0] // (bi * bc_blocks)
    cc_count = chunks // taps
    pieces = u.shape[0] // (bi * bc_blocks * cc_count)
    n, sb, out_bits, rshift = settings["recomp"]
    fs1 = full_scale(1)
    w1 = np.zeros((bc_blocks, chunks, BLOCK_OUT, BLOCK_IN), np.int64)
    for bcb in range(bc_blocks):
        for kc in range(chunks):
            tap, cc = divmod(kc, cc_count)
            digits = []
            for p in range(pieces):
                run = np.zeros((BLOCK_OUT, BLOCK_IN), np.int64)
                for i in range(bi):
                    # coeff_u rows [cc][piece][i][bc block].
                    row = cc * pieces * bi * bc_blocks + (p * bi + i) * bc_blocks + bcb
                    b = basis[(i * taps + tap) * bc_blocks + bcb]
                    run += adc_value(u[row] * sat(b, IN_BITS)[:, None], fs1)
                digits.append(sat(run, 8))
            total = digits[0] + (digits[1] << W_BITS if pieces == 2 else 0)
            excess = max(0, n * sb - out_bits) + rshift
            if excess > 0:
                total = (total + (1 << (excess - 1))) >> excess
            w1[bcb, kc] = sat(total, out_bits)
    return w1


def regenerate(data, name, settings, bi, k_padded, co_padded):
    """The weight rows the core generates, as a [co_padded][k_padded] matrix,
    from the program's generator tensors only (a layer the lowering made
    dense: its stored weight codes)."""
    if name + "_weight" in data:
        return data[name + "_weight"][0]
    chunks = k_padded // BLOCK_IN
    if name + "_coeff_v" not in data:
        # Level 1 only: the RECOMP of block ob's basis kernels is the row.
        w1 = level1(data, name, settings, bi, chunks, co_padded // BLOCK_OUT)
        return w1.transpose(0, 2, 1, 3).reshape(co_padded, k_padded)
    v = data[name + "_coeff_v"][0].reshape(-1, BLOCK_OUT, BLOCK_OUT)
    if name + "_coeff_u" in data:
        w1 = level1(data, name, settings, bi, chunks,
                    v.shape[0] // (co_padded // BLOCK_OUT))
        bc_blocks = w1.shape[0]
    else:
        w1 = data[name + "_kernels"][0].reshape(-1, chunks, BLOCK_OUT, BLOCK_IN)
        bc_blocks = w1.shape[0]
    t_acc, shift = settings["t_acc2"], settings["req_shift"]
    # adc_fs_bits (0: the worst-case rule of ptc-sim.md §1.7).
    fs2 = settings["fs_bits2"] or full_scale(t_acc * BLOCK_OUT)
    w = np.zeros((co_padded, k_padded), np.int64)
    for ob in range(co_padded // BLOCK_OUT):
        for kc in range(chunks):
            run = np.zeros((BLOCK_OUT, BLOCK_IN), np.int64)
            for first in range(0, bc_blocks, t_acc):
                window = sum(v[ob * bc_blocks + b] @ w1[b, kc]
                             for b in range(first, min(bc_blocks, first + t_acc)))
                run += adc_value(window, fs2)
            w[ob * BLOCK_OUT:(ob + 1) * BLOCK_OUT, kc * BLOCK_IN:(kc + 1) * BLOCK_IN] = \
                sat(run >> shift, W_BITS)
    return w


def requant(acc, data, name, relu, bits):
    mult, mult_attrs = data[name + "_multiplier"]
    shift = int(attr(mult_attrs, "shift"))
    return requantize((acc + data[name + "_bias"][0]) * mult, shift, relu, bits)


def layer_attr(data, name, key):
    """An attribute of the layer's weight data, or of its multiplier data for
    a generated layer (no weight tensor)."""
    for tensor in (name + "_weight", name + "_multiplier"):
        if tensor in data and key in data[tensor][1]:
            return int(attr(data[tensor][1], key))
    return None


def segment_of(data, name):
    """Chunks per GEMM run (ADC windows restart there), and the GEMM's ADC
    full scale (CFG adc_fs_bits)."""
    return layer_attr(data, name, "segment"), layer_attr(data, name, "adc_fs_bits")


def gemm(x, w, t_acc, run=(None, None)):
    segment, full_scale = run
    return windowed_gemm(x, w, t_acc, ADC_BITS, segment, full_scale or 0)


def main():
    global ADC_BITS
    mode, out_dir, variant = sys.argv[1:4]
    if len(sys.argv) > 4:
        ADC_BITS = int(sys.argv[4])
    tol = float(sys.argv[5]) if len(sys.argv) > 5 else None
    t_acc = 3
    if variant in ("conv", "intra", "conv-fused", "grids", "intra-grids"):
        layers, x = {"intra": intra_params, "grids": grids_params,
                     "intra-grids": intra_grids_params}.get(variant, conv_params)()
        x_rows = to_rows(x)
    else:
        gen, w2, b2, x = fc_params()  # fc, fc-fused
        x_rows = x
    if mode == "model":
        text = (fc_model(gen, w2, b2, fused=variant == "fc-fused")
                if variant.startswith("fc") else
                conv_model(layers, fused=variant == "conv-fused"))
        open(f"{out_dir}/model.mlir", "w").write(text)
        np.save(f"{out_dir}/x.npy", x)
        return
    prog = f"{out_dir}/prog.mlir"
    data = program_data(prog)
    x_scale = attr(data["input"][1], "scale")
    cols = data["input"][0].shape[1]
    xq = np.zeros((x_rows.shape[0], cols), np.int64)
    xq[:, :x_rows.shape[1]] = np.clip(np.round(x_rows / x_scale), -8, 7)
    if mode == "quantize":
        np.save(f"{out_dir}/xq.npy", xq.astype(np.float32))
        return
    settings = layer_settings(prog)
    got = np.load(f"{out_dir}/y.npy").astype(np.int64)
    x64 = x.astype(np.float64)
    if variant != "fc":
        act, side = xq.reshape(2, 5, 5, cols), 5
        ref = x64
        for i, p in enumerate(layers):
            name = f"gconv{i + 1}_{i}"
            last = i == len(layers) - 1
            # Each tap reads its channels up to BLOCK_IN (the stored
            # columns may be wider).
            ci = layers[i - 1]["co"] if i else x.shape[1]
            tap_cols = -(-ci // BLOCK_IN) * BLOCK_IN
            patches, side = im2col(act[..., :tap_cols], 3, p["stride"], 1)
            co_padded = data[name + "_multiplier"][0].shape[0]
            w = regenerate(data, name, settings.get(name, {}), p["bi"],
                           patches.shape[1], co_padded)
            acc = gemm(patches, w, t_acc, segment_of(data, name))
            act = requant(acc, data, name, p["relu"], 16 if last else IN_BITS)
            act = act.reshape(2, side, side, -1)
            f = float_filter(p)
            ref = reference_layer(ref, f, np.zeros(p["co"]), p["stride"], 1)
            ref = ref * p["scale"][:, None, None] + p["bias"][:, None, None]
            if p["relu"]:
                ref = np.maximum(ref, 0)
        want = act.reshape(got.shape[0], -1)
        ref = to_rows(ref)
        n_out = layers[-1]["co"]
    else:
        name = "gfc1_0"
        w = regenerate(data, name, settings.get(name, {}), 0, cols,
                       data[name + "_multiplier"][0].shape[0])
        h = requant(gemm(xq, w, t_acc, segment_of(data, name)), data, name,
                    True, IN_BITS)
        wd = data["fc2_1_weight"][0]
        want = requant(gemm(h, wd, t_acc, segment_of(data, "fc2_1")), data,
                       "fc2_1", False, 16)
        ref = np.maximum(x64 @ float_filter(gen).T + gen["bias"], 0) @ w2 + b2
        n_out = 10
    check_emulated_output(got, want, ref, n_out, attr(data["output"][1], "scale"),
                          f"{variant}: {got.size} codes match the regenerating emulation",
                          "float compressed network", tol)


if __name__ == "__main__":
    main()
