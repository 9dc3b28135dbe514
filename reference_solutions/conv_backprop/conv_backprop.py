"""Convolution and max-pooling layers, forward and backward, and a small convolutional network.

Conventions (shared by every numpy lab):

- Arrays are float64. Images are laid out as (N, C, H, W): batch, channels, height, width.
- ``*_forward`` returns ``(out, cache)``; the matching ``*_backward(dout, cache)`` returns the
  gradients of the inputs, each with the shape of the input it belongs to. What goes into the
  cache is up to you.
- No function may modify its array arguments in place.
- Only numpy and the standard library may be imported.

The ``_naive`` functions may be written with plain Python loops: the tests are small enough for
that. Vectorising is welcome but not required.

The affine, ReLU and softmax layers from the backprop lab are provided below, whole.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# ----------------------------------------------------------------------------------------------
# Provided layers (from the backprop lab): use them in ThreeLayerConvNet.
# ----------------------------------------------------------------------------------------------


def affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, Any]:
    """Affine layer: x (N, d1, ..., dk) is flattened to (N, D); returns (x_flat @ w + b, cache)."""
    out = x.reshape(x.shape[0], -1) @ w + b
    return out, (x, w)


def affine_backward(dout: np.ndarray, cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of affine_forward: returns (dx, dw, db), dx shaped like the original x."""
    x, w = cache
    dx = (dout @ w.T).reshape(x.shape)
    dw = x.reshape(x.shape[0], -1).T @ dout
    db = dout.sum(axis=0)
    return dx, dw, db


def relu_forward(x: np.ndarray) -> tuple[np.ndarray, Any]:
    """ReLU: returns (max(x, 0), cache)."""
    return np.maximum(x, 0), x


def relu_backward(dout: np.ndarray, cache: Any) -> np.ndarray:
    """Backward pass of relu_forward; the gradient at exactly 0 is 0."""
    return dout * (cache > 0)


def softmax_loss(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy of scores x (N, C) for labels y (N,); returns (loss, dx)."""
    shifted = x - x.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = x.shape[0]
    loss = -log_probs[np.arange(n), y].mean()
    dx = np.exp(log_probs)
    dx[np.arange(n), y] -= 1
    return float(loss), dx / n


# ----------------------------------------------------------------------------------------------
# Convolution
# ----------------------------------------------------------------------------------------------


def conv_forward_naive(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, conv_param: dict
) -> tuple[np.ndarray, Any]:
    """Forward pass of a convolutional layer.

    Inputs:
    - x: input data, shape (N, C, H, W).
    - w: filter weights, shape (F, C, HH, WW).
    - b: biases, shape (F,).
    - conv_param: dict with keys
      - 'stride': step between neighbouring receptive fields, in both directions (an int >= 1).
      - 'pad': number of zeros added on all four sides of every input image (an int >= 0).

    Like torch.nn.functional.conv2d this is a cross-correlation: the filter is NOT flipped.
    With xp the zero-padded input and s the stride,

        out[n, f, i, j] = b[f] + sum over c, k, l of xp[n, c, i*s + k, j*s + l] * w[f, c, k, l]

    The output size is floored: receptive fields that would stick out past the padded input are
    dropped, so H + 2 * pad - HH need not be a multiple of the stride.

    Returns a tuple of:
    - out: output data, shape (N, F, H', W') where
        H' = 1 + (H + 2 * pad - HH) // stride
        W' = 1 + (W + 2 * pad - WW) // stride
    - cache: whatever conv_backward_naive needs.
    """
    # BEGIN SOLUTION
    stride, pad = conv_param["stride"], conv_param["pad"]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    fields = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))[:, :, ::stride, ::stride]
    out = np.einsum("nchwkl,fckl->nfhw", fields, w) + b[None, :, None, None]
    cache = (x, w, b, conv_param)
    # END SOLUTION
    return out, cache


def conv_backward_naive(dout: np.ndarray, cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of a convolutional layer.

    Inputs:
    - dout: upstream gradient, shape (N, F, H', W').
    - cache: the cache conv_forward_naive returned.

    Returns a tuple of:
    - dx: gradient with respect to x, shape (N, C, H, W) (the padding is not part of x).
    - dw: gradient with respect to w, shape (F, C, HH, WW).
    - db: gradient with respect to b, shape (F,).

    Neighbouring receptive fields overlap when the stride is smaller than the filter: an input
    element then receives gradient from every output it contributed to.
    """
    # BEGIN SOLUTION
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    _, _, height, width = x.shape
    _, _, hh, ww = w.shape
    out_h, out_w = dout.shape[2], dout.shape[3]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    fields = np.lib.stride_tricks.sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, ::stride, ::stride]
    db = dout.sum(axis=(0, 2, 3))
    dw = np.einsum("nchwkl,nfhw->fckl", fields, dout)
    dxp = np.zeros_like(xp)
    # One filter tap at a time: tap (k, l) of every output lands on a strided grid of xp, so the
    # grids of different taps overlap where receptive fields do and must accumulate.
    for k in range(hh):
        for l in range(ww):
            dxp[:, :, k : k + stride * out_h : stride, l : l + stride * out_w : stride] += np.einsum(
                "nfhw,fc->nchw", dout, w[:, :, k, l]
            )
    dx = dxp[:, :, pad : pad + height, pad : pad + width]
    # END SOLUTION
    return dx, dw, db


