"""rnn_backward starts from dh[:, T-1] and only carries dprev_h backwards: the upstream gradient
dh[:, t] of the earlier steps is never added."""

PATCH = [
    (
        "    db = np.zeros(H)\n"
        "    dprev_h = np.zeros((N, H))\n",
        "    db = np.zeros(H)\n"
        "    dprev_h = dh[:, T - 1]\n",
    ),
    ("rnn_step_backward(dh[:, t] + dprev_h, caches[t])", "rnn_step_backward(dprev_h, caches[t])"),
]
