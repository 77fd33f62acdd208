"""MLG training-time layers (method.md §1.3, §2.2, §5).

* :class:`MLGConv2d`, :class:`MLGLinear`: layers whose weight is generated
  from quantized generators, ``W = V · (U · basis)``; ``mlg_generators()``
  exports them as the ``mlg`` dialect stores them (docs/dialect.md §2-§4).
* :func:`dorefa_sym`: the official DoReFa-symmetric quantizer with its
  straight-through gradient.
* :func:`convert`: a dense model to an MLG model, ℓ2-projection initialised;
  :func:`compression_ratios`: the paper's parameter and memory ratios.
* :func:`ortho_loss`: the multi-level orthogonality regulariser.
* :func:`kd_loss` / :class:`KDLoss`: the distillation loss (T = 3, α = 0.9).
"""

from .convert import compression_ratios, convert, mlg_layers, pointwise_bc
from .distill import KDLoss, kd_loss
from .layers import MLGConv2d, MLGLinear, generation_plan
from .quantize import WeightQuantizer, dorefa_sym, quantized_codes
from .regularize import layer_ortho_loss, ortho_loss

# The layers a tracer must keep as leaves (their forward quantizes with
# data-dependent scales, which torch.fx cannot trace through); an importer
# reads them through `mlg_generators()`.
MLG_LAYER_TYPES = (MLGConv2d, MLGLinear)

__all__ = [
    "KDLoss", "MLGConv2d", "MLGLinear", "MLG_LAYER_TYPES", "WeightQuantizer",
    "compression_ratios", "convert", "dorefa_sym", "generation_plan", "kd_loss",
    "layer_ortho_loss", "mlg_layers", "ortho_loss", "pointwise_bc", "quantized_codes",
]
