"""train_triplet computes the loss and its gradients but never calls optimizer.step()."""

PATCH = [
    ("            optimizer.step()\n", ""),
]
