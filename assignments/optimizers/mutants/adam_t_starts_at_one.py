"""Adam's counter starts at 1 and is incremented before use: the first step uses t = 2.

The bias correction is then off by one step throughout.
"""


def _adam_step(w, g, config):
    b1, b2 = config["beta1"], config["beta2"]
    config.setdefault("t", 1)
    config["t"] += 1
    t = config["t"]
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * g
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * g * g
    config["m"], config["v"] = m, v
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
