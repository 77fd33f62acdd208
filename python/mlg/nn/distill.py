"""Knowledge-distillation loss of MLG training (method.md §5, Alg. 1 step 2).

``L_KD = α·T²·KL(q_T ‖ p_T) + (1 − α)·CE(y, p)``, where ``p_T`` and
``q_T`` are the student's and the teacher's softmax at temperature ``T``,
``p`` the student's softmax at ``T = 1`` and ``y`` the labels. The paper and
the released code (``KLLossMixed(T=3, alpha=0.9)``) use ``T = 3``,
``α = 0.9``. The KL term is averaged over the batch (``batchmean``, the
mathematically proper KL per sample); the teacher is a constant.
"""

import torch.nn.functional as F
from torch import nn

__all__ = ["kd_loss", "KDLoss"]


def kd_loss(student_logits, teacher_logits, labels, temperature=3.0, alpha=0.9):
    """α·T²·KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α)·cross_entropy(s, labels)."""
    t = float(temperature)
    soft = F.kl_div(F.log_softmax(student_logits / t, dim=1),
                    F.softmax(teacher_logits.detach() / t, dim=1),
                    reduction="batchmean")
    hard = F.cross_entropy(student_logits, labels)
    return alpha * t * t * soft + (1.0 - alpha) * hard


class KDLoss(nn.Module):
    """Module form of :func:`kd_loss`: ``KDLoss()(student, teacher, labels)``."""

    def __init__(self, temperature=3.0, alpha=0.9):
        super().__init__()
        self.temperature, self.alpha = float(temperature), float(alpha)

    def forward(self, student_logits, teacher_logits, labels):
        return kd_loss(student_logits, teacher_logits, labels, self.temperature, self.alpha)
