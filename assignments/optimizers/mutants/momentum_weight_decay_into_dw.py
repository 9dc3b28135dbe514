"""sgd_momentum adds the L2 penalty to dw in place (`dw += weight_decay * w`), changing the caller's gradient."""

PATCH = [
    (
        '    lr, mu = config["learning_rate"], config["momentum"]\n    g = dw + config["weight_decay"] * w\n',
        '    lr, mu = config["learning_rate"], config["momentum"]\n    dw += config["weight_decay"] * w\n    g = dw\n',
    ),
]
