"""Turn a dense PyTorch model into an MLG model (method.md §1.3, §5, §7).

:func:`convert` replaces layers the way the official code's
``enable_dynamic_weight`` does and initialises them by ℓ2 projection from the
dense weights (Alg. 1 step 1). Everything else (batch norm with its
statistics and affine parameters, activations, ...) is kept, as the official
code copies the teacher's batch norm into the student.
"""

import copy

from torch import nn

from .layers import MLGConv2d, MLGLinear, generation_plan, normalize_bits

__all__ = ["convert", "pointwise_bc", "mlg_layers", "compression_ratios"]


def pointwise_bc(out_channels, in_channels, bc):
    """Model-level Bc of a 1×1 convolution (official ``model_base.enable_dynamic_weight``).

    If ``bc >= min(Co, Ci)``, Bc becomes ``int(0.9·min(Co, Ci))`` so that
    level 2 stays on; otherwise ``bc`` is kept.
    """
    smallest = min(out_channels, in_channels)
    return int(0.9 * smallest) if bc >= smallest else bc


def mlg_layers(model):
    """(name, module) of every MLGConv2d/MLGLinear in ``model``."""
    return [(n, m) for n, m in model.named_modules() if isinstance(m, (MLGConv2d, MLGLinear))]


def _conv_replacement(conv, bi, bc, bits):
    """The MLGConv2d for ``conv``, or None if it keeps its dense form."""
    if conv.padding_mode != "zeros" or conv.transposed:
        return None
    kh, kw = conv.kernel_size
    cg = conv.in_channels // conv.groups
    depthwise = conv.groups == conv.in_channels and conv.groups > 1
    if conv.groups > 1 and not depthwise:
        return None  # no MLG form for general grouped convolutions in the method
    if kh * kw == 1 and not depthwise:
        bc = pointwise_bc(conv.out_channels, cg, bc)
    _, _, intra, cross = generation_plan(conv.out_channels, cg, kh * kw, bi, bc, depthwise)
    if not intra and not cross:
        return None  # no generation: the official code keeps such a layer as it is
    return MLGConv2d(conv.in_channels, conv.out_channels, conv.kernel_size,
                     stride=conv.stride, padding=conv.padding, dilation=conv.dilation,
                     groups=conv.groups, bias=conv.bias is not None, bi=bi, bc=bc,
                     bits=bits, depthwise=depthwise,
                     device=conv.weight.device, dtype=conv.weight.dtype)


def convert(model, bi, bc, bits=None, *, linear_bits=8, steps=3000, lr=2e-2,
            start="svd", inplace=False):
    """MLG version of ``model`` with global ``(bi, bc)`` and ``bits``.

    * Every ``nn.Conv2d``, the first one included (method.md §1.3, §7 item 4),
      becomes an :class:`MLGConv2d` with the per-layer gating of
      :func:`mlg.nn.layers.generation_plan`; 1×1 convolutions first get
      :func:`pointwise_bc`. Layers with neither level, general grouped
      convolutions and non-zero padding modes stay dense ``nn.Conv2d``.
      Depthwise convolutions get the research layer's shared basis.
      Layers are converted even where generation stores more than the
      dense weight (the ResNet-18 64→128 shortcut with ``Bc = 44``).
    * ``nn.Linear`` layers stay dense (the release cannot generate them). With
      ``bits`` set and ``linear_bits`` not None they become a dense
      :class:`MLGLinear` quantized at ``linear_bits`` (8: the official
      ``w_bit``), as the official classifier is trained; otherwise they are
      left as they are.
    * ``bits``: None (floating point, the official ``w_bit >= 16``), an int,
      or ``(qb, qu, qv)``.
    * Each new layer is initialised by :meth:`project_` from the dense weight
      (``steps`` RAdam steps at ``lr``, from an SVD start; ``steps = 0`` keeps
      the SVD start). Biases are copied.

    Returns the converted model (a deep copy unless ``inplace``); its
    attribute ``mlg_projection_errors`` maps each replaced layer's name to
    the relative error of its generated weight.
    """
    bits = normalize_bits(bits)
    if not inplace:
        model = copy.deepcopy(model)
    errors = {}
    for parent_name, parent in list(model.named_modules()):
        for child_name, child in list(parent.named_children()):
            if isinstance(child, (MLGConv2d, MLGLinear)):
                continue
            replacement = None
            if isinstance(child, nn.Conv2d):
                replacement = _conv_replacement(child, bi, bc, bits)
            elif isinstance(child, nn.Linear) and bits[0] is not None and linear_bits is not None:
                replacement = MLGLinear(child.in_features, child.out_features,
                                        bias=child.bias is not None, bc=0, bits=linear_bits,
                                        device=child.weight.device, dtype=child.weight.dtype)
            if replacement is None:
                continue
            name = f"{parent_name}.{child_name}" if parent_name else child_name
            errors[name] = replacement.project_(child.weight, steps=steps, lr=lr, start=start)
            if child.bias is not None:
                replacement.bias.data.copy_(child.bias.detach())
            replacement.train(child.training)
            setattr(parent, child_name, replacement)
    model.mlg_projection_errors = errors
    return model


def compression_ratios(model):
    """Parameter and memory compression ratios of a model, as the official code counts them.

    method.md §3.1 (``get_total_param_size``), which reproduces the paper's
    Table 2: the numerator stores each MLG layer's generators at their bit
    widths (float ones at 32 bits; biases at 32), every other parameter
    (batch norm, dense layers left as they are) at 32 bits; the denominator is
    every parameter of the dense model at 32 bits. The parameter ratio counts
    values instead of bits. Returns a dict with ``dense_parameters``,
    ``stored_parameters``, ``parameter_ratio``, ``dense_bytes``,
    ``stored_bytes`` and ``memory_ratio``.
    """
    dense = stored = stored_bits = 0
    mlg = set()
    for module in model.modules():
        if isinstance(module, (MLGConv2d, MLGLinear)):
            mlg.update(id(p) for p in module.parameters())
            dense += module.dense_parameter_count()
            stored += module.stored_parameter_count()
            stored_bits += module.stored_bits()
    for param in model.parameters():
        if id(param) not in mlg:
            dense += param.numel()
            stored += param.numel()
            stored_bits += 32 * param.numel()
    return {
        "dense_parameters": dense,
        "stored_parameters": stored,
        "parameter_ratio": stored / dense,
        "dense_bytes": 4 * dense,
        "stored_bytes": stored_bits / 8,
        "memory_ratio": stored_bits / (32 * dense),
    }
