"""FullyConnectedNet.loss adds the penalty to the loss but not its gradient reg * W."""


class FullyConnectedNet(FullyConnectedNet):  # noqa: F821 - the reference's class
    def loss(self, X, y=None):
        result = super().loss(X, y)
        if y is None:
            return result
        loss, grads = result
        for i in range(1, self.num_layers + 1):
            grads[f"W{i}"] = grads[f"W{i}"] - self.reg * self.params[f"W{i}"]
        return loss, grads
