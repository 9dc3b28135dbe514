"""Hyperparameters read with `config.get(key) or default`: momentum 0 becomes 0.9.

weight_decay 0 is harmless, but a momentum of 0 is silently replaced by the default.
"""


def sgd_momentum(w, dw, config=None):
    config = config or {}
    lr = config.get("learning_rate") or 1e-2
    mu = config.get("momentum") or 0.9
    wd = config.get("weight_decay") or 0.0
    g = dw + wd * w
    v = mu * config.get("velocity", np.zeros_like(w)) - lr * g
    config["velocity"] = v
    if config.get("nesterov"):
        return w + mu * v - lr * g, config
    return w + v, config
