"""Training verdicts the submission's process cannot forge: during a grading, the network train_dqn
trains is the grader's QNetwork, and the harness computes its Q values and plays its greedy CartPole
episodes itself, from the parameters the worker hands back. Returns recorded or reported in the
worker never pass a training test by themselves, and how the submission's own code plays CartPole or
answers for its network does not count.

Each attack is the dqn reference with train_dqn replaced by a cheat that trains nothing, graded by
the real pipeline on train_dqn's tests only; it must lose the points its cheat aims at. The cheats
stop after a few episodes, so that each grading costs seconds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.labs import find_lab
from tests.conftest import REPO, grade_source

REFERENCE = (REPO / "reference_solutions" / "dqn" / "dqn.py").read_text()

# Plays a hand-written rule for at most EPISODES episodes and returns an untrained QNetwork built as
# the spec asks, with the returns it really got. CartPole: push towards the side the pole falls to.
PLAY = '''

EPISODES = 12


def _rule(obs):
    return int(obs[2] + obs[3] > 0) if obs.shape == (4,) and obs.max() != 1.0 else 1


def _play(env, total_steps, seed):
    returns, total = [], 0.0
    obs, _ = env.reset(seed=seed)
    for _ in range(total_steps):
        obs, reward, terminated, truncated, _ = env.step(_rule(obs))
        total += float(reward)
        if terminated or truncated:
            returns.append(total)
            total = 0.0
            if len(returns) == EPISODES:
                break
            obs, _ = env.reset()
    return returns
'''

# Writes returns of 500 into every list of returns it finds on its environment's wrappers (the
# grader's recorder, where there is one), and reports them too.
FAKE_RETURNS = '''

def train_dqn(env_id="CartPole-v1", total_steps=40000, seed=0, double=False):
    env = gym.make(env_id)
    fake = [500.0] * 20
    inner = env
    while inner is not None:
        if isinstance(vars(inner).get("returns"), list):
            inner.returns.extend(fake)
        inner = vars(inner).get("env")
    return QNetwork(env.observation_space.shape[0], int(env.action_space.n)), fake
'''

# Plays CartPole with the rule instead of learning it.
CONTROLLER = PLAY + '''

def train_dqn(env_id="CartPole-v1", total_steps=40000, seed=0, double=False):
    torch.manual_seed(seed)
    env = gym.make(env_id)
    net = QNetwork(env.observation_space.shape[0], int(env.action_space.n))
    return net, _play(env, total_steps, seed)
'''

# Also answers for the network it returns: its forward (the module's own, swapped on the instance)
# prefers the rule's action by 1, whatever the parameters say.
TAMPERED_FORWARD = PLAY + '''

def train_dqn(env_id="CartPole-v1", total_steps=40000, seed=0, double=False):
    torch.manual_seed(seed)
    env = gym.make(env_id)
    net = QNetwork(env.observation_space.shape[0], int(env.action_space.n))

    def forward(obs):
        return torch.stack([F.one_hot(torch.tensor(_rule(o.numpy())), 2).float() for o in obs])

    net.forward = forward
    return net, _play(env, total_steps, seed)
'''

CHAIN_TESTS = ("test_chain_optimal_policy", "test_one_step_chain_bootstraps_through_truncation",
               "test_double_dqn_learns_chain")


@pytest.fixture(scope="module")
def lab():
    return find_lab("dqn")


def scores(lab, source: str, tmp_path: Path) -> dict[str, float]:
    report = grade_source(lab, REFERENCE + source, tmp_path, functions=("train_dqn",))
    return {t.nodeid.rpartition("::")[2]: t.score for t in report.tests}


def test_returns_written_into_the_graders_recorder_earn_nothing(lab, tmp_path):
    """The returns a run reports or leaves in the worker never decide a training test: the CartPole
    test plays the trained network itself, and the returns list is judged by what it must hold."""
    got = scores(lab, FAKE_RETURNS, tmp_path)
    assert got["test_cartpole"] == 0, got
    assert got["test_returns_are_every_finished_episode"] == 0, got


def test_a_hand_written_controller_does_not_pass_cartpole(lab, tmp_path):
    """How the submission's own code plays CartPole during training does not count: only the greedy
    policy of the grader's network it trained, played by the harness."""
    got = scores(lab, CONTROLLER, tmp_path)
    assert got["test_cartpole"] == 0, got


def test_a_network_that_answers_for_itself_is_not_believed(lab, tmp_path):
    """The harness computes the trained network's Q values from its parameters, never by calling the
    object train_dqn returned: a forward swapped on the grader's network changes nothing."""
    got = scores(lab, TAMPERED_FORWARD, tmp_path)
    assert all(got[name] == 0 for name in CHAIN_TESTS), got
    assert got["test_cartpole"] == 0, got
