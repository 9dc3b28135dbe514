"""triplet_loss forgets the hinge: mean(d_ap - d_an + margin), so easy triplets give negative terms."""

PATCH = [
    ("F.relu(d_ap - d_an + margin)", "(d_ap - d_an + margin)"),
]
