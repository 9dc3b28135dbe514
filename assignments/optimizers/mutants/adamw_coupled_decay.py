"""AdamW adds the weight decay to the gradient (Adam's L2 penalty) instead of decoupling it."""

PATCH = [
    ("next_w = _adam_step(decayed, dw, config)", 'next_w = _adam_step(w, dw + config["weight_decay"] * w, config)'),
]
