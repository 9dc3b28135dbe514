"""triplet_loss subtracts the margin instead of adding it."""

PATCH = [
    ("F.relu(d_ap - d_an + margin)", "F.relu(d_ap - d_an - margin)"),
]
