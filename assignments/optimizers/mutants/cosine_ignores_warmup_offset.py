"""The cosine phase measures progress from step 0 over total_steps, ignoring the warm-up."""

PATCH = [
    ("progress = (step - warmup_steps) / (total_steps - warmup_steps)", "progress = step / total_steps"),
]
