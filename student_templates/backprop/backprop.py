"""Lab: backpropagation in fully connected networks (numpy only).

Every ``*_forward`` returns ``(out, cache)``; the matching ``*_backward(dout, cache)`` returns the
gradients of the inputs, each shaped like its input. No function modifies its arguments.
"""

import numpy as np


def affine_forward(x, w, b):
    """Affine layer: flatten each example of x (N, d1, ..., dk) to D values, then x @ w + b.

    Inputs: x (N, d1, ..., dk), w (D, M), b (M,).  Returns (out, cache) with out (N, M).
    """
    raise NotImplementedError('TODO: implement affine_forward')
    return out, cache


def affine_backward(dout, cache):
    """Backward pass of affine_forward.  dout (N, M).  Returns (dx, dw, db); dx shaped like x."""
    raise NotImplementedError('TODO: implement affine_backward')
    return dx, dw, db


def relu_forward(x):
    """ReLU, max(0, x), element-wise.  Returns (out, cache)."""
    raise NotImplementedError('TODO: implement relu_forward')
    return out, cache


def relu_backward(dout, cache):
    """Backward pass of relu_forward; the gradient at exactly 0 is 0."""
    raise NotImplementedError('TODO: implement relu_backward')
    return dx


def sigmoid_forward(x):
    """Logistic sigmoid 1 / (1 + exp(-x)); finite, without overflow warnings, for |x| up to 1e4."""
    raise NotImplementedError('TODO: implement sigmoid_forward')
    return out, cache


def sigmoid_backward(dout, cache):
    """Backward pass of sigmoid_forward."""
    raise NotImplementedError('TODO: implement sigmoid_backward')
    return dx


def softmax_loss(x, y):
    """Mean cross-entropy of softmax(x) against labels y, and its gradient.

    Inputs: x (N, C) scores (finite for |x| up to 1e4), y (N,) integer labels in [0, C).
    Returns (loss, dx).
    """
    raise NotImplementedError('TODO: implement softmax_loss')
    return loss, dx


def svm_loss(x, y):
    """Multiclass hinge loss, margin 1, mean over N, and its gradient.  Returns (loss, dx)."""
    raise NotImplementedError('TODO: implement svm_loss')
    return loss, dx


def mse_loss(pred, target):
    """loss = 0.5 * sum((pred - target)**2) / N with N = pred.shape[0].  Returns (loss, dpred)."""
    raise NotImplementedError('TODO: implement mse_loss')
    return loss, dpred


class FullyConnectedNet:
    """{affine - relu} x (L - 1) - affine - softmax, with L2 regularisation on the weights.

    ``params`` holds W1, b1, ..., WL, bL: W1 (input_dim, h1), b1 (h1,), ..., WL (h_last, num_classes).
    """

    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, reg=0.0,
                 weight_scale=1e-2, seed=None):
        self.reg = reg
        self.num_layers = len(hidden_dims) + 1
        self.params = {}
        raise NotImplementedError('TODO: implement FullyConnectedNet.__init__')

    def loss(self, X, y=None):
        """Scores (N, C) when y is None; otherwise (loss, grads) with grads keyed like params."""
        raise NotImplementedError('TODO: implement FullyConnectedNet.loss')
