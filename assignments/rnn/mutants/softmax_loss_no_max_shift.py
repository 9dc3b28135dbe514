"""temporal_softmax_loss exponentiates the raw scores without subtracting the maximum, which
overflows for large scores."""


def temporal_softmax_loss(x, y, mask):
    N, T, V = x.shape
    flat_x = x.reshape(N * T, V)
    flat_y = y.reshape(N * T)
    flat_mask = mask.reshape(N * T)
    probs = np.exp(flat_x)
    probs /= probs.sum(axis=1, keepdims=True)
    rows = np.arange(N * T)
    loss = -np.sum(flat_mask * np.log(probs[rows, flat_y])) / N
    dx = probs.copy()
    dx[rows, flat_y] -= 1.0
    dx *= flat_mask[:, None] / N
    return loss, dx.reshape(N, T, V)
