"""Adam without bias correction: the raw moments m and v are used directly."""

PATCH = [
    (
        "    m_hat = m / (1 - b1**t)\n"
        "    v_hat = v / (1 - b2**t)\n",
        "    m_hat, v_hat = m, v\n",
    ),
]
