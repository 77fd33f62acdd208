"""mlg.compile: MLIR, PyTorch or ONNX models compiled for the CPU or the PTC.

``compile(model_or_mlir, target="cpu"|"ptc", compress=...)`` returns a
:class:`CompiledModel` callable on numpy arrays. The CPU build is a shared
library with the C ABI of docs/c-abi.md, called through ctypes; the photonic
tensor core build is a program binary run on MLG's simulator. Everything goes
through the native extension (no command-line tools). Guide: docs/python.md.
"""

import ctypes
import os
import shutil
import sys
import tempfile
import weakref

import numpy as np

from mlg._native import extension

__all__ = ["CompiledModel", "compile"]

_TARGETS = ("cpu", "ptc")
_STRATEGIES = ("auto", "dense", "factorized", "tiled")


# --- The C ABI (docs/c-abi.md, include/mlg/Target/CPU/CABITypes.h) ---------

_ABI_VERSION = 1
_DTYPE_F32 = 1


class _Tensor(ctypes.Structure):
    _fields_ = [("dtype", ctypes.c_int32), ("rank", ctypes.c_int32),
                ("shape", ctypes.POINTER(ctypes.c_int64))]


_INVOKE = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.POINTER(ctypes.c_void_p),
                           ctypes.POINTER(ctypes.c_void_p))


class _Entry(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("num_inputs", ctypes.c_int32),
                ("num_outputs", ctypes.c_int32),
                ("inputs", ctypes.POINTER(_Tensor)),
                ("outputs", ctypes.POINTER(_Tensor)), ("invoke", _INVOKE)]


class _Model(ctypes.Structure):
    _fields_ = [("abi_version", ctypes.c_uint32),
                ("num_entries", ctypes.c_uint32),
                ("entries", ctypes.POINTER(_Entry))]


def _tensor_shapes(tensors, count):
    shapes = []
    for index in range(count):
        tensor = tensors[index]
        if tensor.dtype != _DTYPE_F32:
            raise RuntimeError(f"unsupported element type code {tensor.dtype}")
        shapes.append(tuple(tensor.shape[d] for d in range(tensor.rank)))
    return shapes


class _CPULibrary:
    """One entry point of a compiled library, loaded with ctypes."""

    def __init__(self, path, entry_name=None):
        self._library = ctypes.CDLL(path)
        get_model = self._library.mlg_model
        get_model.restype = ctypes.POINTER(_Model)
        get_model.argtypes = []
        model = get_model().contents
        if model.abi_version != _ABI_VERSION:
            raise RuntimeError(f"{path}: C ABI version {model.abi_version}, "
                               f"this package reads version {_ABI_VERSION}")
        entries = [model.entries[i] for i in range(model.num_entries)]
        self.entry_names = [e.name.decode() for e in entries]
        if not entries:
            raise ValueError("the module has no public function to call")
        if entry_name is None:
            entry = entries[0]
        elif entry_name in self.entry_names:
            entry = entries[self.entry_names.index(entry_name)]
        else:
            raise ValueError(f"no entry point '{entry_name}' (the module has "
                             f"{', '.join(self.entry_names)})")
        self.name = entry.name.decode()
        self.inputs = _tensor_shapes(entry.inputs, entry.num_inputs)
        self.outputs = _tensor_shapes(entry.outputs, entry.num_outputs)
        self._invoke = entry.invoke

    def __call__(self, arrays):
        outputs = [np.empty(shape, dtype=np.float32) for shape in self.outputs]
        input_pointers = (ctypes.c_void_p * max(1, len(arrays)))(
            *[a.ctypes.data for a in arrays])
        output_pointers = (ctypes.c_void_p * max(1, len(outputs)))(
            *[o.ctypes.data for o in outputs])
        status = self._invoke(input_pointers, output_pointers)
        if status != 0:
            raise RuntimeError(f"mlg_{self.name} returned {status}")
        return outputs


# --- Inputs -----------------------------------------------------------------

def _is_instance_of(value, module_name, class_path):
    """isinstance against a class of a module only if it is already loaded
    (so that plain MLIR never imports torch or onnx)."""
    module = sys.modules.get(module_name)
    if module is None:
        return False
    cls = module
    for part in class_path.split("."):
        cls = getattr(cls, part, None)
        if cls is None:
            return False
    return isinstance(value, cls)


def _mlir_of_frontend_result(result, frontend):
    if isinstance(result, str):
        return result
    for attribute in ("mlir", "text"):
        text = getattr(result, attribute, None)
        if isinstance(text, str):
            return text
    raise TypeError(f"{frontend} returned {type(result).__name__}, expected "
                    "MLIR text")


