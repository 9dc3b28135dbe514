"""rnn_backward starts from dh[:, T-1] and only carries dprev_h backwards: the upstream gradient
dh[:, t] of the earlier steps is never added."""


def rnn_backward(dh, cache):
    caches, D = cache
    N, T, H = dh.shape
    dx = np.zeros((N, T, D))
    dWx = np.zeros((D, H))
    dWh = np.zeros((H, H))
    db = np.zeros(H)
    dnext = dh[:, T - 1]
    for t in reversed(range(T)):
        dx[:, t], dnext, dWx_t, dWh_t, db_t = rnn_step_backward(dnext, caches[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dnext, dWx, dWh, db
