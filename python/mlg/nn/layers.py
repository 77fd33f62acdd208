"""Training-time MLG layers: MLGConv2d and MLGLinear (method.md §1, §2.2, §5).

An MLG layer stores no weight. It stores generators and regenerates its
weight on every forward (docs/dialect.md §2.1, method.md §1.3):

    Wc[b, c, :] = U[b, c, :] @ basis[b].view(Bi, kh*kw)       (level 1, intra)
    W           = V @ Wc.view(Bc, Cg*kh*kw)                     (level 2, cross)

with ``basis : [Bc, Bi, kh, kw]``, ``U = coeff_in : [Bc, Cg, Bi]``,
``V = coeff_out : [Co, Bc]`` and ``Cg = Ci / groups``. Each generator passes
through its own DoReFa-symmetric quantizer (bits ``qb``, ``qu``, ``qv``;
method.md §2.2) before generation; the generated ``W`` is not re-quantized.

Which levels a layer has follows the official per-layer gating (method.md
§1.3, §7 item 2; docs/dialect.md §2.3):

* ``Bc_eff = bc`` if ``0 < bc < min(Co, Cg*k²)``, else ``Co``;
* level 1 iff ``0 < bi < min(Cg, k²)`` (never for 1×1 and linear layers);
* level 2 iff ``0 < Bc_eff < min(Co, Cg*k²)``.

Deviations from the official layer, all without effect on the function it
computes: the basis is its own Parameter (the official code slices it out of
a full-size ``weight`` whose remainder is allocated but never used), so
parameter counts are those of the formulas; groups, dilation and non-square
kernels are supported (the official layer has none of them); a depthwise
convolution follows the authors' research layer (``Bc = 1``, ``Bi`` k×k
filters shared by all channels, docs/dialect.md §2.3).
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .quantize import WeightQuantizer, check_bits, quantized_codes

__all__ = ["MLGConv2d", "MLGLinear", "generation_plan", "normalize_bits"]


def normalize_bits(bits, count=3):
    """``bits`` as a tuple of ``count`` widths: None (float), an int, or a tuple."""
    if bits is None:
        return (None,) * count
    if isinstance(bits, (tuple, list)):
        if len(bits) != count:
            raise ValueError(f"expected {count} bit widths, got {tuple(bits)}")
        return tuple(check_bits(b) for b in bits)
    return (check_bits(bits),) * count


def generation_plan(out_channels, in_per_group, kernel_elems, bi, bc, depthwise=False):
    """Effective (Bi, Bc, level1, level2) of a layer, method.md §1.3.

    ``in_per_group`` is ``Cg = Ci / groups``; ``kernel_elems`` is ``kh*kw``
    (1 for a linear layer). A depthwise layer follows the research code:
    ``Bc = 1``, level 1 iff ``0 < bi < k²``, no level 2. Without level 1 the
    returned Bi is 0.
    """
    bi, bc = int(bi), int(bc)
    if depthwise:
        intra = 0 < bi < kernel_elems
        return (bi if intra else 0), 1, intra, False
    row = in_per_group * kernel_elems
    bc_eff = bc if 0 < bc < min(out_channels, row) else out_channels
    intra = 0 < bi < min(in_per_group, kernel_elems)
    cross = 0 < bc_eff < min(out_channels, row)
    return (bi if intra else 0), bc_eff, intra, cross


def _pair(value, name):
    if isinstance(value, int):
        return (value, value)
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"{name} must be an int or a pair, got {value}")
    return value


def _balance(factors, dims):
    """Rescale factors whose product is fixed so their max magnitudes agree.

    ``factors[i]`` is scaled along ``dims[i]`` (the dimension indexed by the
    shared index); the product over i of the scales is 1 per shared index.
    """
    peaks = [f.abs().amax(dim=[d for d in range(f.dim()) if d != dim]) for f, dim in zip(factors, dims)]
    peaks = [p.clamp_min(1e-30) for p in peaks]
    target = torch.exp(sum(torch.log(p) for p in peaks) / len(peaks))
    out = []
    for f, dim, p in zip(factors, dims, peaks):
        shape = [1] * f.dim()
        shape[dim] = -1
        out.append(f * (target / p).view(shape))
    return out


def _solve_spd(matrix, rhs):
    """Solve ``matrix @ x = rhs`` for a symmetric positive semi-definite matrix (ridge 1e-12·trace)."""
    ridge = 1e-12 * matrix.diagonal().sum().clamp_min(1e-300)
    eye = torch.eye(matrix.shape[0], dtype=matrix.dtype, device=matrix.device)
    return torch.linalg.solve(matrix + ridge * eye, rhs)


def _als_refine(target, v, u, basis, iterations):
    """Alternating least squares on ``||W - V·(U ⊗ basis)||_F`` (method.md §5, post-training).

    ``target [Co, R, K]``, ``v [Co, Bc]``, ``u [Bc, R, Bi]``, ``basis [Bc, Bi, K]``.
    Each step is the exact minimiser over one factor (V, all of U, all bases),
    so the error never increases. Float64 throughout.
    """
    co, rows, elems = target.shape
    bc, bi = basis.shape[0], basis.shape[1]
    flat = target.reshape(co, rows * elems)
    for _ in range(int(iterations)):
        kernels = torch.matmul(u, basis).reshape(bc, rows * elems)
        v = _solve_spd(kernels @ kernels.t(), kernels @ flat.t()).t()        # V = W Wcᵀ (Wc Wcᵀ)⁻¹
        gram_v = v.t() @ v                                                   # [Bc, Bc]
        proj = (v.t() @ flat).reshape(bc, rows, elems)                       # Vᵀ W
        # U-step: sum_{b'j'} G[b,b'] (B_b B_b'ᵀ)[j,j'] U[b',c,j'] = sum_k B[b,j,k] proj[b,c,k]
        hb = torch.einsum("ajk,bik->ajbi", basis, basis)
        normal = (gram_v[:, None, :, None] * hb).reshape(bc * bi, bc * bi)
        rhs = torch.einsum("bjk,bck->bjc", basis, proj).reshape(bc * bi, rows)
        u = _solve_spd(normal, rhs).reshape(bc, bi, rows).transpose(1, 2).contiguous()
        # basis-step: sum_{b'j'} G[b,b'] (U_bᵀ U_b')[j,j'] B[b',j',k] = sum_c U[b,c,j] proj[b,c,k]
        hu = torch.einsum("acj,bci->ajbi", u, u)
        normal = (gram_v[:, None, :, None] * hu).reshape(bc * bi, bc * bi)
        rhs = torch.einsum("bcj,bck->bjk", u, proj).reshape(bc * bi, elems)
        basis = _solve_spd(normal, rhs).reshape(bc, bi, elems)
    return v, u, basis


class _MLGBase(nn.Module):
    """Shared machinery: generator quantizers, latent initialisation, projection, export."""

    def _generators(self):
        """(name, parameter, quantizer) for each present generator."""
        items = [("basis", self.basis, self.quant_basis)]
        if self.coeff_in is not None:
            items.append(("coeff_in", self.coeff_in, self.quant_in))
        if self.coeff_out is not None:
            items.append(("coeff_out", self.coeff_out, self.quant_out))
        return items

    def quantized_generators(self):
        """Dict name -> the quantized tensor the forward uses (None when absent)."""
        out = {"basis": None, "coeff_in": None, "coeff_out": None}
        for name, param, quant in self._generators():
            out[name] = quant(param)
        return out

    @torch.no_grad()
    def _set_latent(self, param, value, bits):
        """Store ``value`` as the latent whose quantized form approximates it.

        With a tanh quantizer (2..32 bits) the quantized value is about
        ``tanh(latent)``, so the latent is ``atanh(value)``; magnitudes >= 1
        cannot be represented and are clipped to 0.99.
        """
        if bits is not None and bits != 1:
            value = torch.atanh(value.clamp(-0.99, 0.99))
        param.copy_(value.to(param.dtype))

    def project_(self, weight, steps=3000, lr=2e-2, start="svd", refine_iterations=10):
        """ℓ2 projection initialisation (method.md §5, Alg. 1 step 1).

        Minimises ``MSE(generated W, weight)`` over the generators with RAdam
        (lr 2e-2, 3000 steps in the paper and ``approximate_target_model``),
        the generators quantized in the loop (straight-through). ``start``:
        ``"svd"`` starts from the closed-form two-level truncated SVD
        (method.md §5, SVD alternative), refined for two-level layers by
        ``refine_iterations`` sweeps of alternating least squares (the
        compiler's ``mlg-decompose`` numerics, docs/compression.md), factors
        balanced in magnitude, so that few steps are enough; ``"random"``
        keeps the current (random) initialisation, as the official code does.
        The best iterate is kept.
        Returns the final relative error ``||W - weight||_F / ||weight||_F``.
        """
        target = weight.detach().to(self.basis.dtype).reshape(self._weight_shape())
        if start == "svd":
            self._svd_start(target, refine_iterations)
        elif start != "random":
            raise ValueError(f"start must be 'svd' or 'random', got {start!r}")
        params = [p for _, p, _ in self._generators()]

        def error():
            return F.mse_loss(self.generated_weight(), target)

        best_loss, best = math.inf, None
        optimizer = torch.optim.RAdam(params, lr=lr) if steps > 0 else None
        for step in range(int(steps) + 1):
            with torch.enable_grad():
                loss = error()
            if loss.item() < best_loss:  # the parameters this loss was computed from
                best_loss = loss.item()
                best = [p.detach().clone() for p in params]
            if step == steps:
                break
            optimizer.zero_grad()
            with torch.enable_grad():
                loss.backward()
            optimizer.step()
        with torch.no_grad():
            if best is not None:
                for p, b in zip(params, best):
                    p.copy_(b)
            norm = target.norm().clamp_min(1e-30)
            return float((self.generated_weight() - target).norm() / norm)

    def mlg_generators(self):
        """The stored generators as the mlg dialect holds them (shared interface).

        ``basis``/``u``/``v`` are ``{"codes", "bits", "grid", "scale"}`` or
        ``{"values"}`` (see :func:`mlg.nn.quantize.quantized_codes`), None
        where the level is absent (docs/dialect.md §2.3). Codes decode with
        ``mlg.dequantize`` to exactly the tensors this layer's forward uses.
        """
        out = dict(self._export_attributes())
        out["bias"] = None if self.bias is None else self.bias.detach().cpu().numpy().astype(np.float32)
        out["basis"] = quantized_codes(self.basis, self.quant_basis.bits)
        out["u"] = None if self.coeff_in is None else quantized_codes(self.coeff_in, self.quant_in.bits)
        out["v"] = None if self.coeff_out is None else quantized_codes(self.coeff_out, self.quant_out.bits)
        return out

    def dense_parameter_count(self):
        """Values of the dense layer this one replaces (weight plus bias)."""
        dense = math.prod(self._weight_shape())
        return dense + (0 if self.bias is None else self.bias.numel())

    def stored_bits(self):
        """Bits of the stored generators (method.md §3.1): each at its width, float at 32, bias at 32."""
        total = 0
        for _, param, quant in self._generators():
            total += param.numel() * (32 if quant.bits is None else quant.bits)
        if self.bias is not None:
            total += self.bias.numel() * 32
        return total

    def stored_parameter_count(self):
        """Stored values: generators plus bias (the numerator of Eq. 3, method.md §1.2)."""
        return sum(p.numel() for p in self.parameters())


class MLGConv2d(_MLGBase):
    """2-D convolution whose kernel is generated from MLG generators.

    Arguments as :class:`torch.nn.Conv2d` (zero padding only; ``padding`` may
    be an int, a pair, a 4-tuple ``(top, left, bottom, right)``, ``"valid"``
    or ``"same"``), plus ``bi``/``bc`` (global sizes, gated per layer as in
    :func:`generation_plan`) and ``bits`` = None (float), an int, or
    ``(qb, qu, qv)``. ``depthwise`` (``groups == in_channels``) selects the
    research layer's shared-basis form. With neither level (only when built
    directly: :func:`mlg.nn.convert` keeps such layers dense), ``basis`` is
    the whole weight ``[Co, Ci/G, kh, kw]``, quantized at ``qb``. Forward is
    ``conv2d(x, generated_weight(), bias, stride, padding, dilation, groups)``.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, groups=1, bias=True, bi=2, bc=44, bits=None,
                 depthwise=None, device=None, dtype=None):
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        if in_channels % groups or out_channels % groups:
            raise ValueError("in_channels and out_channels must be divisible by groups")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.dilation = _pair(dilation, "dilation")
        self.padding = self._padding_quad(padding)
        kh, kw = self.kernel_size
        cg = in_channels // groups
        if depthwise is None:
            depthwise = groups == in_channels and groups > 1
        if depthwise and groups != in_channels:
            raise ValueError("a depthwise MLG convolution needs groups == in_channels")
        plan = generation_plan(out_channels, cg, kh * kw, bi, bc, depthwise)
        if depthwise and not plan[2]:
            # A depthwise layer without level 1 is an ordinary grouped
            # convolution with its whole weight [Co, 1, kh, kw] stored.
            plan = (0, out_channels, False, False)
        self.bi, self.bc, self.intra, self.cross = plan
        self.depthwise = bool(depthwise and self.intra)
        self.bits = normalize_bits(bits)
        qb, qu, qv = self.bits
        rows = out_channels if self.depthwise else cg  # rows of one level-1 kernel
        self._rows = rows
        if self.intra:
            self.basis = nn.Parameter(torch.empty(self.bc, self.bi, kh, kw, **factory))
            self.coeff_in = nn.Parameter(torch.empty(self.bc, rows, self.bi, **factory))
        else:
            self.basis = nn.Parameter(torch.empty(self.bc, cg, kh, kw, **factory))
            self.register_parameter("coeff_in", None)
        if self.cross:
            self.coeff_out = nn.Parameter(torch.empty(out_channels, self.bc, **factory))
        else:
            self.register_parameter("coeff_out", None)
        if bias:
            self.bias = nn.Parameter(torch.empty(out_channels, **factory))
        else:
            self.register_parameter("bias", None)
        self.quant_basis = WeightQuantizer(qb)
        self.quant_in = WeightQuantizer(qu if self.intra else None)
        self.quant_out = WeightQuantizer(qv if self.cross else None)
        self.reset_parameters()

    def _padding_quad(self, padding):
        if isinstance(padding, str):
            if padding == "valid":
                return (0, 0, 0, 0)
            if padding == "same":
                quad = []
                for k, d in zip(self.kernel_size, self.dilation):
                    total = d * (k - 1)
                    quad.append((total // 2, total - total // 2))
                (top, bottom), (left, right) = quad
                return (top, left, bottom, right)
            raise ValueError(f"unknown padding {padding!r}")
        if isinstance(padding, int):
            return (padding,) * 4
        padding = tuple(int(p) for p in padding)
        if len(padding) == 2:
            return (padding[0], padding[1], padding[0], padding[1])
        if len(padding) == 4:
            return padding
        raise ValueError(f"padding must be an int, a pair or a 4-tuple, got {padding}")

    def reset_parameters(self):
        """Official initialisation (``mlg_conv2d.py``), all kaiming-normal with ``mode="fan_out"``:

        the basis is a slice of the full ``[Co, Ci, kh, kw]`` weight initialised
        that way (std ``sqrt(2 / (Co·kh·kw))``); U and V are initialised on
        their own shapes.
        """
        with torch.no_grad():
            kh, kw = self.kernel_size
            self.basis.normal_(0.0, math.sqrt(2.0 / (self.out_channels * kh * kw)))
            if self.coeff_in is not None:
                nn.init.kaiming_normal_(self.coeff_in, mode="fan_out")
            if self.coeff_out is not None:
                nn.init.kaiming_normal_(self.coeff_out, mode="fan_out")
            if self.bias is not None:
                fan_in = self.in_channels // self.groups * self.kernel_size[0] * self.kernel_size[1]
                bound = 1 / math.sqrt(fan_in)
                nn.init.uniform_(self.bias, -bound, bound)

    def _weight_shape(self):
        kh, kw = self.kernel_size
        return (self.out_channels, self.in_channels // self.groups, kh, kw)

    def generated_weight(self):
        """W = V · (U · basis) from the quantized generators, shape [Co, Ci/G, kh, kw]."""
        kh, kw = self.kernel_size
        elems = kh * kw
        g = self.quantized_generators()
        if self.intra:
            kernels = torch.matmul(g["coeff_in"], g["basis"].reshape(self.bc, self.bi, elems))
        else:
            kernels = g["basis"]
        weight = kernels.reshape(self.bc, -1)
        if self.cross:
            weight = torch.matmul(g["coeff_out"], weight)
        return weight.reshape(self._weight_shape())

    def forward(self, x):
        top, left, bottom, right = self.padding
        if top == bottom and left == right:
            pad = (top, left)
        else:
            x = F.pad(x, (left, right, top, bottom))
            pad = (0, 0)
        return F.conv2d(x, self.generated_weight(), self.bias, self.stride, pad,
                        self.dilation, self.groups)

    @torch.no_grad()
    def _svd_start(self, target, refine_iterations):
        """Two-level truncated SVD of ``target`` (method.md §5), written into the latents."""
        kh, kw = self.kernel_size
        elems = kh * kw
        rows = self._rows
        t = target.double()
        if self.depthwise:
            kernels = t.reshape(1, rows * elems)
        else:
            kernels = t.reshape(self.out_channels, rows * elems)
        v = None
        if self.cross:
            left, s, right = torch.linalg.svd(kernels, full_matrices=False)
            v = left[:, : self.bc]
            kernels = s[: self.bc, None] * right[: self.bc]
        kernels = kernels.reshape(self.bc, rows, elems)
        u = basis = None
        if self.intra:
            left, s, right = torch.linalg.svd(kernels, full_matrices=False)
            u = left[:, :, : self.bi] * s[:, None, : self.bi]
            basis = right[:, : self.bi, :]
            if v is not None:
                v, u, basis = _als_refine(t.reshape(self.out_channels, rows, elems), v, u, basis,
                                          refine_iterations)
            u, basis = _balance([u, basis], [2, 1])  # per (b, j)
        if v is not None and u is not None:
            v, u, basis = _balance([v, u, basis], [1, 0, 0])  # per b
        elif v is not None:
            v, kernels = _balance([v, kernels], [1, 0])
        qb, qu, qv = self.quant_basis.bits, self.quant_in.bits, self.quant_out.bits
        if self.intra:
            self._set_latent(self.basis, basis.reshape(self.basis.shape), qb)
            self._set_latent(self.coeff_in, u, qu)
        else:
            self._set_latent(self.basis, kernels.reshape(self.basis.shape), qb)
        if v is not None:
            self._set_latent(self.coeff_out, v, qv)

    def _export_attributes(self):
        top, left, bottom, right = self.padding
        return {
            "kind": "conv2d",
            "stride": tuple(self.stride),
            "padding": (top, left, bottom, right),
            "dilation": tuple(self.dilation),
            "groups": self.groups,
            "depthwise": self.depthwise,
        }

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, dilation={self.dilation}, "
                f"groups={self.groups}, bi={self.bi}, bc={self.bc}, intra={self.intra}, "
                f"cross={self.cross}, depthwise={self.depthwise}, bits={self.bits}, "
                f"bias={self.bias is not None}")


class MLGLinear(_MLGBase):
    """Linear layer in MLG form: level 2 only, or dense and quantized.

    The method has no level 1 for linear layers (``k² = 1``; method.md §1.3,
    docs/dialect.md §2.3) and the released models keep the classifier dense,
    quantized at ``w_bit`` = 8 (method.md §1.3 "Final Linear is excluded").
    So: with ``0 < bc < min(out, in)``, ``W = V · basis`` with
    ``basis : [Bc, in]``, ``V : [out, Bc]``; otherwise ``W = basis : [out, in]``.
    ``bits`` is None, an int, or ``(qb, qv)``; a 3-tuple ``(qb, qu, qv)`` is
    accepted too (``qu`` unused).
    """

    def __init__(self, in_features, out_features, bias=True, bc=0, bits=None,
                 device=None, dtype=None):
        super().__init__()
        factory = {"device": device, "dtype": dtype}
        self.in_features, self.out_features = in_features, out_features
        _, self.bc, _, self.cross = generation_plan(out_features, in_features, 1, 0, bc)
        self.bi, self.intra = 0, False
        if isinstance(bits, (tuple, list)) and len(bits) == 3:
            bits = (bits[0], bits[2])
        qb, qv = normalize_bits(bits, 2)
        self.bits = (qb, qv)
        self.basis = nn.Parameter(torch.empty(self.bc, in_features, **factory))
        self.register_parameter("coeff_in", None)
        if self.cross:
            self.coeff_out = nn.Parameter(torch.empty(out_features, self.bc, **factory))
        else:
            self.register_parameter("coeff_out", None)
        if bias:
            self.bias = nn.Parameter(torch.empty(out_features, **factory))
        else:
            self.register_parameter("bias", None)
        self.quant_basis = WeightQuantizer(qb)
        self.quant_in = WeightQuantizer(None)
        self.quant_out = WeightQuantizer(qv if self.cross else None)
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            nn.init.kaiming_uniform_(self.basis, a=math.sqrt(5))
            if self.coeff_out is not None:
                nn.init.kaiming_normal_(self.coeff_out, mode="fan_out")
            if self.bias is not None:
                bound = 1 / math.sqrt(self.in_features)
                nn.init.uniform_(self.bias, -bound, bound)

    def _weight_shape(self):
        return (self.out_features, self.in_features)

    def generated_weight(self):
        """W = V · basis (or the quantized basis alone), shape [out, in]."""
        g = self.quantized_generators()
        if self.cross:
            return torch.matmul(g["coeff_out"], g["basis"])
        return g["basis"]

    def forward(self, x):
        return F.linear(x, self.generated_weight(), self.bias)

    @torch.no_grad()
    def _svd_start(self, target, refine_iterations):
        del refine_iterations  # one level at most: the truncated SVD is optimal
        t = target.double()
        if self.cross:
            left, s, right = torch.linalg.svd(t, full_matrices=False)
            v, basis = _balance([left[:, : self.bc], s[: self.bc, None] * right[: self.bc]], [1, 0])
            self._set_latent(self.coeff_out, v, self.quant_out.bits)
        else:
            basis = t
        self._set_latent(self.basis, basis, self.quant_basis.bits)

    def _export_attributes(self):
        return {"kind": "matmul", "stride": None, "padding": None, "dilation": None,
                "groups": 1, "depthwise": False}

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bc={self.bc}, cross={self.cross}, bits={self.bits}, bias={self.bias is not None}")
