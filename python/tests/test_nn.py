"""Tests of mlg.nn, the training-time MLG layers.

Every formula is checked against an independent numpy reference written from
method.md (§1.3, §2.2, §5) and docs/dialect.md (§2, §3), not against the
implementation's own helpers.
"""

import math
import os
import pathlib
import re
import subprocess

import numpy as np
import pytest
import torch
from torch import nn

from mlg import nn as mn


# ----------------------------------------------------------------------------
# Independent references.

def ref_dorefa_sym(x, bits):
    """method.md §2.2, in float64: tanh, r = max|t|, 2^b levels on [-r, r]."""
    x = np.asarray(x, dtype=np.float64)
    if bits is None:
        return x
    if bits == 32:
        t = np.tanh(x)
        return t / np.abs(t).max()
    if bits == 1:
        e = np.abs(x).mean()
        return np.where(x >= 0, e, -e)
    t = np.tanh(x)
    r = np.abs(t).max()
    n = 2.0 ** bits - 1
    return np.round((t / (2 * r) + 0.5) * n) / n * 2 * r - r


def decode_midrise_f32(codes, scale):
    """docs/dialect.md §3.2 for f32: s = f32(scale), l = f32(c + 1/2), x = f32(s*l)."""
    s = np.float32(scale)
    level = codes.astype(np.float32) + np.float32(0.5)
    return (s * level).astype(np.float32)


def decode(generator):
    if generator is None:
        return None
    if "values" in generator:
        return generator["values"]
    assert generator["grid"] == "midrise"
    bits = generator["bits"]
    codes = generator["codes"]
    assert codes.min() >= -(2 ** (bits - 1)) and codes.max() <= 2 ** (bits - 1) - 1
    return decode_midrise_f32(codes, generator["scale"])


def ref_generate(basis, u, v):
    """docs/dialect.md §2.1 with explicit sums (u, v may be None)."""
    if u is not None:
        bc, ci, bi = u.shape
        kernels = np.zeros((bc, ci) + basis.shape[2:])
        for b in range(bc):
            for c in range(ci):
                for j in range(bi):
                    kernels[b, c] += u[b, c, j] * basis[b, j]
    else:
        kernels = np.asarray(basis, dtype=np.float64)
    if v is None:
        return kernels
    co, bc = v.shape
    weight = np.zeros((co,) + kernels.shape[1:])
    for o in range(co):
        for b in range(bc):
            weight[o] += v[o, b] * kernels[b]
    return weight


def ref_conv2d(x, w, bias, stride, padding, dilation, groups):
    """docs/dialect.md §4.4 semantics (nchw_fchw), padding (top, left, bottom, right)."""
    n, ci, h, wd = x.shape
    co, cg, kh, kw = w.shape
    top, left, bottom, right = padding
    xp = np.zeros((n, ci, h + top + bottom, wd + left + right))
    xp[:, :, top:top + h, left:left + wd] = x
    sh, sw = stride
    dh, dw = dilation
    ho = (h + top + bottom - dh * (kh - 1) - 1) // sh + 1
    wo = (wd + left + right - dw * (kw - 1) - 1) // sw + 1
    fg = co // groups
    y = np.zeros((n, co, ho, wo))
    for o in range(co):
        g = o // fg
        for ky in range(kh):
            for kx in range(kw):
                patch = xp[:, g * cg:(g + 1) * cg,
                           ky * dh: ky * dh + sh * (ho - 1) + 1: sh,
                           kx * dw: kx * dw + sw * (wo - 1) + 1: sw]
                y[:, o] += np.einsum("nchw,c->nhw", patch, w[o, :, ky, kx])
        if bias is not None:
            y[:, o] += bias[o]
    return y


def np_param(t):
    return t.detach().double().numpy()


# ----------------------------------------------------------------------------
# Quantizer (method.md §2.2).

@pytest.mark.parametrize("bits", [1, 2, 3, 4, 6, 8, 16, 32])
def test_quantizer_matches_official_formula(bits):
    torch.manual_seed(bits)
    x = torch.randn(7, 5, 3) * 1.5
    got = mn.dorefa_sym(x, bits).double().numpy()
    ref = ref_dorefa_sym(x.numpy(), bits)
    if 2 <= bits <= 31:
        # f32 vs f64 arithmetic may put a value at a rounding tie on the
        # neighbouring level (one step 2r/(2^b - 1)), visible at 16 bits.
        step = 2 * np.abs(np.tanh(x.numpy().astype(np.float64))).max() / (2 ** bits - 1)
        off = np.abs(got - ref) > 2e-6
        assert off.sum() <= 1
        np.testing.assert_allclose(got[off], ref[off], rtol=0, atol=1.01 * step)
        got, ref = got[~off], ref[~off]
    np.testing.assert_allclose(got, ref, rtol=0, atol=2e-6)


