"""affine_backward returns dx flattened to (N, D) instead of x's original shape."""


def affine_backward(dout, cache):
    x, w = cache
    x_flat = x.reshape(x.shape[0], -1)
    return dout @ w.T, x_flat.T @ dout, dout.sum(axis=0)
