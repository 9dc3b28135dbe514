"""Recurrent networks in numpy: vanilla RNN and LSTM layers with backpropagation through time.

Conventions (shared by every function in this file):

- Arrays are float64. ``N`` is the batch size, ``T`` the sequence length, ``D`` the input size,
  ``H`` the hidden size, ``V`` the vocabulary size.
- Every ``*_forward`` returns ``(out, cache)``; the matching ``*_backward`` takes the upstream
  gradient and that cache and returns the gradients listed in its docstring, each with the shape of
  the input it belongs to. What you put in a cache is up to you.
- No function modifies its array arguments (values, shape or dtype), except ``clip_grad_norm``,
  whose whole point is to scale the gradients in place.
- Everything stays finite for pre-activations up to 1e3 in absolute value and, in
  ``temporal_softmax_loss``, for scores up to 1e4.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Numerically stable logistic sigmoid (provided).

    Only ever exponentiates non-positive numbers, so it neither overflows nor warns for any finite x.
    """
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


# --------------------------------------------------------------------------------------------
# Vanilla RNN
# --------------------------------------------------------------------------------------------


def rnn_step_forward(
    x: np.ndarray, prev_h: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, Any]:
    """One time step of a vanilla RNN with a tanh activation.

    next_h = tanh(x @ Wx + prev_h @ Wh + b)

    Args:
        x: inputs of this time step, shape (N, D).
        prev_h: hidden state of the previous time step, shape (N, H).
        Wx: input-to-hidden weights, shape (D, H).
        Wh: hidden-to-hidden weights, shape (H, H).
        b: biases, shape (H,).

    Returns:
        next_h: the new hidden state, shape (N, H).
        cache: whatever rnn_step_backward needs.
    """
    raise NotImplementedError('TODO: implement rnn_step_forward')
    return next_h, cache


