"""softmax_loss averages the loss over N but forgets to divide the gradient by N."""

PATCH = [
    ("    dx /= n\n", ""),
]
