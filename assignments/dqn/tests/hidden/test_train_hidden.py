"""Hidden tests: training end to end, on the one-step chain (truncation) and on CartPole-v1."""

import numpy as np
from _dqn_util import SEEDS, assert_learns_chain, best_rolling_mean, chain_run

from autograder.toolkit import Mismatch, assert_close, expect_array, graded

CARTPOLE_STEPS = 40000
SOLVED = 195.0
WINDOW = 10


@graded(points=5, function="train_dqn", timeout=120,
        hint="Store terminated, not terminated or truncated: a truncated transition still bootstraps.")
def test_one_step_chain_bootstraps_through_truncation(student):
    """on the chain cut after every step (truncated, not terminated), the greedy policy still moves right"""
    assert_learns_chain(student, one_step=True)


@graded(points=2, function="train_dqn", timeout=120,
        hint="Append the episode's return when it is terminated or truncated, then reset it to 0.")
def test_returns_are_every_finished_episode(student):
    """the returns list holds the return of every finished episode, truncated ones too, in order"""
    report = chain_run(student, one_step=True, seed=SEEDS[0])
    if "returns" not in report:
        raise Mismatch("train_dqn(...)", report.get("error", "returned no returns"), function="train_dqn")
    returns = report["returns"]
    if isinstance(returns, str):
        raise Mismatch("returns", f"is not a list of floats ({returns})", function="train_dqn")
    recorded = [r for r in report["recorded"] if len(r) == len(returns)]
    if not recorded:
        raise Mismatch("returns", "does not have one entry per finished episode", function="train_dqn")
    assert_close(np.asarray(returns, dtype=np.float64), np.asarray(recorded[0], dtype=np.float64),
                 name="returns (one per finished episode, in order)", rtol=1e-6, floor=1e-6)


@graded(points=2, function="train_dqn", timeout=120,
        hint="train_dqn(double=True) must pass double=True on to dqn_loss.")
def test_double_dqn_learns_chain(student):
    """double=True also learns the optimal policy of the one-step chain"""
    assert_learns_chain(student, one_step=True, double=True)


@graded(points=7, function="train_dqn", timeout=600,
        hint="Follow the recommended hyperparameters; check obs = next_obs, the epsilon decay and the target network.")
def test_cartpole(student):
    """CartPole-v1: the best mean of 10 consecutive episode returns reaches 195 within 40000 steps"""
    best = []
    for seed in SEEDS:
        report = student.probe("train_cartpole", seed, CARTPOLE_STEPS, SOLVED, WINDOW, function="train_dqn")
        runs = [expect_array(np.asarray(r, dtype=np.float64), None, name="episode returns") for r in report["recorded"]]
        score = max((best_rolling_mean(list(r), WINDOW) for r in runs), default=float("-inf"))
        if score >= SOLVED:
            return
        best.append(score)
    raise Mismatch("CartPole-v1", f"the best mean of {WINDOW} consecutive episodes stayed below {SOLVED:g} "
                   f"with each of {len(SEEDS)} seeds", "best means: " + ", ".join(f"{b:.1f}" for b in best),
                   function="train_dqn")
