"""mlg.from_torch: a small net covering every supported operator, the torchvision architectures,
compression of an imported ResNet-18, MLG generator layers, and the error messages.

Compiled outputs are compared with torch's (relative error <= 1e-4). Needs the build's mlgc,
mlg-run and mlg-opt ($MLG_BUILD_DIR or <repo>/build); those tests skip without them.
"""

import re

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import mlg
from mlg.frontend import TraceError, UnsupportedOperatorError

import torch_support as ts

needs_tools = pytest.mark.skipif(not ts.have_tools("mlgc", "mlg-run", "mlg-opt"),
                                 reason="needs mlgc, mlg-run and mlg-opt in %s/bin" % ts.BUILD)

TOLERANCE = 1e-4


def randomize_batchnorm(model, seed=0):
    """Non-trivial running statistics and affine parameters, so folding is tested."""
    g = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.running_mean.copy_(torch.rand(c, generator=g) * 0.2 - 0.1)
            m.running_var.copy_(torch.rand(c, generator=g) + 0.5)
            if m.weight is not None:
                m.weight.data.copy_(torch.rand(c, generator=g) + 0.5)
                m.bias.data.copy_(torch.rand(c, generator=g) * 0.2 - 0.1)
    return model


def torch_output(model, x):
    with torch.no_grad():
        return model.eval()(x).numpy()


# ------------------------------------------------------------------------------------------------
# A small net with every operator


class Block(nn.Module):
    """Squeeze-and-excitation block (mul broadcasting [N,C,1,1] over [N,C,H,W])."""

    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Conv2d(c, 4, 1)
        self.fc2 = nn.Conv2d(4, c, 1)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        s = F.relu(self.fc1(s))
        s = F.hardsigmoid(self.fc2(s))
        return s * x


class AllOps(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(8)
        self.grouped = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2)
        self.depthwise = nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False)
        self.dw_bn = nn.BatchNorm2d(8)
        self.multiplier = nn.Conv2d(8, 16, 3, padding=(1, 0), groups=8)
        self.act6 = nn.ReLU6()
        self.se = Block(16)
        self.proj = nn.Conv2d(16, 8, 1)
        self.post_bn = nn.BatchNorm2d(8)
        self.hs = nn.Hardswish()
        self.pool = nn.MaxPool2d(3, 2, padding=1)
        self.avg = nn.AvgPool2d(2)
        self.fc = nn.Linear(32, 10)
        self.drop = nn.Dropout(0.5)
        self.head = nn.Linear(10, 6, bias=False)

    def forward(self, x):
        x = torch.relu(self.stem_bn(self.stem(x)))            # conv + folded BN + torch.relu
        y = self.grouped(x).sigmoid()                          # grouped dilated conv, Tensor.sigmoid
        z = F.silu(self.dw_bn(self.depthwise(x)))              # depthwise + BN + F.silu
        x = torch.cat([y, z], 1)                               # cat
        x = self.act6(self.multiplier(x[:, :8]))               # slicing, channel multiplier, ReLU6
        x = self.se(x)
        x = self.post_bn(self.proj(x) + 0.5)                   # add scalar, BN not after a conv
        x = self.hs(x) * 2.0 - x.mean((2, 3), keepdim=True)    # Hardswish, scalar mul, mean
        x = self.pool(x)                                       # max pool with -inf padding
        a = self.avg(x).flatten(1)                             # avg pool, Tensor.flatten
        b = torch.flatten(F.adaptive_avg_pool2d(x, (2, 1)), 1)  # adaptive, divisible
        c = F.adaptive_avg_pool2d(x, (1, 1)).view(x.size(0), -1)
        x = torch.cat((a[:, :8], b, c), dim=1)
        x = self.drop(F.relu(self.fc(x)))
        x = self.head(x)
        return F.softmax(x, dim=1), torch.add(x, x).sub(1.0).div(2.0)


