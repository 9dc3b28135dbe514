"""FullyConnectedNet.loss adds the L2 penalty to the biases as well as the weights."""
import numpy as np


class FullyConnectedNet(FullyConnectedNet):  # noqa: F821 - the reference's class
    def loss(self, X, y=None):
        result = super().loss(X, y)
        if y is None:
            return result
        loss, grads = result
        for i in range(1, self.num_layers + 1):
            b = self.params[f"b{i}"]
            loss += 0.5 * self.reg * np.sum(b * b)
            grads[f"b{i}"] = grads[f"b{i}"] + self.reg * b
        return loss, grads
