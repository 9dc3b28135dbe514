"""rnn_step_backward multiplies dnext_h by the tanh derivative in place (dnext_h *= ...),
modifying the caller's array."""


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache
    dnext_h *= 1.0 - next_h**2
    return dnext_h @ Wx.T, dnext_h @ Wh.T, x.T @ dnext_h, prev_h.T @ dnext_h, dnext_h.sum(axis=0)
