"""First-order update rules and learning-rate schedules.

Every update rule has the same interface::

    next_w, config = rule(w, dw, config=None)

- ``w``: numpy array (float64) of the current weights.
- ``dw``: numpy array of the same shape, the gradient of the loss with respect to ``w``.
  A rule must never modify ``dw``.
- ``config``: a dict of hyperparameters (learning rate, momentum, ...) and of the rule's own
  state (velocity, moving averages, step counter, ...). When ``config`` is None, or a
  hyperparameter is missing from it, the documented default is used. The state is kept in
  ``config`` under keys of your choosing, and the caller passes the returned config back on the
  next step.

A rule may update ``w`` in place, but it must return the updated weights as ``next_w``. Each rule
must follow the same trajectory of ``w`` as the ``torch.optim`` optimizer named in its docstring,
step after step, when the hyperparameters stay the same.

A typical training loop::

    config = {"learning_rate": 1e-3}
    for step in range(num_steps):
        dw = gradient(w)
        w, config = adam(w, dw, config)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Config = dict[str, Any]


def sgd(w: np.ndarray, dw: np.ndarray, config: Config | None = None) -> tuple[np.ndarray, Config]:
    """Vanilla stochastic gradient descent, as ``torch.optim.SGD(lr, weight_decay=wd)``.

    With g = dw + weight_decay * w:  next_w = w - learning_rate * g.

    config:
    - learning_rate: float, default 1e-2.
    - weight_decay: float, L2 penalty coefficient added to the gradient, default 0.
    """
    if config is None:
        config = {}
    raise NotImplementedError('TODO: implement sgd')
    return next_w, config


def sgd_momentum(
    w: np.ndarray, dw: np.ndarray, config: Config | None = None
) -> tuple[np.ndarray, Config]:
    """SGD with (optionally Nesterov) momentum, as
    ``torch.optim.SGD(lr, momentum, dampening=0, nesterov, weight_decay)``.

    With g = dw + weight_decay * w and a velocity that starts at zero, the classic (heavy-ball)
    rule is ``v = momentum * v - learning_rate * g; next_w = w + v``. With Nesterov momentum the
    weights move by the look-ahead step instead:
    ``next_w = w + momentum * v - learning_rate * g`` (using the new v).

    config:
    - learning_rate: float, default 1e-2.
    - momentum: float in [0, 1), default 0.9. momentum 0 is plain SGD.
    - nesterov: bool, default False.
    - weight_decay: float, default 0.
    - state: a velocity of the shape of w, kept in config under a key of your choice.
    """
    if config is None:
        config = {}
    raise NotImplementedError('TODO: implement sgd_momentum')
    return next_w, config


def rmsprop(w: np.ndarray, dw: np.ndarray, config: Config | None = None) -> tuple[np.ndarray, Config]:
    """RMSProp, as ``torch.optim.RMSprop(lr, alpha=decay_rate, eps=epsilon)``.

    A moving average of squared gradients, starting at zero:
    ``cache = decay_rate * cache + (1 - decay_rate) * dw**2``, then
    ``next_w = w - learning_rate * dw / (sqrt(cache) + epsilon)`` (epsilon outside the root).

    config:
    - learning_rate: float, default 1e-2.
    - decay_rate: float in [0, 1), the weight of the old average, default 0.99.
    - epsilon: float, default 1e-8.
    - state: the moving average, under a key of your choice.
    """
    if config is None:
        config = {}
    raise NotImplementedError('TODO: implement rmsprop')
    return next_w, config


def adagrad(w: np.ndarray, dw: np.ndarray, config: Config | None = None) -> tuple[np.ndarray, Config]:
    """Adagrad, as ``torch.optim.Adagrad(lr, eps=epsilon)``.

    A running sum of squared gradients, starting at zero: ``sum_sq = sum_sq + dw**2``, then
    ``next_w = w - learning_rate * dw / (sqrt(sum_sq) + epsilon)``.

    config:
    - learning_rate: float, default 1e-2.
    - epsilon: float, default 1e-10.
    - state: the running sum, under a key of your choice.
    """
    if config is None:
        config = {}
    raise NotImplementedError('TODO: implement adagrad')
    return next_w, config


def _adam_step(w: np.ndarray, g: np.ndarray, config: Config) -> np.ndarray:
    """One bias-corrected Adam step of w on the gradient g, keeping m, v and t in config.

    A suggested helper for adam and adamw to share; only adam and adamw themselves are tested,
    so you may structure them differently.
    """
    raise NotImplementedError('TODO: implement _adam_step')


def adam(w: np.ndarray, dw: np.ndarray, config: Config | None = None) -> tuple[np.ndarray, Config]:
    """Adam, as ``torch.optim.Adam(lr, betas=(beta1, beta2), eps=epsilon, weight_decay)``.

    With g = dw + weight_decay * w (L2 penalty coupled into the gradient), moments m and v
    starting at zero and a step counter t starting at 0:
    ``t += 1`` (before it is used, so the first step has t = 1),
    ``m = beta1 * m + (1 - beta1) * g``, ``v = beta2 * v + (1 - beta2) * g**2``,
    ``m_hat = m / (1 - beta1**t)``, ``v_hat = v / (1 - beta2**t)``,
    ``next_w = w - learning_rate * m_hat / (sqrt(v_hat) + epsilon)``.

    config:
    - learning_rate: float, default 1e-3.
    - beta1: float, default 0.9.
    - beta2: float, default 0.999.
    - epsilon: float, default 1e-8.
    - weight_decay: float, default 0.
    - state: m, v and t, under keys of your choice.
    """
    if config is None:
        config = {}
    raise NotImplementedError('TODO: implement adam')
    return next_w, config


def adamw(w: np.ndarray, dw: np.ndarray, config: Config | None = None) -> tuple[np.ndarray, Config]:
    """AdamW, as ``torch.optim.AdamW(lr, betas=(beta1, beta2), eps=epsilon, weight_decay)``.

    Adam with decoupled weight decay: first ``w = w * (1 - learning_rate * weight_decay)``, then
    the Adam step of ``adam`` on the unmodified gradient dw (the decay never enters m or v).

    config: as ``adam``, except that weight_decay defaults to 1e-2.
    """
    if config is None:
        config = {}
    raise NotImplementedError('TODO: implement adamw')
    return next_w, config


def step_decay(base_lr: float, step: int, step_size: int, gamma: float = 0.1) -> float:
    """Learning rate multiplied by gamma every step_size steps, as torch's ``StepLR``.

    Returns ``base_lr * gamma ** (step // step_size)``; step counts from 0.
    """
    raise NotImplementedError('TODO: implement step_decay')


def cosine_with_warmup(
    base_lr: float, step: int, total_steps: int, warmup_steps: int = 0, min_lr: float = 0.0
) -> float:
    """Linear warm-up followed by a cosine decay from base_lr to min_lr.

    Decided in this order (step counts from 0):
    1. ``min_lr`` when ``step >= total_steps``;
    2. ``base_lr * step / warmup_steps`` when ``step < warmup_steps`` (so step 0 gives 0);
    3. otherwise ``min_lr + 0.5 * (base_lr - min_lr) * (1 + cos(pi * (step - warmup_steps) /
       (total_steps - warmup_steps)))``, which is base_lr at the end of the warm-up.
    """
    raise NotImplementedError('TODO: implement cosine_with_warmup')
