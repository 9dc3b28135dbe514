"""linear_epsilon uses integer division `step // duration`: epsilon stays at start, then jumps to end."""


def linear_epsilon(step, start=1.0, end=0.05, duration=10000):
    return start + (end - start) * min(1, step // duration)
