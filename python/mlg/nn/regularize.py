"""Multi-level orthogonality regulariser (method.md §5, paper Eq. 7).

Per MLG layer::

    L_ort = mse(B_b B_bᵀ, I) + mse(Ũ_bᵀ Ũ_b, I)   (batched over the Bc basis kernels)
          + mse(Ṽᵀ Ṽ, I)

with ``B_b = basis[b]`` viewed ``[Bi, kh*kw]``, ``Ũ_b`` the columns of
``U[b] : [Ci, Bi]`` divided by their ℓ2 norms, and ``Ṽ`` the columns of
``V : [Co, Bc]`` divided by theirs. As in the official code:

* ``mse`` is ``F.mse_loss`` (a mean over all entries, over ``b`` too), not
  the paper's sum of squared Frobenius norms;
* the column norms of U and V are taken on ``.data`` (plus 1e-8): no
  gradient flows through the normalisation;
* a layer without level 1 (1×1 convolution, linear) pushes the rows of its
  stored kernel basis ``basis : [Bc, Ci*kh*kw]`` to be orthonormal;
* the terms act on the latent parameters (before quantization);
* a layer with neither level (a dense quantized layer) contributes 0.

Fix of the official code's ``Bi = 1`` bug: with level 1 on, ``Bi = 1`` and
level 2 on (e.g. DenseNet "1-25"), the official ``get_ortho_loss`` never
assigns ``dot_b`` and raises. Here the basis and U terms are dropped when
``Bi = 1`` (method.md §5 item 3): a single basis filter cannot be orthogonal
to anything, and a normalised single column gives ``ŨᵀŨ = 1`` exactly, so
both terms only constrain norms. The V term stays.

The model's regulariser is the sum over its MLG layers; the total training
loss is ``L = L_KD + λ·L_ort`` with ``λ = 0.05`` in the released config.
"""

import torch
import torch.nn.functional as F

from .layers import MLGConv2d, MLGLinear

__all__ = ["layer_ortho_loss", "ortho_loss"]


def _gram_error(matrices):
    """mse(M Mᵀ, I) for a batch [..., n, m] of matrices."""
    gram = torch.matmul(matrices, matrices.transpose(-1, -2))
    eye = torch.eye(gram.shape[-1], dtype=gram.dtype, device=gram.device).expand_as(gram)
    return F.mse_loss(gram, eye)


def _normalize_columns(matrix, dim):
    # The norm is a constant (official code: `.data.norm(...) + 1e-8`), hence detach().
    return matrix / (matrix.detach().norm(p=2, dim=dim, keepdim=True) + 1e-8)


def layer_ortho_loss(layer):
    """L_ort of one MLGConv2d/MLGLinear (see module doc); a 0-dim tensor."""
    terms = []
    if layer.intra:
        if layer.bi > 1:
            basis = layer.basis.reshape(layer.bc, layer.bi, -1)          # [Bc, Bi, k²]
            terms.append(_gram_error(basis))
            u = _normalize_columns(layer.coeff_in, dim=1)                # [Bc, Ci, Bi]
            terms.append(_gram_error(u.transpose(1, 2)))                 # ŨᵀŨ: [Bc, Bi, Bi]
    elif layer.cross:
        terms.append(_gram_error(layer.basis.reshape(layer.bc, -1)))    # rows of [Bc, Ci·k²]
    if layer.cross:
        v = _normalize_columns(layer.coeff_out, dim=0)                   # [Co, Bc]
        terms.append(_gram_error(v.t()))                                 # ṼᵀṼ: [Bc, Bc]
    if not terms:
        return layer.basis.new_zeros(())
    return sum(terms)


def ortho_loss(model):
    """Sum of :func:`layer_ortho_loss` over the MLG layers of ``model``."""
    total = None
    for module in model.modules():
        if isinstance(module, (MLGConv2d, MLGLinear)):
            loss = layer_ortho_loss(module)
            total = loss if total is None else total + loss
    if total is None:
        param = next(model.parameters(), None)
        return torch.zeros(()) if param is None else param.new_zeros(())
    return total
