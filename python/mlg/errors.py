"""Exceptions of the mlg package (importing this module loads nothing else)."""

__all__ = ["MLGError", "MLIRError"]


class MLGError(Exception):
    """Base class of the errors the mlg package raises itself."""


class MLIRError(MLGError):
    """MLIR that does not parse, verify or compile.

    The message is MLIR's diagnostics, each with its location
    (``name:line:col: error: ...``) and the offending source line; it is
    also in ``diagnostics``.
    """

    def __init__(self, diagnostics):
        super().__init__(diagnostics)
        self.diagnostics = diagnostics
