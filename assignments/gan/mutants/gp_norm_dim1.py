"""gradient_penalty takes the norm over dim 1 only: right for (N, D) inputs, wrong for images
(N, C, H, W), where it gives one norm per pixel."""

PATCH = [
    ("norms = grad.reshape(n, -1).norm(2, dim=1)", "norms = grad.norm(2, dim=1)"),
]
