"""LSTM swaps the roles of the gates in the cell update: next_c = i * prev_c + f * g, the forget
gate applied to the new candidate (forward and backward consistently)."""


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    i = sigmoid(a[:, :H])
    f = sigmoid(a[:, H : 2 * H])
    o = sigmoid(a[:, 2 * H : 3 * H])
    g = np.tanh(a[:, 3 * H :])
    next_c = i * prev_c + f * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    dc = dnext_c + dnext_h * o * (1.0 - tanh_c**2)
    da = np.concatenate(
        [dc * prev_c * i * (1 - i), dc * g * f * (1 - f), dnext_h * tanh_c * o * (1 - o), dc * f * (1 - g**2)],
        axis=1,
    )
    return da @ Wx.T, da @ Wh.T, dc * i, x.T @ da, prev_h.T @ da, da.sum(axis=0)
