"""Plain SGD ignores weight_decay."""

PATCH = [
    ('next_w = w - config["learning_rate"] * g', 'next_w = w - config["learning_rate"] * dw'),
]
