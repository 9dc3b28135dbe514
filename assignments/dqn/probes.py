"""Worker-side helpers of the dqn tests: they need live torch modules, numpy Generators and
gymnasium environments, which cannot cross to the harness. Each takes the student module first
and returns plain data; the harness judges everything they return.

The environments the training probes hand to ``train_dqn`` are the grader's own (registered
here under ``dlgrade-probe/...`` ids), not the copies provided in the student file, so that an
edit to the provided code cannot change what is graded. During a grading, train_dqn runs with the
grader's QNetwork and correct versions of the other graded functions in place of the student's;
the probes hand back the trained network's parameters, and the harness computes its Q values and
plays its greedy episodes itself. Nothing measured here decides a grade; what train_dqn returns is
judged in the harness like any function's result.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

import gymnasium as gym
import numpy as np
import torch
from torch import nn

CHAIN_ID = "dlgrade-probe/Chain-v0"
CHAIN_ONE_STEP_ID = "dlgrade-probe/ChainOneStep-v0"
CARTPOLE_ID = "dlgrade-probe/CartPole-v1"
CHAIN_STATES = 4


def _type_name(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"


# ---------------------------------------------------------------------------------------------
# The grader's environments.
# ---------------------------------------------------------------------------------------------


class _Chain(gym.Env):
    """The lab's chain MDP (see ChainEnv in the student file): action 1 moves right (reward 1
    and terminated from the last position), action 0 quits (reward 0.5, terminated)."""

    metadata: dict[str, Any] = {"render_modes": []}

    def __init__(self, max_steps: int, random_start: bool) -> None:
        self.max_steps = max_steps
        self.random_start = random_start
        self.observation_space = gym.spaces.Box(0.0, 1.0, (CHAIN_STATES,), dtype=np.float32)
        self.action_space = gym.spaces.Discrete(2)
        self._pos = 0
        self._steps = 0

    def _obs(self) -> np.ndarray:
        return np.eye(CHAIN_STATES, dtype=np.float32)[self._pos]

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        super().reset(seed=seed)
        self._pos = int(self.np_random.integers(CHAIN_STATES)) if self.random_start else 0
        self._steps = 0
        return self._obs(), {}

    def step(self, action):
        self._steps += 1
        if int(action) == 0:
            reward, terminated = 0.5, True
        elif self._pos == CHAIN_STATES - 1:
            reward, terminated = 1.0, True
        else:
            self._pos += 1
            reward, terminated = 0.0, False
        truncated = not terminated and self._steps >= self.max_steps
        return self._obs(), reward, terminated, truncated, {}


class _Stop(BaseException):
    """Ends a training run that goes beyond the test's step budget. A BaseException, so that a
    submission's `except Exception` around env.step does not swallow it."""


_OVERRUN = object()  # what _train returns for a run stopped by _Stop


class _Budget(gym.Wrapper):
    """Stops the run (raises _Stop) at a step beyond ``budget`` steps, all instances together."""

    budget: int | None = None
    steps = 0

    def step(self, action):
        _Budget.steps += 1
        if _Budget.budget is not None and _Budget.steps > _Budget.budget:
            raise _Stop
        return self.env.step(action)


def _register() -> None:
    if CHAIN_ID not in gym.registry:
        gym.register(id=CHAIN_ID, entry_point=lambda: _Budget(_Chain(max_steps=20, random_start=False)))
        gym.register(id=CHAIN_ONE_STEP_ID, entry_point=lambda: _Budget(_Chain(max_steps=1, random_start=True)))
        gym.register(id=CARTPOLE_ID, entry_point=lambda: _Budget(gym.make("CartPole-v1")))


def _plain_returns(returns: Any) -> list[float] | str:
    """The submission's returns as floats, or the name of what came back instead."""
    if not isinstance(returns, (list, tuple)):
        return f"not a list: {_type_name(returns)}"
    out = []
    for r in returns:
        if isinstance(r, torch.Tensor) or isinstance(r, (bool, np.bool_)):
            return f"an element is {_type_name(r)}"
        try:
            out.append(float(r))
        except (TypeError, ValueError):
            return f"an element is {_type_name(r)}"
    return out


def _parameters(net: nn.Module) -> list[np.ndarray]:
    return [p.detach().to(torch.float32).cpu().numpy().copy() for p in net.parameters()]


# ---------------------------------------------------------------------------------------------
# Snapshots of the online network, taken by the grader's dqn_loss.
# ---------------------------------------------------------------------------------------------


class _Snapshots:
    """The parameters of the grader's online network (the ``net_class`` instance dqn_loss trains)
    at every ``every``-th update, at most ``keep`` of them: when full, every other one goes and
    ``every`` doubles, so that they stay spread over the whole run."""

    def __init__(self, net_class: type, every: int, keep: int) -> None:
        self.net_class, self.every, self.keep = net_class, every, keep
        self.updates = 0
        self.taken: list[tuple[int, nn.Module, list[np.ndarray]]] = []

    def __call__(self, q_net: Any) -> None:
        if not isinstance(q_net, self.net_class):
            return
        self.updates += 1
        if self.updates % self.every:
            return
        self.taken.append((self.updates, q_net, _parameters(q_net)))
        if len(self.taken) > self.keep:
            self.taken = self.taken[1::2]
            self.every *= 2

    def of(self, net: Any) -> list[list[np.ndarray]]:
        """The snapshots of ``net``, oldest first."""
        return [p for _, q, p in self.taken if q is net]


