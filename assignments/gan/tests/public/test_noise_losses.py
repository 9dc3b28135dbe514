"""Public tests: the noise and the losses on ordinary inputs (moderate logits, hard targets); every
loss call also fails on a changed argument."""

import numpy as np
from _gan_util import BUILT_ON, f32, loss_and_grads, numeric_grads
from hypothesis import given, settings

from autograder.toolkit import TensorValue, assert_close, expect_array, graded
from autograder.toolkit import strategies as dst


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _naive_bce(x: np.ndarray, t: np.ndarray) -> float:
    """Fine in float64 for the moderate logits of these tests."""
    p = _sigmoid(x.astype(np.float64))
    return float(np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p))))


def _hard_targets(seed: int, shape: tuple) -> np.ndarray:
    return (np.random.default_rng(seed).random(shape) < 0.5).astype(np.float64)


@graded(points=3, function="sample_noise", hint="2 * torch.rand(batch_size, dim) - 1")
def test_sample_noise_shape_and_range(student):
    """sample_noise shape, float32 dtype and range [-1, 1)"""
    z = student.sample_noise(500, 7)
    assert isinstance(z, TensorValue) and z.dtype == "float32", "sample_noise must return a float32 tensor"
    z = expect_array(z, (500, 7), name="noise")
    assert z.min() >= -1.0 and z.max() < 1.0, (
        f"noise must lie in [-1, 1): got values from {z.min():.3f} to {z.max():.3f}"
    )
    assert z.min() < -0.9 and z.max() > 0.9, (
        f"noise must fill [-1, 1): 3500 values only span [{z.min():.3f}, {z.max():.3f}]"
    )


@graded(points=2, function="sample_noise", hint="Draw from a torch.Generator().manual_seed(seed).")
def test_sample_noise_seeded(student):
    """sample_noise with a seed is reproducible, different seeds differ"""
    a = expect_array(student.sample_noise(4, 3, seed=11), (4, 3), name="noise")
    b = expect_array(student.sample_noise(4, 3, seed=11), (4, 3), name="noise")
    c = expect_array(student.sample_noise(4, 3, seed=12), (4, 3), name="noise")
    assert np.array_equal(a, b), "two calls with the same seed returned different noise"
    assert not np.array_equal(a, c), "seeds 11 and 12 returned the same noise"


@graded(points=4, function="bce_loss",
        hint="Mean over all elements of -(t log s(x) + (1 - t) log(1 - s(x))).")
@settings(max_examples=15)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=2, max_side=6), scale=5.0), seed=dst.seeds())
def test_bce_loss_value(student, x, seed):
    """bce_loss value on moderate logits and 0/1 targets"""
    t = _hard_targets(seed, x.shape)
    value, _ = loss_and_grads(student, "bce_loss", f32(x), f32(t), grad_of=(0,))
    assert_close(value, _naive_bce(f32(x), t), name="bce_loss", rtol=1e-5)


@graded(points=3, function="bce_loss", hint="d loss / dx = (sigmoid(x) - t) / number of elements")
@settings(max_examples=10)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=2, max_side=4), scale=5.0), seed=dst.seeds())
def test_bce_loss_gradient(student, x, seed):
    """bce_loss gradient against central differences (float64)"""
    t = _hard_targets(seed, x.shape)
    _, (dx,) = loss_and_grads(student, "bce_loss", x, t, grad_of=(0,), dtype="float64")
    (numeric,) = numeric_grads(student, "bce_loss", x, t, grad_of=(0,))
    assert_close(dx, numeric, name="d bce_loss / d input", rtol=1e-5)


@graded(points=3, function="discriminator_loss",
        hint="bce(logits_real, ones) + bce(logits_fake, zeros), each a mean.")
@settings(max_examples=10)
@given(real=dst.float_arrays(dst.shapes(min_dims=1, max_dims=2, max_side=5), scale=4.0), seed=dst.seeds())
def test_discriminator_loss(student, real, seed):
    """discriminator_loss value and gradients"""
    fake = np.random.default_rng(seed).uniform(-4, 4, real.shape)
    with student.running_own(BUILT_ON["discriminator_loss"]):
        value, _ = loss_and_grads(student, "discriminator_loss", f32(real), f32(fake))
        expected = _naive_bce(f32(real), np.ones(real.shape)) + _naive_bce(f32(fake), np.zeros(real.shape))
        assert_close(value, expected, name="discriminator_loss", rtol=1e-5)
        _, grads = loss_and_grads(student, "discriminator_loss", real, fake, dtype="float64")
        numeric = numeric_grads(student, "discriminator_loss", real, fake)
        assert_close(grads[0], numeric[0], name="d loss / d logits_real", rtol=1e-5)
        assert_close(grads[1], numeric[1], name="d loss / d logits_fake", rtol=1e-5)


@graded(points=3, function="generator_loss",
        hint="Non-saturating: bce(logits_fake, ones), i.e. -mean(log sigmoid(logits_fake)).")
@settings(max_examples=10)
@given(fake=dst.float_arrays(dst.shapes(min_dims=1, max_dims=2, max_side=5), scale=4.0))
def test_generator_loss(student, fake):
    """generator_loss (non-saturating) value and gradient"""
    with student.running_own(BUILT_ON["generator_loss"]):
        value, _ = loss_and_grads(student, "generator_loss", f32(fake))
        assert_close(value, _naive_bce(f32(fake), np.ones(fake.shape)), name="generator_loss", rtol=1e-5)
        _, (grad,) = loss_and_grads(student, "generator_loss", fake, dtype="float64")
        (numeric,) = numeric_grads(student, "generator_loss", fake)
        assert_close(grad, numeric, name="d loss / d logits_fake", rtol=1e-5)


@graded(points=2, function="ls_discriminator_loss", hint="0.5 * mean((real - 1)**2) + 0.5 * mean(fake**2).")
@settings(max_examples=10)
@given(real=dst.float_arrays(dst.shapes(min_dims=1, max_dims=2, max_side=5), scale=2.0), seed=dst.seeds())
def test_ls_losses(student, real, seed):
    """ls_discriminator_loss value and gradients"""
    fake = np.random.default_rng(seed).uniform(-2, 2, real.shape)
    n = real.size
    value, (d_real, d_fake) = loss_and_grads(student, "ls_discriminator_loss", real, fake, dtype="float64")
    assert_close(value, 0.5 * np.mean((real - 1) ** 2) + 0.5 * np.mean(fake**2), name="ls_discriminator_loss")
    assert_close(d_real, (real - 1) / n, name="d ls_discriminator_loss / d scores_real")
    assert_close(d_fake, fake / n, name="d ls_discriminator_loss / d scores_fake")


@graded(points=1, function="ls_generator_loss", hint="0.5 * mean((fake - 1)**2).")
@settings(max_examples=10)
@given(fake=dst.float_arrays(dst.shapes(min_dims=1, max_dims=2, max_side=5), scale=2.0))
def test_ls_generator_loss(student, fake):
    """ls_generator_loss value and gradient"""
    value, (g_fake,) = loss_and_grads(student, "ls_generator_loss", fake, dtype="float64")
    assert_close(value, 0.5 * np.mean((fake - 1) ** 2), name="ls_generator_loss")
    assert_close(g_fake, (fake - 1) / fake.size, name="d ls_generator_loss / d scores_fake")
