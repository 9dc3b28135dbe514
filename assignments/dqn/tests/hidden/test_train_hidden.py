"""Hidden tests: training end to end, on the one-step chain (truncation) and on CartPole-v1.

train_dqn trains the grader's QNetwork with the grader's other functions; the harness computes
the trained network's Q values and plays its greedy CartPole episodes itself."""

import gymnasium as gym
import numpy as np
from _dqn_util import CHAIN_STEPS, SEEDS, TRAINING_SUBSTITUTES, assert_learns_chain, chain_run, q_values

from autograder.toolkit import Measured, Mismatch, expect_trained, graded

CARTPOLE_STEPS = 40000
# CartPole-v1's "solved" level, for the mean greedy return over EPISODES of a network saved during
# training and for the best mean of WINDOW consecutive returns train_dqn reports.
SOLVED = 195.0
WINDOW = 10
MAX_RETURN = 500.0  # CartPole-v1 truncates its episodes after 500 steps
# The greedy episodes start from these seeds' initial states, chosen here.
EPISODES = (9001, 9002, 9003, 9004, 9005)
# The online network is saved every SNAPSHOT_EVERY updates, at most SNAPSHOTS times (spread over the
# run); with the final network, that bounds the harness' greedy episodes.
SNAPSHOT_EVERY, SNAPSHOTS = 100, 24
# One step of the one-step chain ends an episode: with reward 0 (moving right), 0.5 (quitting) or 1.
ONE_STEP_RETURNS = (0.0, 0.5, 1.0)


@graded(points=5, function="train_dqn", timeout=120,
        hint="Store terminated, not terminated or truncated: a truncated transition still bootstraps.")
def test_one_step_chain_bootstraps_through_truncation(student):
    """on the chain cut after every step (truncated, not terminated), the greedy policy still moves right and
    the Q values are learned"""
    assert_learns_chain(student, one_step=True)


@graded(points=2, function="train_dqn", timeout=120,
        hint="Append the episode's return when it is terminated or truncated, then reset it to 0.")
def test_returns_are_every_finished_episode(student):
    """the returns list holds the return of every finished episode, truncated ones too: on the chain cut
    after every step, one per step, each the reward of that step"""
    report = chain_run(student, one_step=True, seed=SEEDS[0])
    if "error" in report:
        raise Mismatch("train_dqn(...)", report["error"], function="train_dqn")
    returns = report["returns"]
    if isinstance(returns, str):
        raise Mismatch("returns", f"is not a list of floats ({returns})", function="train_dqn")
    if len(returns) != CHAIN_STEPS:
        raise Mismatch("returns", f"has {len(returns)} entries after {CHAIN_STEPS} steps of episodes that all end "
                       f"after one step, expected {CHAIN_STEPS}", function="train_dqn")
    odd = sorted({r for r in returns if not np.isclose(ONE_STEP_RETURNS, r, rtol=0, atol=1e-6).any()})
    if odd:
        raise Mismatch("returns", f"holds values no one-step episode returns: {odd[:5]}, expected only "
                       f"{list(ONE_STEP_RETURNS)}", function="train_dqn")


@graded(points=2, function="train_dqn", timeout=120,
        hint="train_dqn(double=True) must pass double=True on to dqn_loss.")
def test_double_dqn_learns_chain(student):
    """double=True also learns the optimal policy and Q values of the one-step chain"""
    assert_learns_chain(student, one_step=True, double=True)


def greedy_returns(params: list) -> np.ndarray:
    """The returns of the greedy policy of the network ``params`` in CartPole-v1 from EPISODES,
    played together (one forward pass per step for all of them)."""
    envs = [gym.make("CartPole-v1") for _ in EPISODES]
    obs = np.stack([env.reset(seed=seed)[0] for env, seed in zip(envs, EPISODES)]).astype(np.float64)
    returns = np.zeros(len(EPISODES))
    playing = list(range(len(EPISODES)))
    while playing:
        actions = q_values(params, obs[playing]).argmax(axis=1)
        still = []
        for i, action in zip(playing, actions):
            obs[i], reward, terminated, truncated, _ = envs[i].step(int(action))
            returns[i] += reward
            if not (terminated or truncated):
                still.append(i)
        playing = still
    return returns


def best_greedy_mean(saved: list) -> float:
    """The best mean greedy return over EPISODES of the networks ``saved``, the latest first (the
    best are usually late); at most SNAPSHOTS + 1 of them: the worker's list is not trusted."""
    best = 0.0
    for params in reversed(saved[-(SNAPSHOTS + 1):]):
        best = max(best, float(greedy_returns(params).mean()))
        if best >= MAX_RETURN:
            break
    return best


def best_rolling_mean(returns: list[float]) -> float:
    """The best mean of WINDOW consecutive ``returns`` (NaN if one is: it never passes)."""
    if len(returns) < WINDOW:
        return 0.0
    return float(np.convolve(np.asarray(returns, dtype=np.float64), np.ones(WINDOW) / WINDOW, mode="valid").max())


def cartpole_run(student, seed: int) -> Measured:
    """One run on CartPole-v1: the lower of the best mean greedy return of the networks saved during
    training, played here, and the best mean of WINDOW consecutive returns train_dqn reported (a
    condition more: an agent must also have played well while it learned, which takes exploration
    that decays; the reported returns alone never pass)."""
    report = student.probe("train_cartpole", seed, CARTPOLE_STEPS, SNAPSHOT_EVERY, SNAPSHOTS, function="train_dqn",
                           substitute=TRAINING_SUBSTITUTES)
    if "error" in report:
        return Measured(0.0, report["error"])
    if isinstance(report["returns"], str):
        return Measured(0.0, f"the returns are not a list of floats ({report['returns']})")
    parts = {"greedy": best_greedy_mean([*report["snapshots"], report["final"]]),
             "training": best_rolling_mean(report["returns"])}
    return Measured(min(parts.values()), f"best mean greedy return {parts['greedy']:.1f} over {len(EPISODES)} "
                    f"episodes, best mean of {WINDOW} consecutive training returns {parts['training']:.1f}", parts)


@graded(points=7, function="train_dqn", timeout=600,
        hint="Follow the recommended hyperparameters; check obs = next_obs, the epsilon decay and the target network.")
def test_cartpole(student):
    """CartPole-v1 in 40000 steps: a greedy policy of the network during training and the training returns
    reach a mean return of 195"""
    expect_trained(lambda seed: cartpole_run(student, seed), seeds=SEEDS, threshold=SOLVED,
                   quantity="CartPole-v1's returns (the lower of greedy and training)", function="train_dqn")