@contextmanager
def _recording(module: Any, snapshots: _Snapshots) -> Iterator[None]:
    """``module.dqn_loss`` (the grader's, during a grading) preceded by ``snapshots(q_net)``."""
    loss = module.dqn_loss

    def recorded(q_net, *args, **kwargs):
        snapshots(q_net)
        return loss(q_net, *args, **kwargs)

    module.dqn_loss = recorded
    try:
        yield
    finally:
        module.dqn_loss = loss


def _train(module: Any, env_id: str, budget: int, snapshots: _Snapshots | None, **kwargs: Any) -> Any:
    """``train_dqn(env_id, total_steps=budget, ...)``: its result, or _OVERRUN if it ran beyond."""
    _register()
    _Budget.budget, _Budget.steps = budget, 0
    try:
        with _recording(module, snapshots) if snapshots else nullcontext():
            return module.train_dqn(env_id=env_id, total_steps=budget, **kwargs)
    except _Stop:
        return _OVERRUN
    finally:
        _Budget.budget = None


def _trained_network(result: Any, graded: bool, net_class: type) -> nn.Module | str:
    """The network train_dqn returned, or what is wrong with its result."""
    if result is _OVERRUN:
        return "train_dqn took more environment steps than total_steps"
    if not isinstance(result, tuple) or len(result) != 2:
        return f"train_dqn returned {_type_name(result)}, not (QNetwork, returns)"
    net = result[0]
    if graded and not isinstance(net, net_class):
        return (f"train_dqn returned {_type_name(net)} as its network, not the QNetwork it trained: build the "
                "network with QNetwork(obs_dim, n_actions) and return that object")
    if not isinstance(net, nn.Module):
        return f"train_dqn returned {_type_name(net)} as its network, not a torch.nn.Module"
    return net


# ---------------------------------------------------------------------------------------------
# Training probes.
# ---------------------------------------------------------------------------------------------


def train_chain(module: Any, one_step: bool, total_steps: int, seed: int, double: bool, graded: bool,
                states: np.ndarray) -> dict:
    """Train on the chain (or its one-step variant); report the returns train_dqn returned and, when
    ``graded`` (the grader's QNetwork in place), the trained network's parameters; else the
    student's network's Q values of ``states``, the harness' inputs."""
    net_class = module.QNetwork
    result = _train(module, CHAIN_ONE_STEP_ID if one_step else CHAIN_ID, total_steps, None, seed=seed,
                    double=double)
    net = _trained_network(result, graded, net_class)
    if isinstance(net, str):
        return {"error": net}
    report: dict[str, Any] = {"returns": _plain_returns(result[1])}
    if graded:
        report["params"] = _parameters(net)
        return report
    with torch.no_grad():
        q = net(torch.as_tensor(states, dtype=torch.float32))
    if not isinstance(q, torch.Tensor):
        return {"error": f"the network returned {_type_name(q)}, not a tensor"}
    report["q"] = q.detach().to(torch.float64).cpu().numpy()
    return report


def train_cartpole(module: Any, seed: int, total_steps: int, every: int, keep: int) -> dict:
    """Train on CartPole-v1 with the grader's QNetwork in place; report the returns train_dqn
    returned and the parameters of the online network every ``every`` updates (at most ``keep``
    snapshots, spread over the run) and at the end."""
    net_class = module.QNetwork
    snapshots = _Snapshots(net_class, every, keep)
    result = _train(module, CARTPOLE_ID, total_steps, snapshots, seed=seed)
    net = _trained_network(result, True, net_class)
    if isinstance(net, str):
        return {"error": net}
    return {"returns": _plain_returns(result[1]), "snapshots": snapshots.of(net), "final": _parameters(net)}


# ---------------------------------------------------------------------------------------------
# Unit probes.
# ---------------------------------------------------------------------------------------------


def length(module: Any, obj: Any) -> int:
    """len(obj) of a remote object (the harness cannot call dunder methods by name)."""
    return int(len(obj))


def epsilon_greedy_actions(module: Any, q_values: np.ndarray, epsilon: float, n: int, seed: int,
                           as_tensor: bool) -> dict:
    """Call epsilon_greedy n times with one numpy Generator; the actions and their types, and the
    Q values after the calls ("q_after")."""
    rng = np.random.default_rng(seed)
    q = torch.tensor(q_values, dtype=torch.float32) if as_tensor else np.array(q_values)
    actions, bad_type = [], None
    for _ in range(n):
        a = module.epsilon_greedy(q, epsilon, rng)
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            bad_type = _type_name(a)
            break
        actions.append(int(a))
    q_after = q.numpy().copy() if as_tensor else q.copy()
    return {"actions": np.array(actions, dtype=np.int64), "bad_type": bad_type, "q_after": q_after}


