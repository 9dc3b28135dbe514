"""The warm-up counts steps from 1: base_lr * (step + 1) / warmup_steps."""

PATCH = [
    ("return base_lr * step / warmup_steps", "return base_lr * (step + 1) / warmup_steps"),
]
