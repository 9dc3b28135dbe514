"""batch_all_triplet_loss averages over all valid triplets instead of over the positive ones."""

PATCH = [
    (
        "    if num_positive == 0:\n"
        "        return embeddings.sum() * 0, fraction\n"
        "    return terms.sum() / num_positive, fraction",
        "    if num_valid == 0:\n"
        "        return embeddings.sum() * 0, fraction\n"
        "    return terms.sum() / num_valid, fraction",
    ),
]
