"""triplet_loss writes the norm as sqrt(sum(diff**2)): nan gradients when a positive coincides
with its anchor."""

PATCH = [
    (
        "    d_ap = torch.linalg.vector_norm(anchor - positive, dim=1)\n"
        "    d_an = torch.linalg.vector_norm(anchor - negative, dim=1)\n",
        "    d_ap = torch.sqrt(((anchor - positive) ** 2).sum(dim=1))\n"
        "    d_an = torch.sqrt(((anchor - negative) ** 2).sum(dim=1))\n",
    ),
]
