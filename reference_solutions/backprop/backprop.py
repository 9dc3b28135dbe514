"""Lab: backpropagation in fully connected networks (numpy only).

Every ``*_forward`` returns ``(out, cache)``; the matching ``*_backward(dout, cache)`` returns the
gradients of the inputs, each shaped like its input. No function modifies its arguments.
"""

import numpy as np


def affine_forward(x, w, b):
    """Affine layer: flatten each example of x (N, d1, ..., dk) to D values, then x @ w + b.

    Inputs: x (N, d1, ..., dk), w (D, M), b (M,).  Returns (out, cache) with out (N, M).
    """
    # BEGIN SOLUTION
    out = x.reshape(x.shape[0], -1) @ w + b
    cache = (x, w)
    # END SOLUTION
    return out, cache


def affine_backward(dout, cache):
    """Backward pass of affine_forward.  dout (N, M).  Returns (dx, dw, db); dx shaped like x."""
    # BEGIN SOLUTION
    x, w = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    # END SOLUTION
    return dx, dw, db


def relu_forward(x):
    """ReLU, max(0, x), element-wise.  Returns (out, cache)."""
    # BEGIN SOLUTION
    out = np.maximum(x, 0)
    cache = x
    # END SOLUTION
    return out, cache


def relu_backward(dout, cache):
    """Backward pass of relu_forward; the gradient at exactly 0 is 0."""
    # BEGIN SOLUTION
    dx = dout * (cache > 0)
    # END SOLUTION
    return dx


def sigmoid_forward(x):
    """Logistic sigmoid 1 / (1 + exp(-x)); finite, without overflow warnings, for |x| up to 1e4."""
    # BEGIN SOLUTION
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    cache = out
    # END SOLUTION
    return out, cache


def sigmoid_backward(dout, cache):
    """Backward pass of sigmoid_forward."""
    # BEGIN SOLUTION
    s = cache
    dx = dout * s * (1.0 - s)
    # END SOLUTION
    return dx


def softmax_loss(x, y):
    """Mean cross-entropy of softmax(x) against labels y, and its gradient.

    Inputs: x (N, C) scores (finite for |x| up to 1e4), y (N,) integer labels in [0, C).
    Returns (loss, dx).
    """
    # BEGIN SOLUTION
    n = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].mean()
    dx = np.exp(log_probs)
    dx[np.arange(n), y] -= 1.0
    dx /= n
    # END SOLUTION
    return loss, dx


def svm_loss(x, y):
    """Multiclass hinge loss, margin 1, mean over N, and its gradient.  Returns (loss, dx)."""
    # BEGIN SOLUTION
    n = x.shape[0]
    correct = x[np.arange(n), y][:, None]
    margins = np.maximum(0.0, x - correct + 1.0)
    margins[np.arange(n), y] = 0.0
    loss = margins.sum() / n
    positive = (margins > 0).astype(x.dtype)
    positive[np.arange(n), y] = -positive.sum(axis=1)
    dx = positive / n
    # END SOLUTION
    return loss, dx


def mse_loss(pred, target):
    """loss = 0.5 * sum((pred - target)**2) / N with N = pred.shape[0].  Returns (loss, dpred)."""
    # BEGIN SOLUTION
    n = pred.shape[0]
    diff = pred - target
    loss = 0.5 * np.sum(diff**2) / n
    dpred = diff / n
    # END SOLUTION
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
        # BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        dims = [input_dim, *hidden_dims, num_classes]
        for i in range(self.num_layers):
            self.params[f"W{i + 1}"] = weight_scale * rng.standard_normal((dims[i], dims[i + 1]))
            self.params[f"b{i + 1}"] = np.zeros(dims[i + 1])
        # END SOLUTION

    def loss(self, X, y=None):
        """Scores (N, C) when y is None; otherwise (loss, grads) with grads keyed like params."""
        # BEGIN SOLUTION
        caches = []
        h = X
        for i in range(1, self.num_layers):
            h, affine_cache = affine_forward(h, self.params[f"W{i}"], self.params[f"b{i}"])
            h, relu_cache = relu_forward(h)
            caches.append((affine_cache, relu_cache))
        L = self.num_layers
        scores, last_cache = affine_forward(h, self.params[f"W{L}"], self.params[f"b{L}"])
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        grads = {}
        dh, grads[f"W{L}"], grads[f"b{L}"] = affine_backward(dscores, last_cache)
        for i in range(L - 1, 0, -1):
            affine_cache, relu_cache = caches[i - 1]
            dh, grads[f"W{i}"], grads[f"b{i}"] = affine_backward(relu_backward(dh, relu_cache), affine_cache)
        for i in range(1, L + 1):
            W = self.params[f"W{i}"]
            loss += 0.5 * self.reg * np.sum(W * W)
            grads[f"W{i}"] = grads[f"W{i}"] + self.reg * W
        return loss, grads
        # END SOLUTION
