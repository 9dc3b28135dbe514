"""rnn_step_backward computes the tanh derivative as 1 - a**2 from the cached pre-activation a,
as if a were the step's output tanh(a)."""

PATCH = [
    (
        "    next_h = np.tanh(x @ Wx + prev_h @ Wh + b)\n"
        "    cache = (x, prev_h, Wx, Wh, next_h)\n",
        "    a = x @ Wx + prev_h @ Wh + b\n"
        "    next_h = np.tanh(a)\n"
        "    cache = (x, prev_h, Wx, Wh, a)\n",
    ),
]
