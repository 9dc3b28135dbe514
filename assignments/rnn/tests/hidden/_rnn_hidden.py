"""Hidden-test helpers: torch's own layers in float64 as oracles, fed the lab's parameter layout,
and inputs that saturate the units.

The lab keeps weights as (in, out) matrices and a single bias; torch keeps (out, in) matrices and two
biases (the second is left at zero). torch.nn.LSTM orders its gate blocks i, f, g, o where the lab
uses i, f, o, g: ``_LSTM_TO_TORCH`` reorders columns one way, its inverse the other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from _rnn_util import call_checked, sequence_gradients, sequence_inputs

from autograder.toolkit import Student, assert_close, expect_array

Grads = dict[str, np.ndarray]
NAMES = ("x", "h0", "Wx", "Wh", "b")


def _block_order(h: int) -> np.ndarray:
    """Columns of the lab's (i, f, o, g) layout in torch's (i, f, g, o) order."""
    i, f, o, g = (np.arange(k * h, (k + 1) * h) for k in range(4))
    return np.concatenate([i, f, g, o])


def torch_sequence(kind: str, x: np.ndarray, h0: np.ndarray, Wx: np.ndarray, Wh: np.ndarray, b: np.ndarray,
                   dh: np.ndarray) -> tuple[np.ndarray, Grads]:
    """h (N, T, H) and the gradients of sum(h * dh) for x, h0, Wx, Wh, b, from torch.nn.RNN / LSTM."""
    d, h = x.shape[2], h0.shape[1]
    order = _block_order(h) if kind == "lstm" else np.arange(h)
    inverse = np.argsort(order)
    if kind == "lstm":
        layer = torch.nn.LSTM(d, h, batch_first=True)
    else:
        layer = torch.nn.RNN(d, h, nonlinearity="tanh", batch_first=True)
    layer = layer.double()
    with torch.no_grad():
        layer.weight_ih_l0.copy_(torch.tensor(Wx[:, order].T))
        layer.weight_hh_l0.copy_(torch.tensor(Wh[:, order].T))
        layer.bias_ih_l0.copy_(torch.tensor(b[order]))
        layer.bias_hh_l0.zero_()
    xt = torch.tensor(x, requires_grad=True)
    h0t = torch.tensor(h0[None], requires_grad=True)
    state = (h0t, torch.zeros_like(h0t)) if kind == "lstm" else h0t
    out, _ = layer(xt, state)
    out.backward(torch.tensor(dh))
    grads = {
        "x": xt.grad.numpy(),
        "h0": h0t.grad[0].numpy(),
        "Wx": layer.weight_ih_l0.grad.numpy().T[:, inverse],
        "Wh": layer.weight_hh_l0.grad.numpy().T[:, inverse],
        "b": layer.bias_ih_l0.grad.numpy()[inverse],
    }
    return out.detach().numpy(), grads


def torch_temporal_softmax_loss(x: np.ndarray, y: np.ndarray, mask: np.ndarray) -> tuple[float, np.ndarray]:
    n, t, v = x.shape
    xt = torch.tensor(x, requires_grad=True)
    per_step = torch.nn.functional.cross_entropy(xt.reshape(n * t, v), torch.tensor(y.reshape(-1), dtype=torch.int64),
                                                 reduction="none")
    loss = (per_step * torch.tensor(mask.reshape(-1), dtype=torch.float64)).sum() / n
    loss.backward()
    return float(loss), xt.grad.numpy()


def torch_temporal_affine(x: np.ndarray, w: np.ndarray, b: np.ndarray,
                          dout: np.ndarray) -> tuple[np.ndarray, Grads]:
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in (("x", x), ("w", w), ("b", b))}
    out = torch.nn.functional.linear(tensors["x"], tensors["w"].T, tensors["b"])
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), {k: t.grad.numpy() for k, t in tensors.items()}


def torch_clip(grads: Grads, max_norm: float) -> tuple[float, Grads]:
    """torch.nn.utils.clip_grad_norm_ on parameters whose .grad are these arrays."""
    params = {k: torch.nn.Parameter(torch.zeros(v.shape, dtype=torch.float64)) for k, v in grads.items()}
    for k, p in params.items():
        p.grad = torch.tensor(grads[k])
    total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm)
    return float(total), {k: p.grad.numpy() for k, p in params.items()}


def check_forward_against_torch(student: Student, p: dict[str, Any], layer: str) -> None:
    """``<layer>_forward``'s h against torch."""
    expected_h, _ = torch_sequence(layer, **sequence_inputs(p), dh=p["dh"])
    h, _ = call_checked(student, f"{layer}_forward", **sequence_inputs(p))
    assert_close(expect_array(h, expected_h.shape, name="h"), expected_h, name="h")


