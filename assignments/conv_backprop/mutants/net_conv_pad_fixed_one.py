"""ThreeLayerConvNet hard-codes the convolution's pad to 1 (right only for filter_size 3 and 4)."""

PATCH = [
    ('"pad": (filter_size - 1) // 2}', '"pad": 1}'),
]
