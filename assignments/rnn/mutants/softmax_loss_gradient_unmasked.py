"""temporal_softmax_loss masks the loss but forgets to mask the gradient."""


def temporal_softmax_loss(x, y, mask):
    N, T, V = x.shape
    flat_x = x.reshape(N * T, V)
    flat_y = y.reshape(N * T)
    flat_mask = mask.reshape(N * T)
    shifted = flat_x - flat_x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(N * T)
    loss = -np.sum(flat_mask * log_probs[rows, flat_y]) / N
    dx = np.exp(log_probs)
    dx[rows, flat_y] -= 1.0
    dx /= N
    return loss, dx.reshape(N, T, V)
