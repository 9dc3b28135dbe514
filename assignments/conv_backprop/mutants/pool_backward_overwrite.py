"""max_pool_backward_naive assigns each window's gradient to dx instead of adding it.

When overlapping windows share a maximum, only the last window's gradient survives; with
non-overlapping windows (stride == window) the bug is invisible.
"""


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, Ho, Wo = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    r, s = i * stride, j * stride
                    window = x[n, c, r : r + ph, s : s + pw]
                    k, l = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, r + k, s + l] = dout[n, c, i, j]
    return dx
