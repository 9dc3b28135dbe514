"""ThreeLayerConvNet.loss forgets the ReLU after the convolution in the backward pass.

The pool's gradient goes straight into conv_backward_naive: W1 and b1 get gradient where the
convolution's output was negative.
"""

PATCH = [
    ("dconv = relu_backward(dconv_relu, conv_relu_cache)", "dconv = dconv_relu"),
]
