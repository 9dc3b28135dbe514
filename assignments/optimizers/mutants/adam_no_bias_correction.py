"""Adam without bias correction: the raw moments m and v are used directly."""


def _adam_step(w, g, config):
    b1, b2 = config["beta1"], config["beta2"]
    config["t"] = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * g
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * g * g
    config["m"], config["v"] = m, v
    return w - config["learning_rate"] * m / (np.sqrt(v) + config["epsilon"])
