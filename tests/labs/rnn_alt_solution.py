"""A correct rnn lab in another style: per-example loops, dict caches, pre-activations cached and
differentiated directly, a plain 1 / (1 + exp(-x)) sigmoid (it warns for very negative inputs but
stays right), log-sum-exp losses and a concatenated-vector norm. It must get full marks: the tests
may not depend on the reference's style."""

import numpy as np


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def _dtanh(a):
    # sech(a)**2 from the pre-activation, written to stay finite for large |a|.
    e = np.exp(-2.0 * np.abs(a))
    return 4.0 * e / (1.0 + e) ** 2


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    a = np.empty((x.shape[0], Wx.shape[1]))
    for n in range(x.shape[0]):
        a[n] = x[n] @ Wx + prev_h[n] @ Wh + b
    return np.tanh(a), {"x": x, "prev_h": prev_h, "Wx": Wx, "Wh": Wh, "a": a}


def rnn_step_backward(dnext_h, cache):
    da = dnext_h * _dtanh(cache["a"])
    dWx = np.zeros_like(cache["Wx"])
    dWh = np.zeros_like(cache["Wh"])
    for n in range(da.shape[0]):
        dWx += np.outer(cache["x"][n], da[n])
        dWh += np.outer(cache["prev_h"][n], da[n])
    return da @ cache["Wx"].T, da @ cache["Wh"].T, dWx, dWh, np.sum(da, axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    steps, hs, h = [], [], h0
    for t in range(x.shape[1]):
        h, c = rnn_step_forward(x[:, t, :], h, Wx, Wh, b)
        steps.append(c)
        hs.append(h)
    return np.stack(hs, axis=1), {"steps": steps, "D": x.shape[2]}


def rnn_backward(dh, cache):
    steps = cache["steps"]
    dx = [None] * len(steps)
    dWx = dWh = db = 0.0
    carry = np.zeros(dh[:, 0].shape)
    for t in range(len(steps) - 1, -1, -1):
        dx[t], carry, a, b_, c = rnn_step_backward(dh[:, t, :] + carry, steps[t])
        dWx, dWh, db = dWx + a, dWh + b_, db + c
    return np.stack(dx, axis=1), carry, dWx, dWh, db


def word_embedding_forward(x, W):
    n, t = x.shape
    out = np.zeros((n, t, W.shape[1]))
    for i in range(n):
        for j in range(t):
            out[i, j] = W[x[i, j]]
    return out, {"x": x, "V": W.shape[0]}


def word_embedding_backward(dout, cache):
    x = cache["x"]
    dW = np.zeros((cache["V"], dout.shape[2]))
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            dW[x[i, j]] += dout[i, j]
    return dW


def temporal_affine_forward(x, w, b):
    return np.einsum("ntd,dm->ntm", x, w) + b, {"x": x, "w": w, "b": b}


def temporal_affine_backward(dout, cache):
    x, w = cache["x"], cache["w"]
    return (np.einsum("ntm,dm->ntd", dout, w), np.einsum("ntd,ntm->dm", x, dout), dout.sum(axis=(0, 1)))


def temporal_softmax_loss(x, y, mask):
    n, t, v = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for i in range(n):
        for j in range(t):
            if not mask[i, j]:
                continue
            row = x[i, j]
            m = row.max()
            lse = m + np.log(np.sum(np.exp(row - m)))
            loss += lse - row[y[i, j]]
            dx[i, j] = np.exp(row - lse)
            dx[i, j, y[i, j]] -= 1.0
    return loss / n, dx / n


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x @ Wx + prev_h @ Wh + b
    gates = {"i": _sigmoid(a[:, :H]), "f": _sigmoid(a[:, H:2 * H]), "o": _sigmoid(a[:, 2 * H:3 * H])}
    a_g = a[:, 3 * H:]
    next_c = gates["f"] * prev_c + gates["i"] * np.tanh(a_g)
    next_h = gates["o"] * np.tanh(next_c)
    cache = {"x": x, "prev_h": prev_h, "prev_c": prev_c, "Wx": Wx, "Wh": Wh, "a_g": a_g, "next_c": next_c, **gates}
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    i, f, o, c = cache["i"], cache["f"], cache["o"], cache["next_c"]
    g = np.tanh(cache["a_g"])
    dc = dnext_c + dnext_h * o * _dtanh(c)
    parts = [dc * g * i * (1 - i), dc * cache["prev_c"] * f * (1 - f), dnext_h * np.tanh(c) * o * (1 - o),
             dc * i * _dtanh(cache["a_g"])]
    da = np.hstack(parts)
    return (da @ cache["Wx"].T, da @ cache["Wh"].T, f * dc, cache["x"].T @ da, cache["prev_h"].T @ da,
            da.sum(axis=0))


def lstm_forward(x, h0, Wx, Wh, b):
    h, c, hs, steps = h0, np.zeros(h0.shape), [], []
    for t in range(x.shape[1]):
        h, c, s = lstm_step_forward(x[:, t], h, c, Wx, Wh, b)
        hs.append(h)
        steps.append(s)
    return np.stack(hs, axis=1), steps


def lstm_backward(dh, cache):
    T = len(cache)
    dxs = []
    dh_next = np.zeros(dh[:, 0].shape)
    dc_next = np.zeros(dh[:, 0].shape)
    total = None
    for t in reversed(range(T)):
        dx_t, dh_next, dc_next, dWx, dWh, db = lstm_step_backward(dh[:, t] + dh_next, dc_next, cache[t])
        dxs.insert(0, dx_t)
        total = [dWx, dWh, db] if total is None else [s + d for s, d in zip(total, (dWx, dWh, db))]
    return (np.stack(dxs, axis=1), dh_next, *total)


def clip_grad_norm(grads, max_norm):
    total_norm = np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()]))
    coef = max_norm / (total_norm + 1e-6)
    if coef < 1:
        for k in grads:
            grads[k] *= coef
    return total_norm
