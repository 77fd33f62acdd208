"""DoReFa-symmetric weight quantizer of the official MLG code (method.md §2.2).

Every generator (basis, U = coeff_in, V = coeff_out) goes through its own
per-tensor quantizer. For a bit width ``b`` and latent tensor ``x``:

* ``2 <= b <= 31``: ``t = tanh(x)``, ``r = max|t|`` (detached),
  ``q = round((t / 2r + 1/2)(2^b - 1)) / (2^b - 1) * 2r - r``: ``2^b`` evenly
  spaced levels on ``[-r, r]``, both ends included, no zero (a midrise grid).
* ``b = 32``: ``tanh(x) / max|tanh(x)|`` (normalisation only).
* ``b = 1``: ``sign(x) * E`` with ``E = mean|x|`` (detached).
* ``bits = None``: no quantizer at all (the official ``w_bit >= 16`` path,
  where the layer is plain floating point, not even ``tanh``).

Backward is the straight-through estimator of ``pyutils.quantize``: the
rounding function passes its incoming gradient through, clipped to
``[-1, 1]``; everything around the rounding (``tanh``, the ``1/2r`` and ``2r``
scalings) is differentiated normally, and ``r`` (or ``E``) is a constant.

The forward value is computed as ``scale * (c + 1/2)`` with the float32
``scale = 2r / (2^b - 1)`` and the signed code ``c = n - 2^(b-1)``, which is
the official value (docs/dialect.md §3.1 shows the two are equal) and is
bit for bit what ``mlg.dequantize ... as midrise<scale = scale>`` computes
(docs/dialect.md §3.2). So exported codes decode to exactly the tensors the
layer used in training.
"""

import numpy as np
import torch

__all__ = ["dorefa_sym", "WeightQuantizer", "quantized_codes", "check_bits"]


def check_bits(bits):
    """Validate one generator's bit width: None (float) or an int in 1..32."""
    if bits is None:
        return None
    if isinstance(bits, bool) or not isinstance(bits, (int, np.integer)):
        raise TypeError(f"bit width must be an int or None, got {bits!r}")
    bits = int(bits)
    if not 1 <= bits <= 32:
        raise ValueError(f"bit width must be in 1..32, got {bits}")
    return bits


def _tanh_range(t):
    # r = max|tanh(x)|, detached as in the official code. An all-zero tensor
    # would divide by zero there; a tiny floor keeps every value finite.
    return t.detach().abs().max().clamp_min(torch.finfo(t.dtype).tiny)


def _midrise_code_and_scale(t, r, bits):
    """Unsigned level n in [0, 2^b - 1], float scale 2r/(2^b - 1), signed code."""
    levels = float(2 ** bits - 1)
    n = torch.round((t / (2 * r) + 0.5) * levels).clamp_(0, levels)
    scale = 2 * r / levels
    code = n - float(2 ** (bits - 1))
    return code, scale


class _DorefaSymRound(torch.autograd.Function):
    """q = round((t/2r + 1/2)(2^b-1))/(2^b-1)·2r − r with the STE backward."""

    @staticmethod
    def forward(ctx, t, r, bits):
        code, scale = _midrise_code_and_scale(t, r, bits)
        ctx.save_for_backward(r)
        return scale * (code + 0.5)

    @staticmethod
    def backward(ctx, grad):
        (r,) = ctx.saved_tensors
        # Official chain: q = Q(y)·2r − r, y = t/2r + 1/2, dQ/dy := clip(·).
        grad_rounding = (grad * (2 * r)).clamp(-1.0, 1.0)
        return grad_rounding / (2 * r), None, None


class _SignScaled(torch.autograd.Function):
    """1 bit: sign(x)·E, E = mean|x|, STE backward of sign(x/E)·E."""

    @staticmethod
    def forward(ctx, x, e):
        ctx.save_for_backward(e)
        # torch.sign(0) = 0 is on no 1-bit grid; 0 is taken as +1 so that
        # every value is a level of midrise<scale = 2E> (differs from the
        # official code only for latents that are exactly 0).
        return torch.where(x >= 0, e, -e)

    @staticmethod
    def backward(ctx, grad):
        (e,) = ctx.saved_tensors
        return (grad * e).clamp(-1.0, 1.0) / e, None


def dorefa_sym(x, bits):
    """Quantize tensor ``x`` at ``bits`` per method.md §2.2 (see module doc)."""
    bits = check_bits(bits)
    if bits is None:
        return x
    if bits == 32:
        t = torch.tanh(x)
        return t / t.abs().max()
    if bits == 1:
        e = x.detach().abs().mean().clamp_min(torch.finfo(x.dtype).tiny)
        return _SignScaled.apply(x, e)
    t = torch.tanh(x)
    return _DorefaSymRound.apply(t, _tanh_range(t), bits)


def quantized_codes(x, bits):
    """The stored form of ``dorefa_sym(x, bits)`` as the mlg dialect holds it.

    Returns a dict per the shared export interface: for ``1 <= bits <= 16``
    ``{"codes", "bits", "grid": "midrise", "scale"}`` with signed codes
    ``c in [-2^(b-1), 2^(b-1) - 1]`` such that ``scale * (c + 1/2)`` (in the
    tensor's float type) equals ``dorefa_sym(x, bits)`` exactly
    (docs/dialect.md §3.1: ``scale = 2r/(2^b - 1)``, ``c = (m - 1)/2``; one bit:
    ``scale = 2E``). For ``bits`` None, 32 or 17..31 (no integer storage in the
    dialect, whose codes have at most 16 bits) it is ``{"values"}``, the float32
    tensor the layer uses.
    """
    bits = check_bits(bits)
    with torch.no_grad():
        if bits is None or bits > 16:
            values = dorefa_sym(x, bits).detach().cpu().numpy()
            return {"values": values.astype(np.float32)}
        if bits == 1:
            e = x.abs().mean().clamp_min(torch.finfo(x.dtype).tiny)
            code = torch.where(x >= 0, torch.zeros_like(x), -torch.ones_like(x))
            scale = 2 * e
        else:
            t = torch.tanh(x)
            code, scale = _midrise_code_and_scale(t, _tanh_range(t), bits)
    dtype = np.int8 if bits <= 8 else np.int16
    return {
        "codes": code.cpu().numpy().astype(dtype),
        "bits": bits,
        "grid": "midrise",
        "scale": float(scale.item()),
    }


class WeightQuantizer(torch.nn.Module):
    """Module form of :func:`dorefa_sym` for one generator (``bits`` None: identity)."""

    def __init__(self, bits):
        super().__init__()
        self.bits = check_bits(bits)

    def forward(self, x):
        return dorefa_sym(x, self.bits)

    def extra_repr(self):
        return f"bits={self.bits}"
