"""LSTM slices the pre-activations in torch.nn.LSTM's order i, f, g, o instead of the lab's
i, f, o, g (forward and backward consistently)."""

PATCH = [
    (
        "    o = sigmoid(a[:, 2 * H : 3 * H])\n"
        "    g = np.tanh(a[:, 3 * H :])\n",
        "    g = np.tanh(a[:, 2 * H : 3 * H])\n"
        "    o = sigmoid(a[:, 3 * H :])\n",
    ),
    ("do * o * (1.0 - o), dg * (1.0 - g**2)]", "dg * (1.0 - g**2), do * o * (1.0 - o)]"),
]