@pytest.mark.parametrize("bits", [2, 3, 5])
def test_quantizer_levels_are_midrise(bits):
    torch.manual_seed(0)
    x = torch.randn(4000)
    q = mn.dorefa_sym(x, bits)
    r = torch.tanh(x).abs().max().item()
    levels = np.unique(q.numpy())
    expected = r * np.arange(-(2 ** bits - 1), 2 ** bits, 2) / (2 ** bits - 1)
    assert len(levels) == 2 ** bits  # every level used by 4000 normal samples
    np.testing.assert_allclose(levels, expected, rtol=0, atol=1e-6)
    assert not np.any(levels == 0)
    assert levels[0] == pytest.approx(-r, abs=1e-6) and levels[-1] == pytest.approx(r, abs=1e-6)


def test_quantizer_none_is_identity():
    x = torch.randn(10, requires_grad=True)
    assert mn.dorefa_sym(x, None) is x


def test_quantizer_straight_through_gradient():
    """Backward: STE through round with the gradient clipped to [-1, 1] (pyutils)."""
    torch.manual_seed(1)
    bits = 3
    x = torch.randn(50, dtype=torch.float64, requires_grad=True)
    upstream = torch.randn(50, dtype=torch.float64) * 3  # large: some entries clip
    mn.dorefa_sym(x, bits).backward(upstream)
    t = np.tanh(x.detach().numpy())
    r = np.abs(t).max()
    g = upstream.numpy()
    # q = Q(t/2r + 1/2)·2r − r: dL/dQ = 2r·g, clipped, then ·1/2r, then tanh'.
    expected = np.clip(2 * r * g, -1, 1) / (2 * r) * (1 - t ** 2)
    assert np.any(np.abs(2 * r * g) > 1)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12, atol=1e-12)


def test_quantizer_one_bit_gradient():
    torch.manual_seed(2)
    x = torch.randn(40, dtype=torch.float64, requires_grad=True)
    upstream = torch.randn(40, dtype=torch.float64) * 4
    mn.dorefa_sym(x, 1).backward(upstream)
    e = np.abs(x.detach().numpy()).mean()
    expected = np.clip(upstream.numpy() * e, -1, 1) / e  # sign(x/E)·E, STE clipped
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)


# ----------------------------------------------------------------------------
# Layer gating (method.md §1.3) and the forward against numpy.

def test_generation_plan_follows_official_gating():
    # ResNet-18 CIFAR conv1 3->64 3x3, (2, 44): level 1 on, level 2 off, Bc = Co.
    assert mn.generation_plan(64, 3, 9, 2, 44) == (2, 64, True, False)
    # 64->64 3x3: both levels.
    assert mn.generation_plan(64, 64, 9, 2, 44) == (2, 44, True, True)
    # 1x1: never level 1.
    assert mn.generation_plan(128, 64, 1, 2, 44) == (0, 44, False, True)
    # bc = 0 disables level 2.
    assert mn.generation_plan(64, 64, 9, 2, 0) == (2, 64, True, False)
    # Depthwise (research layer): Bc = 1, level 1 iff 0 < Bi < k².
    assert mn.generation_plan(32, 1, 9, 3, 44, depthwise=True) == (3, 1, True, False)
    # Model-level 1x1 override: Bc >= min(Co, Ci) becomes int(0.9 min).
    assert mn.pointwise_bc(128, 64, 64) == 57
    assert mn.pointwise_bc(128, 64, 44) == 44


def test_official_random_initialisation():
    """kaiming-normal, fan_out: basis as a slice of the [Co, Ci, k, k] weight, U and V on their shapes."""
    torch.manual_seed(0)
    layer = mn.MLGConv2d(64, 128, 3, bias=False, bi=2, bc=44)
    assert layer.basis.std().item() == pytest.approx(math.sqrt(2 / (128 * 9)), rel=0.1)
    assert layer.coeff_in.std().item() == pytest.approx(math.sqrt(2 / (44 * 2)), rel=0.1)
    assert layer.coeff_out.std().item() == pytest.approx(math.sqrt(2 / 128), rel=0.1)


def test_package_exposes_nn_lazily():
    import mlg
    assert mlg.nn.MLGConv2d is mn.MLGConv2d and mlg.nn.convert is mn.convert


def test_fx_tracer_keeps_mlg_layers_as_leaves():
    import torch.fx

    class LeafTracer(torch.fx.Tracer):
        def is_leaf_module(self, module, name):
            return isinstance(module, mn.MLG_LAYER_TYPES) or super().is_leaf_module(module, name)

    model = nn.Sequential(mn.MLGConv2d(3, 8, 3, bi=2, bc=4, bits=(3, 6, 3)), nn.ReLU())
    graph = LeafTracer().trace(model)
    targets = [n.target for n in graph.nodes if n.op == "call_module"]
    assert targets == ["0", "1"]


def _randomize(layer, scale=0.7, seed=0):
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in layer.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * scale)


CONV_CASES = [
    # (ci, co, k, stride, padding, dilation, groups, bi, bc, bits, bias, levels)
    (6, 10, 3, 2, 1, 1, 1, 2, 4, (3, 6, 3), True, (True, True)),
    (6, 10, (3, 2), 1, (1, 0), (2, 1), 1, 2, 4, (2, 4, 8), False, (True, True)),
    (3, 8, 3, 1, 1, 1, 1, 2, 44, (4, 4, 4), False, (True, False)),
    (8, 12, 1, 1, 0, 1, 1, 2, 5, (3, 6, 3), True, (False, True)),
    (8, 8, 3, 1, (1, 0, 0, 2), 1, 2, 2, 3, None, True, (True, True)),
    (8, 8, 3, 1, 1, 1, 8, 3, 0, (5, 5, 5), False, (True, False)),  # depthwise
    (8, 8, 3, 1, 1, 1, 8, 0, 0, (5, 5, 5), True, (False, False)),  # depthwise, no level: dense
    (6, 10, 3, 1, 1, 1, 1, 2, 4, (32, 1, 16), False, (True, True)),
]


