"""FullyConnectedNet.loss applies ReLU after the last affine layer too."""
import numpy as np


class FullyConnectedNet(FullyConnectedNet):  # noqa: F821 - the reference's class
    def loss(self, X, y=None):
        caches = []
        h = X
        for i in range(1, self.num_layers + 1):
            h, ac = affine_forward(h, self.params[f"W{i}"], self.params[f"b{i}"])  # noqa: F821
            h, rc = relu_forward(h)  # noqa: F821
            caches.append((ac, rc))
        if y is None:
            return h
        loss, dh = softmax_loss(h, y)  # noqa: F821
        grads = {}
        for i in range(self.num_layers, 0, -1):
            ac, rc = caches[i - 1]
            dh, grads[f"W{i}"], grads[f"b{i}"] = affine_backward(relu_backward(dh, rc), ac)  # noqa: F821
        for i in range(1, self.num_layers + 1):
            W = self.params[f"W{i}"]
            loss += 0.5 * self.reg * np.sum(W * W)
            grads[f"W{i}"] += self.reg * W
        return loss, grads
