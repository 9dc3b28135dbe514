"""Nesterov's look-ahead uses the velocity from before this step's update.

w - lr * (g + mu * buf_old) instead of w - lr * (g + mu * buf_new).
"""


def sgd_momentum(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("momentum", 0.9)
    config.setdefault("nesterov", False)
    config.setdefault("weight_decay", 0.0)
    mu, lr = config["momentum"], config["learning_rate"]
    g = dw + config["weight_decay"] * w
    buf_old = config.get("buf", np.zeros_like(w))
    buf = mu * buf_old + g
    config["buf"] = buf
    if config["nesterov"]:
        return w - lr * (g + mu * buf_old), config
    return w - lr * buf, config