@pytest.mark.parametrize("case", CONV_CASES)
def test_mlgconv2d_forward_matches_numpy(case):
    ci, co, k, stride, padding, dilation, groups, bi, bc, bits, bias, levels = case
    layer = mn.MLGConv2d(ci, co, k, stride=stride, padding=padding, dilation=dilation,
                         groups=groups, bias=bias, bi=bi, bc=bc, bits=bits)
    assert (layer.intra, layer.cross) == levels
    _randomize(layer)
    qb, qu, qv = bits if bits is not None else (None,) * 3
    basis = ref_dorefa_sym(np_param(layer.basis), qb)
    u = ref_dorefa_sym(np_param(layer.coeff_in), qu) if layer.intra else None
    v = ref_dorefa_sym(np_param(layer.coeff_out), qv) if layer.cross else None
    w = ref_generate(basis, u, v)
    kh, kw = layer.kernel_size
    if layer.depthwise:
        assert basis.shape == (1, bi, kh, kw) and u.shape == (1, co, bi)
        w = w.reshape(co, 1, kh, kw)  # the [1, Co, kh, kw] kernel read as [Co, 1, kh, kw]
    assert w.shape == (co, ci // groups, kh, kw)
    x = torch.randn(2, ci, 9, 8)
    y = layer(x).detach().double().numpy()
    b = np_param(layer.bias) if bias else None
    pad = layer.padding
    ref = ref_conv2d(x.double().numpy(), w, b, layer.stride, pad, layer.dilation, groups)
    assert y.shape == ref.shape
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-4 * np.abs(ref).max())


def test_mlgconv2d_matches_torch_conv_padding_and_shape():
    layer = mn.MLGConv2d(4, 6, 3, stride=2, padding=1, bias=True, bi=2, bc=3, bits=4)
    conv = nn.Conv2d(4, 6, 3, stride=2, padding=1)
    conv.weight.data = layer.generated_weight().detach()
    conv.bias.data = layer.bias.detach()
    x = torch.randn(1, 4, 11, 11)
    torch.testing.assert_close(layer(x), conv(x))


@pytest.mark.parametrize("bc,bits,cross", [(5, (3, 6, 4), True), (0, 8, False), (30, None, False)])
def test_mlglinear_forward_matches_numpy(bc, bits, cross):
    layer = mn.MLGLinear(20, 12, bias=True, bc=bc, bits=bits)
    assert layer.cross == cross and layer.coeff_in is None
    _randomize(layer, seed=3)
    if isinstance(bits, tuple):
        qb, qv = bits[0], bits[2]
    else:
        qb = qv = bits
    basis = ref_dorefa_sym(np_param(layer.basis), qb)
    w = ref_dorefa_sym(np_param(layer.coeff_out), qv) @ basis if cross else basis
    assert w.shape == (12, 20)
    x = torch.randn(5, 20)
    ref = x.double().numpy() @ w.T + np_param(layer.bias)
    np.testing.assert_allclose(layer(x).detach().double().numpy(), ref, rtol=1e-5, atol=1e-5)


# ----------------------------------------------------------------------------
# Export: mlg_generators() decodes to the layer's quantized tensors.

@pytest.mark.parametrize("case", CONV_CASES)
def test_mlg_generators_decode_to_layer_tensors(case):
    ci, co, k, stride, padding, dilation, groups, bi, bc, bits, bias, levels = case
    layer = mn.MLGConv2d(ci, co, k, stride=stride, padding=padding, dilation=dilation,
                         groups=groups, bias=bias, bi=bi, bc=bc, bits=bits)
    _randomize(layer, seed=5)
    g = layer.mlg_generators()
    assert g["kind"] == "conv2d" and g["groups"] == groups
    assert g["stride"] == layer.stride and g["dilation"] == layer.dilation
    assert g["padding"] == layer.padding and len(g["padding"]) == 4
    q = layer.quantized_generators()
    for key, name in (("basis", "basis"), ("u", "coeff_in"), ("v", "coeff_out")):
        if q[name] is None:
            assert g[key] is None
            continue
        decoded = decode(g[key])
        # Bit-for-bit: the layer computes exactly what mlg.dequantize computes.
        np.testing.assert_array_equal(decoded, q[name].detach().numpy())
        assert decoded.shape == tuple(getattr(layer, name).shape)
    qb, qu, qv = bits if bits is not None else (None,) * 3
    for key, b in (("basis", qb), ("u", qu), ("v", qv)):
        if g[key] is not None:
            if b is None or b > 16:
                assert "values" in g[key]
            else:
                assert g[key]["bits"] == b and g[key]["grid"] == "midrise"
    if bias:
        np.testing.assert_array_equal(g["bias"], layer.bias.detach().numpy())
    else:
        assert g["bias"] is None
    w = ref_generate(decode(g["basis"]), decode(g["u"]), decode(g["v"]))
    np.testing.assert_allclose(w.reshape(layer.generated_weight().shape),
                               layer.generated_weight().detach().numpy(), rtol=1e-5, atol=1e-6)