def _load_mlir(model_or_mlir, example_inputs):
    """(MLIR text, name used in diagnostics)."""
    model = model_or_mlir
    if isinstance(model, os.PathLike) or (
            isinstance(model, str) and "\n" not in model
            and model.strip().endswith(".mlir")):
        path = os.fspath(model)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no MLIR file '{path}'")
        with open(path, encoding="utf-8") as file:
            return file.read(), path
    if isinstance(model, bytes):
        model = model.decode("utf-8")
    if isinstance(model, str):
        return model, "<string>"
    if _is_instance_of(model, "torch", "nn.Module"):
        if example_inputs is None:
            raise ValueError("compiling a torch.nn.Module needs "
                             "example_inputs (a tensor or a tuple of them)")
        from mlg.frontend.torch import from_torch
        result = from_torch(model, example_inputs)
        return _mlir_of_frontend_result(result, "mlg.from_torch"), \
            f"<{type(model).__name__}>"
    if _is_instance_of(model, "onnx", "ModelProto"):
        from mlg.frontend.onnx import from_onnx
        return _mlir_of_frontend_result(from_onnx(model), "mlg.from_onnx"), \
            "<onnx>"
    text = getattr(model, "mlir", None)
    if isinstance(text, str):
        return text, f"<{type(model).__name__}>"
    raise TypeError("compile() takes MLIR text, a path to a .mlir file, a "
                    "torch.nn.Module or an onnx.ModelProto, got "
                    f"{type(model).__name__}")


def _compress_options(compress):
    """The mlg-compress options string, or None for no compression."""
    if compress is None or compress is False:
        return None
    if compress is True:
        return ""
    if isinstance(compress, str):
        return compress
    if isinstance(compress, dict):
        def value(v):
            if isinstance(v, bool):
                return "true" if v else "false"
            return str(v)
        return " ".join(f"{key}={value(v)}" for key, v in compress.items())
    raise TypeError("compress must be None, an options string such as "
                    "'bi=2 bc=44 qb=3 qu=6 qv=3', or a dict, got "
                    f"{type(compress).__name__}")


