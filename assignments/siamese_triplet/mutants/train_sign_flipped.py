"""train_triplet backpropagates the negated loss, so the optimizer climbs the loss instead of
descending it."""

PATCH = [
    ("            loss.backward()\n", "            (-loss).backward()\n"),
]
