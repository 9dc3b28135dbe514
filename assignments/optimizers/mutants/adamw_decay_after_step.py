"""AdamW shrinks the weights after the Adam step instead of before it."""

PATCH = [
    (
        '    decayed = w * (1 - config["learning_rate"] * config["weight_decay"])\n'
        "    next_w = _adam_step(decayed, dw, config)",
        '    next_w = _adam_step(w, dw, config) * (1 - config["learning_rate"] * config["weight_decay"])',
    ),
]
