"""affine_backward returns dx flattened to (N, D) instead of x's original shape."""

PATCH = [
    ("dx = (dout @ w.T).reshape(x.shape)", "dx = dout @ w.T"),
]
