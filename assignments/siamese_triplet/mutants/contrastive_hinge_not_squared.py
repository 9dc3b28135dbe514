"""contrastive_loss forgets to square the hinge of dissimilar pairs: relu(margin - d)."""

PATCH = [
    ("F.relu(margin - d) ** 2", "F.relu(margin - d)"),
]
