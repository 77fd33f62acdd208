"""Models for the from_onnx tests: a torch net covering the operator set (exported with
torch.onnx.export) and small graphs written with onnx.helper for forms torch does not export."""

import numpy as np
import onnx
import onnx.helper as oh
import onnx.numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F


class SqueezeExcite(nn.Module):
    """mul broadcasting [N,C,1,1] over [N,C,H,W], ReduceMean over H and W."""

    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Conv2d(c, 4, 1)
        self.fc2 = nn.Conv2d(4, c, 1)

    def forward(self, x):
        s = x.mean((2, 3), keepdim=True)
        s = F.silu(self.fc1(s))
        s = F.hardsigmoid(self.fc2(s))
        return s * x


class AllOps(nn.Module):
    """Every operator of the supported set, in the forms torch.onnx.export writes."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(8)
        self.grouped = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2)
        self.depthwise = nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False)
        self.dw_bn = nn.BatchNorm2d(8)
        self.multiplier = nn.Conv2d(8, 16, 3, padding=(1, 0), groups=8)
        self.se = SqueezeExcite(16)
        self.proj = nn.Conv2d(16, 8, 1)
        self.post_bn = nn.BatchNorm2d(8)
        self.hs = nn.Hardswish()
        self.pool = nn.MaxPool2d(3, 2, padding=1)
        self.avg = nn.AvgPool2d(2)
        self.fc = nn.Linear(8 * 2 * 1, 12)
        self.token = nn.Linear(3, 5)
        self.drop = nn.Dropout(0.5)
        self.head = nn.Linear(12 + 16 + 5 * 16, 6)

    def forward(self, x):
        x = F.relu(self.stem_bn(self.stem(x)))
        y = torch.sigmoid(self.grouped(x))
        x = F.relu6(self.dw_bn(self.depthwise(x)))
        x = torch.cat([x, y], 1)[:, :8]
        x = self.multiplier(x)
        x = self.se(x)
        x = self.proj(x)
        x = self.hs(self.post_bn(x + 0.5))
        p = self.pool(x)
        a = self.avg(p)
        g = F.adaptive_avg_pool2d(x, 1).flatten(1) - 1.0
        t = self.token(p.reshape(p.size(0), 16, -1)[:, :, :3])  # MatMul + Add on a rank-3 input
        f = torch.tanh(self.fc(self.drop(a.view(a.size(0), -1))))
        h = self.head(torch.cat([f, g.repeat(1, 2), t.flatten(1)], 1))
        return F.softmax(h, dim=1), torch.clamp(h, -0.5, 0.5) / 2.0


class ConvNeXtBlock(nn.Module):
    """ConvNeXt's block (depthwise 7x7, channels-last LayerNorm, GELU MLP, layer scale,
    residual): at opset 13 LayerNorm exports as ReduceMean, Sub, Pow, Sqrt and Div, GELU as Erf;
    at opset 17 as LayerNormalization. Then elementwise maps of their own (abs, pow with a
    non-integer exponent, reciprocal, sqrt, exp, neg, log, softplus, elu, mish, rsqrt)."""

    def __init__(self, c=8):
        super().__init__()
        self.dw = nn.Conv2d(c, c, 7, padding=3, groups=c)
        self.norm = nn.LayerNorm(c)
        self.fc1 = nn.Linear(c, 4 * c)
        self.fc2 = nn.Linear(4 * c, c)
        self.gamma = nn.Parameter(torch.rand(c) + 0.5)

    def forward(self, x):
        y = self.dw(x).permute(0, 2, 3, 1)
        y = self.fc2(nn.functional.gelu(self.fc1(self.norm(y)))) * self.gamma
        x = x + y.permute(0, 3, 1, 2)
        y = torch.pow(x.abs() + 1, 1.7) + torch.reciprocal(torch.sqrt(x * x + 1)) + torch.exp(-x)
        y = y + torch.log(x.abs() + 1) + nn.functional.softplus(x) + nn.functional.elu(x, 0.5)
        return y + nn.functional.mish(x) + torch.rsqrt(x.pow(2) + 1) + x ** 3


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


def export(model, x, path, **kwargs):
    """torch.onnx.export with named input/outputs; returns path."""
    with torch.no_grad():
        torch.onnx.export(model, x, str(path), input_names=["x"], **kwargs)
    return path


# ------------------------------------------------------------------------------------------------
# Graphs written with onnx.helper


def _init(name, array):
    return onnx.numpy_helper.from_array(np.asarray(array, np.float32), name)


def helper_model(nodes, inputs, outputs, initializers=(), opset=13, name="g"):
    graph = oh.make_graph(nodes, name, inputs, outputs, initializer=list(initializers))
    model = oh.make_model(graph, opset_imports=[oh.make_opsetid("", opset)], producer_name="mlg-tests")
    model.ir_version = 7
    return model


def tensor_info(name, shape):
    return oh.make_tensor_value_info(name, onnx.TensorProto.FLOAT, shape)


def helper_forms(rng):
    """Forms torch does not export: Gemm with transA and alpha/beta, HardSigmoid with other
    alpha/beta, Pad, ReduceMean without keepdims, Clip with attributes (opset 10), a MatMul of two
    activations. Returns (model, input, expected output by numpy)."""
    a = rng.standard_normal((6, 4)).astype(np.float32)       # input, used transposed: [4, 6]
    b = rng.standard_normal((6, 5)).astype(np.float32)
    c = rng.standard_normal((5,)).astype(np.float32)
    nodes = [
        oh.make_node("Gemm", ["x", "B", "C"], ["g"], name="gemm", transA=1, alpha=0.5, beta=2.0),
        oh.make_node("HardSigmoid", ["g"], ["hs"], name="hsig", alpha=0.3, beta=0.4),
        oh.make_node("Clip", ["g"], ["cl"], name="clip", min=-0.25, max=0.75),
        oh.make_node("MatMul", ["hs", "cl_t"], ["mm"], name="mm"),   # [4,5] x [5,4]
        oh.make_node("Transpose", ["cl"], ["cl_t"], name="tr", perm=[1, 0]),
        oh.make_node("Unsqueeze", ["mm"], ["mm4"], name="unsq", axes=[0, 1]),
        oh.make_node("Pad", ["mm4"], ["padded"], name="pad", mode="constant", pads=[0, 0, 1, 0, 0, 0, 0, 2],
                     value=0.5),
        oh.make_node("ReduceMean", ["padded"], ["out"], name="mean", axes=[1, 3], keepdims=0),
    ]
    # Topological order: the Transpose must come before the MatMul.
    nodes[3], nodes[4] = nodes[4], nodes[3]
    model = helper_model(nodes, [tensor_info("x", [6, 4])], [tensor_info("out", [1, 5])],
                         [_init("B", b), _init("C", c)], opset=10)
    g = 0.5 * a.T.astype(np.float64) @ b + 2.0 * c
    hs = np.clip(0.3 * g + 0.4, 0.0, 1.0)
    cl = np.clip(g, -0.25, 0.75)
    mm = hs @ cl.T
    padded = np.pad(mm[None, None], [(0, 0), (0, 0), (1, 0), (0, 2)], constant_values=0.5)
    return model, a, padded.mean(axis=(1, 3))


def unsupported_model(op="Einsum"):
    """A valid model whose second node is `op` (Einsum or LSTM)."""
    w = _init("w", np.ones((3, 3)))
    if op == "Einsum":
        node = oh.make_node("Einsum", ["r", "w"], ["y"], name="my_einsum", equation="ij,jk->ik")
        out = tensor_info("y", [2, 3])
        inits = [w]
    else:
        node = oh.make_node("LSTM", ["r3", "W", "R"], ["", "y"], name="my_lstm", hidden_size=2)
        out = tensor_info("y", [1, 1, 2])
        inits = [_init("W", np.ones((1, 8, 3))), _init("R", np.ones((1, 8, 2)))]
    nodes = [oh.make_node("Relu", ["x"], ["r"], name="first_relu")]
    if op == "LSTM":
        nodes.append(oh.make_node("Unsqueeze", ["r", "axes"], ["r3"], name="unsq"))
        inits.append(onnx.numpy_helper.from_array(np.array([1], np.int64), "axes"))
    nodes.append(node)
    return helper_model(nodes, [tensor_info("x", [2, 3])], [out], inits, opset=13)


def helper_forms_conv(rng):
    """Conv with auto_pad SAME_UPPER and no bias followed by LeakyRelu, MaxPool with ceil_mode,
    AveragePool with pads and count_include_pad, GlobalMaxPool, Squeeze, 1 - x, Div of two
    activations, Flatten with a negative axis, Softmax at opset 11. Returns (model, input,
    expected output computed by torch)."""
    x = rng.standard_normal((1, 2, 7, 6)).astype(np.float32)
    w = rng.standard_normal((3, 2, 3, 2)).astype(np.float32)
    nodes = [
        oh.make_node("Conv", ["x", "w"], ["c"], name="conv", auto_pad="SAME_UPPER", strides=[2, 1]),
        oh.make_node("LeakyRelu", ["c"], ["l"], name="leaky", alpha=0.1),
        oh.make_node("MaxPool", ["l"], ["m"], name="maxpool", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        oh.make_node("AveragePool", ["l"], ["a"], name="avgpool", kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                     count_include_pad=1),
        oh.make_node("GlobalMaxPool", ["a"], ["g"], name="gmax"),
        oh.make_node("Squeeze", ["g"], ["s"], name="squeeze", axes=[2, 3]),
        oh.make_node("Flatten", ["m"], ["f"], name="flatten", axis=-1),
        oh.make_node("Sub", ["one", "s"], ["d"], name="one_minus"),
        oh.make_node("Tanh", ["d"], ["th"], name="tanh"),
        oh.make_node("Div", ["s", "th"], ["q"], name="ratio"),
        oh.make_node("Softmax", ["q"], ["out"], name="softmax", axis=1),
    ]
    model = helper_model(nodes, [tensor_info("x", [1, 2, 7, 6])], [tensor_info("out", [1, 3]),
                                                                   tensor_info("f", [6, 3])],
                         [_init("w", w), _init("one", np.ones(()))], opset=11)
    tx = torch.from_numpy(x)
    c = F.conv2d(F.pad(tx, (0, 1, 1, 1)), torch.from_numpy(w), stride=(2, 1))   # SAME_UPPER: 4x6
    l = F.leaky_relu(c, 0.1)
    m = F.max_pool2d(l, 3, 2, ceil_mode=True)
    a = F.avg_pool2d(l, 3, 1, padding=1, count_include_pad=True)
    s = a.amax((2, 3))
    q = s / torch.tanh(1 - s)
    return model, x, [F.softmax(q, 1).numpy(), m.reshape(-1, m.shape[-1]).numpy()]


def helper_batchnorms(rng):
    """BatchNormalization after a Conv with a bias whose statistics come from a node after the
    Conv (not folded: an affine), and after a Conv whose result has another user. Returns
    (model, input, expected output computed by torch)."""
    x = rng.standard_normal((1, 3, 5, 5)).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal((4,)).astype(np.float32)
    scale, shift = rng.uniform(0.5, 1.5, 4).astype(np.float32), rng.standard_normal(4).astype(np.float32)
    mean, var = rng.standard_normal(4).astype(np.float32) * 0.1, rng.uniform(0.5, 1.5, 4).astype(np.float32)
    nodes = [
        oh.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        oh.make_node("Identity", ["mean0"], ["mean"], name="late_mean"),
        oh.make_node("BatchNormalization", ["c", "scale", "shift", "mean", "var"], ["n"], name="bn", epsilon=1e-3),
        oh.make_node("Relu", ["n"], ["r"], name="relu"),
        oh.make_node("Conv", ["r", "w2"], ["c2"], name="conv2"),
        oh.make_node("BatchNormalization", ["c2", "scale", "shift", "mean0", "var"], ["n2"], name="bn2"),
        oh.make_node("Add", ["n2", "c2"], ["out"], name="add"),
    ]
    w2 = rng.standard_normal((4, 4, 1, 1)).astype(np.float32)
    model = helper_model(nodes, [tensor_info("x", [1, 3, 5, 5])], [tensor_info("out", [1, 4, 5, 5])],
                         [_init("w", w), _init("b", b), _init("scale", scale), _init("shift", shift),
                          _init("mean0", mean), _init("var", var), _init("w2", w2)], opset=13)
    t = lambda a: torch.from_numpy(a)
    c = F.conv2d(t(x), t(w), t(b), padding=1)
    r = F.relu(F.batch_norm(c, t(mean), t(var), t(scale), t(shift), eps=1e-3))
    c2 = F.conv2d(r, t(w2))
    return model, x, (F.batch_norm(c2, t(mean), t(var), t(scale), t(shift), eps=1e-5) + c2).numpy()
