"""mlg.compile: MLIR text compiled for the CPU (with and without compression)
and the photonic tensor core, checked against numpy; errors."""

import os

import numpy as np
import pytest

import mlg
import mlg.errors
import small_net

COMPRESS = "bi=2 bc=4 qb=3 qu=6 qv=3"


def relative_error(actual, expected):
    return float(np.abs(actual - expected).max() / np.abs(expected).max())


@pytest.fixture(scope="module")
def net():
    weights = small_net.weights()
    x = np.random.default_rng(small_net.INPUT_SEED).standard_normal(
        small_net.INPUT_SHAPE).astype(np.float32)
    reference = small_net.forward(x.astype(np.float64), weights)
    return {"mlir": small_net.module_text(weights), "x": x,
            "logits": reference["logits"], "pooled": reference["pooled"]}


@pytest.fixture(scope="module")
def dense(net):
    return mlg.compile(net["mlir"])


@pytest.fixture(scope="module")
def compressed(net):
    return mlg.compile(net["mlir"], compress=COMPRESS)


def test_cpu_matches_numpy(net, dense):
    assert dense.inputs == [(1, 4, 8, 8)]
    assert dense.outputs == [(1, 10), (1, 16, 4, 4)]
    logits, pooled = dense(net["x"])
    assert logits.dtype == np.float32 and logits.shape == (1, 10)
    assert relative_error(logits, net["logits"]) < 1e-4
    assert relative_error(pooled, net["pooled"]) < 1e-4
    assert os.path.isfile(dense.library_path)
    assert os.path.isfile(os.path.splitext(dense.library_path)[0] + ".h")


def test_cpu_accepts_float64_and_torch_inputs(net, dense):
    import torch
    logits32, _ = dense(net["x"])
    logits64, _ = dense(net["x"].astype(np.float64))
    logits_torch, _ = dense(torch.from_numpy(net["x"]))
    np.testing.assert_array_equal(logits64, logits32)
    np.testing.assert_array_equal(logits_torch, logits32)


def regenerated_weights(compressed_mlir):
    """small_net's weights with the compressed layers regenerated in float64
    from the generators in the compiled module (check_compression.py)."""
    from check_compression import reconstruct
    from mlg._native import extension
    layers = reconstruct(extension().parse(compressed_mlir, hex_elements=False,
                                           locations=False))
    weights = small_net.weights()
    for layer, (key, from_canonical) in small_net.LAYERS.items():
        if layer in layers:
            weights[key] = from_canonical(layers[layer][0])
    return weights, sorted(layers)


def test_compressed_matches_numpy_with_generated_weights(net, dense,
                                                         compressed):
    assert "mlg.generate_intra" in compressed.mlir
    assert "mlg.generate" not in dense.mlir
    weights, layers = regenerated_weights(compressed.mlir)
    assert layers == ["conv1", "conv2"]
    reference = small_net.forward(net["x"].astype(np.float64), weights)
    logits, pooled = compressed(net["x"])
    assert relative_error(logits, reference["logits"]) < 1e-4
    assert relative_error(pooled, reference["pooled"]) < 1e-4
    # The library computes with the regenerated weights, not the dense ones.
    dense_logits, _ = dense(net["x"])
    assert relative_error(logits, dense_logits) > 1e-2


@pytest.mark.parametrize("strategy", ["dense", "factorized"])
def test_compressed_strategies_agree(net, compressed, strategy):
    weights, _ = regenerated_weights(compressed.mlir)
    reference = small_net.forward(net["x"].astype(np.float64), weights)
    model = mlg.compile(net["mlir"], compress=COMPRESS, strategy=strategy)
    assert relative_error(model(net["x"])[0], reference["logits"]) < 1e-4


def test_native_compress_is_compile_s_compression(net, compressed):
    from mlg._native import extension
    assert extension().compress(net["mlir"], COMPRESS) == compressed.mlir


def test_compress_as_dict_is_the_options_string(net, compressed):
    from_dict = mlg.compile(net["mlir"], compress={
        "bi": 2, "bc": 4, "qb": 3, "qu": 6, "qv": 3})
    np.testing.assert_array_equal(from_dict(net["x"])[0],
                                  compressed(net["x"])[0])


