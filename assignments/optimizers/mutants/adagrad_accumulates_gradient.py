"""Adagrad accumulates the gradient instead of its square (abs keeps the root real)."""


def adagrad(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("epsilon", 1e-10)
    acc = config.get("sum", np.zeros_like(w)) + dw
    config["sum"] = acc
    return w - config["learning_rate"] * dw / (np.sqrt(np.abs(acc)) + config["epsilon"]), config
