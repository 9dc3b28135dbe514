"""An independent correct conv_backprop submission, written the slowest way a student plausibly would.

Every sum is a plain Python loop over scalar array elements (no numpy reduction inside the loops),
the cache keeps the padded input instead of x, pooling routes gradients through an equality mask
instead of an argmax, and the network initialises with the legacy RandomState. The lab's tests
must give it full marks within their time limits: that is what proves the limits fit loop code.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, Any]:
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w)


def affine_backward(dout: np.ndarray, cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, w = cache
    return (dout @ w.T).reshape(x.shape), x.reshape(x.shape[0], -1).T @ dout, dout.sum(axis=0)


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, Any]:
    return np.maximum(x, 0), x


def relu_backward(dout: np.ndarray, cache: Any) -> np.ndarray:
    return dout * (cache > 0)


def softmax_loss(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = x.shape[0]
    dx = np.exp(log_probs)
    dx[np.arange(n), y] -= 1
    return float(-log_probs[np.arange(n), y].mean()), dx / n


def conv_forward_naive(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, conv_param: dict
) -> tuple[np.ndarray, Any]:
    stride, pad = conv_param["stride"], conv_param["pad"]
    n_img, channels, height, width = x.shape
    n_filt, _, hh, ww = w.shape
    out_h = (height + 2 * pad - hh) // stride + 1
    out_w = (width + 2 * pad - ww) // stride + 1
    xp = np.zeros((n_img, channels, height + 2 * pad, width + 2 * pad))
    xp[:, :, pad : pad + height, pad : pad + width] = x
    out = np.zeros((n_img, n_filt, out_h, out_w))
    for n in range(n_img):
        for f in range(n_filt):
            for i in range(out_h):
                for j in range(out_w):
                    total = b[f]
                    for c in range(channels):
                        for k in range(hh):
                            for l in range(ww):
                                total += xp[n, c, i * stride + k, j * stride + l] * w[f, c, k, l]
                    out[n, f, i, j] = total
    return out, (xp, w, stride, pad)


def conv_backward_naive(dout: np.ndarray, cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xp, w, stride, pad = cache
    n_img, n_filt, out_h, out_w = dout.shape
    _, channels, hh, ww = w.shape
    dxp = np.zeros(xp.shape)
    dw = np.zeros(w.shape)
    db = np.zeros(n_filt)
    for n in range(n_img):
        for f in range(n_filt):
            for i in range(out_h):
                for j in range(out_w):
                    g = dout[n, f, i, j]
                    db[f] += g
                    for c in range(channels):
                        for k in range(hh):
                            for l in range(ww):
                                r, s = i * stride + k, j * stride + l
                                dw[f, c, k, l] += xp[n, c, r, s] * g
                                dxp[n, c, r, s] += w[f, c, k, l] * g
    dx = dxp[:, :, pad : xp.shape[2] - pad, pad : xp.shape[3] - pad].copy()
    return dx, dw, db


def max_pool_forward_naive(x: np.ndarray, pool_param: dict) -> tuple[np.ndarray, Any]:
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    n_img, channels, height, width = x.shape
    out_h = (height - ph) // stride + 1
    out_w = (width - pw) // stride + 1
    out = np.zeros((n_img, channels, out_h, out_w))
    for n in range(n_img):
        for c in range(channels):
            for i in range(out_h):
                for j in range(out_w):
                    best = x[n, c, i * stride, j * stride]
                    for k in range(ph):
                        for l in range(pw):
                            best = max(best, x[n, c, i * stride + k, j * stride + l])
                    out[n, c, i, j] = best
    return out, (x, out, ph, pw, stride)


def max_pool_backward_naive(dout: np.ndarray, cache: Any) -> np.ndarray:
    x, out, ph, pw, stride = cache
    n_img, channels, out_h, out_w = dout.shape
    dx = np.zeros(x.shape)
    for n in range(n_img):
        for c in range(channels):
            for i in range(out_h):
                for j in range(out_w):
                    for k in range(ph):
                        for l in range(pw):
                            r, s = i * stride + k, j * stride + l
                            if x[n, c, r, s] == out[n, c, i, j]:
                                dx[n, c, r, s] += dout[n, c, i, j]
    return dx


class ThreeLayerConvNet:
    def __init__(
        self,
        input_dim: tuple[int, int, int] = (3, 32, 32),
        num_filters: int = 32,
        filter_size: int = 7,
        hidden_dim: int = 100,
        num_classes: int = 10,
        weight_scale: float = 1e-3,
        reg: float = 0.0,
        seed: int | None = None,
    ) -> None:
        rs = np.random.RandomState(seed)
        c, h, w = input_dim
        pad = (filter_size - 1) // 2
        hp = (h + 2 * pad - filter_size + 1) // 2
        wp = (w + 2 * pad - filter_size + 1) // 2
        self.reg = reg
        self.params = {
            "W1": rs.randn(num_filters, c, filter_size, filter_size) * weight_scale,
            "b1": np.zeros(num_filters),
            "W2": rs.randn(num_filters * hp * wp, hidden_dim) * weight_scale,
            "b2": np.zeros(hidden_dim),
            "W3": rs.randn(hidden_dim, num_classes) * weight_scale,
            "b3": np.zeros(num_classes),
        }

    def loss(self, X: np.ndarray, y: np.ndarray | None = None) -> Any:
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]
        conv_param = {"stride": 1, "pad": (W1.shape[2] - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        a1, conv_cache = conv_forward_naive(X, W1, b1, conv_param)
        r1, relu1_cache = relu_forward(a1)
        p1, pool_cache = max_pool_forward_naive(r1, pool_param)
        a2, aff2_cache = affine_forward(p1, W2, b2)
        r2, relu2_cache = relu_forward(a2)
        scores, aff3_cache = affine_forward(r2, W3, b3)
        if y is None:
            return scores
        loss, dscores = softmax_loss(scores, y)
        loss += 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2) + np.sum(W3 * W3))
        dr2, dW3, db3 = affine_backward(dscores, aff3_cache)
        dp1, dW2, db2 = affine_backward(relu_backward(dr2, relu2_cache), aff2_cache)
        da1 = relu_backward(max_pool_backward_naive(dp1, pool_cache), relu1_cache)
        _, dW1, db1 = conv_backward_naive(da1, conv_cache)
        grads = {
            "W1": dW1 + self.reg * W1,
            "b1": db1,
            "W2": dW2 + self.reg * W2,
            "b2": db2,
            "W3": dW3 + self.reg * W3,
            "b3": db3,
        }
        return loss, grads