def test_memory_report(dense, compressed):
    report = compressed.memory_report()
    assert set(report) >= {"layers", "total", "other"}
    layers = {layer["name"]: layer for layer in report["layers"]}
    assert layers["conv1"]["generated"] and layers["conv2"]["generated"]
    total = report["total"]
    assert total["params_stored"] < total["params_dense"]
    assert 0 < total["memory_ratio_eq4"] < 1
    dense_total = dense.memory_report()["total"]
    assert dense_total["params_dense"] == total["params_dense"]
    assert dense_total["params_stored"] == dense_total["params_dense"]


def test_mlir_path_input(tmp_path, net, dense):
    path = tmp_path / "net.mlir"
    path.write_text(net["mlir"])
    model = mlg.compile(path, workdir=tmp_path / "build")
    assert model.library_path == str(tmp_path / "build" / "model.so")
    np.testing.assert_array_equal(model(net["x"])[0], dense(net["x"])[0])


def test_wrong_inputs_raise_value_error(net, dense):
    with pytest.raises(ValueError, match=r"expected shape \(1, 4, 8, 8\), got \(1, 4, 8, 9\)"):
        dense(np.zeros((1, 4, 8, 9), np.float32))
    with pytest.raises(ValueError, match="takes 1 input"):
        dense(net["x"], net["x"])
    with pytest.raises(ValueError, match="dtype"):
        dense(np.zeros((1, 4, 8, 8), dtype=complex))


def test_bad_mlir_raises_mlir_error_with_location():
    text = "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n  return %y : tensor<2xf32>\n}\n"
    with pytest.raises(mlg.errors.MLIRError) as info:
        mlg.compile(text)
    assert "<string>:2:" in str(info.value)
    assert "undeclared SSA value name" in info.value.diagnostics


def test_huge_tensor_is_refused_before_compiling():
    # docs/errors.md, resource limits: 10^12 elements would be an
    # out-of-memory kill in a pass; the limit refuses it with a location.
    text = ("func.func @f(%x: tensor<1000000x1000000xf32>) -> tensor<1000000x1000000xf32> {\n"
            "  return %x : tensor<1000000x1000000xf32>\n}\n")
    with pytest.raises(mlg.errors.MLIRError,
                       match=r"^<string>:1:1: error: 'tensor<1000000x1000000xf32>' has "
                             r"1000000000000 elements, more than the limit"):
        mlg.compile(text)


def test_diagnostics_are_captured_not_printed(capfd):
    # Verifies but has no C signature (dynamic shape): the error comes from
    # the compilation, located at the function in the original text.
    text = ("// A function the C ABI cannot call.\n"
            "func.func @f(%x: tensor<?xf32>) -> tensor<?xf32> {\n"
            "  return %x : tensor<?xf32>\n}\n")
    with pytest.raises(mlg.errors.MLIRError,
                       match=r"^<string>:2:1: error: .*dynamic shapes"):
        mlg.compile(text)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_bad_options_raise_value_error(net):
    with pytest.raises(ValueError, match="unknown target"):
        mlg.compile(net["mlir"], target="gpu")
    with pytest.raises(ValueError, match="compress options"):
        mlg.compile(net["mlir"], compress="bogus=1")
    with pytest.raises(ValueError, match="strategy"):
        mlg.compile(net["mlir"], strategy="fastest")


def test_native_parse_and_pipeline():
    from mlg._native import extension
    native = extension()
    text = ("func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
            "  %0 = arith.addf %x, %x : tensor<2xf32>\n"
            "  return %0 : tensor<2xf32>\n}\n")
    assert "arith.addf" in native.parse(text)
    assert "func.func @f" in native.run_pipeline(text, "canonicalize,cse")
    with pytest.raises(ValueError, match="invalid pass pipeline"):
        native.run_pipeline(text, "no-such-pass")
    with pytest.raises(mlg.errors.MLIRError, match="x.mlir:1:"):
        native.parse("func.func @f(", name="x.mlir")
    assert "dptc-hbm" in native.ptc_presets()


@pytest.fixture(scope="module")
def lenet():
    """A classifier the PTC lowering takes whole (lenet_net.py: conv + bias,
    max and average pooling, flatten, linear + bias), built for the CPU."""
    import lenet_net
    text = lenet_net.module_text(lenet_net.weights())
    x = np.random.default_rng(lenet_net.INPUT_SEED).standard_normal(
        lenet_net.INPUT_SHAPE).astype(np.float32)
    return {"mlir": text, "x": x, "cpu": mlg.compile(text)}


