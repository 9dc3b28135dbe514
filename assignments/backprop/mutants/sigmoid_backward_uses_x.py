"""sigmoid_backward applies s * (1 - s) to the input x instead of the sigmoid output."""

PATCH = [
    ("    cache = out\n", "    cache = x\n"),
]
