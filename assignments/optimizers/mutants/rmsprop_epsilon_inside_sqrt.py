"""RMSProp adds epsilon inside the square root: dw / sqrt(cache + eps)."""

PATCH = [
    ('dw / (np.sqrt(cache) + config["epsilon"])', 'dw / np.sqrt(cache + config["epsilon"])'),
]
