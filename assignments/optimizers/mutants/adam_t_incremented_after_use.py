"""Adam increments its step counter t after the bias correction has used it.

The first step divides by 1 - beta**0 = 0.
"""

PATCH = [
    ('t = config.get("t", 0) + 1', 't = config.get("t", 0)'),
    ('config["t"], config["m"], config["v"] = t, m, v', 'config["t"], config["m"], config["v"] = t + 1, m, v'),
]
