"""mlg.from_onnx: models written with torch.onnx.export (opsets 13 and 17) and onnx.helper, the
torchvision architectures, compression of an imported ResNet-18, and the error messages.

Outputs are compared with torch's (or numpy's) (relative error <= 1e-4): the small nets through
the reference lowering (mlg-opt --mlg-reference-to-llvm + mlir-runner), the torchvision models
compiled with mlgc and run with mlg-run. Needs the build's tools ($MLG_BUILD_DIR or <repo>/build);
those tests skip without them.
"""

import re

import numpy as np
import onnx
import pytest
import torch
import torch.nn as nn

import mlg
from mlg.frontend import UnsupportedOperatorError
from mlg.frontend.onnx import InvalidModelError

import onnx_models as om
import torch_support as ts

needs_tools = pytest.mark.skipif(not ts.have_tools("mlgc", "mlg-run", "mlg-opt"),
                                 reason="needs mlgc, mlg-run and mlg-opt in %s/bin" % ts.BUILD)
needs_reference = pytest.mark.skipif(not ts.have_reference(),
                                     reason="needs mlg-opt in %s/bin and mlir-runner" % ts.BUILD)
needs_opt = pytest.mark.skipif(not ts.have_tools("mlg-opt"), reason="needs mlg-opt in %s/bin" % ts.BUILD)

TOLERANCE = 1e-4


def all_ops_case():
    torch.manual_seed(0)
    return om.randomize_batchnorm(om.AllOps()).eval(), torch.randn(2, 3, 16, 12)


def ops_of(path):
    return {n.op_type for n in onnx.load(str(path)).graph.node}


# ------------------------------------------------------------------------------------------------
# Every operator


@pytest.mark.parametrize("opset", [13, 17])
@pytest.mark.parametrize("training", ["eval", "preserve"])
def test_all_ops_ir_form(opset, training, tmp_path):
    """EVAL: torch folds the BatchNorms after convolutions itself (anonymous initializers, named
    after their module here); PRESERVE: the importer folds them."""
    model, x = all_ops_case()
    mode = torch.onnx.TrainingMode.EVAL if training == "eval" else torch.onnx.TrainingMode.PRESERVE
    path = om.export(model, x, tmp_path / "allops.onnx", opset_version=opset, training=mode)
    ops = ops_of(path)
    assert {"Conv", "BatchNormalization", "Clip", "HardSigmoid", "Sigmoid", "Gemm", "MatMul", "Concat", "MaxPool",
            "AveragePool", "GlobalAveragePool", "Flatten", "ReduceMean", "Softmax", "Reshape", "Slice"} <= ops
    assert ("HardSwish" in ops) == (opset >= 14)
    text = mlg.from_onnx(path)
    assert text.count("func.func @forward") == 1
    assert "linalg.depthwise_conv_2d_nchw_chw" in text
    assert "linalg.conv_2d_ngchw_gfchw" in text
    assert "linalg.matmul" in text
    # parameters named and located after their modules, as mlg.from_torch names them
    for module in ("stem", "grouped", "depthwise", "multiplier", "se.fc1", "proj", "fc", "token", "head"):
        assert 'loc("%s")' % module in text
        assert "dense_resource<%s_weight>" % module.replace(".", "_") in text
    assert "stem_bn" not in text and "dw_bn" not in text  # folded into the convolutions
    assert "dense_resource<post_bn_weight>" in text  # after an add: a per-channel affine
    assert "onnx__" not in text  # no anonymous initializer names


@needs_reference
@pytest.mark.parametrize("opset,training", [(13, "eval"), (17, "preserve")])
def test_all_ops_against_torch(opset, training, tmp_path):
    """Every operator, through the reference lowering (the executable definition of the ops)."""
    model, x = all_ops_case()
    mode = torch.onnx.TrainingMode.EVAL if training == "eval" else torch.onnx.TrainingMode.PRESERVE
    path = om.export(model, x, tmp_path / "allops.onnx", opset_version=opset, training=mode)
    got = ts.run_reference(mlg.from_onnx(path), x.numpy())
    with torch.no_grad():
        want = [t.numpy() for t in model(x)]
    assert len(got) == 2
    for g, w in zip(got, want):
        assert g.shape == w.shape
        assert ts.rel_error(g, w) <= TOLERANCE


