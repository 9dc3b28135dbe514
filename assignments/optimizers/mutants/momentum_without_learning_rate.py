"""Momentum never multiplies by the learning rate: v = mu * v - dw; w = w + v (Nesterov too)."""

PATCH = [
    ("next_w = w - lr * step", "next_w = w - buf"),
]
