"""Hidden tests: gan_train_step's exact SGD updates and returned losses against a harness-side
float64 recomputation, over consecutive calls (leftover gradients), for both loss pairs."""

import numpy as np
from _gan_hidden import d_step, g_step
from _gan_util import TRAIN_GAN_RELIES_ON, ring_data, train_step_calls

from autograder.toolkit import (
    Mismatch,
    assert_close,
    assert_unmodified,
    expect_array,
    expect_probed,
    expect_scalar,
    expect_tuple,
    graded,
)

NAMES = ("W1", "b1", "W2", "b2")
RESULT = ("d_loss", "g_loss")


def _deltas_close(after: list, before: list, expected: list, what: str) -> None:
    """Parameter changes against -lr * gradient. float32 parameters near 1 round their change to
    about 1e-7, far below the 1e-3 tolerance on changes of order 1e-2."""
    scale = max(float(max(np.abs(e).max() for e in expected)), 1e-6)
    for name, a, b, e in zip(NAMES, after, before, expected, strict=True):
        got = a.astype(np.float64) - b.astype(np.float64)
        assert_close(got, e, name=f"change of {what}'s {name}", rtol=1e-3, floor=2e-2 * scale)


def _traces(student, seeds: tuple[int, ...], *, calls: int, loss: str = "ns"):
    """(setup, trace) of every call of gan_train_step, ``calls`` consecutive ones per seed."""
    for seed in seeds:
        setup, traces, _ = train_step_calls(student, loss=loss, seed=seed, calls=calls)
        for trace in traces:
            yield setup, trace


def _check_d_update(setup: dict, trace, kind: str) -> None:
    _, expected = d_step(trace.start["G"], trace.start["D"], setup["real"], trace.z_d, kind, setup["lr"])
    _deltas_close(trace.g_phase_start["D"], trace.start["D"], expected, "D")


def _check_g_update(setup: dict, trace, kind: str) -> None:
    _, expected = g_step(trace.start["G"], trace.g_phase_start["D"], trace.z_g, kind, setup["lr"])
    _deltas_close(trace.end["G"], trace.start["G"], expected, "G")


def _check_losses(setup: dict, trace, kind: str, strict_type: bool = True) -> None:
    """The returned (d_loss, g_loss) against the recomputed losses; with strict_type False a
    one-element tensor is judged by its value (its type costs points in test_returned_losses)."""
    # The probe passes a returned tuple or list on as a list.
    result = expect_probed(trace.result, name="gan_train_step result", expected="a tuple (d_loss, g_loss)")
    values = []
    for name, got in zip(RESULT, expect_tuple(tuple(result), RESULT, name="gan_train_step result"), strict=True):
        if not strict_type and isinstance(got, dict) and "value" in got:
            got = got["value"]
        values.append(expect_scalar(expect_probed(got, name=name, expected="a Python float (loss.item())"), name=name))
    d_loss, g_loss = values
    d_expected, _ = d_step(trace.start["G"], trace.start["D"], setup["real"], trace.z_d, kind, setup["lr"])
    g_expected, _ = g_step(trace.start["G"], trace.g_phase_start["D"], trace.z_g, kind, setup["lr"])
    assert_close(d_loss, d_expected, name="d_loss (the discriminator's loss before its update)", rtol=1e-5)
    assert_close(g_loss, g_expected,
                 name="g_loss (the generator's loss through the updated D, before G's update)", rtol=1e-5)


@graded(points=3, function="gan_train_step",
        hint="D's update is -lr * grad of the discriminator loss alone: zero D's gradients first (the "
             "generator's backward of the previous step left some in D).")
def test_discriminator_update_exact(student):
    """gan_train_step: D's update is exactly that of the discriminator's loss, call after call"""
    for setup, trace in _traces(student, (0, 1), calls=3):
        _check_d_update(setup, trace, "ns")


@graded(points=4, function="gan_train_step",
        hint="G's update is -lr * grad of the generator loss through the updated D alone: detach fake "
             "for D's loss, zero G's gradients before the generator's backward.")
def test_generator_update_exact(student):
    """gan_train_step: G's update is exactly that of the generator's loss, call after call"""
    for setup, trace in _traces(student, (0, 1), calls=3):
        _check_g_update(setup, trace, "ns")


@graded(points=3, function="gan_train_step",
        hint="d_loss: the loss D's update was computed from; g_loss: the one G's update was computed "
             "from (through the updated D). Return them with .item().")
def test_returned_losses(student):
    """gan_train_step returns the losses of the nets as they were for each update"""
    for setup, trace in _traces(student, (2,), calls=2):
        _check_losses(setup, trace, "ns")


@graded(points=4, function="gan_train_step",
        hint='loss="ls" uses ls_discriminator_loss and ls_generator_loss in the same two phases.')
def test_least_squares_step(student):
    """gan_train_step with loss="ls": updates and returned losses of the least-squares pair"""
    for setup, trace in _traces(student, (3,), calls=2, loss="ls"):
        _check_d_update(setup, trace, "ls")
        _check_g_update(setup, trace, "ls")
        _check_losses(setup, trace, "ls", strict_type=False)


@graded(points=1, function="gan_train_step", hint="Never write into the real batch.")
def test_train_step_leaves_real_unmodified(student):
    """gan_train_step leaves the real batch unmodified"""
    setup, _, raw = train_step_calls(student, seed=4, calls=1)
    after = expect_array(raw["real_after"], setup["real"].shape, name="real")
    assert_unmodified({"real": setup["real"]}, {"real": after})


@graded(points=1, function="train_gan", timeout=60,
        hint="torch.optim.Adam(net.parameters(), lr=lr, betas=(0.5, 0.999)), one for G and one for D.")
def test_train_gan_uses_adam(student):
    """train_gan creates an Adam(lr, betas=(0.5, 0.999)) for each network"""
    lr = 3e-4
    created = student.probe("train_gan_optimizers", ring_data(256, seed=6), 3, 32, lr, 0, function="train_gan",
                            substitute=TRAIN_GAN_RELIES_ON)
    if len(created) < 2:
        raise Mismatch("optimizers", f"train_gan created {len(created)} torch.optim.Adam, expected one per network",
                       function="train_gan")
    for i, opt in enumerate(created, start=1):
        if abs(opt["lr"] - lr) > 1e-12 or opt["betas"] != [0.5, 0.999]:
            raise Mismatch(f"Adam {i}", f"starts with lr={opt['lr']:g} and betas={tuple(opt['betas'])}, expected "
                           f"lr={lr:g} (the lr argument) and betas=(0.5, 0.999)", function="train_gan")
