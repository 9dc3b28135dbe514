"""conv_backward_naive ignores the stride: output (i, j) is taken to start at padded row i, column j.

Right at stride 1 (the course notebooks' only case), wrong for every stride above 1.
"""

PATCH = [
    (
        "fields = np.lib.stride_tricks.sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, ::stride, ::stride]",
        "fields = np.lib.stride_tricks.sliding_window_view(xp, (hh, ww), axis=(2, 3))[:, :, :out_h, :out_w]",
    ),
    (
        "dxp[:, :, k : k + stride * out_h : stride, l : l + stride * out_w : stride]",
        "dxp[:, :, k : k + out_h, l : l + out_w]",
    ),
]
