"""Public test: train_dqn learns the optimal policy of the lab's chain MDP."""

from _dqn_util import assert_learns_chain

from autograder.toolkit import graded


@graded(points=5, function="train_dqn", timeout=120,
        hint="Debug on ChainMDP-v0: after train_dqn('ChainMDP-v0', 4000), argmax Q is 1 (right) everywhere, "
             "Q(s, 0) is 0.5 and Q(3, 1) is 1. Check that obs = next_obs after each step.")
def test_chain_optimal_policy(student):
    """on the chain MDP (4000 steps): the greedy policy moves right everywhere and the Q values that do not
    depend on gamma are learned"""
    assert_learns_chain(student, one_step=False)