def _as_input(value, index, shape):
    """`value` as a contiguous float32 array of `shape`, or a ValueError."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # torch.Tensor
        value = value.detach().cpu().numpy()
    array = np.asarray(value)
    if not (np.issubdtype(array.dtype, np.floating)
            or np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"input {index}: expected float32 values, got dtype "
                         f"{array.dtype}")
    if tuple(array.shape) != tuple(shape):
        raise ValueError(f"input {index}: expected shape {tuple(shape)}, got "
                         f"{tuple(array.shape)}")
    return np.ascontiguousarray(array, dtype=np.float32)


# --- The compiled model -------------------------------------------------------

class CompiledModel:
    """A model compiled by :func:`compile`.

    Call it with numpy arrays (one per input, float32 or convertible, of the
    shapes in ``inputs``): it returns one array, or a tuple for several
    outputs. ``mlir`` is the module after compression, ``memory_report()``
    MLG's weight-memory report. CPU builds have ``library_path``; PTC builds
    have ``binary`` and ``simulate()``.
    """

    def __init__(self, target, mlir, inputs, outputs, *, library=None,
                 library_path=None, binary=None, preset=None, workdir=None,
                 cleanup=None):
        self.target = target
        self.mlir = mlir
        self.inputs = [tuple(s) for s in inputs]
        self.outputs = [tuple(s) for s in outputs]
        self.library_path = library_path
        self.binary = binary
        self.preset = preset
        self.workdir = workdir
        self._library = library
        self._cleanup = cleanup

    def __repr__(self):
        return (f"CompiledModel(target={self.target!r}, inputs={self.inputs}, "
                f"outputs={self.outputs})")

    def _check_inputs(self, arrays):
        if len(arrays) != len(self.inputs):
            raise ValueError(f"the model takes {len(self.inputs)} input(s) of "
                             f"shapes {self.inputs}, got {len(arrays)}")
        return [_as_input(a, i, s)
                for i, (a, s) in enumerate(zip(arrays, self.inputs))]

    @staticmethod
    def _result(outputs):
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def __call__(self, *arrays):
        arrays = self._check_inputs(arrays)
        if self.target == "cpu":
            return self._result(self._library(arrays))
        outputs, _ = extension().simulate(self.binary, arrays,
                                          model=self.preset)
        return self._result(outputs)

    def simulate(self, *arrays, noise_std=0.0, seed=0, return_outputs=False):
        """PTC only: runs the program on the simulator and returns its report
        (per layer and in total: latency, energy, DRAM/SRAM traffic; keys of
        docs/ptc-sim.md), or (outputs, report) with return_outputs."""
        if self.target != "ptc":
            raise ValueError("simulate() needs a model compiled with "
                             "target='ptc'")
        arrays = self._check_inputs(arrays)
        outputs, report = extension().simulate(
            self.binary, arrays, model=self.preset, noise_std=noise_std,
            seed=seed)
        if return_outputs:
            return self._result(outputs), report
        return report

    def memory_report(self, qw=8, linear_bits=8):
        """mlg-memory-report of the compiled module as a dict: 'layers'
        (dense and stored sizes, ratios, per layer), 'other' and 'total'."""
        return extension().memory_report(self.mlir, qw=qw,
                                         linear_bits=linear_bits)


def compile(model_or_mlir, target="cpu", compress=None, *,  # noqa: A001
            example_inputs=None, strategy=None, threads=1, preset="dptc-hbm",
            calibration=None, activation_range="mse", weight_source="auto",
            entry=None, workdir=None):
    """Compiles a model for the CPU or the photonic tensor core (PTC).

    model_or_mlir: MLIR text (linalg or TOSA, with or without mlg ops), a
        path to a .mlir file, a torch.nn.Module (imported with
        ``mlg.from_torch(model, example_inputs)``) or an onnx.ModelProto.
    target: "cpu" (a shared library) or "ptc" (a program run on the
        simulator).
    compress: None (no compression), an mlg-compress options string such as
        "bi=2 bc=44 qb=3 qu=6 qv=3", or a dict of the same options.
    strategy: CPU execution strategy of generated layers: "auto" (default),
        "dense", "factorized" or "tiled". threads: CPU threads per layer.
    preset: PTC accelerator model, a preset name or a JSON file.
    calibration: PTC inputs (an array of the input's shape, or a .npy path)
        calibrating the activation scales; default: the example input when
        there is exactly one, else inputs assumed in [-1, 1] (bounds that
        grow with depth: deep networks need real calibration data).
    activation_range: with calibration, each PTC tensor's code range: "mse"
        (the clipping range with the least squared quantization error) or
        "max" (nothing clipped).
    weight_source: PTC layers with MLG-generated filters: "auto" (the cost
        model chooses per layer), "generated" (generated on the core) or
        "dense" (the generated weights are loaded).
    entry: the function to call when the module has several.
    workdir: where the library or binary is written (default: a temporary
        directory removed with the model).
    Raises mlg.MLIRError for IR that does not parse, verify or compile, and
    ValueError for bad options.
    """
    if target not in _TARGETS:
        raise ValueError(f"unknown target '{target}' (supported: cpu, ptc)")
    if strategy is not None and strategy not in _STRATEGIES:
        raise ValueError(f"unknown strategy '{strategy}' (auto, dense, "
                         "factorized or tiled)")
    if not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be an integer >= 1, got {threads!r}")
    native = extension()
    text, name = _load_mlir(model_or_mlir, example_inputs)
    prepared = native.prepare(text, _compress_options(compress), name=name)
    # The prepared text keeps the original locations (loc(...)); its own
    # buffer name must differ so that diagnostics quote the original lines.
    prepared_name = f"{name} (prepared)"

    cleanup = None
    if workdir is None:
        workdir = tempfile.mkdtemp(prefix="mlg-")
        cleanup = workdir
    else:
        os.makedirs(workdir, exist_ok=True)

    try:
        if target == "cpu":
            library_path = os.path.join(workdir, "model.so")
            native.compile_cpu(prepared, library_path,
                               strategy=strategy or "auto", threads=threads,
                               codegen_threads=min(8, os.cpu_count() or 1),
                               name=prepared_name)
            library = _CPULibrary(library_path, entry)
            model = CompiledModel("cpu", prepared, library.inputs,
                                  library.outputs, library=library,
                                  library_path=library_path, workdir=workdir)
        else:
            calibration_path = ""
            if calibration is None and example_inputs is not None:
                examples = (list(example_inputs)
                            if isinstance(example_inputs, (list, tuple))
                            else [example_inputs])
                if len(examples) == 1:
                    example = examples[0]
                    if hasattr(example, "detach"):  # torch.Tensor
                        example = example.detach().cpu().numpy()
                    calibration = np.asarray(example, dtype=np.float32)
            if calibration is not None:
                if isinstance(calibration, (str, os.PathLike)):
                    calibration_path = os.fspath(calibration)
                else:
                    calibration_path = os.path.join(workdir, "calibration.npy")
                    np.save(calibration_path,
                            np.asarray(calibration, dtype=np.float32))
            binary = native.compile_ptc(prepared, model=preset,
                                        calibration=calibration_path,
                                        activation_range=activation_range,
                                        weight_source=weight_source,
                                        name=prepared_name)
            info = native.describe_ptc(binary)
            for tensor in info["inputs"] + info["outputs"]:
                if not tensor["host_view"]:
                    raise ValueError(f"program tensor '{tensor['name']}' has "
                                     "no float host view")
            model = CompiledModel(
                "ptc", prepared, [t["shape"] for t in info["inputs"]],
                [t["shape"] for t in info["outputs"]], binary=binary,
                preset=preset, workdir=workdir)
            with open(os.path.join(workdir, "model.ptc"), "wb") as file:
                file.write(binary)
    except BaseException:
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)
        raise
    if cleanup:
        # The library stays mapped once loaded; its files can go with the
        # model.
        weakref.finalize(model, shutil.rmtree, cleanup, True)
    return model
