"""conv_backward_naive pops 'pad' out of the cached conv_param: the caller's dict loses it."""

PATCH = [
    (
        'stride, pad = conv_param["stride"], conv_param["pad"]\n    _, _, height, width = x.shape',
        'stride, pad = conv_param["stride"], conv_param.pop("pad")\n    _, _, height, width = x.shape',
    ),
]
