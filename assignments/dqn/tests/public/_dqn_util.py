"""Helpers shared by the dqn lab's public and hidden tests (harness side).

Expected values are computed in float64 from the float32 values the worker really received
(``f32``), so that the only differences left are a float32 implementation's rounding; the spec's
formulas themselves are the hidden tests' (``_dqn_hidden.py``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from autograder.toolkit import (
    NOT_MEASURED,
    Measured,
    Mismatch,
    Student,
    Tensor,
    assert_close,
    assert_unmodified,
    expect_array,
    expect_tensor,
    expect_trained,
)

SAMPLE_DTYPES = {"obs": "float32", "action": "int64", "reward": "float32", "next_obs": "float32",
                 "terminated": "float32"}
# With probability below 1e-8 per count, a correct sampler lands beyond this many standard
# deviations of a binomial count: a statistical bound a correct implementation never crosses.
SIGMAS = 6.0


# A float32 implementation rounds intermediate values of magnitude ``scale`` to about 1e-7 *
# scale, and the order of its operations is its own: where a result cancels to near 0, only an
# absolute floor of the intermediate scale (not of the result) lets every correct order pass,
# while a real mistake, an error of the order of the quantities, still fails by far.
RTOL32 = 1e-5
# The loss compared absolutely below 0.1: its rounding error is about |delta| * 1e-7 per term.
LOSS_FLOOR = 0.1


def close32(got: Any, expected: Any, *, name: str, scale: float, function: str | None = None) -> None:
    assert_close(got, expected, name=name, rtol=RTOL32, floor=max(float(scale), 1e-12), function=function)


def scale_of(*arrays: np.ndarray) -> float:
    """The sum of the largest magnitudes of ``arrays``: the scale of a sum of their entries."""
    return float(sum(np.max(np.abs(a)) if np.size(a) else 0.0 for a in arrays))


def f32(values: Any) -> np.ndarray:
    """``values`` rounded to float32 and back: what a float32 implementation computes from."""
    return np.asarray(values, dtype=np.float32).astype(np.float64)


TD_ARGUMENTS = ("rewards", "next_q_target", "terminated")
DOUBLE_ARGUMENTS = ("rewards", "next_q_online", "next_q_target", "terminated")


def call_kept(student: Student, function: str, names: tuple[str, ...], *args: Any) -> Any:
    """``student.function(*args)``, failing (on ``function``) if it changed one of its tensor or array
    arguments, named ``names`` in order."""
    result, after, _ = student.call_echo(function, *args)
    before, now = {}, {}
    for name, sent, echoed in zip(names, args, after):
        array = sent.array if isinstance(sent, Tensor) else sent
        if isinstance(array, np.ndarray):
            before[name] = array
            now[name] = expect_array(echoed, None, name=f"argument {name}", kind="n", finite=False, function=function)
    assert_unmodified(before, now, function=function)
    return result


def tensor(values: Any, dtype: str = "float32") -> Tensor:
    return Tensor(np.asarray(values).astype(dtype), dtype=dtype)


# ---------------------------------------------------------------------------------------------
# Replay buffer: transitions that identify themselves.
# ---------------------------------------------------------------------------------------------


def transition(ident: int, obs_dim: int, action: int, terminated: bool) -> dict[str, Any]:
    """Transition number ``ident`` (>= 1, so that an empty zero slot never looks like one): its
    observation starts with ``ident``; every value is exact in float32."""
    obs = (ident + 0.25 * np.arange(obs_dim)).astype(np.float32)
    return {"obs": obs, "action": int(action), "reward": float(ident) * 0.5 - 3.0,
            "next_obs": (obs + 1000.0).astype(np.float32), "terminated": bool(terminated)}


def push(buffer: Any, t: dict[str, Any], kept: str | None = None) -> None:
    """``buffer.push`` of the transition ``t``; with ``kept``, the test's function, failing (on it) if
    push changed obs or next_obs (only the tests of push judge that)."""
    args = (t["obs"], t["action"], t["reward"], t["next_obs"], t["terminated"])
    if kept is None:
        buffer.push(*args)
        return
    _, after, _ = buffer.push.echo(*args)
    assert_unmodified({"obs": t["obs"], "next_obs": t["next_obs"]}, {"obs": after[0], "next_obs": after[3]},
                      function=kept)


def sampled_ids(sample: Any, batch_size: int, obs_dim: int, stored: dict[int, dict[str, Any]]) -> list[int]:
    """Check a ``sample()`` result field by field against the stored transitions (by id); return
    the ids of its rows."""
    if not isinstance(sample, dict) or not set(SAMPLE_DTYPES) <= set(sample):
        got = sorted(sample) if isinstance(sample, dict) else type(sample).__name__
        raise Mismatch("sample()", f"expected a dict with keys {sorted(SAMPLE_DTYPES)}, got {got}",
                       function="ReplayBuffer.sample")
    shapes = {"obs": (batch_size, obs_dim), "next_obs": (batch_size, obs_dim)}
    arrays = {
        key: expect_tensor(sample[key], shapes.get(key, (batch_size,)), name=f"sample()[{key!r}]",
                           dtype=dtype, kind="n", function="ReplayBuffer.sample")
        for key, dtype in SAMPLE_DTYPES.items()
    }
    ids = [int(round(v)) for v in arrays["obs"][:, 0]]
    for row, ident in enumerate(ids):
        t = stored.get(ident)
        if t is None or not np.array_equal(arrays["obs"][row], t["obs"]):
            raise Mismatch("sample()", f"row {row} is not one of the transitions the buffer should hold",
                           function="ReplayBuffer.sample")
        expected = {"action": t["action"], "reward": np.float32(t["reward"]),
                    "next_obs": t["next_obs"], "terminated": float(t["terminated"])}
        for key, value in expected.items():
            if not np.array_equal(arrays[key][row], value):
                raise Mismatch(f"sample()[{key!r}]", f"row {row} does not belong to the same transition as "
                               "obs[row]", function="ReplayBuffer.sample")
    if len(set(ids)) != len(ids):
        raise Mismatch("sample()", "the same transition appears twice in one sample: sample without "
                       "replacement", function="ReplayBuffer.sample")
    return ids


def length(student: Student, buffer: Any) -> int:
    n = student.probe("length", buffer, function="ReplayBuffer.__len__")
    if isinstance(n, bool) or not isinstance(n, int):
        raise Mismatch("len(buffer)", f"expected an int, got a {type(n).__name__}", function="ReplayBuffer.__len__")
    return n


def assert_length(student: Student, buffer: Any, pushes: int, capacity: int) -> None:
    n = length(student, buffer)
    if n != min(pushes, capacity):
        raise Mismatch("len(buffer)", f"is {n} after {pushes} pushes into a buffer of capacity {capacity}, "
                       f"expected {min(pushes, capacity)}", function="ReplayBuffer.__len__")


# ---------------------------------------------------------------------------------------------
# Probes of the policy and the loss.
# ---------------------------------------------------------------------------------------------


def policy_actions(student: Student, q: list[float], epsilon: float, n: int, seed: int, as_tensor: bool) -> np.ndarray:
    """``n`` actions of epsilon_greedy for the Q values ``q`` (a tensor or an array), drawn from one
    Generator seeded with ``seed``."""
    report = student.probe("epsilon_greedy_actions", np.asarray(q, dtype=np.float64), epsilon, n, seed, as_tensor,
                           function="epsilon_greedy")
    if report["bad_type"] is not None:
        raise Mismatch("epsilon_greedy(...)", f"returned a {report['bad_type']}, expected a Python int",
                       function="epsilon_greedy")
    sent = np.asarray(q, dtype=np.float32 if as_tensor else np.float64)
    assert_unmodified({"q_values": sent}, {"q_values": report["q_after"]}, function="epsilon_greedy")
    return report["actions"]


def loss_report(student: Student, online: np.ndarray, target: np.ndarray, batch: dict[str, np.ndarray],
                gamma: float, double: bool = False) -> dict:
    """dqn_loss on a tabular Q function (``online``, ``target``: states x actions) and a batch, with
    the grader's td_target and double_dqn_target in place of the submission's (in a grading; a
    student's own check runs their own); fails if it changed the batch."""
    report = student.probe("dqn_loss_tabular", online, target, batch["states"], batch["actions"], batch["rewards"],
                           batch["next_states"], batch["terminated"], gamma, double, function="dqn_loss",
                           substitute=["td_target", "double_dqn_target"])
    if "error" in report:
        raise Mismatch("dqn_loss(...)", report["error"], function="dqn_loss")
    return report


# ---------------------------------------------------------------------------------------------
# Statistics and training.
# ---------------------------------------------------------------------------------------------


def assert_frequencies(counts: np.ndarray, probs: np.ndarray, *, name: str, function: str) -> None:
    """Each count within SIGMAS binomial standard deviations of n * p (exactly 0 where p is 0)."""
    n = int(counts.sum())
    for i, (c, p) in enumerate(zip(counts, probs, strict=True)):
        sd = np.sqrt(n * p * (1 - p))
        if abs(c - n * p) > SIGMAS * sd + 1e-9:
            raise Mismatch(name, f"item {i} is drawn too {'often' if c > n * p else 'rarely'}",
                           f"{int(c)} times in {n}, expected about {n * p:.0f} (probability {p:.3f})",
                           function=function)


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def once(student: Student, key: tuple, run: Callable[[], Any]) -> Any:
    """``run()`` once per grading session (one ``student``) and key: several tests judge
    different aspects of the same training run. A run that raised raises again in each."""
    cache = _CACHE.setdefault(student, {})
    if key not in cache:
        try:
            cache[key] = ("ok", run())
        except Exception as exc:
            cache[key] = ("error", exc)
    status, value = cache[key]
    if status == "error":
        raise value
    return value


# ---------------------------------------------------------------------------------------------
# Training: the grader's QNetwork is trained, and the harness computes what it does.
# ---------------------------------------------------------------------------------------------

# Every graded function train_dqn may call: a training test judges train_dqn alone, and the network
# it trains is the grader's.
TRAINING_SUBSTITUTES = ("ReplayBuffer", "linear_epsilon", "epsilon_greedy", "td_target", "double_dqn_target",
                        "QNetwork", "dqn_loss", "update_target")
SEEDS = (0, 1, 2)


def q_values(params: list, obs: np.ndarray) -> np.ndarray:
    """Q values of ``obs`` (B, obs_dim) in float64 by the grader's QNetwork with the parameters
    ``params`` (as ``net.parameters()`` lists them: weight (out, in), bias of Linear, ReLU, Linear,
    ReLU, Linear), checked here: they come from the worker."""
    if not isinstance(params, list) or len(params) != 6:
        raise Mismatch("the trained QNetwork", "did not come back as the 6 parameters of the grader's network",
                       function="train_dqn")
    arrays = [expect_array(p, None, name="a parameter of the trained QNetwork", function="train_dqn")
              for p in params]
    x = np.asarray(obs, dtype=np.float64)
    for i in range(3):
        w, b = arrays[2 * i], arrays[2 * i + 1]
        if w.ndim != 2 or b.shape != (w.shape[0],) or w.shape[1] != x.shape[1]:
            raise Mismatch("the trained QNetwork", f"has parameters of shapes {[a.shape for a in arrays]}, not "
                           "those of the grader's network", function="train_dqn")
        x = x @ w.T + b
        if i < 2:
            x = np.maximum(x, 0.0)
    return x


# ---------------------------------------------------------------------------------------------
# The chain MDP (4 positions; the optimal policy moves right everywhere).
# ---------------------------------------------------------------------------------------------

CHAIN_STEPS = 4000
CHAIN_STATES = np.eye(4)


def chain_run(student: Student, one_step: bool, seed: int, double: bool = False) -> dict:
    """One training run on the chain (or its one-step variant), shared by the tests judging it:
    the parameters of the grader's network trained by train_dqn (in a student's own check, their
    network's Q values of the chain's states)."""
    return once(student, ("chain", one_step, seed, double),
                lambda: student.probe("train_chain", one_step, CHAIN_STEPS, seed, double, student.substituting,
                                      CHAIN_STATES, function="train_dqn", substitute=TRAINING_SUBSTITUTES))


def chain_q(student: Student, report: dict) -> np.ndarray:
    """The trained network's Q values of the chain's 4 positions: in a grading, computed here from
    the parameters of the grader's network."""
    if "error" in report:
        raise Mismatch("train_dqn(...)", report["error"], function="train_dqn")
    q = q_values(report.get("params"), CHAIN_STATES) if student.substituting else report["q"]
    return expect_array(q, (4, 2), name="Q values of the chain's 4 positions", function="train_dqn")


# The chain's optimal Q values that do not depend on gamma: quitting is worth 0.5 everywhere, moving right
# from the last position 1. A trained network must hold each to within CHAIN_TOLERANCE.
QUIT_VALUE, LAST_RIGHT_VALUE = 0.5, 1.0
CHAIN_TOLERANCE = 0.2


def chain_error(student: Student, one_step: bool, double: bool, seed: int) -> Measured:
    """How far the trained network is from the chain's optimal Q function, at most CHAIN_TOLERANCE to
    pass: the worst of two conditions, the largest error of the Q values that do not depend on gamma,
    and CHAIN_TOLERANCE plus the largest amount by which quitting beats moving right (past the
    tolerance exactly when the greedy action quits somewhere)."""
    try:
        q = chain_q(student, chain_run(student, one_step, seed, double))
    except Mismatch as failure:
        return Measured(NOT_MEASURED, failure.summary())
    errors = np.append(np.abs(q[:, 0] - QUIT_VALUE), abs(q[3, 1] - LAST_RIGHT_VALUE))
    quitting = q[:, 0] - q[:, 1]
    parts = {"values": float(errors.max()), "greedy": CHAIN_TOLERANCE + float(quitting.max())}
    quits = [int(k) for k in np.flatnonzero(quitting >= 0)]
    detail = (f"Q(s, quit) = {np.array2string(q[:, 0], precision=3)} (0.5 everywhere when trained), "
              f"Q(3, right) = {q[3, 1]:.3f} (1); the greedy action "
              + (f"quits at position(s) {quits}" if quits else "moves right everywhere"))
    return Measured(max(parts.values()), detail, parts)


def assert_learns_chain(student: Student, one_step: bool, double: bool = False) -> None:
    """After training with one of SEEDS, the greedy policy moves right at all 4 positions and the Q values
    that do not depend on gamma are within CHAIN_TOLERANCE."""
    with student.running_own(TRAINING_SUBSTITUTES):
        expect_trained(lambda seed: chain_error(student, one_step, double, seed), seeds=SEEDS,
                       threshold=CHAIN_TOLERANCE, above=False, function="train_dqn",
                       quantity="the error of the trained Q values that do not depend on gamma (quitting 0.5, "
                       "moving right from the last position 1), or of the greedy policy")
