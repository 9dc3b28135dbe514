"""pairwise_distances adds an eps inside the square root to dodge the nan gradient: finite, but
the diagonal (and every distance) is no longer exactly right."""

PATCH = [
    (
        "    zero = d2 == 0\n"
        "    d = torch.sqrt(torch.where(zero, torch.ones_like(d2), d2))\n"
        "    return torch.where(zero, torch.zeros_like(d), d)\n",
        "    return torch.sqrt(d2 + 1e-8)\n",
    ),
]
