"""ThreeLayerConvNet.loss forgets the ReLU after the convolution in the backward pass.

The pool's gradient goes straight into conv_backward_naive: W1 and b1 get gradient where the
convolution's output was negative.
"""


class ThreeLayerConvNet(ThreeLayerConvNet):
    def loss(self, X, y=None):
        p = self.params
        fs = p["W1"].shape[2]
        conv_param = {"stride": 1, "pad": (fs - 1) // 2}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        a, c1 = conv_forward_naive(X, p["W1"], p["b1"], conv_param)
        r, _c2 = relu_forward(a)
        pooled, c3 = max_pool_forward_naive(r, pool_param)
        h, c4 = affine_forward(pooled, p["W2"], p["b2"])
        hr, c5 = relu_forward(h)
        scores, c6 = affine_forward(hr, p["W3"], p["b3"])
        if y is None:
            return scores
        loss, ds = softmax_loss(scores, y)
        loss += 0.5 * self.reg * sum(np.sum(p[k] ** 2) for k in ("W1", "W2", "W3"))
        grads = {}
        dhr, grads["W3"], grads["b3"] = affine_backward(ds, c6)
        dpooled, grads["W2"], grads["b2"] = affine_backward(relu_backward(dhr, c5), c4)
        _, grads["W1"], grads["b1"] = conv_backward_naive(max_pool_backward_naive(dpooled, c3), c1)
        for k in ("W1", "W2", "W3"):
            grads[k] += self.reg * p[k]
        return loss, grads
