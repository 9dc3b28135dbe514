"""Hidden tests: the losses at extreme logits, with soft targets and any shape, against
independent float64 formulas and torch's own binary_cross_entropy_with_logits; the noise's
distribution."""

import numpy as np
from _gan_hidden import bce_np, bce_torch
from _gan_util import f32, loss_and_grads
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import assert_close, expect_array, graded
from autograder.toolkit import strategies as dst

# float32 gradients: (sigmoid(x) - t) / n loses a few ulps of 1/n where sigmoid(x) is close to t.
GRAD_RTOL, GRAD_FLOOR_FRACTION = 1e-4, 1e-2


def _extreme_logits(seed: int, n: int = 40) -> np.ndarray:
    """Logits mixing moderate values with magnitudes up to 1e4, both signs."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-6, 6, n)
    big = rng.choice(n, size=n // 2, replace=False)
    x[big] = rng.choice([-1.0, 1.0], size=big.size) * 10.0 ** rng.uniform(1, 4, big.size)
    x[:4] = [1e4, -1e4, 1e4, -1e4]
    return f32(x)


def _targets(seed: int, n: int) -> np.ndarray:
    t = (np.random.default_rng(seed + 1).random(n) < 0.5).astype(np.float32)
    t[:4] = [1.0, 1.0, 0.0, 0.0]  # each sign of 1e4 with each label: two confidently wrong logits
    return t


def _grad_close(got: np.ndarray, expected: np.ndarray, name: str, function: str) -> None:
    scale = float(np.max(np.abs(expected)))
    assert_close(got, expected, name=name, rtol=GRAD_RTOL, floor=GRAD_FLOOR_FRACTION * scale,
                 function=function)


@graded(points=3, function="bce_loss",
        hint="log(sigmoid(x)) is -inf once sigmoid rounds to 0: use max(x, 0) - x t + log1p(exp(-|x|)).")
@settings(max_examples=10)
@given(seed=dst.seeds())
def test_bce_extreme_logits_value(student, seed):
    """bce_loss value with |logits| up to 1e4"""
    x = _extreme_logits(seed)
    t = _targets(seed, x.size)
    value, _ = loss_and_grads(student, "bce_loss", x, t, grad_of=(0,))
    expected, _ = bce_torch(x, t)
    assert_close(value, expected, name="bce_loss", rtol=1e-5)


@graded(points=3, function="bce_loss",
        hint="The gradient must stay (sigmoid(x) - t) / n, finite, also at |x| = 1e4: no clamped logs.")
@settings(max_examples=10)
@given(seed=dst.seeds())
def test_bce_extreme_logits_gradient(student, seed):
    """bce_loss gradient with |logits| up to 1e4"""
    x = _extreme_logits(seed)
    t = _targets(seed, x.size)
    _, (dx,) = loss_and_grads(student, "bce_loss", x, t, grad_of=(0,))
    _, expected = bce_np(x, t)
    _grad_close(dx, expected, "d bce_loss / d input", "bce_loss")


@graded(points=2, function="bce_loss",
        hint="Targets may be any value in [0, 1] (label smoothing): -(t log s + (1 - t) log(1 - s)).")
@settings(max_examples=10)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=2, max_side=6), scale=8.0), seed=dst.seeds())
def test_bce_soft_targets(student, x, seed):
    """bce_loss with soft targets in [0, 1]"""
    t = f32(np.random.default_rng(seed).random(x.shape))
    value, (dx,) = loss_and_grads(student, "bce_loss", f32(x), t, grad_of=(0,))
    expected, expected_dx = bce_np(f32(x), t)
    assert_close(value, expected, name="bce_loss", rtol=1e-5)
    _grad_close(dx, expected_dx, "d bce_loss / d input", "bce_loss")


@graded(points=2, function="discriminator_loss",
        hint="Build the labels with ones_like / zeros_like and call bce_loss (or a formula as stable).")
@settings(max_examples=8)
@given(seed=dst.seeds())
def test_gan_losses_extreme_logits(student, seed):
    """discriminator_loss with |logits| up to 1e4"""
    real, fake = _extreme_logits(seed), _extreme_logits(seed + 7)
    value, (d_real, d_fake) = loss_and_grads(student, "discriminator_loss", real, fake)
    (v_real, g_real), (v_fake, g_fake) = bce_np(real, np.ones_like(real)), bce_np(fake, np.zeros_like(fake))
    assert_close(value, v_real + v_fake, name="discriminator_loss", rtol=1e-5)
    _grad_close(d_real, g_real, "d discriminator_loss / d logits_real", "discriminator_loss")
    _grad_close(d_fake, g_fake, "d discriminator_loss / d logits_fake", "discriminator_loss")


@graded(points=1, function="generator_loss",
        hint="Build the labels with ones_like and call bce_loss (or a formula as stable).")
@settings(max_examples=8)
@given(seed=dst.seeds())
def test_generator_loss_extreme_logits(student, seed):
    """generator_loss with |logits| up to 1e4"""
    fake = _extreme_logits(seed + 7)
    value, (g,) = loss_and_grads(student, "generator_loss", fake)
    v_gen, g_gen = bce_np(fake, np.ones_like(fake))
    assert_close(value, v_gen, name="generator_loss", rtol=1e-5)
    _grad_close(g, g_gen, "d generator_loss / d logits_fake", "generator_loss")


_SHAPES = st.sampled_from([(6,), (5, 1), (2, 3, 4), (1, 1)])
_ANY_SHAPE_HINT = "Every loss is the mean over all elements, whatever the shape: (N,), (N, 1), (2, 3, 4)."


def _expected_loss(name: str, shape: tuple, seed: int) -> tuple[tuple[np.ndarray, ...], float]:
    """Arguments of the loss ``name`` in ``shape`` and its value."""
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(-3, 3, shape), rng.uniform(-3, 3, shape)
    t = (rng.random(shape) < 0.5).astype(np.float64)
    ones, zeros = np.ones(shape), np.zeros(shape)
    return {
        "bce_loss": lambda: ((a, t), bce_np(a, t)[0]),
        "discriminator_loss": lambda: ((a, b), bce_np(a, ones)[0] + bce_np(b, zeros)[0]),
        "generator_loss": lambda: ((b,), bce_np(b, ones)[0]),
        "ls_discriminator_loss": lambda: ((a, b), 0.5 * np.mean((a - 1) ** 2) + 0.5 * np.mean(b**2)),
        "ls_generator_loss": lambda: ((b,), 0.5 * np.mean((b - 1) ** 2)),
    }[name]()


def _check_any_shape(student, name: str, shape: tuple, seed: int) -> None:
    args, value = _expected_loss(name, shape, seed)
    got, _ = loss_and_grads(student, name, *args, grad_of=(0,), dtype="float64")
    assert_close(got, value, name=f"{name} of shape {shape}", rtol=1e-8)


@graded(points=1, function="bce_loss", hint=_ANY_SHAPE_HINT)
@settings(max_examples=8)
@given(shape=_SHAPES, seed=dst.seeds())
def test_bce_loss_any_shape(student, shape, seed):
    """bce_loss averages over every element of any shape"""
    _check_any_shape(student, "bce_loss", shape, seed)


@graded(points=1, function="discriminator_loss", hint=_ANY_SHAPE_HINT)
@settings(max_examples=8)
@given(shape=_SHAPES, seed=dst.seeds())
def test_discriminator_loss_any_shape(student, shape, seed):
    """discriminator_loss averages over every element of any shape"""
    _check_any_shape(student, "discriminator_loss", shape, seed)


@graded(points=1, function="generator_loss", hint=_ANY_SHAPE_HINT)
@settings(max_examples=8)
@given(shape=_SHAPES, seed=dst.seeds())
def test_generator_loss_any_shape(student, shape, seed):
    """generator_loss averages over every element of any shape"""
    _check_any_shape(student, "generator_loss", shape, seed)


@graded(points=1, function="ls_discriminator_loss", hint=_ANY_SHAPE_HINT)
@settings(max_examples=8)
@given(shape=_SHAPES, seed=dst.seeds())
def test_ls_discriminator_loss_any_shape(student, shape, seed):
    """ls_discriminator_loss averages over every element of any shape"""
    _check_any_shape(student, "ls_discriminator_loss", shape, seed)


@graded(points=1, function="ls_generator_loss", hint=_ANY_SHAPE_HINT)
@settings(max_examples=8)
@given(shape=_SHAPES, seed=dst.seeds())
def test_ls_generator_loss_any_shape(student, shape, seed):
    """ls_generator_loss averages over every element of any shape"""
    _check_any_shape(student, "ls_generator_loss", shape, seed)


_KEEP_HINT = "Build new tensors (x.clamp(min=0), not x.clamp_(min=0)); never write into an argument."


def _check_kept(student, name: str) -> None:
    """The loss ``name`` on float32 and float64 arguments of shape (6, 1), without and with
    gradients; loss_and_grads fails if it changed one."""
    args, _ = _expected_loss(name, (6, 1), 3)
    for dtype in ("float32", "float64"):
        for grad_of in ((), (0,)):
            loss_and_grads(student, name, *args, dtype=dtype, grad_of=grad_of)


@graded(points=1, function="bce_loss", hint=_KEEP_HINT)
def test_bce_loss_arguments_unmodified(student):
    """bce_loss leaves input and target alone"""
    _check_kept(student, "bce_loss")


@graded(points=1, function="discriminator_loss", hint=_KEEP_HINT)
def test_discriminator_loss_arguments_unmodified(student):
    """discriminator_loss leaves logits_real and logits_fake alone"""
    _check_kept(student, "discriminator_loss")


@graded(points=1, function="generator_loss", hint=_KEEP_HINT)
def test_generator_loss_arguments_unmodified(student):
    """generator_loss leaves logits_fake alone"""
    _check_kept(student, "generator_loss")


@graded(points=1, function="ls_discriminator_loss", hint=_KEEP_HINT)
def test_ls_discriminator_loss_arguments_unmodified(student):
    """ls_discriminator_loss leaves scores_real and scores_fake alone"""
    _check_kept(student, "ls_discriminator_loss")


@graded(points=1, function="ls_generator_loss", hint=_KEEP_HINT)
def test_ls_generator_loss_arguments_unmodified(student):
    """ls_generator_loss leaves scores_fake alone"""
    _check_kept(student, "ls_generator_loss")


@graded(points=3, function="sample_noise", hint="Uniform in [-1, 1): 2 * torch.rand(...) - 1, not randn.")
def test_sample_noise_distribution(student):
    """sample_noise is uniform on [-1, 1): mean, variance and quartiles"""
    z = expect_array(student.sample_noise(20000, 4, seed=3), (20000, 4), name="noise").astype(np.float64)
    assert z.min() >= -1.0 and z.max() < 1.0, "noise outside [-1, 1)"
    # 80000 draws: the standard errors of the mean (0.002) and of the quartiles (0.005) are tiny
    # next to these tolerances.
    assert abs(z.mean()) < 0.02, "the noise's mean is not 0"
    assert abs(z.var() - 1.0 / 3.0) < 0.02, "the noise's variance is not 1/3, that of U[-1, 1)"
    q1, q3 = np.quantile(z, [0.25, 0.75])
    assert abs(q1 + 0.5) < 0.03 and abs(q3 - 0.5) < 0.03, "the noise's quartiles are not -0.5 and 0.5"
    columns = z.mean(axis=0)
    assert np.all(np.abs(columns) < 0.05), "some noise dimension is not centred on 0"


@graded(points=1, function="sample_noise", hint="Without a seed, do not reseed: each call draws new noise.")
def test_sample_noise_unseeded_calls_differ(student):
    """sample_noise without a seed draws new noise on every call"""
    a = expect_array(student.sample_noise(3, 5), (3, 5), name="noise")
    b = expect_array(student.sample_noise(3, 5), (3, 5), name="noise")
    assert not np.array_equal(a, b), "two unseeded calls returned the same noise"
