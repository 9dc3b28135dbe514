"""Adagrad accumulates the gradient instead of its square (abs keeps the root real)."""

PATCH = [
    (
        'sum_sq = config.get("sum_sq", np.zeros_like(w)) + dw * dw',
        'sum_sq = config.get("sum_sq", np.zeros_like(w)) + dw',
    ),
    ("dw / (np.sqrt(sum_sq) +", "dw / (np.sqrt(np.abs(sum_sq)) +"),
]
