"""conv_backward_naive averages db over the batch instead of summing it (right for N = 1)."""

# The reference versions, captured before they are redefined below.
_reference_conv_backward = conv_backward_naive


def conv_backward_naive(dout, cache):
    dx, dw, _db = _reference_conv_backward(dout, cache)
    return dx, dw, dout.sum(axis=(2, 3)).mean(axis=0)