needs_reference = pytest.mark.skipif(not ts.have_reference(),
                                     reason="needs mlg-opt in %s/bin and mlir-runner" % ts.BUILD)

def all_ops_case():
    torch.manual_seed(0)
    return randomize_batchnorm(AllOps()).eval(), torch.randn(2, 3, 16, 12)


def test_all_ops_ir_form():
    model, x = all_ops_case()
    text = mlg.from_torch(model, x)
    assert "linalg.depthwise_conv_2d_nchw_chw" in text
    assert "linalg.conv_2d_ngchw_gfchw" in text
    assert 'loc("stem")' in text and "dense_resource<stem_weight>" in text
    assert "stem_bn" not in text  # folded into the convolution
    assert "dense_resource<post_bn_weight>" in text  # after an add: a per-channel affine
    assert text.count("func.func") == 1


@needs_reference
def test_all_ops_against_torch():
    """Every operator, through the reference lowering (the executable definition of the ops)."""
    model, x = all_ops_case()
    got = ts.run_reference(mlg.from_torch(model, x), x.numpy())
    with torch.no_grad():
        want = [t.numpy() for t in model(x)]
    assert len(got) == 2
    for g, w in zip(got, want):
        assert g.shape == w.shape
        assert ts.rel_error(g, w) <= TOLERANCE


