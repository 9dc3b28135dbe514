"""An independent correct optimizers.py in CS231n's style, kept to prove the tests are fair.

It differs from the reference wherever the contract leaves a choice: the velocity is stored as
CS231n's ``v = mu * v - lr * g`` (not torch's buffer), w is updated in place, the caller's config
is copied rather than filled in, Adam uses Kingma and Ba's folded step size with a rescaled
epsilon, RMSProp's average is updated incrementally, and the schedules use other (equivalent)
formulas.
"""

import math

import numpy as np


def _hyper(config, **defaults):
    """A copy of config with every missing hyperparameter set to its default."""
    out = dict(config or {})
    for key, value in defaults.items():
        if out.get(key) is None:
            out[key] = value
    return out


def sgd(w, dw, config=None):
    config = _hyper(config, learning_rate=1e-2, weight_decay=0.0)
    step = config["learning_rate"] * dw
    if config["weight_decay"] != 0:
        step = step + config["learning_rate"] * config["weight_decay"] * w
    w -= step
    return w, config


def sgd_momentum(w, dw, config=None):
    config = _hyper(config, learning_rate=1e-2, momentum=0.9, nesterov=False, weight_decay=0.0)
    lr, mu = config["learning_rate"], config["momentum"]
    g = dw + config["weight_decay"] * w
    v_prev = config.get("velocity")
    if v_prev is None:
        v_prev = np.zeros_like(w)
    v = mu * v_prev - lr * g
    config["velocity"] = v
    if config["nesterov"]:
        w += -mu * v_prev + (1 + mu) * v
    else:
        w += v
    return w, config


def rmsprop(w, dw, config=None):
    config = _hyper(config, learning_rate=1e-2, decay_rate=0.99, epsilon=1e-8)
    cache = config.get("sq_avg")
    cache = np.zeros_like(w) if cache is None else cache.copy()
    cache += (1 - config["decay_rate"]) * (dw**2 - cache)
    config["sq_avg"] = cache
    w -= config["learning_rate"] * dw / (np.sqrt(cache) + config["epsilon"])
    return w, config


def adagrad(w, dw, config=None):
    config = _hyper(config, learning_rate=1e-2, epsilon=1e-10)
    acc = config.get("g2")
    acc = dw**2 if acc is None else acc + dw**2
    config["g2"] = acc
    for i in np.ndindex(w.shape):
        w[i] -= config["learning_rate"] * dw[i] / (math.sqrt(acc[i]) + config["epsilon"])
    return w, config


def _adam(w, g, config):
    b1, b2 = config["beta1"], config["beta2"]
    t = config.get("step", 0.0) + 1.0
    m = config.get("mom1")
    v = config.get("mom2")
    m = (1 - b1) * g if m is None else b1 * m + (1 - b1) * g
    v = (1 - b2) * g * g if v is None else b2 * v + (1 - b2) * g * g
    config.update(step=t, mom1=m, mom2=v)
    root_bc2 = math.sqrt(1 - b2**t)
    lr_t = config["learning_rate"] * root_bc2 / (1 - b1**t)
    w -= lr_t * m / (np.sqrt(v) + config["epsilon"] * root_bc2)
    return w


def adam(w, dw, config=None):
    config = _hyper(config, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=0.0)
    g = dw + config["weight_decay"] * w if config["weight_decay"] else dw
    return _adam(w, g, config), config


def adamw(w, dw, config=None):
    config = _hyper(config, learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=1e-2)
    w *= 1 - config["learning_rate"] * config["weight_decay"]
    return _adam(w, dw, config), config


def step_decay(base_lr, step, step_size, gamma=0.1):
    lr = float(base_lr)
    for _ in range(step // step_size):
        lr *= gamma
    return lr


def cosine_with_warmup(base_lr, step, total_steps, warmup_steps=0, min_lr=0.0):
    if step >= total_steps:
        return float(min_lr)
    if step < warmup_steps:
        return step / warmup_steps * base_lr
    half_angle = 0.5 * math.pi * (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * math.cos(half_angle) ** 2
