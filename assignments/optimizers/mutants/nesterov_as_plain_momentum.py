"""The nesterov flag is read but ignored: Nesterov is computed as plain heavy-ball momentum."""

PATCH = [
    ('step = g + mu * buf if config["nesterov"] else buf', "step = buf"),
]
