"""Adam adds the L2 penalty to dw in place, modifying the caller's gradient.

`dw += weight_decay * w` instead of `g = dw + weight_decay * w`.
"""

PATCH = [
    (
        'next_w = _adam_step(w, dw + config["weight_decay"] * w, config)',
        'dw += config["weight_decay"] * w\n'
        "    next_w = _adam_step(w, dw, config)",
    ),
]