def test_mlg_generators_one_bit_and_official_scale():
    layer = mn.MLGConv2d(8, 8, 1, bias=False, bi=0, bc=3, bits=(1, 6, 3))
    _randomize(layer, seed=7)
    g = layer.mlg_generators()
    assert g["u"] is None and g["basis"]["bits"] == 1
    e = np.abs(layer.basis.detach().numpy()).mean()
    assert g["basis"]["scale"] == pytest.approx(2 * e, rel=1e-6)  # official sign·E = midrise 2E
    r = np.abs(np.tanh(layer.coeff_out.detach().numpy())).max()
    assert g["v"]["scale"] == pytest.approx(2 * r / 7, rel=1e-6)  # scale = 2r/(2^b − 1)
    np.testing.assert_array_equal(decode(g["basis"]), layer.quantized_generators()["basis"].detach().numpy())


def test_mlglinear_generators():
    layer = mn.MLGLinear(16, 10, bc=4, bits=(3, 6, 5))
    g = layer.mlg_generators()
    assert g["kind"] == "matmul" and g["u"] is None
    assert g["basis"]["codes"].shape == (4, 16) and g["v"]["codes"].shape == (10, 4)
    assert g["v"]["bits"] == 5
    w = decode(g["v"]).astype(np.float64) @ decode(g["basis"])
    np.testing.assert_allclose(w, layer.generated_weight().detach().numpy(), rtol=1e-5, atol=1e-6)
    dense = mn.MLGLinear(16, 10, bc=0, bits=8).mlg_generators()
    assert dense["v"] is None and dense["basis"]["codes"].shape == (10, 16)


# ----------------------------------------------------------------------------
# l2 projection initialisation (method.md §5).

def _representable(ci, co, k, bi, bc, seed):
    ref = mn.MLGConv2d(ci, co, k, bias=False, bi=bi, bc=bc, bits=None)
    _randomize(ref, scale=0.3, seed=seed)
    return ref.generated_weight().detach()


@pytest.mark.parametrize("ci,co,k,bi,bc", [(8, 12, 3, 2, 44), (16, 24, 1, 2, 6)])
def test_projection_single_level_exact(ci, co, k, bi, bc):
    """A weight with exact level-1-only or level-2-only structure is recovered."""
    weight = _representable(ci, co, k, bi, bc, seed=11)
    layer = mn.MLGConv2d(ci, co, k, bias=False, bi=bi, bc=bc, bits=None)
    error = layer.project_(weight, steps=0)
    assert error < 1e-5
    torch.testing.assert_close(layer.generated_weight(), weight, rtol=1e-4, atol=1e-5)