@needs_reference
@pytest.mark.parametrize("opset", [13, 17])
def test_convnext_block_against_torch(opset, tmp_path):
    torch.manual_seed(0)
    model, x = om.ConvNeXtBlock().eval(), torch.randn(2, 8, 9, 9)
    path = om.export(model, x, tmp_path / "convnext.onnx", opset_version=opset)
    ops = ops_of(path)
    assert {"Abs", "Pow", "Sqrt", "Reciprocal", "Exp", "Neg", "Erf", "Log", "Softplus", "Elu"} <= ops
    assert ("LayerNormalization" in ops) == (opset >= 17)
    got = ts.run_reference(mlg.from_onnx(path), x.numpy())[0]
    with torch.no_grad():
        want = model(x).numpy()
    assert got.shape == want.shape
    assert ts.rel_error(got, want) <= TOLERANCE


@needs_reference
def test_helper_forms_against_numpy():
    """Gemm with transA/alpha/beta, HardSigmoid's own alpha/beta, Clip attributes (opset 10),
    Pad, ReduceMean without keepdims, Transpose, MatMul of two activations."""
    model, a, want = om.helper_forms(np.random.default_rng(0))
    text = mlg.from_onnx(model)
    got = ts.run_reference(text, a)[0]
    assert got.shape == want.shape
    assert ts.rel_error(got, want) <= TOLERANCE


def test_path_bytes_and_model_agree(tmp_path):
    model, x = all_ops_case()
    path = om.export(model, x, tmp_path / "allops.onnx", opset_version=13)
    body = lambda text: text.split("\n\n", 1)[1]  # without the header comment
    from_path = mlg.from_onnx(path)
    assert body(mlg.from_onnx(str(path))) == body(from_path)
    assert body(mlg.from_onnx(path.read_bytes())) == body(from_path)
    proto = onnx.load(str(path))
    assert body(mlg.from_onnx(proto)) == body(from_path)
    assert len(proto.graph.value_info) == 0  # the caller's model is not modified
    assert "func.func @net(" in mlg.from_onnx(proto, name="net")


# ------------------------------------------------------------------------------------------------
# torchvision


def torchvision_model(name, seed=0):
    torchvision = pytest.importorskip("torchvision")
    torch.manual_seed(seed)
    return om.randomize_batchnorm(getattr(torchvision.models, name)(num_classes=10), seed).eval()


def exported_torchvision(name, tmp_path, size):
    model = torchvision_model(name)
    x = torch.randn(1, 3, size, size)
    path = om.export(model, x, tmp_path / ("%s.onnx" % name))
    return model, x, path


@needs_tools
@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v3_small", "mobilenet_v2"])
def test_torchvision_against_torch(name, tmp_path):
    model, x, path = exported_torchvision(name, tmp_path, 64 if name != "mobilenet_v2" else 32)
    lib = ts.Compiled(mlg.from_onnx(path))
    print("%s %s: mlgc %.1f s" % (name, tuple(x.shape), lib.compile_seconds))
    with torch.no_grad():
        want = model(x).numpy()
    got = lib(x.numpy(), perturb=True)
    assert got.shape == want.shape
    assert ts.rel_error(got, want) <= TOLERANCE


@needs_opt
@pytest.mark.parametrize("name", ["resnet34", "resnet50", "mobilenet_v3_large", "densenet121"])
def test_torchvision_imports_and_parses(name, tmp_path):
    model, x, path = exported_torchvision(name, tmp_path, 32)
    text = mlg.from_onnx(path)
    assert text.count("func.func @forward") == 1
    convs = {n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)}
    located = set(re.findall(r'loc\("([^"]+)"\)', text))
    assert convs <= located
    mlir = tmp_path / ("%s.mlir" % name)
    mlir.write_text(text)
    ts.run_tool([ts.tool("mlg-opt"), str(mlir), "-o", "/dev/null"])


@pytest.fixture(scope="module")
def resnet18_onnx(tmp_path_factory):
    model, x, path = exported_torchvision("resnet18", tmp_path_factory.mktemp("resnet18"), 32)
    return model, x, mlg.from_onnx(path)


@needs_opt
def test_resnet18_compress_finds_every_convolution(resnet18_onnx):
    """mlg-compress finds every convolution by its module name (from torch's scoped node names)."""
    model, _, text = resnet18_onnx
    compressed = ts.mlg_opt(text, "--mlg-compress=bi=2 bc=8 qb=3 qu=6 qv=3")
    layers = set(re.findall(r'mlg\.layer = "([^"]+)"', compressed))
    convs = {n for n, m in model.named_modules() if isinstance(m, nn.Conv2d)}
    assert convs <= layers


@needs_tools
def test_resnet18_compiles_for_ptc(resnet18_onnx, tmp_path):
    """The photonic target's lowering accepts the imported form (folded BN, fused ReLU,
    symmetric pooling padding)."""
    _, _, text = resnet18_onnx
    assert ts.compile_for_ptc(text, tmp_path, "resnet18") > 0


