"""A true convolution (kernel flipped in both spatial axes) instead of the cross-correlation.

Forward and backward are consistent with each other, so numerical gradient checks pass; the
values differ from torch.nn.functional.conv2d's for every filter that is not symmetric.
"""

# The reference versions, captured before they are redefined below.
_reference_conv_forward = conv_forward_naive
_reference_conv_backward = conv_backward_naive


def conv_forward_naive(x, w, b, conv_param):
    out, cache = _reference_conv_forward(x, w[:, :, ::-1, ::-1], b, conv_param)
    return out, cache


def conv_backward_naive(dout, cache):
    dx, dw_flipped, db = _reference_conv_backward(dout, cache)
    return dx, dw_flipped[:, :, ::-1, ::-1], db
