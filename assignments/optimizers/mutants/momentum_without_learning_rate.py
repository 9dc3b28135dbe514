"""Momentum never multiplies by the learning rate: v = mu * v - dw; w = w + v."""


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("nesterov", False)
    config.setdefault("weight_decay", 0.0)
    g = dw + config["weight_decay"] * w
    v = config["momentum"] * config.get("velocity", np.zeros_like(w)) - g
    config["velocity"] = v
    return w + v, config
