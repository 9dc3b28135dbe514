"""Plain SGD ignores weight_decay."""


def sgd(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("weight_decay", 0.0)
    return w - config["learning_rate"] * dw, config
