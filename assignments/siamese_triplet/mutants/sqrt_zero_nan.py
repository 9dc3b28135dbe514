"""pairwise_distances takes sqrt of the clamped squared distances directly: sqrt'(0) is infinite,
so every zero distance (the diagonal, identical rows) turns the gradient into nan."""

PATCH = [
    (
        "    zero = d2 == 0\n"
        "    d = torch.sqrt(torch.where(zero, torch.ones_like(d2), d2))\n"
        "    return torch.where(zero, torch.zeros_like(d), d)\n",
        "    return torch.sqrt(torch.clamp(d2, min=0.0))\n",
    ),
]
