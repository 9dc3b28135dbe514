"""Hyperparameters read with `config.get(key) or default`: momentum 0 becomes 0.9.

weight_decay 0 is harmless, but a momentum of 0 is silently replaced by the default.
"""

PATCH = [
    (
        'lr, mu = config["learning_rate"], config["momentum"]',
        'lr, mu = config.get("learning_rate") or 1e-2, config.get("momentum") or 0.9',
    ),
]
