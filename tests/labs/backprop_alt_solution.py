"""A correct backprop lab in another style: loops, dict caches, exact sigmoid derivative, and
softmax via log-sum-exp. It must get full marks: the tests may not depend on the reference's style."""

import math

import numpy as np


def affine_forward(x, w, b):
    n = x.shape[0]
    flat = np.reshape(x, (n, int(np.prod(x.shape[1:]))))
    out = np.empty((n, w.shape[1]))
    for i in range(n):
        out[i] = flat[i] @ w + b
    return out, {"x": x, "w": w}


def affine_backward(dout, cache):
    x, w = cache["x"], cache["w"]
    flat = x.reshape(x.shape[0], -1)
    dw = np.zeros_like(w)
    for i in range(x.shape[0]):
        dw += np.outer(flat[i], dout[i])
    return (dout @ w.T).reshape(x.shape), dw, np.sum(dout, axis=0)


def relu_forward(x):
    return x * (x > 0), {"mask": x > 0}


def relu_backward(dout, cache):
    return np.where(cache["mask"], dout, 0.0)


def sigmoid_forward(x):
    out = np.empty_like(x, dtype=np.float64)
    for idx, v in np.ndenumerate(x):
        out[idx] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
    return out, {"x": x}


def sigmoid_backward(dout, cache):
    x = cache["x"]
    # exact derivative exp(-|x|) / (1 + exp(-|x|))**2, equal to s(1 - s)
    e = np.exp(-np.abs(x))
    return dout * e / (1 + e) ** 2


def softmax_loss(x, y):
    n = x.shape[0]
    m = np.max(x, axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(x - m), axis=1, keepdims=True))
    loss = 0.0
    for i in range(n):
        loss += lse[i, 0] - x[i, y[i]]
    probs = np.exp(x - lse)
    onehot = np.zeros_like(x)
    onehot[np.arange(n), y] = 1
    return loss / n, (probs - onehot) / n


def svm_loss(x, y):
    n, c = x.shape
    loss, dx = 0.0, np.zeros_like(x)
    for i in range(n):
        for j in range(c):
            if j == y[i]:
                continue
            margin = x[i, j] - x[i, y[i]] + 1
            if margin > 0:
                loss += margin
                dx[i, j] += 1
                dx[i, y[i]] -= 1
    return loss / n, dx / n


def mse_loss(pred, target):
    n = pred.shape[0]
    return float(np.sum(np.square(pred - target))) / (2 * n), (pred - target) / n


class FullyConnectedNet:
    def __init__(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, reg=0.0, weight_scale=1e-2, seed=None):
        rng = np.random.RandomState(seed)
        dims = [input_dim, *hidden_dims, num_classes]
        self.reg, self.params = reg, {}
        for i, (a, b) in enumerate(zip(dims[:-1], dims[1:]), start=1):
            self.params["W%d" % i] = rng.randn(a, b) * weight_scale
            self.params["b%d" % i] = np.zeros(b)

    def loss(self, X, y=None):
        L = len(self.params) // 2
        h, caches = X, []
        for i in range(1, L + 1):
            h, c = affine_forward(h, self.params["W%d" % i], self.params["b%d" % i])
            r = None
            if i < L:
                h, r = relu_forward(h)
            caches.append((c, r))
        if y is None:
            return h
        loss, d = softmax_loss(h, y)
        grads = {}
        for i in range(L, 0, -1):
            c, r = caches[i - 1]
            if r is not None:
                d = relu_backward(d, r)
            d, dw, db = affine_backward(d, c)
            W = self.params["W%d" % i]
            grads["W%d" % i] = dw + self.reg * W
            grads["b%d" % i] = db
            loss += 0.5 * self.reg * np.sum(W**2)
        return loss, grads
