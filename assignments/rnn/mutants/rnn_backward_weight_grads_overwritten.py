"""rnn_backward assigns the weight gradients of each step (dWx = dWx_t) instead of summing them
over time, so only the first time step's contribution survives."""

PATCH = [
    (
        "        dx_t, dprev_h, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dprev_h, caches[t])\n"
        "        dx[:, t] = dx_t\n"
        "        dWx += dWx_t\n"
        "        dWh += dWh_t\n"
        "        db += db_t\n",
        "        dx_t, dprev_h, dWx, dWh, db = rnn_step_backward(dh[:, t] + dprev_h, caches[t])\n"
        "        dx[:, t] = dx_t\n",
    ),
]
