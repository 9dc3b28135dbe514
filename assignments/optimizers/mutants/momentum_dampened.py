"""Momentum written as a moving average, v = mu * v + (1 - mu) * dw.

That is torch's dampening=momentum, not the dampening=0 the lab asks for.
"""

PATCH = [
    ("buf = g if buf is None else mu * buf + g", "buf = (1 - mu) * g if buf is None else mu * buf + (1 - mu) * g"),
]
