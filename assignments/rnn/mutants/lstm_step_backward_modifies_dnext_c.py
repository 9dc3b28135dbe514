"""lstm_step_backward adds the path through next_h to dnext_c in place (dnext_c += ...),
modifying the caller's array."""


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    dnext_c += dnext_h * o * (1.0 - tanh_c**2)
    da = np.concatenate(
        [dnext_c * g * i * (1 - i), dnext_c * prev_c * f * (1 - f), dnext_h * tanh_c * o * (1 - o),
         dnext_c * i * (1 - g**2)],
        axis=1,
    )
    return da @ Wx.T, da @ Wh.T, dnext_c * f, x.T @ da, prev_h.T @ da, da.sum(axis=0)
