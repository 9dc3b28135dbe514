"""The warm-up counts steps from 1: base_lr * (step + 1) / warmup_steps."""


def cosine_with_warmup(base_lr, step, total_steps, warmup_steps=0, min_lr=0.0):
    if step >= total_steps:
        return min_lr
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * progress))
