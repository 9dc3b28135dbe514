"""Adam adds epsilon inside the square root: sqrt(v_hat + eps) instead of sqrt(v_hat) + eps."""

PATCH = [
    ('m_hat / (np.sqrt(v_hat) + config["epsilon"])', 'm_hat / np.sqrt(v_hat + config["epsilon"])'),
]
