"""Public tests: the loss, the target-network update and the Q network."""

import numpy as np
from _dqn_util import LOSS_FLOOR, close32, f32, loss_report

from autograder.toolkit import Mismatch, expect_array, expect_scalar, graded

# A tabular Q function (3 states, 2 actions) and a batch of 6 transitions on it.
ONLINE = np.array([[0.2, -0.4], [1.5, 0.3], [-0.8, 2.5]])
TARGET = np.array([[0.5, 0.1], [-0.3, 1.2], [0.9, -1.1]])
BATCH = {"states": np.array([0, 1, 2, 1, 0, 2]), "actions": np.array([1, 0, 1, 1, 0, 0]),
         "rewards": np.array([0.5, -1.0, 1.0, 0.0, 2.5, -0.3]), "next_states": np.array([1, 2, 0, 0, 2, 1]),
         "terminated": np.array([0.0, 0.0, 1.0, 0.0, 0.0, 1.0])}


@graded(points=4, function="dqn_loss",
        hint="F.smooth_l1_loss(Q(s, a) of the taken actions, td_target(...)), the target from target_net.")
def test_dqn_loss_value(student):
    """smooth L1 between Q(s, a) and the target network's TD target"""
    report = loss_report(student, ONLINE, TARGET, BATCH, 0.9)
    # Q(s, a) = -0.4, 1.5, 2.5, 0.3, 0.2, -0.8; TD targets 0.5 + 0.9 * 1.2, -1 + 0.9 * 0.9, 1 (terminated),
    # 0.9 * 0.5, 2.5 + 0.9 * 0.9, -0.3 (terminated); errors -1.98, 1.69, 1.5, -0.15, -3.11, -0.5.
    expected = np.mean([1.98 - 0.5, 1.69 - 0.5, 1.5 - 0.5, 0.5 * 0.15**2, 3.11 - 0.5, 0.5 * 0.5**2])
    with student.running_own(["td_target", "double_dqn_target"]):
        close32(expect_scalar(report["loss"], name="loss"), expected, name="loss", scale=LOSS_FLOOR)


@graded(points=2, function="dqn_loss", hint="Compute the target under torch.no_grad() (or .detach() it).")
def test_no_gradient_into_target_net(student):
    """backward() leaves the target network without gradient"""
    report = loss_report(student, ONLINE, TARGET, BATCH, 0.9)
    grad = report["target_grad"]
    if grad is not None and np.any(expect_array(grad, TARGET.shape, name="target grad") != 0):
        raise Mismatch("target network", "received a gradient from loss.backward(): the target must carry none",
                       function="dqn_loss")


def mlp_params(seed):
    g = np.random.default_rng(seed)
    return [f32(g.standard_normal(shape)) for shape in ((5, 3), (5,), (2, 5), (2,))]


@graded(points=2, function="update_target",
        hint="tau=1 (the default) copies every online parameter into the target network, in place.")
def test_update_target_hard(student):
    """tau 1 (given, and by default) copies the online network"""
    online, target = mlp_params(1), mlp_params(2)
    for tau in (None, 1.0):
        report = student.probe("update_target_mlp", online, target, tau, function="update_target")
        for i, (got_t, got_o) in enumerate(zip(report["target"], report["online"], strict=True)):
            close32(got_t, online[i], name=f"target parameter {i} after update_target(tau={tau})", scale=1.0)
            close32(got_o, online[i], name=f"online parameter {i} after update_target(tau={tau})", scale=1.0)


@graded(points=2, function="QNetwork", hint="QNetwork(obs_dim, n_actions) maps (B, obs_dim) to (B, n_actions).")
def test_qnetwork(student):
    """an nn.Module from (B, obs_dim) to float32 Q values (B, n_actions), trainable"""
    obs = np.random.default_rng(0).standard_normal((5, 4))
    report = student.probe("qnetwork", 4, 2, None, obs, function="QNetwork")
    if "error" in report:
        raise Mismatch("QNetwork", report["error"], function="QNetwork")
    if report["shape"] != [5, 2] or report["dtype"] != "float32":
        raise Mismatch("QNetwork(4, 2)(obs of shape (5, 4))",
                       f"returned {report['dtype']} of shape {tuple(report['shape'])}, expected float32 (5, 2)",
                       function="QNetwork")
    expect_array(report["out"], (5, 2), name="Q values")
    if report["params_with_grad"] == 0:
        raise Mismatch("QNetwork", "no parameter receives a gradient from its output", function="QNetwork")
