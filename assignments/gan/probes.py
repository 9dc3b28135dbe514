"""Worker-side helpers of the gan tests: they need live torch modules and optimizers, which cannot
cross to the harness. Each takes the student module first and returns plain data (numpy arrays,
floats, strings, lists and dicts of these); the harness judges everything they return.

The networks handed to the submission are the grader's own small tanh MLPs with weights chosen
by the harness, so that the harness can recompute every loss, gradient and update independently.
They record every call (inputs, outputs and the parameters of both nets at that moment), and the
optimizers record the parameters after each step, so that the harness can tell which phase of a
training step changed what. train_gan builds its own networks: during a grading the module's
Generator and Discriminator are the grader's (substituted by the test), and the harness receives
the trained generator's parameters, never its samples.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn


def _type_name(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"


def _plain_number(value: Any) -> Any:
    """A returned value the harness can judge: real numbers pass, anything else becomes its type
    name (so that a tensor where a float is asked for is reported, not converted), with the value
    of a one-element tensor alongside for the tests that judge the number only."""
    if isinstance(value, (bool, int, float, np.integer, np.floating)):
        return value
    out: dict[str, Any] = {"unexpected_type": _type_name(value)}
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        out["value"] = float(value.detach().reshape(()))
    return out


def _tensor_or_type(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy().copy()
    return {"unexpected_type": _type_name(value)}


class _MLP(nn.Module):
    """Affine layers with tanh between them, applied to the input flattened per sample.

    ``layers`` is a list of (W (in, out), b (out,)) float arrays; ``log`` (a list) receives one
    entry per forward call, made by ``recorder``.
    """

    def __init__(self, layers: list, dtype: torch.dtype, tag: str, log: list, recorder=None):
        super().__init__()
        self.weights = nn.ParameterList()
        for w, b in layers:
            self.weights.append(nn.Parameter(torch.tensor(np.asarray(w), dtype=dtype)))
            self.weights.append(nn.Parameter(torch.tensor(np.asarray(b), dtype=dtype)))
        self.tag = tag
        self.log = log
        self.recorder = recorder

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.reshape(x.shape[0], -1)
        n_layers = len(self.weights) // 2
        for i in range(n_layers):
            h = h @ self.weights[2 * i] + self.weights[2 * i + 1]
            if i < n_layers - 1:
                h = torch.tanh(h)
        if self.recorder is not None:
            self.recorder(self.tag, x, h)
        else:
            self.log.append({"input": x.detach().cpu().numpy().copy()})
        return h


def _params(net: nn.Module) -> list[np.ndarray]:
    return [p.detach().cpu().numpy().copy() for p in net.parameters()]


# ---------------------------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------------------------


def network_outputs(module, net: str, x: np.ndarray, **sizes: int) -> dict:
    """Builds the submission's ``net`` ("Generator" or "Discriminator") with the keyword ``sizes``
    and runs it on ``x`` (float32). Returns whether it is a module, its parameter count, its output
    (or its type name) and dtype, and "input_after", the input after the forward pass."""
    torch.manual_seed(0)
    model = getattr(module, net)(**sizes)
    t = torch.tensor(x, dtype=torch.float32)
    with torch.no_grad():
        out = model(t)
    is_module = isinstance(model, nn.Module)
    return {
        "is_module": is_module,
        "params": int(sum(p.numel() for p in model.parameters())) if is_module else 0,
        "out": _tensor_or_type(out),
        "dtype": str(out.dtype).replace("torch.", "") if isinstance(out, torch.Tensor) else "",
        "input_after": t.numpy().copy(),
    }


# ---------------------------------------------------------------------------------------------
# Gradient penalty
# ---------------------------------------------------------------------------------------------


def gradient_penalty_trace(module, layers: list, real: np.ndarray, fake: np.ndarray, seed) -> dict:
    """Calls gradient_penalty(D, real, fake, seed) with the grader's MLP D (float32), records
    every input D saw, then backpropagates the penalty into D's parameters.

    Returns {"value", "requires_grad", "inputs", "param_grads", "backward_error"}: value is the
    penalty (an array) or a type name, param_grads one array (or None) per parameter."""
    log: list = []
    D = _MLP(layers, torch.float32, "D", log)
    real_t = torch.tensor(real, dtype=torch.float32)
    fake_t = torch.tensor(fake, dtype=torch.float32)
    penalty = module.gradient_penalty(D, real_t, fake_t, seed=seed)
    out: dict[str, Any] = {
        "value": _tensor_or_type(penalty),
        "requires_grad": bool(isinstance(penalty, torch.Tensor) and penalty.requires_grad),
        "inputs": [entry["input"] for entry in log],
        "param_grads": None,
        "backward_error": "",
        "real_after": real_t.numpy().copy(),
        "fake_after": fake_t.numpy().copy(),
    }
    if isinstance(penalty, torch.Tensor) and penalty.requires_grad:
        D.zero_grad(set_to_none=True)
        try:
            penalty.sum().backward()
        except RuntimeError as exc:
            out["backward_error"] = str(exc).splitlines()[0][:200]
        else:
            out["param_grads"] = [
                None if p.grad is None else p.grad.detach().numpy().copy() for p in D.parameters()
            ]
    return out


# ---------------------------------------------------------------------------------------------
# One training step
# ---------------------------------------------------------------------------------------------


def loss_with_grads(module, name: str, args: list) -> dict:
    """The loss ``name`` on ``args``. Returns {"value", "grads" (one per argument that requires
    grad, None where unused), "args_after", "problem" (why no gradient could be taken, or "")}."""
    leaves = [a for a in args if isinstance(a, torch.Tensor) and a.requires_grad]
    value = getattr(module, name)(*args)
    out = {"value": value, "grads": None, "args_after": args, "problem": ""}
    if not isinstance(value, torch.Tensor):
        out["problem"] = f"expected a torch tensor, got a {_type_name(value)}"
    elif leaves and not value.requires_grad:
        out["problem"] = "the returned tensor carries no gradient (was it detached?)"
    elif leaves:
        grads = torch.autograd.grad(value, leaves, torch.ones_like(value), allow_unused=True)
        out["grads"] = [None if g is None else g.detach().numpy().copy() for g in grads]
    return out


def loss_values(module, name: str, calls: list) -> list:
    """The values of the loss ``name`` on each argument list of ``calls`` (no gradients)."""
    return [getattr(module, name)(*args) for args in calls]


def train_step_trace(
    module,
    g_layers: list,
    d_layers: list,
    real: np.ndarray,
    noise_dim: int,
    lr: float,
    loss: str,
    calls: int,
) -> dict:
    """Runs gan_train_step `calls` times in a row on the grader's G and D (float32 tanh MLPs)
    with plain SGD(lr) optimizers, starting with no gradients.

    Returns {"calls": [...], "real_after"}; each call has "start" (params of G and D before it),
    "end" (after it), "result" (what gan_train_step returned) and "events": in order, every
    forward of G ({"net": "G", "input", "output"}), of D ({"net": "D", "input"}) and every
    optimizer step ({"net": "step_G" | "step_D"}), each with the parameters of both nets at that
    moment ("G", "D")."""
    events: list = []

    def record(tag: str, x: torch.Tensor, out: torch.Tensor) -> None:
        entry = {"net": tag, "input": x.detach().cpu().numpy().copy(), "G": _params(G), "D": _params(D)}
        if tag == "G":
            entry["output"] = out.detach().cpu().numpy().copy()
        events.append(entry)

    G = _MLP(g_layers, torch.float32, "G", events, record)
    D = _MLP(d_layers, torch.float32, "D", events, record)

    class _RecordingSGD(torch.optim.SGD):
        def __init__(self, params, tag: str):
            super().__init__(params, lr=lr)
            self.tag = tag

        def step(self, closure=None):
            result = super().step(closure)
            events.append({"net": "step_" + self.tag, "G": _params(G), "D": _params(D)})
            return result

    G_opt = _RecordingSGD(G.parameters(), "G")
    D_opt = _RecordingSGD(D.parameters(), "D")
    real_t = torch.tensor(real, dtype=torch.float32)

    out_calls = []
    for _ in range(calls):
        events.clear()
        start = {"G": _params(G), "D": _params(D)}
        result = module.gan_train_step(G, D, G_opt, D_opt, real_t, noise_dim, loss=loss)
        if isinstance(result, (tuple, list)):
            result = [_plain_number(r) for r in result]
        else:
            result = {"unexpected_type": _type_name(result)}
        out_calls.append(
            {
                "start": start,
                "end": {"G": _params(G), "D": _params(D)},
                "result": result,
                "events": list(events),
            }
        )
    return {"calls": out_calls, "real_after": real_t.numpy().copy()}


# ---------------------------------------------------------------------------------------------
# Training end to end
# ---------------------------------------------------------------------------------------------


def trained_generator(
    module,
    real: np.ndarray,
    steps: int,
    batch_size: int,
    noise_dim: int,
    seed: int,
    z: np.ndarray | None,
) -> dict:
    """Trains with train_gan(real, steps, batch_size, noise_dim, seed=seed) and returns
    {"returned" (the type name of what it returned), "real_after" (real_data after training)} and:

    - without ``z`` (a grading: Generator is the grader's network, which the harness runs itself),
      "is_generator": whether train_gan returned an instance of the Generator class the module had
      when it was called, and "parameters": that generator's parameters in order, as arrays;
    - with ``z`` (a student's own check, where their own networks train): "samples", the returned
      generator's output on ``z`` in eval mode.
    """
    generator_class = getattr(module, "Generator", None)
    real_t = torch.tensor(real, dtype=torch.float32)
    G = module.train_gan(real_t, steps=steps, batch_size=batch_size, noise_dim=noise_dim, seed=seed)
    out: dict[str, Any] = {"returned": _type_name(G), "real_after": real_t.numpy().copy()}
    if z is None:
        out["is_generator"] = generator_class is not None and type(G) is generator_class
        out["parameters"] = _params(G) if out["is_generator"] else []
    elif isinstance(G, nn.Module):
        G.eval()
        with torch.no_grad():
            out["samples"] = _tensor_or_type(G(torch.tensor(z, dtype=torch.float32)))
    else:
        out["samples"] = {"unexpected_type": out["returned"]}
    return out


def train_gan_optimizers(module, real: np.ndarray, steps: int, batch_size: int, lr: float, seed: int) -> list:
    """The learning rate and betas every Adam that train_gan creates starts with (torch.optim.Adam,
    and a name Adam the module imported, are wrapped while it runs), and how many parameters each
    one updates."""
    created: list = []
    original = torch.optim.Adam

    class RecordingAdam(original):
        def __init__(self, params, *args, **kwargs):
            super().__init__(params, *args, **kwargs)
            group = self.param_groups[0]
            created.append({"lr": float(group["lr"]), "betas": [float(b) for b in group["betas"]],
                            "parameters": sum(p.numel() for g in self.param_groups for p in g["params"])})

    own = module.__dict__.get("Adam")
    torch.optim.Adam = RecordingAdam
    if own is original:
        module.Adam = RecordingAdam
    try:
        module.train_gan(torch.tensor(real, dtype=torch.float32), steps=steps, batch_size=batch_size, lr=lr, seed=seed)
    finally:
        torch.optim.Adam = original
        if own is original:
            module.Adam = original
    return created
