"""FullyConnectedNet.loss applies ReLU after the last affine layer too."""

PATCH = [
    (
        "        if y is None:\n"
        "            return scores\n",
        "        scores, last_relu_cache = relu_forward(scores)\n"
        "        if y is None:\n"
        "            return scores\n",
    ),
    ("affine_backward(dscores, last_cache)", "affine_backward(relu_backward(dscores, last_relu_cache), last_cache)"),
]