def test_projection_two_levels_recovers_representable_weight():
    """Two levels: SVD start + alternating least squares recovers this instance exactly.

    The two-level problem is not convex (other seeds can stop in a local
    minimum); the sweeps never increase the error (next test).
    """
    weight = _representable(16, 32, 3, 2, 8, seed=13)
    layer = mn.MLGConv2d(16, 32, 3, bias=False, bi=2, bc=8, bits=None)
    start = layer.project_(weight, steps=0, refine_iterations=0)
    final = layer.project_(weight, steps=0, refine_iterations=60)
    assert start > 0.3 and final < 1e-5
    torch.testing.assert_close(layer.generated_weight(), weight, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("seed", [12, 14])
def test_projection_refinement_never_increases_error(seed):
    weight = _representable(16, 32, 3, 2, 8, seed=seed)
    layer = mn.MLGConv2d(16, 32, 3, bias=False, bi=2, bc=8, bits=None)
    errors = [layer.project_(weight, steps=0, refine_iterations=n) for n in (0, 1, 3, 10)]
    assert all(b <= a * (1 + 1e-6) for a, b in zip(errors, errors[1:]))
    assert errors[-1] < 0.7 * errors[0]
    # RAdam steps on top (the paper's l2 objective) keep the best iterate.
    assert layer.project_(weight, steps=50, refine_iterations=10) <= errors[-1] * (1 + 1e-6)


def test_projection_quantized_reduces_error():
    """With (8, 8, 8) quantizers in the loop, RAdam steps improve on the quantized SVD start."""
    weight = _representable(16, 32, 3, 2, 8, seed=13) * 0.5
    layer = mn.MLGConv2d(16, 32, 3, bias=False, bi=2, bc=8, bits=(8, 8, 8))
    start = layer.project_(weight, steps=0, refine_iterations=0)
    final = layer.project_(weight, steps=200, refine_iterations=0)
    assert final < 0.5 * start
    with torch.no_grad():  # projection works under no_grad too
        assert layer.project_(weight, steps=5) < start


# ----------------------------------------------------------------------------
# Orthogonality regulariser (method.md §5, Eq. 7).

def _ref_ortho(basis, u, v, bi):
    def mse(a, b):
        return np.mean((a - b) ** 2)
    total = 0.0
    if u is not None and bi > 1:
        bc = basis.shape[0]
        for_b = basis.reshape(bc, bi, -1)
        total += mse(np.stack([m @ m.T for m in for_b]), np.broadcast_to(np.eye(bi), (bc, bi, bi)))
        un = u / np.linalg.norm(u, axis=1, keepdims=True)
        total += mse(np.stack([m.T @ m for m in un]), np.broadcast_to(np.eye(bi), (bc, bi, bi)))
    elif u is None and v is not None:
        rows = basis.reshape(basis.shape[0], -1)
        total += mse(rows @ rows.T, np.eye(rows.shape[0]))
    if v is not None:
        vn = v / np.linalg.norm(v, axis=0, keepdims=True)
        total += mse(vn.T @ vn, np.eye(v.shape[1]))
    return total


def test_ortho_loss_hand_computed_cross_only():
    layer = mn.MLGConv2d(3, 4, (1, 2), bias=False, bi=0, bc=2, bits=None)  # level 2 only
    assert (layer.intra, layer.cross) == (False, True)
    with torch.no_grad():
        layer.basis.copy_(torch.tensor([[1.0, 0.0, 0.0, 0.0, 2.0, 0.0],
                                        [0.0, 1.0, 0.0, 0.0, 0.0, 0.0]]).reshape(2, 3, 1, 2))
        layer.coeff_out.copy_(torch.tensor([[3.0, 0.0], [4.0, 1.0], [0.0, 0.0], [0.0, 0.0]]))
    # Basis rows: gram [[5, 0], [0, 1]] -> mse vs I = (4² + 0 + 0 + 0)/4 = 4.
    # V columns normalised: (0.6, 0.8, 0, 0) and (0, 1, 0, 0): gram [[1, .8], [.8, 1]]
    # -> mse = (0.64 + 0.64)/4 = 0.32.
    assert mn.layer_ortho_loss(layer).item() == pytest.approx(4.32, abs=1e-6)


def test_ortho_loss_hand_computed_two_levels():
    layer = mn.MLGConv2d(3, 2, (1, 3), bias=False, bi=2, bc=1, bits=None)
    assert (layer.intra, layer.cross, layer.bi, layer.bc) == (True, True, 2, 1)
    with torch.no_grad():
        layer.basis.copy_(torch.tensor([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]]).reshape(1, 2, 1, 3))
        layer.coeff_in.copy_(torch.tensor([[[5.0, 1.0], [0.0, 1.0], [0.0, 0.0]]]))
        layer.coeff_out.copy_(torch.tensor([[2.0], [0.0]]))
    # basis gram [[1, 0], [0, 4]]: 9/4. U columns (1,0,0), (1,1,0)/√2: gram
    # [[1, 1/√2], [1/√2, 1]]: (1/2 + 1/2)/4 = 1/4. V: one unit column, 0.
    assert mn.layer_ortho_loss(layer).item() == pytest.approx(2.5, abs=1e-6)


@pytest.mark.parametrize("ci,co,k,bi,bc", [(8, 12, 3, 2, 4), (8, 12, 3, 3, 44), (8, 12, 1, 2, 5)])
def test_ortho_loss_matches_reference(ci, co, k, bi, bc):
    layer = mn.MLGConv2d(ci, co, k, bias=False, bi=bi, bc=bc, bits=(3, 6, 3))
    _randomize(layer, seed=21)
    u = np_param(layer.coeff_in) if layer.intra else None
    v = np_param(layer.coeff_out) if layer.cross else None
    ref = _ref_ortho(np_param(layer.basis), u, v, layer.bi)
    assert mn.layer_ortho_loss(layer).item() == pytest.approx(ref, rel=1e-5)


def test_ortho_loss_bi_one_has_no_official_bug():
    """Bi = 1 with both levels (DenseNet "1-25"): the official code raises; here only V counts."""
    layer = mn.MLGConv2d(8, 12, 3, bias=False, bi=1, bc=4, bits=None)
    assert layer.intra and layer.cross and layer.bi == 1
    _randomize(layer, seed=22)
    v = np_param(layer.coeff_out)
    vn = v / np.linalg.norm(v, axis=0, keepdims=True)
    expected = np.mean((vn.T @ vn - np.eye(4)) ** 2)
    assert mn.layer_ortho_loss(layer).item() == pytest.approx(expected, rel=1e-5)
    # Gradient reaches V only; the basis and U terms were dropped.
    mn.layer_ortho_loss(layer).backward()
    assert layer.coeff_out.grad is not None and layer.basis.grad is None


