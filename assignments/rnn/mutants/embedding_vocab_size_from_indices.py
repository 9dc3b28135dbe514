"""word_embedding_backward sizes dW from the largest index seen (x.max() + 1) instead of the
vocabulary size V of W."""


def word_embedding_forward(x, W):
    return W[x], (x, W.shape[1])


def word_embedding_backward(dout, cache):
    x, D = cache
    dW = np.zeros((x.max() + 1, D))
    np.add.at(dW, x, dout)
    return dW
