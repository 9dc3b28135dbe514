"""temporal_softmax_loss masks the loss but forgets to mask the gradient."""

PATCH = [
    ("dx *= flat_mask[:, None] / N", "dx /= N"),
]
