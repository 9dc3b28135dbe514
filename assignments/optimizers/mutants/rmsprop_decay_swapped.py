"""RMSProp's decay applied the wrong way round: cache = (1 - rho) * cache + rho * dw**2."""

PATCH = [
    ("cache = rho * cache + (1 - rho) * dw * dw", "cache = (1 - rho) * cache + rho * dw * dw"),
]