# ----------------------------------------------------------------------------------------------
# Max pooling
# ----------------------------------------------------------------------------------------------


def max_pool_forward_naive(x: np.ndarray, pool_param: dict) -> tuple[np.ndarray, Any]:
    """Forward pass of a max-pooling layer (no padding).

    Inputs:
    - x: input data, shape (N, C, H, W).
    - pool_param: dict with keys
      - 'pool_height', 'pool_width': size of each pooling window.
      - 'stride': step between neighbouring windows, in both directions.

    The stride may be smaller than the window, so that windows overlap. The output size is
    floored, as in conv_forward_naive:
        H' = 1 + (H - pool_height) // stride
        W' = 1 + (W - pool_width) // stride

    Returns a tuple of:
    - out: output data, shape (N, C, H', W'): the maximum of each window, channel by channel.
    - cache: whatever max_pool_backward_naive needs.
    """
    # BEGIN SOLUTION
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    # A read-only view (N, C, H', W', ph, pw) of every window: nothing is copied.
    windows = np.lib.stride_tricks.sliding_window_view(x, (ph, pw), axis=(2, 3))[:, :, ::stride, ::stride]
    out = windows.max(axis=(4, 5))
    cache = (x, pool_param)
    # END SOLUTION
    return out, cache


def max_pool_backward_naive(dout: np.ndarray, cache: Any) -> np.ndarray:
    """Backward pass of a max-pooling layer.

    Inputs:
    - dout: upstream gradient, shape (N, C, H', W').
    - cache: the cache max_pool_forward_naive returned.

    Returns:
    - dx: gradient with respect to x, shape (N, C, H, W). Each window's whole upstream gradient
      goes to the position of that window's maximum. Where windows overlap, one input element can
      be the maximum of several windows and then receives the sum of their gradients. (The tests
      never put ties inside a window.)
    """
    # BEGIN SOLUTION
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    windows = np.lib.stride_tricks.sliding_window_view(x, (ph, pw), axis=(2, 3))[:, :, ::stride, ::stride]
    n, c, out_h, out_w = windows.shape[:4]
    winner = windows.reshape(n, c, out_h, out_w, ph * pw).argmax(axis=4)
    nn, cc, ii, jj = np.indices((n, c, out_h, out_w), sparse=True)
    rows = ii * stride + winner // pw
    cols = jj * stride + winner % pw
    dx = np.zeros_like(x)
    # np.add.at, not fancy assignment: overlapping windows can share a maximum.
    np.add.at(dx, (nn, cc, rows, cols), dout)
    # END SOLUTION
    return dx


# ----------------------------------------------------------------------------------------------
# A three-layer convolutional network
# ----------------------------------------------------------------------------------------------


