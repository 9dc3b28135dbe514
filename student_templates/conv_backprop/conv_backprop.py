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
    raise NotImplementedError('TODO: implement conv_forward_naive')
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
    raise NotImplementedError('TODO: implement conv_backward_naive')
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
    raise NotImplementedError('TODO: implement max_pool_forward_naive')
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
    raise NotImplementedError('TODO: implement max_pool_backward_naive')
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
        raise NotImplementedError('TODO: implement ThreeLayerConvNet.__init__')

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
        raise NotImplementedError('TODO: implement ThreeLayerConvNet.loss')
        return loss, grads