def test_ortho_loss_norm_is_constant():
    """The column norms of V are taken on .data: no gradient through them."""
    layer = mn.MLGConv2d(4, 6, 1, bias=False, bi=0, bc=3, bits=None)
    _randomize(layer, seed=23)
    v = layer.coeff_out.detach().double().clone().requires_grad_(True)
    norms = v.detach().norm(dim=0, keepdim=True)
    vn = v / norms
    torch.mean((vn.t() @ vn - torch.eye(3, dtype=torch.float64)) ** 2).backward()
    layer.basis.requires_grad_(False)
    mn.layer_ortho_loss(layer).backward()
    np.testing.assert_allclose(layer.coeff_out.grad.numpy(), v.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_ortho_loss_model_sum():
    model = nn.Sequential(mn.MLGConv2d(8, 12, 3, bi=2, bc=4), nn.ReLU(), mn.MLGConv2d(12, 6, 1, bc=3))
    expected = mn.layer_ortho_loss(model[0]) + mn.layer_ortho_loss(model[2])
    assert mn.ortho_loss(model).item() == pytest.approx(expected.item())
    assert mn.ortho_loss(nn.Linear(3, 3)).item() == 0.0


# ----------------------------------------------------------------------------
# Knowledge distillation (method.md §5).

def test_kd_loss_manual():
    torch.manual_seed(4)
    s, t = torch.randn(5, 7, dtype=torch.float64), torch.randn(5, 7, dtype=torch.float64)
    y = torch.tensor([0, 3, 6, 2, 2])
    T, alpha = 3.0, 0.9

    def softmax(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    p_t, q_t = softmax(s.numpy() / T), softmax(t.numpy() / T)
    kl = np.mean(np.sum(q_t * (np.log(q_t) - np.log(p_t)), axis=1))
    ce = np.mean(-np.log(softmax(s.numpy())[np.arange(5), y.numpy()]))
    expected = alpha * T * T * kl + (1 - alpha) * ce
    assert mn.kd_loss(s, t, y).item() == pytest.approx(expected, rel=1e-10)
    assert mn.KDLoss()(s, t, y).item() == pytest.approx(expected, rel=1e-10)
    assert mn.kd_loss(s, t, y, temperature=1.0, alpha=0.0).item() == pytest.approx(ce, rel=1e-10)


# ----------------------------------------------------------------------------
# convert() on torchvision ResNet-18 (random weights).

# torchvision resnet18 convolutions: (Co, Ci, k)
RESNET18_CONVS = (
    [(64, 3, 7)] + [(64, 64, 3)] * 4
    + [(128, 64, 3), (128, 128, 3), (128, 64, 1), (128, 128, 3), (128, 128, 3)]
    + [(256, 128, 3), (256, 256, 3), (256, 128, 1), (256, 256, 3), (256, 256, 3)]
    + [(512, 256, 3), (512, 512, 3), (512, 256, 1), (512, 512, 3), (512, 512, 3)]
)


def expected_stored(co, ci, k, bi, bc):
    """Stored values of one conv from the formulas of method.md §1.2-§1.3."""
    kk = k * k
    if kk == 1 and bc >= min(co, ci):
        bc = int(0.9 * min(co, ci))
    if not 0 < bc < min(co, ci * kk):
        bc = co
    intra = 0 < bi < min(ci, kk)
    cross = bc < co
    basis = bc * (bi if intra else ci) * kk
    return basis + (bc * ci * bi if intra else 0) + (co * bc if cross else 0)


def test_stored_counts_of_method_examples():
    assert expected_stored(64, 64, 3, 2, 44) == 792 + 5632 + 2816  # docs/dialect.md §2.4
    assert expected_stored(128, 64, 1, 2, 44) == 8448  # more than the dense 8192 (method.md §1.3)


@pytest.mark.parametrize("bits", [(3, 6, 3), None])
def test_convert_resnet18(bits):
    torchvision = pytest.importorskip("torchvision")
    torch.manual_seed(0)
    dense = torchvision.models.resnet18(num_classes=10).eval()
    # No SVD here (seconds on a busy CPU): the random start is the official one.
    model = mn.convert(dense, bi=2, bc=44, bits=bits, steps=0, start="random").eval()
    convs = [m for m in model.modules() if isinstance(m, mn.MLGConv2d)]
    assert len(convs) == 20
    assert not any(type(m) is nn.Conv2d for m in model.modules())
    assert len(model.mlg_projection_errors) == 20 + (bits is not None)
    # The classifier stays dense: quantized at 8 bits when quantizing, else untouched.
    if bits is None:
        assert type(model.fc) is nn.Linear
    else:
        assert isinstance(model.fc, mn.MLGLinear) and not model.fc.cross
        assert model.fc.bits == (8, 8) and model.fc.quant_basis.bits == 8
    # torchvision's conv1 is 7x7 3->64: both levels with (2, 44).
    assert (model.conv1.intra, model.conv1.cross) == (True, True)
    assert tuple(model.conv1.basis.shape) == (44, 2, 7, 7)
    assert tuple(model.conv1.coeff_in.shape) == (44, 3, 2)
    assert tuple(model.layer2[0].downsample[0].basis.shape) == (44, 64, 1, 1)
    stored = sum(expected_stored(co, ci, k, 2, 44) for co, ci, k in RESNET18_CONVS)
    bn = sum(p.numel() for m in dense.modules() if isinstance(m, nn.BatchNorm2d) for p in m.parameters())
    fc = 512 * 10 + 10
    assert sum(p.numel() for p in model.parameters()) == stored + bn + fc
    dense_convs = sum(co * ci * k * k for co, ci, k in RESNET18_CONVS)
    assert stored / dense_convs < 0.06  # method.md §3.1: conv-only param ratio 0.0485 (CIFAR)
    # Batch norm copied from the dense model.
    torch.testing.assert_close(model.bn1.running_var, dense.bn1.running_var)
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        y = model(x)
    assert y.shape == (2, 10) and torch.isfinite(y).all()
    # The dense model is untouched (convert copies by default).
    assert type(dense.conv1) is nn.Conv2d


def test_convert_keeps_layers_without_generation():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.Conv2d(4, 4, 3, groups=2), nn.Linear(4, 2))
    out = mn.convert(model, bi=0, bc=0, bits=None, steps=0)
    assert all(type(a) is type(b) for a, b in zip(model, out))


def test_convert_projection_reproduces_representable_model():
    ref = mn.MLGConv2d(4, 16, 1, bias=True, bi=0, bc=3, bits=None)
    _randomize(ref, scale=0.3, seed=31)
    dense = nn.Sequential(nn.Conv2d(4, 16, 1))
    dense[0].weight.data = ref.generated_weight().detach().clone()
    dense[0].bias.data = ref.bias.detach().clone()
    model = mn.convert(dense, bi=2, bc=3, bits=None, steps=0)
    x = torch.randn(2, 4, 5, 5)
    torch.testing.assert_close(model(x), dense(x), rtol=1e-4, atol=1e-5)


# ----------------------------------------------------------------------------
# Training smoke test: KD + orthogonality, a few steps, loss decreases.

def test_training_smoke():
    torch.manual_seed(0)
    teacher = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10)).eval()
    student = mn.convert(teacher, bi=2, bc=8, bits=(4, 6, 4), steps=20).train()
    assert sum(isinstance(m, mn.MLGConv2d) for m in student.modules()) == 2
    x = torch.randn(32, 3, 12, 12)
    with torch.no_grad():
        teacher_logits = teacher(x)
    labels = teacher_logits.argmax(dim=1)  # learnable targets
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-2)
    losses = []
    for _ in range(30):
        loss = mn.kd_loss(student(x), teacher_logits, labels) + 0.05 * mn.ortho_loss(student)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert all(math.isfinite(v) for v in losses)
    assert losses[-1] < 0.8 * losses[0]
    assert np.mean(losses[-5:]) < np.mean(losses[:5])


