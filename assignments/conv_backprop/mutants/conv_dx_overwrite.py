"""conv_backward_naive assigns each receptive field's gradient to dx instead of adding it.

Where receptive fields overlap (stride smaller than the filter) only the last one's share
survives; with stride == filter size nothing overlaps and the bug is invisible.
"""


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, Ho, Wo = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for i in range(Ho):
            for j in range(Wo):
                r, c = i * stride, j * stride
                for f in range(F):
                    dw[f] += xp[n, :, r : r + HH, c : c + WW] * dout[n, f, i, j]
                dxp[n, :, r : r + HH, c : c + WW] = np.einsum("f,fckl->ckl", dout[n, :, i, j], w)
    return dxp[:, :, pad : pad + H, pad : pad + W], dw, db
