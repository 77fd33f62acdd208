"""Errors raised by the importers (`mlg.from_torch`, `mlg.from_onnx`)."""


class FrontendError(Exception):
    """Base class of the importers' errors."""


class UnsupportedOperatorError(FrontendError):
    """An operator (or an operator's form, e.g. an argument value) the importer cannot translate.

    `operator` names it (`torch.nn.GELU`, `F.interpolate`, `Tensor.expand`, ONNX `Resize`),
    `location` says where it comes from: the module's qualified name and the user's file:line.
    """

    def __init__(self, operator, location="", detail=""):
        self.operator = operator
        self.location = location
        self.detail = detail
        message = "unsupported operator %s" % operator
        if detail:
            message += " (%s)" % detail
        if location:
            message += " at %s" % location
        super().__init__(message)


class TraceError(FrontendError):
    """The model cannot be traced into a static graph (data-dependent control flow, ...)."""


__all__ = ["FrontendError", "UnsupportedOperatorError", "TraceError"]
