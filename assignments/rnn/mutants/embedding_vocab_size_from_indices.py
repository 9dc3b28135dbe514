"""word_embedding_backward sizes dW from the largest index seen (x.max() + 1) instead of the
vocabulary size V of W."""

PATCH = [
    ("dW = np.zeros(w_shape)", "dW = np.zeros((x.max() + 1, w_shape[1]))"),
]