# ----------------------------------------------------------------------------
# Compression ratios: the paper's Table 2 (method.md §3.1, §3.2).

def cifar_resnet18(num_classes):
    """The official CIFAR ResNet-18: 3x3 stem, no max-pool, classifier without bias
    (as docs/compression.md "Table 2, reproduced")."""
    torchvision = pytest.importorskip("torchvision")
    model = torchvision.models.resnet18(num_classes=num_classes)
    model.conv1 = nn.Conv2d(3, 64, 3, padding=1, bias=False)
    model.maxpool = nn.Identity()
    model.fc = nn.Linear(512, num_classes, bias=False)
    return model


@pytest.mark.parametrize("classes,bits,param_ratio,memory_ratio", [
    (10, None, 0.0497, 0.0497), (10, 8, 0.0497, 0.0131), (10, (3, 6, 3), 0.0497, 0.0080),
    (100, 8, 0.0536, 0.0140), (100, (3, 6, 3), 0.0536, 0.0090)])
def test_compression_ratios_reproduce_table2(classes, bits, param_ratio, memory_ratio):
    torch.manual_seed(0)
    dense = cifar_resnet18(classes)
    assert classes != 10 or sum(p.numel() for p in dense.parameters()) == 11173962 - 10
    model = mn.convert(dense, bi=2, bc=44, bits=bits, steps=0, start="random")
    # CIFAR conv1 3->64 3x3: level 1 only (method.md §1.3).
    assert (model.conv1.intra, model.conv1.cross) == (True, False)
    assert tuple(model.conv1.basis.shape) == (64, 2, 3, 3)
    ratios = mn.compression_ratios(model)
    assert ratios["dense_parameters"] == sum(p.numel() for p in dense.parameters())
    assert round(ratios["parameter_ratio"], 4) == param_ratio
    assert round(ratios["memory_ratio"], 4) == memory_ratio


# ----------------------------------------------------------------------------
# Export through the real dialect: mlg_generators() -> mlg.dequantize + the
# generated op, run by the reference lowering, against the layer's forward.
# Needs the C++ build (MLG_BUILD_DIR or <repo>/build); skipped without it.

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("MLG_BUILD_DIR", REPO / "build"))
LLVM_BIN = pathlib.Path("/usr/lib/llvm-22/bin")
LLVM_LIB = pathlib.Path("/usr/lib/llvm-22/lib")


def _mlir_literal(a):
    a = np.asarray(a)
    kwargs = {"floatmode": "unique"} if a.dtype.kind == "f" else {}
    return np.array2string(a, separator=", ", threshold=10 ** 9, max_line_width=10 ** 9, **kwargs)


