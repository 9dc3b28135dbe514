"""No check for step >= total_steps: past the end the cosine comes back up."""

PATCH = [
    (
        "    if step >= total_steps:\n"
        "        return min_lr\n",
        "",
    ),
]
