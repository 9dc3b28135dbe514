"""RMSProp's decay applied the wrong way round: cache = (1 - rho) * cache + rho * dw**2."""


def rmsprop(w, dw, config=None):
    if config is None:
        config = {}
    config.setdefault("learning_rate", 1e-2)
    config.setdefault("decay_rate", 0.99)
    config.setdefault("epsilon", 1e-8)
    rho = config["decay_rate"]
    cache = (1 - rho) * config.get("cache", np.zeros_like(w)) + rho * dw * dw
    config["cache"] = cache
    return w - config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"]), config
