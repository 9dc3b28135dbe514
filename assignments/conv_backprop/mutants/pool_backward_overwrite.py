"""max_pool_backward_naive assigns each window's gradient to dx instead of adding it.

When overlapping windows share a maximum, only the last window's gradient survives; with
non-overlapping windows (stride == window) the bug is invisible.
"""

PATCH = [
    ("np.add.at(dx, (nn, cc, rows, cols), dout)", "dx[nn, cc, rows, cols] = dout"),
]
