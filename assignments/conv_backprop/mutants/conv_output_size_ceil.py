"""conv_forward_naive rounds the output size up instead of down.

H' = 1 + ceil((H + 2p - HH) / s); the last receptive field, sticking out past the padded input,
sees extra zeros. Right whenever (H + 2p - HH) is a multiple of the stride. (stride - 1 extra zeros
below and to the right make the floored size the ceiled one; backward pads the same way.)
"""

PATCH = [
    (
        'conv_param["pad"]\n'
        "    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))",
        'conv_param["pad"]\n'
        "    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad + stride - 1), (pad, pad + stride - 1)))",
    ),
    (
        "xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))\n"
        "    fields = np.lib.stride_tricks.sliding_window_view(xp, (hh, ww)",
        "xp = np.pad(x, ((0, 0), (0, 0), (pad, pad + stride - 1), (pad, pad + stride - 1)))\n"
        "    fields = np.lib.stride_tricks.sliding_window_view(xp, (hh, ww)",
    ),
]