@pytest.fixture(scope="module")
def ptc(lenet, tool_inputs):
    # dptc-hbm with 6-bit inputs and weights and an exact ADC, as in the
    # ptc-vs-cpu lit tests; the test input calibrates the activation scales.
    return mlg.compile(lenet["mlir"], target="ptc",
                       preset=os.path.join(tool_inputs, "dptc-hbm-w6a6.json"),
                       calibration=lenet["x"])


def test_ptc_matches_cpu_within_quantization(lenet, ptc):
    cpu = lenet["cpu"]
    assert ptc.inputs == cpu.inputs == [(2, 1, 12, 12)]
    assert ptc.outputs == cpu.outputs == [(2, 10)]
    assert isinstance(ptc.binary, bytes) and ptc.library_path is None
    logits = ptc(lenet["x"])
    cpu_logits = cpu(lenet["x"])
    assert logits.dtype == np.float32 and logits.shape == (2, 10)
    # Within three 6-bit quantization steps (input, weights, activations)
    # of max|y|, and really quantized.
    error = relative_error(logits, cpu_logits)
    assert 0 < error < 0.1, error


def test_ptc_simulate_report(lenet, ptc):
    report = ptc.simulate(lenet["x"])
    assert set(report) >= {"model", "clock_ghz", "layers", "total"}
    assert report["layers"], "per-layer report"
    for layer in report["layers"] + [report["total"]]:
        assert {"latency_ns", "energy_pj", "traffic_bits", "macs"} <= set(layer)
    total = report["total"]
    assert total["latency_ns"] > 0 and total["energy_pj"]["total"] > 0
    assert total["traffic_bits"]["dram"] > 0
    assert total["macs"] == sum(layer["macs"] for layer in report["layers"])
    outputs, again = ptc.simulate(lenet["x"], return_outputs=True)
    np.testing.assert_array_equal(outputs, ptc(lenet["x"]))
    assert again["total"] == total


def test_ptc_noise_is_seeded(lenet, ptc):
    clean = ptc(lenet["x"])
    a, _ = ptc.simulate(lenet["x"], noise_std=2.0, seed=1, return_outputs=True)
    b, _ = ptc.simulate(lenet["x"], noise_std=2.0, seed=1, return_outputs=True)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, clean)
    with pytest.raises(ValueError, match="simulate\\(\\) needs"):
        lenet["cpu"].simulate(lenet["x"])


def test_errors_import_without_torch_or_extension():
    import subprocess
    import sys
    code = ("import sys, mlg, mlg.errors; "
            "assert issubclass(mlg.errors.MLIRError, Exception); "
            "assert 'torch' not in sys.modules and 'mlg._mlg' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_extension_says_how_to_build(repo_dir, tmp_path):
    import subprocess
    import sys
    # The source tree's package has no built extension.
    code = ("import mlg\n"
            "try:\n"
            "    mlg.compile('func.func @f() { return }')\n"
            "except ImportError as e:\n"
            "    print(e)\n")
    env = dict(os.environ, PYTHONPATH=os.path.join(repo_dir, "python"))
    # Not from the build directory: `python -c` puts the cwd first on the path.
    result = subprocess.run([sys.executable, "-c", code], env=env,
                            cwd=tmp_path, capture_output=True, text=True,
                            check=True)
    assert "mlg._mlg is not available" in result.stdout
    assert "PYTHONPATH=build/python" in result.stdout


def test_ptc_activation_range_and_weight_source_options(lenet, tool_inputs):
    preset = os.path.join(tool_inputs, "dptc-hbm-w6a6.json")
    # A calibration batch with one outlier: "mse" clips it, "max" keeps it,
    # so the two programs quantize the test input differently.
    calibration = np.concatenate([lenet["x"], 8 * lenet["x"][:1]])
    by_range = {rule: mlg.compile(lenet["mlir"], target="ptc", preset=preset,
                                  calibration=calibration,
                                  activation_range=rule)
                for rule in ("mse", "max")}
    assert by_range["mse"].binary != by_range["max"].binary
    cpu_logits = lenet["cpu"](lenet["x"])
    for model in by_range.values():
        assert relative_error(model(lenet["x"]), cpu_logits) < 0.25
    with pytest.raises(ValueError, match="unknown activation range 'p99'"):
        mlg.compile(lenet["mlir"], target="ptc", calibration=lenet["x"],
                    activation_range="p99")
    with pytest.raises(ValueError, match="unknown weight source 'cached'"):
        mlg.compile(lenet["mlir"], target="ptc", weight_source="cached")
