"""mse_loss divides by pred.size instead of N = pred.shape[0]."""

PATCH = [
    ("n = pred.shape[0]", "n = pred.size"),
]
