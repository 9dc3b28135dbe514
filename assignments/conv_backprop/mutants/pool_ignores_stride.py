"""Max pooling steps by the window size instead of the stride (windows assumed not to overlap).

The output size is computed correctly, but window (i, j) starts at row i * pool_height, column
j * pool_width; windows running past the input are cut short. Right whenever stride == window.
"""


def max_pool_forward_naive(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    Ho, Wo = 1 + (H - ph) // stride, 1 + (W - pw) // stride
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = x[:, :, i * ph : i * ph + ph, j * pw : j * pw + pw].max(axis=(2, 3))
    return out, (x, pool_param)


def max_pool_backward_naive(dout, cache):
    x, pool_param = cache
    ph, pw = pool_param["pool_height"], pool_param["pool_width"]
    N, C, Ho, Wo = dout.shape
    dx = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for i in range(Ho):
                for j in range(Wo):
                    window = x[n, c, i * ph : i * ph + ph, j * pw : j * pw + pw]
                    k, l = np.unravel_index(np.argmax(window), window.shape)
                    dx[n, c, i * ph + k, j * pw + l] += dout[n, c, i, j]
    return dx
