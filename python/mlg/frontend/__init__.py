"""Importers: PyTorch (`mlg.frontend.torch.from_torch`) and ONNX (`mlg.frontend.onnx`) models to
MLIR text in the form the mlg passes recognise (linalg on tensors, NCHW, weights as
dense_resource blobs; examples/models/README.md). `emitter` writes that text and is shared by
both importers. Submodules load on first use so that importing the package needs no torch."""

from .errors import FrontendError, TraceError, UnsupportedOperatorError

__all__ = ["FrontendError", "TraceError", "UnsupportedOperatorError"]