def _tensor_type(shape, element):
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def _mlir_program(generators, x, y_shape):
    """A main() that decodes the exported generators and applies the generated op."""
    body = [f"  %x = arith.constant dense<{_mlir_literal(x)}> : {_tensor_type(x.shape, 'f32')}"]
    operands, types = [], [_tensor_type(x.shape, "f32")]
    for key, keyword in (("basis", "basis"), ("u", "coeff_in"), ("v", "coeff_out")):
        t = generators[key]
        if t is None:
            continue
        if "values" in t:
            shape = t["values"].shape
            body.append(f"  %{key} = arith.constant dense<{_mlir_literal(t['values'])}> : "
                        f"{_tensor_type(shape, 'f32')}")
        else:
            shape = t["codes"].shape
            codes = _tensor_type(shape, f"i{t['bits']}")
            body.append(f"  %{key}_codes = arith.constant dense<{_mlir_literal(t['codes'])}> : {codes}")
            body.append(f"  %{key} = mlg.dequantize %{key}_codes as midrise<scale = {t['scale']!r}> : "
                        f"{codes} -> {_tensor_type(shape, 'f32')}")
        operands.append(f"{keyword}(%{key})")
        types.append(_tensor_type(shape, "f32"))
    if generators["bias"] is not None:
        bias = generators["bias"]
        body.append(f"  %bias = arith.constant dense<{_mlir_literal(bias)}> : {_tensor_type(bias.shape, 'f32')}")
        operands.append("bias(%bias)")
        types.append(_tensor_type(bias.shape, "f32"))
    if generators["kind"] == "conv2d":
        g = generators
        attrs = (f" strides [{g['stride'][0]}, {g['stride'][1]}]"
                 f" padding [{', '.join(map(str, g['padding']))}]"
                 f" dilations [{g['dilation'][0]}, {g['dilation'][1]}] groups {g['groups']}"
                 + (" depthwise" if g["depthwise"] else ""))
        op = f"mlg.generated_conv2d nchw_fchw %x {' '.join(operands)}{attrs}"
    else:
        op = f"mlg.generated_matmul %x {' '.join(operands)}"
    out_type = _tensor_type(y_shape, "f32")
    body.append(f"  %y = {op}\n      : ({', '.join(types)}) -> {out_type}")
    body.append(f"  %p = tensor.cast %y : {out_type} to tensor<*xf32>")
    body.append("  call @printMemrefF32(%p) : (tensor<*xf32>) -> ()")
    return ("func.func private @printMemrefF32(tensor<*xf32>)\nfunc.func @main() {\n"
            + "\n".join(body) + "\n  return\n}\n")


EXPORT_LAYERS = [
    (lambda: mn.MLGConv2d(4, 6, 3, stride=2, padding=1, bias=True, bi=2, bc=3, bits=(3, 6, 3)), (1, 4, 7, 7)),
    (lambda: mn.MLGConv2d(6, 12, 3, padding=1, groups=6, bias=False, bi=3, bits=(4, 5, 4)), (1, 6, 5, 5)),
    (lambda: mn.MLGConv2d(8, 10, 1, bias=True, bi=2, bc=4, bits=(1, 6, 8)), (2, 8, 3, 3)),
    (lambda: mn.MLGConv2d(4, 8, (3, 2), padding=(1, 0, 0, 1), dilation=(2, 1), bi=2, bc=3,
                          bits=(32, 6, 16)), (1, 4, 6, 6)),
    (lambda: mn.MLGConv2d(4, 4, 3, groups=2, bi=0, bc=0, bits=5), (1, 4, 5, 5)),
    (lambda: mn.MLGLinear(12, 7, bc=3, bits=(3, 6, 4)), (2, 12)),
    (lambda: mn.MLGLinear(12, 7, bc=0, bits=8), (2, 12)),
]


@pytest.mark.parametrize("index", range(len(EXPORT_LAYERS)))
def test_exported_generators_run_in_mlg_dialect(index, tmp_path):
    mlg_opt = BUILD / "bin" / "mlg-opt"
    runner = LLVM_BIN / "mlir-runner"
    if not mlg_opt.exists() or not runner.exists():
        pytest.skip(f"needs {mlg_opt} and {runner}")
    make, x_shape = EXPORT_LAYERS[index]
    torch.manual_seed(index)
    layer = make()
    _randomize(layer, scale=1.0, seed=40 + index)
    x = torch.randn(x_shape)
    y = layer(x).detach().numpy()
    source = tmp_path / "layer.mlir"
    source.write_text(_mlir_program(layer.mlg_generators(), x.numpy(), y.shape))
    libs = f"{LLVM_LIB / 'libmlir_runner_utils.so'},{LLVM_LIB / 'libmlir_c_runner_utils.so'}"
    lowered = subprocess.run([str(mlg_opt), str(source), "--mlg-reference-to-llvm"],
                             capture_output=True, text=True, check=True, timeout=60).stdout
    run = subprocess.run([str(runner), "-e", "main", "-entry-point-result=void", f"-shared-libs={libs}"],
                         input=lowered, capture_output=True, text=True, check=True, timeout=60)
    printed = run.stdout[run.stdout.index("data =") + len("data ="):]
    values = np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d*)?(?:e[-+]?\d+)?", printed)])
    assert values.shape == (y.size,)
    # printMemrefF32 prints 6 significant digits.
    np.testing.assert_allclose(values, y.reshape(-1), rtol=0, atol=2e-5 * np.abs(y).max() + 1e-6)