class _Table(nn.Module):
    """A tabular Q function: with one-hot observations, Q(s) is row s of ``weight``, so a
    gradient on ``weight`` is a gradient on the Q values themselves."""

    def __init__(self, weight: np.ndarray) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.tensor(weight, dtype=torch.float32))

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return obs @ self.weight


def dqn_loss_tabular(module: Any, online: np.ndarray, target: np.ndarray, states: np.ndarray,
                     actions: np.ndarray, rewards: np.ndarray, next_states: np.ndarray,
                     terminated: np.ndarray, gamma: float, double: bool) -> dict:
    """dqn_loss on tabular networks (with the grader's targets in a grading: see loss_report): the
    loss, the gradients that backward() left on the online and the target table (None where none),
    and the batch afterwards."""
    q_net, target_net = _Table(online), _Table(target)
    eye = torch.eye(online.shape[0], dtype=torch.float32)
    batch = {
        "obs": eye[torch.as_tensor(states)],
        "action": torch.as_tensor(actions, dtype=torch.int64),
        "reward": torch.as_tensor(rewards, dtype=torch.float32),
        "next_obs": eye[torch.as_tensor(next_states)],
        "terminated": torch.as_tensor(terminated, dtype=torch.float32),
    }
    sent = {key: value.clone() for key, value in batch.items()}
    loss = module.dqn_loss(q_net, target_net, batch, gamma, double=double)
    changed = sorted(key for key in sent if key not in batch or not torch.equal(sent[key], batch[key]))
    if changed:
        return {"error": f"batch[{changed[0]!r}] was changed or removed in place: leave the batch as it is"}
    if not isinstance(loss, torch.Tensor):
        return {"error": f"dqn_loss returned {_type_name(loss)}, not a tensor"}
    if loss.dim() != 0:
        return {"error": f"dqn_loss returned a tensor of shape {tuple(loss.shape)}, not a 0-dim one"}
    if not loss.requires_grad:
        return {"error": "the loss does not require grad: backward() cannot reach the online network"}
    loss.backward()

    def grad(p: torch.Tensor) -> np.ndarray | None:
        return None if p.grad is None else p.grad.detach().to(torch.float64).numpy()

    return {
        "loss": float(loss.detach()),
        "online_grad": grad(q_net.weight),
        "target_grad": grad(target_net.weight),
        "online_after": q_net.weight.detach().to(torch.float64).numpy(),
        "target_after": target_net.weight.detach().to(torch.float64).numpy(),
    }


def _mlp(params: list[np.ndarray]) -> nn.Module:
    net = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 2))
    with torch.no_grad():
        for p, value in zip(net.parameters(), params, strict=True):
            p.copy_(torch.as_tensor(value, dtype=torch.float32))
    return net


def update_target_mlp(module: Any, online: list[np.ndarray], target: list[np.ndarray],
                      tau: float | None) -> dict:
    """update_target on two small MLPs (tau None: left to its default). Reports both networks'
    parameters afterwards, and the target's once more after the online network moved on, which
    shows whether the target merely aliases the online parameters."""
    online_net, target_net = _mlp(online), _mlp(target)
    if tau is None:
        module.update_target(target_net, online_net)
    else:
        module.update_target(target_net, online_net, tau=tau)

    def values(net: nn.Module) -> list[np.ndarray]:
        return [p.detach().to(torch.float64).numpy().copy() for p in net.parameters()]

    report = {"target": values(target_net), "online": values(online_net)}
    with torch.no_grad():
        for p in online_net.parameters():
            p.add_(1.0)
    report["target_after_online_moved"] = values(target_net)
    return report


def qnetwork(module: Any, obs_dim: int, n_actions: int, hidden_dim: int | None, obs: np.ndarray) -> dict:
    """Build a QNetwork, run it on a batch and back-propagate the sum of its outputs."""
    kwargs = {"obs_dim": obs_dim, "n_actions": n_actions}
    if hidden_dim is not None:
        kwargs["hidden_dim"] = hidden_dim
    net = module.QNetwork(**kwargs)
    if not isinstance(net, nn.Module):
        return {"error": f"QNetwork(...) is a {_type_name(net)}, not a torch.nn.Module"}
    params = list(net.parameters())
    if not params:
        return {"error": "QNetwork has no parameters"}
    x = torch.tensor(obs, dtype=torch.float32)
    out = net(x)
    if not torch.equal(x, torch.tensor(obs, dtype=torch.float32)):
        return {"error": "forward changed its input in place"}
    if not isinstance(out, torch.Tensor):
        return {"error": f"forward returned {_type_name(out)}, not a tensor"}
    report = {"shape": list(out.shape), "dtype": str(out.dtype).replace("torch.", "")}
    if out.requires_grad:
        out.sum().backward()
    report["params_with_grad"] = sum(p.grad is not None and bool(p.grad.abs().sum() > 0) for p in params)
    report["out"] = out.detach().to(torch.float64).numpy()
    return report
