"""rnn_step_forward writes tanh out through exp, (e^a - e^-a) / (e^a + e^-a): nan past |a| = 709."""

PATCH = [
    (
        "    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)\n",
        "    a = x @ Wx + prev_h @ Wh + b\n    next_h = (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a))\n",
    ),
]
