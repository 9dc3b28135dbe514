"""clip_grad_norm clips every array by its own norm instead of the global norm of all of them."""


def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    for g in grads.values():
        coef = max_norm / (np.linalg.norm(g) + 1e-6)
        if coef < 1.0:
            g *= coef
    return total_norm
