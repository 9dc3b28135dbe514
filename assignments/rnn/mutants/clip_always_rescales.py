"""clip_grad_norm always rescales to max_norm, scaling small gradients up instead of leaving
them alone below the threshold."""


def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    coef = max_norm / (total_norm + 1e-6)
    for g in grads.values():
        g *= coef
    return total_norm
