"""temporal_softmax_loss divides the loss and its gradient by mask.sum() (the number of
unmasked steps) instead of the batch size N."""

PATCH = [
    (
        "flat_mask = mask.reshape(N * T).astype(np.float64)\n",
        "flat_mask = mask.reshape(N * T).astype(np.float64)\n"
        "    count = max(flat_mask.sum(), 1)\n",
    ),
    (
        "loss = -np.sum(flat_mask * log_probs[rows, flat_y]) / N",
        "loss = -np.sum(flat_mask * log_probs[rows, flat_y]) / count",
    ),
    ("dx *= flat_mask[:, None] / N", "dx *= flat_mask[:, None] / count"),
]
