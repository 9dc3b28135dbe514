"""step_decay divides with / instead of //, decaying continuously instead of in steps."""


def step_decay(base_lr, step, step_size, gamma=0.1):
    return base_lr * gamma ** (step / step_size)
