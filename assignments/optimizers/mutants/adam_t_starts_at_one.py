"""Adam's counter starts at 1 and is incremented before use: the first step uses t = 2.

The bias correction is then off by one step throughout.
"""

PATCH = [
    ('t = config.get("t", 0) + 1', 't = config.get("t", 1) + 1'),
]
