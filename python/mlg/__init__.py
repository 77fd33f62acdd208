"""MLG: multi-level in-situ generation of neural-network weights.

The package brings PyTorch and ONNX models into MLIR (`from_torch`,
`from_onnx`), trains them with in-situ generation (`mlg.nn`), and compiles
them for the CPU or the photonic tensor core (`compile`). Submodules load on
first use, so `import mlg` stays cheap and works without the native
extension until something needs it. The guide is docs/python.md.
"""

import importlib

__all__ = ["MLGError", "MLIRError", "compile", "from_onnx", "from_torch", "nn"]

# Public name -> (module, attribute in it; None for the module itself).
_LAZY = {
    "MLGError": ("mlg.errors", "MLGError"),
    "MLIRError": ("mlg.errors", "MLIRError"),
    "compile": ("mlg.compiler", "compile"),
    "from_onnx": ("mlg.frontend.onnx", "from_onnx"),
    "from_torch": ("mlg.frontend.torch", "from_torch"),
    "nn": ("mlg.nn", None),
}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'mlg' has no attribute '{name}'")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + list(_LAZY))
