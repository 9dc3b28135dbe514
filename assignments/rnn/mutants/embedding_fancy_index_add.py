"""word_embedding_backward uses dW[x] += dout, which keeps only one of the gradients of a word
that appears several times."""


def word_embedding_backward(dout, cache):
    x, w_shape = cache
    dW = np.zeros(w_shape)
    dW[x] += dout
    return dW
