"""Adam increments its step counter t after the bias correction has used it.

The first step divides by 1 - beta**0 = 0.
"""


def _adam_step(w, g, config):
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("t", 0)
    m = b1 * config.get("m", np.zeros_like(w)) + (1 - b1) * g
    v = b2 * config.get("v", np.zeros_like(w)) + (1 - b2) * g * g
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    config["t"], config["m"], config["v"] = t + 1, m, v
    return w - config["learning_rate"] * m_hat / (np.sqrt(v_hat) + config["epsilon"])
