"""conv_backward_naive averages db over the batch instead of summing it (right for N = 1)."""

PATCH = [
    ("db = dout.sum(axis=(0, 2, 3))", "db = dout.sum(axis=(2, 3)).mean(axis=0)"),
]
