"""lstm_step_forward writes its own sigmoid as np.exp(x) / (1 + np.exp(x)), which is nan for
large positive pre-activations (inf / inf)."""

PATCH = [
    (
        "    i = sigmoid(a[:, :H])\n"
        "    f = sigmoid(a[:, H : 2 * H])\n"
        "    o = sigmoid(a[:, 2 * H : 3 * H])\n",
        "    sig = lambda z: np.exp(z) / (1 + np.exp(z))  # noqa: E731\n"
        "    i = sig(a[:, :H])\n"
        "    f = sig(a[:, H : 2 * H])\n"
        "    o = sig(a[:, 2 * H : 3 * H])\n",
    ),
]
