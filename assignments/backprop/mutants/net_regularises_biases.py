"""FullyConnectedNet.loss adds the L2 penalty to the biases as well as the weights."""

PATCH = [
    (
        '            grads[f"W{i}"] = grads[f"W{i}"] + self.reg * W\n',
        '            grads[f"W{i}"] = grads[f"W{i}"] + self.reg * W\n'
        '            b = self.params[f"b{i}"]\n'
        "            loss += 0.5 * self.reg * np.sum(b * b)\n"
        '            grads[f"b{i}"] = grads[f"b{i}"] + self.reg * b\n',
    ),
]
