"""clip_grad_norm stores scaled copies in the dict (grads[k] = g * coef) instead of scaling the
arrays in place, so the caller's arrays keep their unclipped values."""


def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    coef = max_norm / (total_norm + 1e-6)
    if coef < 1.0:
        for k in grads:
            grads[k] = grads[k] * coef
    return total_norm
