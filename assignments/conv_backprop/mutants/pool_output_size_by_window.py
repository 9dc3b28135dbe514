"""Max pooling computes the output size as H // pool_height (W // pool_width), ignoring the stride.

Right for non-overlapping windows (stride == window); with overlapping windows it drops outputs.
"""


def max_pool_forward_naive(x, pool_param):
    ph, pw, stride = pool_param["pool_height"], pool_param["pool_width"], pool_param["stride"]
    N, C, H, W = x.shape
    Ho, Wo = H // ph, W // pw
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            r, s = i * stride, j * stride
            out[:, :, i, j] = x[:, :, r : r + ph, s : s + pw].max(axis=(2, 3))
    return out, (x, pool_param)
