"""AdamW forgets the decoupled weight decay: it is plain Adam."""

PATCH = [
    ("next_w = _adam_step(decayed, dw, config)", "next_w = _adam_step(w, dw, config)"),
]