# ------------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize("op", ["Einsum", "LSTM"])
def test_unsupported_operator_is_named_with_its_node(op, tmp_path):
    path = tmp_path / "unsupported.onnx"
    onnx.save(om.unsupported_model(op), str(path))
    with pytest.raises(UnsupportedOperatorError) as info:
        mlg.from_onnx(path)
    node = "my_einsum" if op == "Einsum" else "my_lstm"
    index = 1 if op == "Einsum" else 2
    assert info.value.operator == "ONNX %s" % op
    assert info.value.location == "%s:node %d '%s'" % (path, index, node)
    assert "unsupported operator ONNX %s" % op in str(info.value)


def test_unsupported_operator_in_a_model_object():
    with pytest.raises(UnsupportedOperatorError, match=r"ONNX Einsum at <ModelProto>:node 1 'my_einsum'"):
        mlg.from_onnx(om.unsupported_model("Einsum"))


def small_model_bytes(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 5)).eval()
    path = om.export(model, torch.randn(1, 3, 8, 8), tmp_path / "small.onnx")
    return path.read_bytes()


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.999])
def test_truncated_file_is_a_clear_error(fraction, tmp_path):
    data = small_model_bytes(tmp_path)
    path = tmp_path / "truncated.onnx"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(InvalidModelError, match=re.escape(str(path))) as info:
        mlg.from_onnx(path)
    assert isinstance(info.value, ValueError)
    assert "not a valid ONNX model" in str(info.value) or "shape inference" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"hello, this is not protobuf\n", bytes(range(256)) * 4,
                                     b"\x08\x07\x12\x04junk"])
def test_garbage_file_is_a_clear_error(content, tmp_path):
    path = tmp_path / "garbage.onnx"
    path.write_bytes(content)
    with pytest.raises(InvalidModelError, match=re.escape(str(path))):
        mlg.from_onnx(path)


def test_checker_failure_is_a_clear_error(tmp_path):
    """A node reading a value nothing defines: rejected by onnx.checker."""
    model = om.unsupported_model("Einsum")
    model.graph.node[1].input[0] = "undefined_value"
    path = tmp_path / "broken.onnx"
    onnx.save(model, str(path))
    with pytest.raises(InvalidModelError, match=r"broken\.onnx is not a valid ONNX model \(onnx.checker"):
        mlg.from_onnx(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidModelError, match=r"cannot read ONNX model .*absent\.onnx"):
        mlg.from_onnx(tmp_path / "absent.onnx")


def test_dynamic_shape_names_the_input(tmp_path):
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU()).eval()
    path = om.export(model, torch.randn(1, 3, 8, 8), tmp_path / "dynamic.onnx", dynamic_axes={"x": {0: "batch"}})
    with pytest.raises(InvalidModelError, match=r"input 'x' has a dynamic shape \[batch, 3, 8, 8\]"):
        mlg.from_onnx(path)


def test_wrong_argument_type():
    with pytest.raises(TypeError, match="path, bytes or an onnx.ModelProto"):
        mlg.from_onnx(42)


@needs_reference
def test_helper_conv_forms_against_torch():
    model, x, want = om.helper_forms_conv(np.random.default_rng(1))
    got = ts.run_reference(mlg.from_onnx(model), x)
    assert [g.shape for g in got] == [w.shape for w in want]
    for g, w in zip(got, want):
        assert ts.rel_error(g, w) <= TOLERANCE


def test_custom_domain_operator_is_named():
    nodes = [onnx.helper.make_node("Relu", ["x"], ["r"], name="first"),
             onnx.helper.make_node("Foo", ["r"], ["y"], name="custom", domain="com.example")]
    graph = onnx.helper.make_graph(nodes, "g", [om.tensor_info("x", [2, 3])], [om.tensor_info("y", [2, 3])])
    model = onnx.helper.make_model(graph, opset_imports=[onnx.helper.make_opsetid("", 13),
                                                         onnx.helper.make_opsetid("com.example", 1)])
    model.ir_version = 7
    with pytest.raises(UnsupportedOperatorError, match=r"ONNX com\.example\.Foo .* at <ModelProto>:node 1 'custom'"):
        mlg.from_onnx(model)


@needs_reference
def test_helper_batchnorms_against_torch():
    """BatchNormalizations that are not folded into their Conv (statistics defined after it, a
    Conv result with two users) are per-channel affines."""
    model, x, want = om.helper_batchnorms(np.random.default_rng(2))
    text = mlg.from_onnx(model)
    assert text.count("linalg.conv_2d_nchw_fchw") == 2
    assert 'loc("bn")' in text and 'loc("bn2")' in text
    got = ts.run_reference(text, x)[0]
    assert ts.rel_error(got, want) <= TOLERANCE