class ThreeLayerConvNet:
    """conv - relu - 2x2 max pool - affine - relu - affine - softmax.

    The convolution has stride 1 and pad (filter_size - 1) // 2; the pool has 2x2 windows and
    stride 2 (floored output size). Inputs are minibatches of shape (N, C, H, W).

    Attributes:
    - params: dict of float64 arrays:
      - 'W1': (num_filters, C, filter_size, filter_size), 'b1': (num_filters,)
      - 'W2': (num_filters * Hp * Wp, hidden_dim), 'b2': (hidden_dim,)
      - 'W3': (hidden_dim, num_classes), 'b3': (num_classes,)
      where, with pad = (filter_size - 1) // 2,
        Hp = (H + 2 * pad - filter_size + 1) // 2, Wp = (W + 2 * pad - filter_size + 1) // 2.
    - reg: L2 regularisation strength.
    """

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
        """Initialise the network.

        Inputs:
        - input_dim: (C, H, W) of one input image.
        - num_filters: number of filters of the convolution.
        - filter_size: height and width of each filter (odd or even, >= 1).
        - hidden_dim: size of the hidden affine layer.
        - num_classes: number of classes (scores) to produce.
        - weight_scale: standard deviation of the normal distribution the weights are drawn from;
          biases start at zero.
        - reg: L2 regularisation strength.
        - seed: seed of the random generator (None: unseeded).

        Store every weight and bias in self.params under the keys and with the shapes listed in
        the class docstring, as float64 arrays.
        """
        self.reg = reg
        self.params: dict[str, np.ndarray] = {}
        # BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        channels, height, width = input_dim
        pad = (filter_size - 1) // 2
        pooled_h = (height + 2 * pad - filter_size + 1) // 2
        pooled_w = (width + 2 * pad - filter_size + 1) // 2
        shapes = {
            "W1": (num_filters, channels, filter_size, filter_size),
            "W2": (num_filters * pooled_h * pooled_w, hidden_dim),
            "W3": (hidden_dim, num_classes),
        }
        for i, shape in enumerate(shapes.values(), start=1):
            self.params[f"W{i}"] = weight_scale * rng.standard_normal(shape)
            self.params[f"b{i}"] = np.zeros(shape[0] if i == 1 else shape[1])
        # END SOLUTION

    def loss(self, X: np.ndarray, y: np.ndarray | None = None) -> Any:
        """Evaluate the network on a minibatch.

        Inputs:
        - X: input data, shape (N, C, H, W).
        - y: integer labels, shape (N,), or None.

        Returns:
        - when y is None: the class scores, shape (N, num_classes).
        - otherwise a tuple (loss, grads): loss is the mean softmax cross-entropy plus
          0.5 * reg * (sum(W1**2) + sum(W2**2) + sum(W3**2)), and grads a dict with the same keys
          as self.params holding the gradient of loss with respect to each parameter.

        Use your conv_forward_naive, max_pool_forward_naive (and their backward passes) and the
        provided affine, ReLU and softmax layers.
        """
        # BEGIN SOLUTION
        p = self.params
        filter_size = p["W1"].shape[2]
        conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}

        conv, conv_cache = conv_forward_naive(X, p["W1"], p["b1"], conv_param)
        conv_relu, conv_relu_cache = relu_forward(conv)
        pooled, pool_cache = max_pool_forward_naive(conv_relu, pool_param)
        hidden, hidden_cache = affine_forward(pooled, p["W2"], p["b2"])
        hidden_relu, hidden_relu_cache = relu_forward(hidden)
        scores, scores_cache = affine_forward(hidden_relu, p["W3"], p["b3"])
        if y is None:
            return scores

        data_loss, dscores = softmax_loss(scores, y)
        weights = ("W1", "W2", "W3")
        loss = data_loss + 0.5 * self.reg * sum(np.sum(p[k] ** 2) for k in weights)

        grads: dict[str, np.ndarray] = {}
        dhidden_relu, grads["W3"], grads["b3"] = affine_backward(dscores, scores_cache)
        dhidden = relu_backward(dhidden_relu, hidden_relu_cache)
        dpooled, grads["W2"], grads["b2"] = affine_backward(dhidden, hidden_cache)
        dconv_relu = max_pool_backward_naive(dpooled, pool_cache)
        dconv = relu_backward(dconv_relu, conv_relu_cache)
        _, grads["W1"], grads["b1"] = conv_backward_naive(dconv, conv_cache)
        for k in weights:
            grads[k] = grads[k] + self.reg * p[k]
        # END SOLUTION
        return loss, grads
