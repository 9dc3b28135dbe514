"""Public tests: what each phase of gan_train_step may change; train_gan's seed. In a grading the
grader's losses (and, for train_gan, networks and training step) run in place of the submission's."""

import numpy as np
from _gan_util import (
    LOSSES,
    TRAIN_GAN_RELIES_ON,
    params_equal,
    ring_data,
    train_step_calls,
    trained_samples,
)

from autograder.toolkit import graded


@graded(points=3, function="gan_train_step",
        hint="Zero D's gradients, compute the loss on real and fake.detach(), backward, D_opt.step(); "
             "nothing in this phase may change G.")
def test_discriminator_phase_changes_only_d(student):
    """gan_train_step: the discriminator's step changes D, not G"""
    with student.running_own(LOSSES):
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
    with student.running_own(LOSSES):
        _, traces, _ = train_step_calls(student)
        for i, trace in enumerate(traces, start=1):
            assert params_equal(trace.end["D"], trace.g_phase_start["D"]), (
                f"call {i}: D's parameters changed during the generator's phase"
            )
            assert not params_equal(trace.end["G"], trace.g_phase_start["G"]), (
                f"call {i}: the generator's phase did not change G: does the generator's loss reach G "
                "(no detach, no torch.no_grad)?"
            )


@graded(points=3, function="train_gan", timeout=60,
        hint="Seed with torch.manual_seed(seed) at the start of train_gan (networks, batches, noise).")
def test_train_gan_reproducible(student):
    """train_gan with the same seed gives the same generator, another seed another one"""
    real = ring_data(512, seed=5)
    with student.running_own(TRAIN_GAN_RELIES_ON):
        runs = [trained_samples(student, real, 25, 64, seed, 200, 77) for seed in (3, 3, 4)]
        assert np.array_equal(runs[0], runs[1]), "two runs of train_gan with seed 3 gave different generators"
        assert not np.array_equal(runs[0], runs[2]), "seeds 3 and 4 gave the same generator: is the seed used?"
