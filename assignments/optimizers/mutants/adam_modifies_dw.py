"""Adam adds the L2 penalty to dw in place, modifying the caller's gradient.

`dw += weight_decay * w` instead of `g = dw + weight_decay * w`.
"""


def adam(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-3)
    config.setdefault("beta1", 0.9)
    config.setdefault("beta2", 0.999)
    config.setdefault("epsilon", 1e-8)
    config.setdefault("weight_decay", 0.0)
    dw += config["weight_decay"] * w
    return _adam_step(w, dw, config), config
