"""The cosine phase measures progress from step 0 over total_steps, ignoring the warm-up."""


def cosine_with_warmup(base_lr, step, total_steps, warmup_steps=0, min_lr=0.0):
    if step >= total_steps:
        return min_lr
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * step / total_steps))