def check_backward_against_torch(student: Student, p: dict[str, Any], layer: str) -> None:
    """``<layer>_backward``'s gradients against torch, on the cache of the submission's forward pass
    (whose h only the forward tests judge)."""
    _, expected = torch_sequence(layer, **sequence_inputs(p), dh=p["dh"])
    grads = dict(zip(NAMES, sequence_gradients(student, layer, p)[1]))
    for k in NAMES:
        assert_close(expect_array(grads[k], p[k].shape, name=f"d{k}"), expected[k], name=f"d{k}")


def torch_step(layer: str, inputs: dict[str, np.ndarray],
               upstream: tuple[np.ndarray, ...]) -> tuple[list[np.ndarray], Grads]:
    """One step's outputs (next_h, and the LSTM's next_c) and the gradients of their sum weighted by
    ``upstream``, by torch autograd on the spec's formula."""
    t = {k: torch.tensor(v, requires_grad=True) for k, v in inputs.items()}
    a = t["x"] @ t["Wx"] + t["prev_h"] @ t["Wh"] + t["b"]
    if layer == "rnn":
        outputs = [torch.tanh(a)]
    else:
        i, f, o, g = a.chunk(4, dim=1)
        c = torch.sigmoid(f) * t["prev_c"] + torch.sigmoid(i) * torch.tanh(g)
        outputs = [torch.sigmoid(o) * torch.tanh(c), c]
    sum((out * torch.tensor(u)).sum() for out, u in zip(outputs, upstream)).backward()
    return [out.detach().numpy() for out in outputs], {k: v.grad.numpy() for k, v in t.items()}


def saturate(p: dict[str, Any], seed: int, weight: float = 950.0) -> dict[str, Any]:
    """Every other column of the pre-activations (so half of each LSTM gate block) driven to
    |a| between about 475 and 1e3, past where exp overflows (709): the first input feature (of the
    sequence ``x`` and of the step's ``xt``) has magnitude 0.5 to 1 and a weight of +-``weight`` into
    those columns; the other terms add a few. One column in four of the others, all its weights
    zeroed, gets a pre-activation of exactly +-1e3 (the bound itself) from its bias."""
    p = dict(p)
    g = np.random.default_rng(seed)
    width = p["Wx"].shape[1]
    big = np.arange(width) % 2 == 0
    bound = np.arange(width) % 4 == 1
    for key in ("x", "xt"):
        x = p[key].copy()
        x[..., 0] = g.choice([-1.0, 1.0], x.shape[:-1]) * g.uniform(0.5, 1.0, x.shape[:-1])
        p[key] = x
    p["Wx"], p["Wh"], p["b"] = p["Wx"].copy(), p["Wh"].copy(), p["b"].copy()
    p["Wx"][0, big] = g.choice([-1.0, 1.0], int(big.sum())) * weight
    p["Wx"][:, bound] = 0.0
    p["Wh"][:, bound] = 0.0
    p["b"][bound] = np.where(np.arange(int(bound.sum())) % 2 == 0, 1e3, -1e3)
    return p


def torch_embedding(x: np.ndarray, W: np.ndarray, dout: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    Wt = torch.tensor(W, requires_grad=True)
    out = torch.nn.functional.embedding(torch.tensor(x.astype(np.int64)), Wt)
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), Wt.grad.numpy()
