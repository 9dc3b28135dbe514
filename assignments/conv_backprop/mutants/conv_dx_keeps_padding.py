"""conv_backward_naive returns the gradient of the padded input: dx is (N, C, H + 2p, W + 2p)."""

PATCH = [
    ("dx = dxp[:, :, pad : pad + height, pad : pad + width]", "dx = dxp"),
]