class ConvNeXtStyle(nn.Module):
    """ConvNeXt/ShuffleNet operators: permute, LayerNorm, GELU, a linear layer on NHWC, a
    layer-scale parameter, chunk unpacking, transpose and view."""

    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(8, 8, 7, padding=3, groups=8)
        self.norm = nn.LayerNorm(8, eps=1e-6)
        self.fc1 = nn.Linear(8, 16)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(16, 8)
        self.gamma = nn.Parameter(torch.rand(8) + 0.5)

    def forward(self, x):
        y = self.dw(x).permute(0, 2, 3, 1)
        y = self.fc2(self.act(self.fc1(self.norm(y))))
        x = x + (self.gamma * y).permute(0, 3, 1, 2)
        a, b = x.chunk(2, dim=1)
        x = torch.cat((a, F.gelu(b, approximate="tanh")), 1)
        n, c, h, w = x.shape
        x = torch.transpose(x.view(n, 2, c // 2, h, w), 1, 2).contiguous().view(n, -1, h, w)
        return F.layer_norm(x, (h, w))


@needs_reference
def test_convnext_style_ops_against_torch():
    torch.manual_seed(0)
    model = ConvNeXtStyle().eval()
    x = torch.randn(2, 8, 6, 5)
    got = ts.run_reference(mlg.from_torch(model, x), x.numpy())[0]
    assert ts.rel_error(got, torch_output(model, x)) <= TOLERANCE


@needs_reference
def test_elementwise_maps_against_torch():
    """onnx_models.ConvNeXtBlock: LayerNorm, GELU and the elementwise maps (abs, pow, sqrt,
    rsqrt, reciprocal, exp, neg, log, softplus, elu, mish), as the ONNX importer's test."""
    import onnx_models as om
    torch.manual_seed(0)
    model, x = om.ConvNeXtBlock().eval(), torch.randn(2, 8, 9, 9)
    got = ts.run_reference(mlg.from_torch(model, x), x.numpy())[0]
    assert ts.rel_error(got, torch_output(model, x)) <= TOLERANCE


class CrossAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(16, 4)  # sequence-first

    def forward(self, q, kv):
        y, _ = self.attn(q, kv, kv, need_weights=False)
        return y


class ComputedConstants(nn.Module):
    """A weight standardised in forward and a table indexed by a constant buffer."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(4, 3, 3, 3))
        self.table = nn.Parameter(torch.randn(10))
        self.register_buffer("index", torch.tensor([[1, 2, 3, 4, 5]]))

    def forward(self, x):
        w = (self.w - self.w.mean()) / self.w.std()
        y = F.conv2d(x, w, None, 1, 1)
        return y.flatten(1)[:, :5] + self.table[self.index] * torch.ones(1, 5)


@needs_reference
def test_input_independent_tensors_become_constants():
    torch.manual_seed(0)
    model = ComputedConstants().eval()
    x = torch.randn(1, 3, 6, 6)
    text = mlg.from_torch(model, x)
    assert "linalg.conv_2d_nchw_fchw" in text and "dense_resource<mul>" in text
    got = ts.run_reference(text, x.numpy())[0]
    assert ts.rel_error(got, torch_output(model, x)) <= TOLERANCE


class HandWrittenAttention(nn.Module):
    """Attention written with @, transpose, softmax and sum; F.pad and a constant matrix."""

    def __init__(self):
        super().__init__()
        self.qkv = nn.Linear(8, 24)
        self.mix = nn.Parameter(torch.randn(8, 8))

    def forward(self, x):
        n, length, _ = x.shape
        q, k, v = self.qkv(x).view(n, length, 3, 2, 4).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1) * 0.5).softmax(dim=-1)
        y = (attn @ v).transpose(1, 2).reshape(n, length, 8) @ self.mix
        y = torch.bmm(y, y.transpose(1, 2)).sum(-1, keepdim=True) + y.sum(1, keepdim=True)
        return F.pad(y, (1, 2, 0, 1), value=-1.0)


@needs_reference
def test_attention_against_torch():
    """nn.MultiheadAttention (cross-attention, sequence-first) and a small torchvision ViT
    (class token expand, positional embedding, LayerNorm, GELU MLP, x[:, 0])."""
    vision_transformer = pytest.importorskip("torchvision.models.vision_transformer")
    torch.manual_seed(0)
    model = CrossAttention().eval()
    q, kv = torch.randn(3, 2, 16), torch.randn(5, 2, 16)
    got = ts.run_reference(mlg.from_torch(model, (q, kv)), q.numpy(), kv.numpy())[0]
    with torch.no_grad():
        assert ts.rel_error(got, model(q, kv).numpy()) <= TOLERANCE
    model = HandWrittenAttention().eval()
    x = torch.randn(2, 5, 8)
    got = ts.run_reference(mlg.from_torch(model, x), x.numpy())[0]
    assert ts.rel_error(got, torch_output(model, x)) <= TOLERANCE
    vit = vision_transformer.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=32, mlp_dim=64,
                            num_classes=10).eval()
    with torch.no_grad():
        for p in vit.parameters():  # the class token and the head start at zero
            p.normal_(0, 0.2)
    x = torch.randn(1, 3, 32, 32)
    got = ts.run_reference(mlg.from_torch(vit, x), x.numpy())[0]
    assert ts.rel_error(got, torch_output(vit, x)) <= TOLERANCE


@needs_tools
def test_mlgc_reads_no_freed_buffer():
    """After a matmul or 1x1 convolution whose input is a small intermediate (two linears in a
    row, mobilenet_v3's squeeze-excitation), mlgc once loaded that input after freeing it
    (mlg-cpu-broadcast-loads ran after the deallocations were placed). This checks the lowered IR
    directly, which is deterministic."""
    model = nn.Sequential(nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 6, bias=False)).eval()
    assert ts.freed_then_loaded(mlg.from_torch(model, torch.randn(2, 10))) == []


class Pools(nn.Module):
    """Pooling forms: ceil_mode, padding, stride defaults, non-divisible adaptive pooling."""

    def forward(self, x):
        a = F.max_pool2d(x, 3, 2, ceil_mode=True)
        b = F.avg_pool2d(x, 2, stride=1, padding=1)
        c = nn.functional.adaptive_avg_pool2d(x, (3, 2))
        d = F.adaptive_max_pool2d(x, 1)
        return torch.cat([a.flatten(1), b.flatten(1), c.flatten(1), d.flatten(1)], 1)


@needs_tools
def test_pooling_forms_against_torch():
    x = torch.randn(1, 4, 7, 8)
    model = Pools()
    lib = ts.Compiled(mlg.from_torch(model, x))
    assert ts.rel_error(lib(x.numpy(), perturb=True), torch_output(model, x)) <= TOLERANCE


# ------------------------------------------------------------------------------------------------
# torchvision


TORCHVISION = ["resnet18", "resnet34", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
               "densenet121"]


# Other architectures the maintainer may choose: channel shuffle with chunk (shufflenet), SE with
# SiLU and stochastic depth (efficientnet), ceil_mode pooling and concatenation (squeezenet,
# googlenet). ConvNeXt's operators are tested on a small net below.
OTHER_TORCHVISION = ["shufflenet_v2_x0_5", "efficientnet_b0", "squeezenet1_1", "googlenet"]


def torchvision_model(name, seed=0):
    torchvision = pytest.importorskip("torchvision")
    torch.manual_seed(seed)
    extra = {"aux_logits": False, "init_weights": False} if name == "googlenet" else {}
    return randomize_batchnorm(getattr(torchvision.models, name)(num_classes=10, **extra), seed).eval()


@needs_tools
@pytest.mark.parametrize("name", TORCHVISION + OTHER_TORCHVISION)
def test_torchvision_imports_and_parses(name, tmp_path):
    model = torchvision_model(name)
    x = torch.randn(1, 3, 32, 32)
    text = mlg.from_torch(model, x)
    assert text.count("func.func @forward") == 1
    path = tmp_path / ("%s.mlir" % name)
    path.write_text(text)
    ts.run_tool([ts.tool("mlg-opt"), str(path), "-o", "/dev/null"])


@pytest.fixture(scope="module")
def resnet18_import():
    model = torchvision_model("resnet18")
    x = torch.randn(1, 3, 32, 32)
    return model, x, mlg.from_torch(model, x)


@needs_tools
def test_resnet18_against_torch(resnet18_import):
    model, x, text = resnet18_import
    lib = ts.Compiled(text)
    print("resnet18 1x3x32x32: mlgc %.1f s" % lib.compile_seconds)
    assert ts.rel_error(lib(x.numpy(), perturb=True), torch_output(model, x)) <= TOLERANCE


@needs_tools
def test_mobilenet_v3_small_against_torch():
    model = torchvision_model("mobilenet_v3_small")
    x = torch.randn(1, 3, 32, 32)
    lib = ts.Compiled(mlg.from_torch(model, x))
    print("mobilenet_v3_small 1x3x32x32: mlgc %.1f s" % lib.compile_seconds)
    assert ts.rel_error(lib(x.numpy(), perturb=True), torch_output(model, x)) <= TOLERANCE


@needs_tools
def test_resnet18_compresses(resnet18_import):
    """mlg-compress finds every convolution by its module name, and the compressed model compiles
    (mlgc --compress) and runs."""
    model, x, text = resnet18_import
    compressed = ts.mlg_opt(text, "--mlg-compress=bi=2 bc=8 qb=3 qu=6 qv=3")
    layers = set(re.findall(r'mlg\.layer = "([^"]+)"', compressed))
    convs = {n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)}
    assert convs <= layers
    lib = ts.Compiled(text, compress="bi=2 bc=8 qb=3 qu=6 qv=3")
    print("resnet18 1x3x32x32 compressed: mlgc %.1f s" % lib.compile_seconds)
    y = lib(x.numpy(), perturb=True)
    assert y.shape == (1, 10) and np.all(np.isfinite(y))


@needs_tools
def test_resnet18_compiles_for_ptc(resnet18_import, tmp_path):
    """The photonic target's lowering accepts the imported form (folded BN, fused ReLU,
    symmetric pooling padding)."""
    _, _, text = resnet18_import
    assert ts.compile_for_ptc(text, tmp_path, "resnet18") > 0


# ------------------------------------------------------------------------------------------------
# MLG generator layers (the shared interface of mlg.nn)


def _decode(t):
    if "values" in t:
        return np.asarray(t["values"], np.float64)
    c = np.asarray(t["codes"], np.float64)
    return t["scale"] * (c + 0.5) if t["grid"] == "midrise" else t["scale"] * c


def _random_codes(rng, shape, bits, grid, scale):
    if grid == "midrise":
        codes = rng.integers(-(1 << (bits - 1)), 1 << (bits - 1), size=shape)
    else:
        m = (1 << (bits - 1)) - 1
        codes = rng.integers(-m, m + 1, size=shape)
    return {"codes": codes, "bits": bits, "grid": grid, "scale": scale}


class GeneratedConv(nn.Module):
    """A stand-in for mlg.nn.MLGConv2d: random generators, forward from the formulas."""

    def __init__(self, seed, ci, co, k, bi, bc, groups=1, stride=1, padding=1, dilation=1, levels="uv",
                 bias=True):
        super().__init__()
        rng = np.random.default_rng(seed)
        cg = ci if groups == ci and bc == 1 else ci // groups  # depthwise: one kernel of C rows
        self.gens = {"kind": "conv2d", "stride": stride, "padding": padding, "dilation": dilation,
                     "groups": groups, "bias": rng.standard_normal(co).astype(np.float32) if bias else None}
        if "u" in levels:
            self.gens["basis"] = _random_codes(rng, (bc, bi, k, k), 3, "midrise", 0.25)
            self.gens["u"] = _random_codes(rng, (bc, cg, bi), 6, "midtread", 0.03125)
        else:
            self.gens["basis"] = {"values": rng.standard_normal((bc, cg, k, k)).astype(np.float32)}
            self.gens["u"] = None
        self.gens["v"] = _random_codes(rng, (co, bc), 3, "midrise", 0.5) if "v" in levels else None

    def weight(self):
        g = self.gens
        w = _decode(g["basis"])
        if g["u"] is not None:
            w = np.einsum("bcj,bjyx->bcyx", _decode(g["u"]), w)
        if g["v"] is not None:
            w = np.einsum("ob,bcyx->ocyx", _decode(g["v"]), w)
        if w.shape[0] == 1 and g["groups"] > 1:  # depthwise: [1, C, k, k] is [C, 1, k, k]
            w = w.reshape(w.shape[1], 1, *w.shape[2:])
        return torch.tensor(w, dtype=torch.float32)

    def mlg_generators(self):
        return self.gens

    def forward(self, x):
        g = self.gens
        b = torch.tensor(g["bias"]) if g["bias"] is not None else None
        return F.conv2d(x, self.weight(), b, g["stride"], g["padding"], g["dilation"], g["groups"])


class GeneratedLinear(nn.Module):
    def __init__(self, seed, ci, co, bc):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.gens = {"kind": "matmul", "bias": rng.standard_normal(co).astype(np.float32),
                     "basis": {"values": rng.standard_normal((bc, ci)).astype(np.float32)}, "u": None,
                     "v": _random_codes(rng, (co, bc), 4, "midtread", 0.125)}

    def mlg_generators(self):
        return self.gens

    def forward(self, x):
        w = _decode(self.gens["v"]) @ _decode(self.gens["basis"])
        return F.linear(x, torch.tensor(w, dtype=torch.float32), torch.tensor(self.gens["bias"]))


class GeneratedNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = GeneratedConv(1, 3, 8, 3, bi=2, bc=4, stride=2)
        self.bn = nn.BatchNorm2d(8)
        self.conv2 = GeneratedConv(2, 8, 8, 3, bi=2, bc=1, groups=8, levels="u", bias=False)
        self.conv3 = GeneratedConv(3, 8, 6, 1, bi=0, bc=4, levels="v", padding=0)
        self.fc = GeneratedLinear(4, 6, 5, bc=3)

    def forward(self, x):
        x = F.relu(self.bn(self.conv1(x)))
        x = F.relu6(self.conv2(x))
        x = self.conv3(x).mean((2, 3))
        return self.fc(x)


@needs_reference
def test_mlg_generator_layers_against_formulas():
    torch.manual_seed(0)
    model = randomize_batchnorm(GeneratedNet())
    x = torch.randn(1, 3, 12, 12)
    text = mlg.from_torch(model, x)
    # The trained generators are emitted as such, not as dense weights.
    assert text.count("mlg.generate_cross") == 3 and text.count("mlg.generate_intra") == 2
    assert "midrise<scale = 2.5" in text and "!quant.uniform<i6<-31:31>:f32" in text
    assert "dense_resource<conv1_weight>" not in text
    assert "dense_resource<bn_weight>" in text  # BN after a generated conv is not folded into it
    got = ts.run_reference(text, x.numpy())[0]
    assert ts.rel_error(got, torch_output(model, x)) <= TOLERANCE


@needs_reference
@pytest.mark.parametrize("bits,grid", [(1, "midrise"), (3, "midrise"), (12, "midrise"), (2, "midtread"),
                                       (6, "midtread")])
def test_codes_decode_at_every_width(bits, grid):
    """Codes of 1..16 bits are stored as the dialect reads them (i1 as a literal: its hex form
    is bit-packed) and decode to scale * (c + 1/2) or scale * c."""
    from mlg.frontend.emitter import Emitter, Value
    rng = np.random.default_rng(bits)
    if grid == "midrise":
        codes = rng.integers(-(1 << (bits - 1)), 1 << (bits - 1), size=(3, 5))
        want = 0.25 * (codes + 0.5)
    else:
        m = (1 << (bits - 1)) - 1
        codes = rng.integers(-m, m + 1, size=(3, 5))
        want = 0.25 * codes
    em = Emitter()
    decoded = em.dequantize(em.codes(codes, bits), bits, grid, 0.25)
    x = Value("%input0", (3, 5))
    y = em.elementwise([x, decoded], lambda b, a, w: b.add(a, w))
    got = ts.run_reference(em.module("forward", [x], [y]), np.zeros((3, 5), np.float32))[0]
    assert np.array_equal(got, want.astype(np.float32))


class MLGNet(nn.Module):
    """mlg.nn's own layers: two levels, depthwise (shared basis), 1x1 (level 2 only), grouped,
    float generators, and a linear layer."""

    def __init__(self, nn_mlg):
        super().__init__()
        self.c1 = nn_mlg.MLGConv2d(3, 16, 3, stride=2, padding=1, bias=False, bi=2, bc=8, bits=(3, 6, 3))
        self.b1 = nn.BatchNorm2d(16)
        self.dw = nn_mlg.MLGConv2d(16, 16, 3, padding=1, groups=16, bias=False, bi=2, bc=44, bits=(3, 6, 3),
                                   depthwise=True)
        self.pw = nn_mlg.MLGConv2d(16, 24, 1, bi=2, bc=8, bits=(3, 6, 3))
        self.g = nn_mlg.MLGConv2d(24, 24, 3, padding=1, groups=4, bi=2, bc=4, bits=(4, 6, 4))
        self.fl = nn_mlg.MLGConv2d(24, 8, 3, padding=1, bi=2, bc=4, bits=None)
        self.fc = nn_mlg.MLGLinear(8, 10, bc=4, bits=8)

    def forward(self, x):
        x = F.relu(self.b1(self.c1(x)))
        x = F.relu6(self.dw(x))
        x = self.pw(x)
        x = self.g(x) + x
        x = self.fl(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


@needs_reference
def test_mlg_nn_layers_against_torch():
    """A model of mlg.nn layers exports its trained generators into the mlg dialect."""
    nn_mlg = pytest.importorskip("mlg.nn")
    torch.manual_seed(0)
    model = randomize_batchnorm(MLGNet(nn_mlg)).eval()
    x = torch.randn(1, 3, 16, 16)
    text = mlg.from_torch(model, x)
    assert text.count("mlg.generate_cross") == 5 and text.count("mlg.generate_intra") == 4
    assert "dense_resource<fl_basis>" in text  # bits=None: float generators
    got = ts.run_reference(text, x.numpy())[0]
    assert ts.rel_error(got, torch_output(model, x)) <= TOLERANCE


# ------------------------------------------------------------------------------------------------
# Errors


class UsesPReLU(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)
        self.act = nn.PReLU()

    def forward(self, x):
        return self.act(self.conv(x))


class UsesCumsum(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = nn.Sequential(nn.Conv2d(3, 4, 1), CumsumLayer())

    def forward(self, x):
        return self.inner(x)


class CumsumLayer(nn.Module):
    def forward(self, x):
        return torch.cumsum(x, dim=1)  # the line the error must name


class DataDependent(nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x
        return -x


def test_unsupported_module_is_named():
    with pytest.raises(UnsupportedOperatorError) as info:
        mlg.from_torch(UsesPReLU(), torch.randn(1, 3, 4, 4))
    assert "module PReLU" in str(info.value) and "module 'act'" in str(info.value)


def test_unsupported_function_names_module_and_line():
    with pytest.raises(UnsupportedOperatorError) as info:
        mlg.from_torch(UsesCumsum(), torch.randn(1, 3, 4, 4))
    msg = str(info.value)
    line = CumsumLayer.forward.__code__.co_firstlineno + 1
    assert "torch.cumsum" in msg
    assert "module 'inner.1'" in msg
    assert "test_from_torch.py:%d" % line in msg


def test_data_dependent_control_flow_is_a_trace_error():
    with pytest.raises(TraceError) as info:
        mlg.from_torch(DataDependent(), torch.randn(1, 3, 4, 4))
    line = DataDependent.forward.__code__.co_firstlineno + 1
    assert "DataDependent" in str(info.value) and "control flow" in str(info.value)
    assert "test_from_torch.py:%d" % line in str(info.value)


class VisibleMutation(nn.Module):
    def forward(self, x):
        y = F.relu(x, inplace=True)
        return y + x  # x was overwritten by the relu


def test_visible_in_place_mutation_is_refused():
    with pytest.raises(UnsupportedOperatorError) as info:
        mlg.from_torch(VisibleMutation(), torch.randn(1, 3, 4, 4))
    assert "F.relu" in str(info.value) and "in place" in str(info.value)


def test_training_flag_is_restored():
    model = UsesPReLU().train()
    with pytest.raises(UnsupportedOperatorError):
        mlg.from_torch(model, torch.randn(1, 3, 4, 4))
    assert model.training


def test_stored_quantized_classifier_compiles_for_both_targets():
    """mlg.nn.convert leaves the classifier dense and 8-bit (its generators are a basis only):
    it is imported as the float constant of its decoded codes, as mlg-compress writes the
    classifier, without a transpose in the IR, and compiles for the CPU and the photonic core."""
    import mlg.nn as nn_mlg
    torch.manual_seed(0)
    dense = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Linear(8, 10))
    model = nn_mlg.convert(dense, 2, 4, (4, 6, 4), steps=0).eval()
    assert isinstance(model[4], nn_mlg.MLGLinear)
    x = torch.randn(1, 1, 8, 8)
    text = mlg.from_torch(model, x)
    assert "linalg.transpose" not in text
    expected = torch_output(model, x)
    cpu = mlg.compile(model, example_inputs=(x,))
    assert ts.rel_error(cpu(x.numpy()), expected) <= TOLERANCE
    ptc = mlg.compile(model, target="ptc", example_inputs=(x,))
    assert np.corrcoef(np.ravel(ptc(x.numpy())), np.ravel(expected))[0, 1] > 0.95
