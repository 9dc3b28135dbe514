"""lstm_step_forward writes its own sigmoid as np.exp(x) / (1 + np.exp(x)), which is nan for
large positive pre-activations (inf / inf)."""


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    sig = lambda z: np.exp(z) / (1 + np.exp(z))  # noqa: E731
    i = sig(a[:, :H])
    f = sig(a[:, H : 2 * H])
    o = sig(a[:, 2 * H : 3 * H])
    g = np.tanh(a[:, 3 * H :])
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)
