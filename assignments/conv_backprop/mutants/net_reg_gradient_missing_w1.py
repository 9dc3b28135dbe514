"""ThreeLayerConvNet.loss adds the L2 term for W1 to the loss but not to grads['W1'].

Right when reg = 0.
"""

PATCH = [
    (
        "        for k in weights:\n"
        "            grads[k] = grads[k] + self.reg * p[k]",
        '        for k in ("W2", "W3"):\n'
        "            grads[k] = grads[k] + self.reg * p[k]",
    ),
]
