"""Momentum written as a moving average, v = mu * v + (1 - mu) * dw.

That is torch's dampening=momentum, not the dampening=0 the lab asks for.
"""


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("nesterov", False)
    config.setdefault("weight_decay", 0.0)
    mu = config["momentum"]
    g = dw + config["weight_decay"] * w
    v = mu * config.get("velocity", np.zeros_like(w)) + (1 - mu) * g
    config["velocity"] = v
    step = g + mu * v if config["nesterov"] else v
    return w - config["learning_rate"] * step, config
