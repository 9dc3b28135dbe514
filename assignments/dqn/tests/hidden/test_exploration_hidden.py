"""Hidden tests: the exploration schedule and the epsilon-greedy policy, more thoroughly."""

import numpy as np
from _dqn_util import assert_frequencies, policy_actions
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import Mismatch, assert_close, expect_scalar, graded


@graded(points=3, function="epsilon_greedy",
        hint="Random actions are uniform over all A actions: rng.integers(A) (the upper bound is exclusive).")
def test_frequencies_several_settings(student):
    """action frequencies for several numbers of actions and epsilons, tensors and arrays"""
    cases = [([0.3, -0.2], 1.0, True), ([0.0, 0.5, -0.5, 0.2, 0.1], 0.5, False), ([1.0, 2.0, 3.0, -1.0], 0.1, True),
             ([-1.0, -0.5, -2.0], 0.8, False)]
    for k, (q, epsilon, as_tensor) in enumerate(cases):
        n = 4000
        got = policy_actions(student, q, epsilon, n, 100 + k, as_tensor)
        a = len(q)
        if got.size != n or got.min() < 0 or got.max() >= a:
            raise Mismatch("epsilon_greedy", "returned actions outside [0, A)", function="epsilon_greedy")
        probs = np.full(a, epsilon / a)
        probs[int(np.argmax(q))] += 1 - epsilon
        assert_frequencies(np.bincount(got, minlength=a), probs, name=f"action frequencies (case {k + 1})",
                           function="epsilon_greedy")


@graded(points=2, function="epsilon_greedy",
        hint="Draw every random number from the rng argument, not from np.random, random or torch.")
def test_uses_the_given_rng(student):
    """the actions depend only on the Generator passed in: the same seed gives the same actions"""
    q = [0.2, 0.1, 0.4, 0.3]
    first = policy_actions(student, q, 0.5, 300, 77, False)
    second = policy_actions(student, q, 0.5, 300, 77, False)
    if not np.array_equal(first, second):
        raise Mismatch("epsilon_greedy", "two Generators with the same seed gave different actions",
                       function="epsilon_greedy")


@graded(points=1, function="linear_epsilon", hint="start + (end - start) * min(1, step / duration), a float.")
@settings(max_examples=20)
@given(step=st.integers(0, 10**6), start=st.floats(0.1, 1.0), end=st.floats(0.0, 0.1), duration=st.integers(1, 10**5))
def test_linear_epsilon_random(student, step, start, end, duration):
    """random steps, ends and durations"""
    got = expect_scalar(student.linear_epsilon(step, start=start, end=end, duration=duration), name="linear_epsilon")
    # The floor: past the end, start + (end - start) and a plain `end` differ by the rounding of
    # the cancellation, about 1e-16, which is large relative to a tiny end.
    assert_close(got, start + (end - start) * min(1.0, step / duration), name="linear_epsilon(...)", rtol=1e-9,
                 floor=1e-5)
