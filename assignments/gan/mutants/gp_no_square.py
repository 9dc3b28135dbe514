"""gradient_penalty averages (norm - 1) without squaring it."""

PATCH = [
    ("return ((norms - 1.0) ** 2).mean()", "return (norms - 1.0).mean()"),
]
