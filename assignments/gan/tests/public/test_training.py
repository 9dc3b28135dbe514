"""Public tests: what each phase of gan_train_step may change, and the GAN trained end to end."""

import numpy as np
from _gan_util import (
    EVAL_SAMPLES,
    NOISE_DIM,
    TRAIN_BATCH,
    TRAIN_STEPS,
    mode_stats,
    params_equal,
    ring_data,
    train_step_calls,
)

from autograder.toolkit import expect_array, graded

# Thresholds of the end-to-end test (VEEGAN's measures, see _gan_util.mode_stats).
MIN_MODES = 7
MIN_QUALITY = 0.5
SEEDS = (0, 1, 2)


@graded(points=3, function="gan_train_step",
        hint="Zero D's gradients, compute the loss on real and fake.detach(), backward, D_opt.step(); "
             "nothing in this phase may change G.")
def test_discriminator_phase_changes_only_d(student):
    """gan_train_step: the discriminator's step changes D, not G"""
    _, traces, _ = train_step_calls(student)
    for i, trace in enumerate(traces, start=1):
        assert params_equal(trace.g_phase_start["G"], trace.start["G"]), (
            f"call {i}: G's parameters changed during the discriminator's phase"
        )
        assert not params_equal(trace.g_phase_start["D"], trace.start["D"]), (
            f"call {i}: the discriminator's phase did not change D"
        )


@graded(points=3, function="gan_train_step",
        hint="The generator's loss goes through D(fake) without detaching fake; only G_opt steps.")
def test_generator_phase_changes_only_g(student):
    """gan_train_step: the generator's step changes G (it gets a gradient), not D"""
    _, traces, _ = train_step_calls(student)
    for i, trace in enumerate(traces, start=1):
        assert params_equal(trace.end["D"], trace.g_phase_start["D"]), (
            f"call {i}: D's parameters changed during the generator's phase"
        )
        assert not params_equal(trace.end["G"], trace.g_phase_start["G"]), (
            f"call {i}: the generator's phase did not change G: does the generator's loss reach G "
            "(no detach, no torch.no_grad)?"
        )


@graded(points=8, function="train_gan", timeout=300,
        hint="Adam(lr, betas=(0.5, 0.999)) for both nets and a decaying learning rate; look at "
             "plot_samples and mode_statistics in a notebook.")
def test_train_gan_covers_the_ring(student):
    """train_gan on 8 Gaussians covers >= 7 modes with >= 50% high-quality samples"""
    real = ring_data(5000, seed=2024)
    outcomes = []
    for seed in SEEDS:
        out = student.probe("train_and_sample", real, TRAIN_STEPS, TRAIN_BATCH, NOISE_DIM, seed,
                            EVAL_SAMPLES, 1000 + seed)
        samples = out["samples"]
        if isinstance(samples, dict):
            raise AssertionError(f"the trained generator must return a torch tensor, got {samples['unexpected_type']}")
        samples = expect_array(samples, (EVAL_SAMPLES, 2), name="generated samples", function="train_gan")
        modes, quality = mode_stats(samples)
        if modes >= MIN_MODES and quality >= MIN_QUALITY:
            return
        outcomes.append(f"seed {seed}: {modes} modes, {quality:.0%} high quality")
    raise AssertionError(
        f"train_gan(steps={TRAIN_STEPS}, batch_size={TRAIN_BATCH}) fell short of {MIN_MODES} modes and "
        f"{MIN_QUALITY:.0%} high-quality samples in every run: " + "; ".join(outcomes)
    )
