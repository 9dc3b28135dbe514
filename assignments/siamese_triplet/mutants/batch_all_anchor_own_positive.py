"""batch_all_triplet_loss counts the anchor as its own positive: the same-label mask keeps the
diagonal, so (a, a, n) triplets enter the sum and the counts."""

PATCH = [
    ("(same & ~eye).nonzero(as_tuple=True)", "same.nonzero(as_tuple=True)"),
]
