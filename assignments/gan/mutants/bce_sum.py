"""bce_loss sums over the elements instead of averaging."""

PATCH = [
    ("    return loss.mean()\n", "    return loss.sum()\n"),
]
