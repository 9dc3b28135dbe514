"""rnn_backward initialises dh0 to zeros and never assigns it the gradient that reaches the
initial state."""

PATCH = [
    (
        "rnn_step_backward(dh[:, t] + dprev_h, caches[t])\n"
        "        dx[:, t] = dx_t\n"
        "        dWx += dWx_t\n"
        "        dWh += dWh_t\n"
        "        db += db_t\n"
        "    dh0 = dprev_h\n",
        "rnn_step_backward(dh[:, t] + dprev_h, caches[t])\n"
        "        dx[:, t] = dx_t\n"
        "        dWx += dWx_t\n"
        "        dWh += dWh_t\n"
        "        db += db_t\n"
        "    dh0 = np.zeros((N, H))\n",
    ),
]
