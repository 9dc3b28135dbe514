"""rnn_step_backward squares the cached next_h in place: the gradients are right, the caller's state is not."""

PATCH = [
    (
        "    da = dnext_h * (1.0 - next_h**2)\n",
        "    next_h **= 2\n    da = dnext_h * (1.0 - next_h)\n",
    ),
]
