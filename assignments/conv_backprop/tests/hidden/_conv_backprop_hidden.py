"""The hidden tests' oracle: torch's convolution, pooling and autograd, in float64."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)  # tiny tensors: threads only add noise on a shared grading machine


def _t(a: np.ndarray, grad: bool = True) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def conv(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, pad: int,
         dout: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """out, and with dout also dx, dw, db, of torch.nn.functional.conv2d."""
    xt, wt, bt = _t(x), _t(w), _t(b)
    out = F.conv2d(xt, wt, bt, stride=stride, padding=pad)
    if dout is None:
        return (out.detach().numpy(),)
    out.backward(torch.tensor(dout, dtype=torch.float64))
    return out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


def max_pool(x: np.ndarray, ph: int, pw: int, stride: int,
             dout: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """out, and with dout also dx, of torch.nn.functional.max_pool2d (floored sizes)."""
    xt = _t(x)
    out = F.max_pool2d(xt, (ph, pw), stride=stride)
    if dout is None:
        return (out.detach().numpy(),)
    out.backward(torch.tensor(dout, dtype=torch.float64))
    return out.detach().numpy(), xt.grad.numpy()


def three_layer_net(params: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray,
                    reg: float) -> tuple[np.ndarray, float, dict[str, np.ndarray]]:
    """Scores, loss and gradients of conv - relu - 2x2 pool - affine - relu - affine - softmax."""
    p = {k: _t(v) for k, v in params.items()}
    fs = params["W1"].shape[2]
    a = F.relu(F.conv2d(_t(X, False), p["W1"], p["b1"], stride=1, padding=(fs - 1) // 2))
    pooled = F.max_pool2d(a, 2, stride=2).flatten(1)
    scores = F.relu(pooled @ p["W2"] + p["b2"]) @ p["W3"] + p["b3"]
    loss = F.cross_entropy(scores, torch.tensor(y, dtype=torch.int64))
    loss = loss + 0.5 * reg * sum((p[k] ** 2).sum() for k in ("W1", "W2", "W3"))
    loss.backward()
    return scores.detach().numpy(), float(loss), {k: v.grad.numpy() for k, v in p.items()}
