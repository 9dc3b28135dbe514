"""Worker-side helpers of the dqn tests: they need live torch modules, numpy Generators and
gymnasium environments, which cannot cross to the harness. Each takes the student module first
and returns plain data; the harness judges everything they return.

The environments the training probes hand to ``train_dqn`` are the grader's own (registered
here under ``dlgrade-probe/...`` ids), not the copies provided in the student file, so that an
edit to the provided code cannot change what is graded, and so that they can record every
episode they run: the returns a submission reports are checked against what really happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
# Environments that record their episodes.
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


class _Solved(BaseException):
    """Ends a training run early once its outcome is decided. A BaseException, so that a
    submission's `except Exception` around env.step does not swallow it."""


class _Recorder(gym.Wrapper):
    """Records the return of every finished episode of one environment instance.

    With ``solve_at`` set, stops the run (raises _Solved) as soon as the mean of the last
    ``window`` episode returns reaches it, or once the instance has run ``budget`` steps: the
    rest of the run cannot change the grade, and skipping it keeps grading fast.
    """

    instances: list[_Recorder] = []
    solve_at: float | None = None
    window = 10
    budget: int | None = None

    def __init__(self, env: gym.Env) -> None:
        super().__init__(env)
        self.returns: list[float] = []
        self.steps = 0
        self._episode = 0.0
        _Recorder.instances.append(self)

    def reset(self, **kwargs):
        self._episode = 0.0
        return self.env.reset(**kwargs)

    def step(self, action):
        obs, reward, terminated, truncated, info = self.env.step(action)
        self.steps += 1
        self._episode += float(reward)
        if terminated or truncated:
            self.returns.append(self._episode)
            self._episode = 0.0
            last = self.returns[-self.window :]
            if (
                _Recorder.solve_at is not None
                and len(last) == self.window
                and sum(last) / self.window >= _Recorder.solve_at
            ):
                raise _Solved
        if _Recorder.budget is not None and self.steps >= _Recorder.budget:
            raise _Solved
        return obs, reward, terminated, truncated, info


def _register() -> None:
    if CHAIN_ID not in gym.registry:
        gym.register(id=CHAIN_ID, entry_point=lambda: _Recorder(_Chain(max_steps=20, random_start=False)))
        gym.register(id=CHAIN_ONE_STEP_ID, entry_point=lambda: _Recorder(_Chain(max_steps=1, random_start=True)))
        gym.register(id=CARTPOLE_ID, entry_point=lambda: _Recorder(gym.make("CartPole-v1")))


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


def _run(module: Any, env_id: str, **kwargs: Any) -> tuple[Any, bool]:
    _register()
    _Recorder.instances = []
    try:
        return module.train_dqn(env_id=env_id, **kwargs), False
    except _Solved:
        return None, True


# ---------------------------------------------------------------------------------------------
# Training probes.
# ---------------------------------------------------------------------------------------------


def train_chain(module: Any, one_step: bool, total_steps: int, seed: int, double: bool = False) -> dict:
    """Train on the chain (or its one-step variant); report the greedy Q values of every
    position, the returns the submission reported and those each environment recorded."""
    _Recorder.solve_at = None
    _Recorder.budget = None
    result, _ = _run(module, CHAIN_ONE_STEP_ID if one_step else CHAIN_ID,
                     total_steps=total_steps, seed=seed, double=double)
    report: dict[str, Any] = {"recorded": [r.returns for r in _Recorder.instances]}
    if not isinstance(result, tuple) or len(result) != 2:
        report["error"] = f"train_dqn returned {_type_name(result)}, not (QNetwork, returns)"
        return report
    net, returns = result
    report["returns"] = _plain_returns(returns)
    if not isinstance(net, nn.Module):
        report["error"] = f"train_dqn returned {_type_name(net)} as its network, not a torch.nn.Module"
        return report
    with torch.no_grad():
        q = net(torch.eye(CHAIN_STATES, dtype=torch.float32))
    if not isinstance(q, torch.Tensor):
        report["error"] = f"the network returned {_type_name(q)}, not a tensor"
        return report
    report["q"] = q.detach().to(torch.float64).cpu().numpy()
    return report


def train_cartpole(module: Any, seed: int, total_steps: int, solve_at: float, window: int) -> dict:
    """Train on CartPole-v1 and report every episode return each environment instance recorded
    within ``total_steps`` steps; stops as soon as one instance's rolling mean reaches
    ``solve_at``."""
    _Recorder.solve_at = solve_at
    _Recorder.window = window
    _Recorder.budget = total_steps
    try:
        _, stopped = _run(module, CARTPOLE_ID, total_steps=total_steps, seed=seed)
    finally:
        _Recorder.solve_at = None
        _Recorder.budget = None
    return {
        "recorded": [r.returns for r in _Recorder.instances],
        "steps": [r.steps for r in _Recorder.instances],
        "stopped": stopped,
    }


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


def _td_target(rewards: torch.Tensor, next_q_target: torch.Tensor, terminated: torch.Tensor,
               gamma: float) -> torch.Tensor:
    return rewards + gamma * (1.0 - terminated.to(rewards.dtype)) * next_q_target.max(dim=1).values


def _double_dqn_target(rewards: torch.Tensor, next_q_online: torch.Tensor, next_q_target: torch.Tensor,
                       terminated: torch.Tensor, gamma: float) -> torch.Tensor:
    best = next_q_online.argmax(dim=1, keepdim=True)  # torch returns the first maximum
    return rewards + gamma * (1.0 - terminated.to(rewards.dtype)) * next_q_target.gather(1, best).squeeze(1)


@contextmanager
def _correct_targets(module: Any) -> Iterator[None]:
    """Correct td_target and double_dqn_target in place of the submission's own, so that dqn_loss's
    tests judge dqn_loss alone (the targets have tests of their own)."""
    oracles = {"td_target": _td_target, "double_dqn_target": _double_dqn_target}
    saved = {name: module.__dict__[name] for name in oracles if name in module.__dict__}
    module.__dict__.update(oracles)
    try:
        yield
    finally:
        for name in oracles:
            if name in saved:
                module.__dict__[name] = saved[name]
            else:
                del module.__dict__[name]


def dqn_loss_tabular(module: Any, online: np.ndarray, target: np.ndarray, states: np.ndarray,
                     actions: np.ndarray, rewards: np.ndarray, next_states: np.ndarray,
                     terminated: np.ndarray, gamma: float, double: bool) -> dict:
    """dqn_loss on tabular networks, with correct targets: the loss, the gradients that backward()
    left on the online and the target table (None where none), and the batch afterwards."""
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
    with _correct_targets(module):
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
