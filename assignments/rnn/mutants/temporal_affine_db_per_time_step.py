"""temporal_affine_backward sums db over the batch axis only, returning a (T, M) array instead
of summing over batch and time."""

PATCH = [
    ("db = dout.reshape(-1, M).sum(axis=0)", "db = dout.sum(axis=0)"),
]
