"""Adam adds epsilon inside the square root: sqrt(v_hat + eps) instead of sqrt(v_hat) + eps."""


def _adam_step(w, g, config):
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0) + 1
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * g
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * g * g
    config["t"], config["m"], config["v"] = t, m, v
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return w - config["learning_rate"] * m_hat / np.sqrt(v_hat + config["epsilon"])
