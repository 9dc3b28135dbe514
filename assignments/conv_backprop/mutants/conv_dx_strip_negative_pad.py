"""conv_backward_naive strips the padding with dxp[:, :, pad:-pad, pad:-pad].

Right for every pad >= 1; at pad 0 the slice 0:-0 is empty, so dx comes back with no rows.
"""

PATCH = [
    ("dx = dxp[:, :, pad : pad + height, pad : pad + width]", "dx = dxp[:, :, pad:-pad, pad:-pad]"),
]
