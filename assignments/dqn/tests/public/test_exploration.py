"""Public tests: the epsilon schedule and the epsilon-greedy policy."""

import numpy as np
from _dqn_util import assert_frequencies, policy_actions

from autograder.toolkit import Mismatch, assert_close, expect_scalar, graded


@graded(points=2, function="linear_epsilon", hint="start + (end - start) * min(1, step / duration)")
def test_linear_epsilon(student):
    """values at the start, halfway, at the end and past the end"""
    cases = [((0,), {}), ((5000,), {}), ((10000,), {}), ((25000,), {}), ((3,), {"duration": 4}),
             ((50,), {"start": 0.5, "end": 0.1, "duration": 200})]
    for (step,), kwargs in cases:
        start, end, duration = kwargs.get("start", 1.0), kwargs.get("end", 0.05), kwargs.get("duration", 10000)
        got = expect_scalar(student.linear_epsilon(step, **kwargs), name=f"linear_epsilon({step}, **{kwargs})")
        assert_close(got, start + (end - start) * min(1.0, step / duration),
                     name=f"linear_epsilon({step}, **{kwargs})", rtol=1e-9)


@graded(points=3, function="epsilon_greedy",
        hint="With epsilon 0 return argmax(q_values), the lowest index on ties (np.argmax, torch.argmax).")
def test_greedy_and_ties(student):
    """epsilon 0: the argmax, the lowest index on ties, for tensors and arrays"""
    for q, best in (([0.1, 0.9, -1.0], 1), ([-0.5, 0.2, 0.2, 0.1], 1), ([3.0, 3.0, 3.0], 0), ([-2.0, -1.0], 1)):
        for as_tensor in (True, False):
            actions = policy_actions(student, q, 0.0, 30, 0, as_tensor)
            kind = "tensor" if as_tensor else "array"
            if not np.all(actions == best):
                wrong = int(actions[actions != best][0])
                raise Mismatch(f"epsilon_greedy({kind} {q}, epsilon=0)", f"returned {wrong}, expected {best}",
                               function="epsilon_greedy")


@graded(points=3, function="epsilon_greedy",
        hint="With probability epsilon draw rng.integers(A) (every action, the greedy one included).")
def test_action_frequencies(student):
    """epsilon 0.3: each action's frequency matches epsilon / A (+ 1 - epsilon for the greedy one)"""
    q, epsilon, n = [0.1, 0.7, 0.3], 0.3, 6000
    actions = policy_actions(student, q, epsilon, n, 2024, True)
    counts = np.bincount(actions, minlength=3)[:3] if actions.size and actions.min() >= 0 else None
    if counts is None or counts.sum() != n:
        raise Mismatch("epsilon_greedy", "returned actions outside [0, A)", function="epsilon_greedy")
    probs = np.full(3, epsilon / 3)
    probs[1] += 1 - epsilon
    assert_frequencies(counts, probs, name="action frequencies (q = [0.1, 0.7, 0.3], epsilon 0.3)",
                       function="epsilon_greedy")
