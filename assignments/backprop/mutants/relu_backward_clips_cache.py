"""relu_backward clips the cache in place: the caller's x changes, though dx is right."""

PATCH = [
    ("    dx = dout * (cache > 0)\n", "    cache[cache < 0] = 0.0\n    dx = dout * (cache > 0)\n"),
]
