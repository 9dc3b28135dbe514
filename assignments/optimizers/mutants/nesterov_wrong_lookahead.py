"""Nesterov's look-ahead uses the velocity from before this step's update.

w - lr * (g + mu * buf_old) instead of w - lr * (g + mu * buf_new).
"""

PATCH = [
    (
        'buf = config.get("momentum_buffer")\n'
        "    buf = g if buf is None else mu * buf + g",
        'buf_old = config.get("momentum_buffer", np.zeros_like(w))\n'
        "    buf = mu * buf_old + g",
    ),
    ('step = g + mu * buf if config["nesterov"] else buf', 'step = g + mu * buf_old if config["nesterov"] else buf'),
]
