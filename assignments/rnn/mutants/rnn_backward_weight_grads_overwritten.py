"""rnn_backward assigns the weight gradients of each step (dWx = dWx_t) instead of summing them
over time, so only the first time step's contribution survives."""


def rnn_backward(dh, cache):
    caches, D = cache
    N, T, H = dh.shape
    dx = np.zeros((N, T, D))
    dprev_h = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dprev_h, dWx, dWh, db = rnn_step_backward(dh[:, t] + dprev_h, caches[t])
    return dx, dprev_h, dWx, dWh, db
