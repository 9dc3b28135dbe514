"""clip_grad_norm returns the norm of the gradients after clipping rather than before."""


def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    coef = max_norm / (total_norm + 1e-6)
    if coef < 1.0:
        for g in grads.values():
            g *= coef
        total_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    return total_norm
