"""Public test: train_dqn learns the optimal policy of the lab's chain MDP."""

from _dqn_util import assert_learns_chain

from autograder.toolkit import graded


@graded(points=5, function="train_dqn", timeout=120,
        hint="Debug on ChainMDP-v0: after train_dqn('ChainMDP-v0', 4000), argmax Q is 1 (right) everywhere.")
def test_chain_optimal_policy(student):
    """on the chain MDP (4000 steps): the greedy policy moves right everywhere"""
    assert_learns_chain(student, one_step=False)
