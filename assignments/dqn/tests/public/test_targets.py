"""Public tests: the DQN and Double DQN targets on a small batch."""

import numpy as np
from _dqn_util import DOUBLE_ARGUMENTS, TD_ARGUMENTS, call_kept, close32, scale_of, tensor

from autograder.toolkit import expect_tensor, graded

REWARDS = np.array([1.0, -0.5, 0.25, 2.0])
NEXT_Q = np.array([[0.5, 2.0, -1.0], [1.5, 0.0, 0.5], [-0.2, -0.4, -0.1], [3.0, 1.0, 2.0]])
NEXT_ONLINE = np.array([[1.0, 0.0, 0.5], [0.1, 0.2, 0.9], [0.3, 0.3, 0.0], [-1.0, 2.0, 1.0]])
TERMINATED = np.array([0.0, 0.0, 0.0, 1.0])


@graded(points=4, function="td_target",
        hint="rewards + gamma * (1 - terminated) * next_q_target.max(dim=1).values")
def test_td_target(student):
    """bootstrap from the best next action, not past a terminated transition"""
    got = call_kept(student, "td_target", TD_ARGUMENTS, tensor(REWARDS), tensor(NEXT_Q), tensor(TERMINATED), 0.9)
    got = expect_tensor(got, (4,), name="td_target(...)")
    # Row maxima of NEXT_Q 2.0, 1.5, -0.1, (3.0, past a terminated transition)
    expected = [1.0 + 0.9 * 2.0, -0.5 + 0.9 * 1.5, 0.25 + 0.9 * -0.1, 2.0]
    close32(got, expected, name="td_target(...)", scale=scale_of(REWARDS, NEXT_Q))


@graded(points=3, function="double_dqn_target",
        hint="a* = next_q_online.argmax(dim=1); value = next_q_target.gather(1, a*.unsqueeze(1)).squeeze(1)")
def test_double_dqn_target(student):
    """the online network picks the action, the target network rates it"""
    got = call_kept(student, "double_dqn_target", DOUBLE_ARGUMENTS, tensor(REWARDS), tensor(NEXT_ONLINE),
                    tensor(NEXT_Q), tensor(TERMINATED), 0.9)
    got = expect_tensor(got, (4,), name="double_dqn_target(...)")
    # NEXT_ONLINE picks actions 0, 2, 0 (a tie: the lowest index) and 1; NEXT_Q rates them 0.5, 0.5, -0.2, 1.0.
    expected = [1.0 + 0.9 * 0.5, -0.5 + 0.9 * 0.5, 0.25 + 0.9 * -0.2, 2.0]
    close32(got, expected, name="double_dqn_target(...)", scale=scale_of(REWARDS, NEXT_Q))
