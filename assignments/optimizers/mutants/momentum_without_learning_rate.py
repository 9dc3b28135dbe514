"""Momentum accumulates the raw gradient into the velocity and adds it to w without ever
multiplying by the learning rate."""


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
