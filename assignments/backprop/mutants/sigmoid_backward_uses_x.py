"""sigmoid_backward applies s * (1 - s) to the input x instead of the sigmoid output."""


def sigmoid_forward(x):
    import numpy as np

    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z)), x


def sigmoid_backward(dout, cache):
    return dout * cache * (1.0 - cache)
