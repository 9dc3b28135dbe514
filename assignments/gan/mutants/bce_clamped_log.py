"""bce_loss keeps the naive formula but clamps the probabilities away from 0 and 1: finite, but
the loss (and gradient) of a confidently wrong logit is capped at -log(1e-7) instead of |x|."""


def bce_loss(input, target):
    p = torch.sigmoid(input).clamp(1e-7, 1 - 1e-7)
    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()
