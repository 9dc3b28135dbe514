"""temporal_affine_backward sums db over the batch axis only, returning a (T, M) array instead
of summing over batch and time."""


def temporal_affine_backward(dout, cache):
    x, w = cache
    D, M = w.shape
    dx = dout @ w.T
    dw = x.reshape(-1, D).T @ dout.reshape(-1, M)
    db = dout.sum(axis=0)
    return dx, dw, db
