"""batch_hard_triplet_loss counts the anchor as its own positive, so an anchor whose class has
no other member still enters the mean (with hardest positive distance 0)."""

PATCH = [
    ("pos_mask = same & ~eye", "pos_mask = same"),
]
