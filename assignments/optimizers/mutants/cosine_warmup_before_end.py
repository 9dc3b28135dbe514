"""cosine_with_warmup decides the warm-up before the end: a warm-up longer than the run never gives min_lr."""

PATCH = [
    (
        "    if step >= total_steps:\n        return min_lr\n    if step < warmup_steps:\n"
        "        return base_lr * step / warmup_steps\n",
        "    if step < warmup_steps:\n        return base_lr * step / warmup_steps\n"
        "    if step >= total_steps:\n        return min_lr\n",
    ),
]
