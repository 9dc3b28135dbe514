"""conv_forward_naive rounds the output size up instead of down.

H' = 1 + ceil((H + 2p - HH) / s); the last receptive field, sticking out past the padded input,
sees extra zeros. Right whenever (H + 2p - HH) is a multiple of the stride.
"""


def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho = 1 + int(np.ceil((H + 2 * pad - HH) / stride))
    Wo = 1 + int(np.ceil((W + 2 * pad - WW) / stride))
    extra_h = (Ho - 1) * stride + HH - (H + 2 * pad)
    extra_w = (Wo - 1) * stride + WW - (W + 2 * pad)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad + extra_h), (pad, pad + extra_w)))
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    r, c = i * stride, j * stride
                    out[n, f, i, j] = np.sum(xp[n, :, r : r + HH, c : c + WW] * w[f]) + b[f]
    return out, (x, w, b, conv_param, xp)


def conv_backward_naive(dout, cache):
    x, w, b, conv_param, xp = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, Ho, Wo = dout.shape
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    r, c = i * stride, j * stride
                    dw[f] += xp[n, :, r : r + HH, c : c + WW] * dout[n, f, i, j]
                    dxp[n, :, r : r + HH, c : c + WW] += w[f] * dout[n, f, i, j]
    return dxp[:, :, pad : pad + H, pad : pad + W], dw, db