def rnn_step_backward(
    dnext_h: np.ndarray, cache: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of one vanilla RNN time step.

    Args:
        dnext_h: gradient of the loss with respect to next_h, shape (N, H).
        cache: the cache rnn_step_forward returned.

    Returns:
        dx (N, D), dprev_h (N, H), dWx (D, H), dWh (H, H), db (H,).

    Hint: d tanh(a) / da = 1 - tanh(a)**2, and tanh(a) is next_h, the *output* of the step.
    """
    raise NotImplementedError('TODO: implement rnn_step_backward')
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(
    x: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, Any]:
    """Run a vanilla RNN over a whole sequence (use rnn_step_forward).

    Args:
        x: input sequence, shape (N, T, D).
        h0: initial hidden state, shape (N, H).
        Wx (D, H), Wh (H, H), b (H,): the parameters, shared by every time step.

    Returns:
        h: hidden states of every time step, shape (N, T, H); h[:, t] is the state after
            reading x[:, t] (h0 itself is not included).
        cache: whatever rnn_backward needs.
    """
    raise NotImplementedError('TODO: implement rnn_forward')
    return h, cache


def rnn_backward(
    dh: np.ndarray, cache: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Backpropagation through time for a vanilla RNN.

    Args:
        dh: upstream gradient of *every* hidden state, shape (N, T, H). The loss reaches each
            h[:, t] directly (through dh[:, t]) and through all later time steps.
        cache: the cache rnn_forward returned.

    Returns:
        dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    raise NotImplementedError('TODO: implement rnn_backward')
    return dx, dh0, dWx, dWh, db


# --------------------------------------------------------------------------------------------
# Word embeddings and temporal layers
# --------------------------------------------------------------------------------------------


def word_embedding_forward(x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, Any]:
    """Look up the embedding of every word.

    Args:
        x: integer word indices in [0, V), shape (N, T), any integer dtype.
        W: embedding matrix, shape (V, D); row v is the vector of word v.

    Returns:
        out: out[n, t] = W[x[n, t]], shape (N, T, D).
        cache: whatever word_embedding_backward needs.
    """
    raise NotImplementedError('TODO: implement word_embedding_forward')
    return out, cache


def word_embedding_backward(dout: np.ndarray, cache: Any) -> np.ndarray:
    """Gradient of the embedding matrix.

    Args:
        dout: upstream gradient, shape (N, T, D).
        cache: the cache word_embedding_forward returned.

    Returns:
        dW: shape (V, D). A word that appears several times receives the sum of the gradients of
            all its occurrences.

    Hint: ``dW[x] += dout`` does not accumulate repeated indices; look at ``np.add.at``.
    """
    raise NotImplementedError('TODO: implement word_embedding_backward')
    return dW


def temporal_affine_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, Any]:
    """Apply the same affine layer at every time step.

    Args:
        x: shape (N, T, D); w: shape (D, M); b: shape (M,).

    Returns:
        out: out[n, t] = x[n, t] @ w + b, shape (N, T, M).
        cache: whatever temporal_affine_backward needs.
    """
    raise NotImplementedError('TODO: implement temporal_affine_forward')
    return out, cache


def temporal_affine_backward(
    dout: np.ndarray, cache: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of temporal_affine_forward.

    Args:
        dout: upstream gradient, shape (N, T, M).
        cache: the cache temporal_affine_forward returned.

    Returns:
        dx (N, T, D), dw (D, M), db (M,).
    """
    raise NotImplementedError('TODO: implement temporal_affine_backward')
    return dx, dw, db


def temporal_softmax_loss(x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy summed over time steps, averaged over the batch, with a mask.

    loss = -sum_{n, t} mask[n, t] * log softmax(x[n, t])[y[n, t]] / N

    The loss is divided by N, the batch size, not by the number of unmasked steps. Masked steps
    (mask False) contribute nothing to the loss or the gradient; a sequence may be masked entirely.

    Args:
        x: scores, shape (N, T, V); finite results for scores up to 1e4 in absolute value.
        y: integer targets in [0, V), shape (N, T).
        mask: booleans, shape (N, T); True where the step counts.

    Returns:
        loss: a scalar.
        dx: gradient of the loss with respect to x, shape (N, T, V).
    """
    raise NotImplementedError('TODO: implement temporal_softmax_loss')
    return loss, dx


# --------------------------------------------------------------------------------------------
# LSTM
# --------------------------------------------------------------------------------------------


def lstm_step_forward(
    x: np.ndarray,
    prev_h: np.ndarray,
    prev_c: np.ndarray,
    Wx: np.ndarray,
    Wh: np.ndarray,
    b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, Any]:
    """One time step of an LSTM.

    a = x @ Wx + prev_h @ Wh + b has shape (N, 4H); its four blocks of H columns are, in this
    order, the pre-activations of the gates i, f, o, g:

        i = sigmoid(a[:, 0:H])      input gate
        f = sigmoid(a[:, H:2H])     forget gate
        o = sigmoid(a[:, 2H:3H])    output gate
        g = tanh(a[:, 3H:4H])       candidate cell
        next_c = f * prev_c + i * g
        next_h = o * tanh(next_c)

    (torch.nn.LSTM orders its blocks i, f, g, o: this lab does not.)

    Args:
        x (N, D), prev_h (N, H), prev_c (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,).

    Returns:
        next_h (N, H), next_c (N, H), cache (whatever lstm_step_backward needs).
    """
    raise NotImplementedError('TODO: implement lstm_step_forward')
    return next_h, next_c, cache


def lstm_step_backward(
    dnext_h: np.ndarray, dnext_c: np.ndarray, cache: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Backward pass of one LSTM time step.

    Args:
        dnext_h: gradient of the loss with respect to next_h, shape (N, H).
        dnext_c: gradient of the loss with respect to next_c, shape (N, H), from the later steps
            only: next_h also depends on next_c, so the total gradient of next_c adds a term.
            Leave dnext_c itself unmodified: build the total in a new array (``+=`` on it would
            change the caller's array).
        cache: the cache lstm_step_forward returned.

    Returns:
        dx (N, D), dprev_h (N, H), dprev_c (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    raise NotImplementedError('TODO: implement lstm_step_backward')
    return dx, dprev_h, dprev_c, dWx, dWh, db


def lstm_forward(
    x: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, Any]:
    """Run an LSTM over a whole sequence (use lstm_step_forward); the initial cell state is 0.

    Args:
        x: input sequence, shape (N, T, D).
        h0: initial hidden state, shape (N, H).
        Wx (D, 4H), Wh (H, 4H), b (4H,): the parameters, shared by every time step.

    Returns:
        h: hidden states of every time step, shape (N, T, H) (h0 not included).
        cache: whatever lstm_backward needs.
    """
    raise NotImplementedError('TODO: implement lstm_forward')
    return h, cache


def lstm_backward(
    dh: np.ndarray, cache: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Backpropagation through time for an LSTM.

    Args:
        dh: upstream gradient of every hidden state, shape (N, T, H).
        cache: the cache lstm_forward returned.

    Returns:
        dx (N, T, D), dh0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,). (c0 is a constant 0, so it
        has no gradient.)
    """
    raise NotImplementedError('TODO: implement lstm_backward')
    return dx, dh0, dWx, dWh, db


# --------------------------------------------------------------------------------------------
# Gradient clipping
# --------------------------------------------------------------------------------------------


def clip_grad_norm(grads: dict[str, np.ndarray], max_norm: float) -> float:
    """Clip gradients by their global L2 norm, in place, like torch.nn.utils.clip_grad_norm_.

    total_norm is the L2 norm of all the arrays together (as if concatenated into one vector),
    computed before clipping. With coef = max_norm / (total_norm + 1e-6), when coef < 1 every
    array of the dict is multiplied by coef *in place*: the dict keeps the very same array objects
    (``grads[k] = grads[k] * coef`` would put new arrays in it). When coef >= 1 nothing changes.

    Args:
        grads: name -> float64 gradient array, any shapes.
        max_norm: the largest total norm allowed, > 0.

    Returns:
        total_norm: the global norm before clipping, a float.
    """
    raise NotImplementedError('TODO: implement clip_grad_norm')
    return total_norm
