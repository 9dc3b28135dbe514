"""Hidden tests: the gradient penalty of a nonlinear discriminator against a harness-side double
backward, where it is evaluated, image-shaped inputs and the gradient into D's parameters."""

import numpy as np
from _gan_hidden import penalty
from _gan_util import mlp_layers, penalty_trace, ring_data

from autograder.toolkit import assert_close, assert_unmodified, expect_array, expect_scalar, graded


def _inputs(seed: int, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    if shape[1:] == (2,):
        real = ring_data(shape[0], seed=seed)
    else:
        real = rng.uniform(-1, 1, shape).astype(np.float32)
    fake = rng.uniform(-1.5, 1.5, shape).astype(np.float32)
    return real, fake


def _trace(student, shape: tuple, seed: int, gp_seed=7) -> tuple[list, np.ndarray, np.ndarray, dict]:
    d_in = int(np.prod(shape[1:]))
    layers = mlp_layers([d_in, 6, 1], seed=seed, scale=2.0)
    real, fake = _inputs(seed, shape)
    return layers, real, fake, penalty_trace(student, layers, real, fake, gp_seed)


def _candidates(out: dict, shape: tuple) -> list[np.ndarray]:
    """The inputs D saw that are shaped like the batch: the interpolates among them."""
    seen = [x for x in out["inputs"] if isinstance(x, np.ndarray) and x.shape == shape]
    assert seen, f"gradient_penalty never called the discriminator on a batch shaped like real {shape}"
    return seen


def _value_matches(layers: list, value: float, candidates: list[np.ndarray]) -> bool:
    for x_hat in candidates:
        expected, _ = penalty(layers, x_hat.astype(np.float64))
        if abs(value - expected) <= 1e-4 * max(abs(expected), 1e-2):
            return True
    return False


@graded(points=5, function="gradient_penalty",
        hint="mean((||grad_x D(x_hat)||_2 - 1)**2) with torch.autograd.grad(D(x_hat).sum(), x_hat, "
             "create_graph=True).")
def test_penalty_value_nonlinear(student):
    """gradient_penalty value for a tanh MLP at the points D was evaluated on"""
    for seed in (0, 1, 2):
        shape = (24, 2)
        layers, _, _, out = _trace(student, shape, seed)
        value = expect_scalar(expect_array(out["value"], (), name="penalty"), name="penalty")
        assert _value_matches(layers, value, _candidates(out, shape)), (
            "the penalty is not mean((||grad_x D(x)|| - 1)**2) at the points where D was evaluated"
        )


@graded(points=3, function="gradient_penalty",
        hint="eps = torch.rand(N, 1, ...) (one per sample, broadcast); "
             "x_hat = eps * real + (1 - eps) * fake.")
def test_penalty_interpolates(student):
    """gradient_penalty evaluates D on interpolates with one eps ~ U[0, 1) per sample"""
    shape = (256, 2)
    _, real, fake, out = _trace(student, shape, 3)
    problems = []
    for x_hat in _candidates(out, shape):
        diff = (real - fake).astype(np.float64).reshape(shape[0], -1)
        offset = (x_hat - fake).astype(np.float64).reshape(shape[0], -1)
        eps = np.sum(offset * diff, axis=1) / np.sum(diff * diff, axis=1)
        residual = np.abs(offset - eps[:, None] * diff).max()
        if residual > 1e-4:
            problems.append("the points are not on the segments between real and fake, one eps per sample")
        elif eps.min() < -1e-4 or eps.max() > 1 + 1e-4:
            problems.append("eps lies outside [0, 1]")
        # 256 uniform draws: mean 0.5 +- 0.018, standard deviation 0.289 +- 0.01.
        elif abs(eps.mean() - 0.5) > 0.1 or abs(eps.std() - np.sqrt(1 / 12)) > 0.06:
            problems.append("eps is not spread uniformly over [0, 1) (only real or only fake samples?)")
        else:
            return
    raise AssertionError("; ".join(sorted(set(problems))))


@graded(points=3, function="gradient_penalty",
        hint="Flatten each sample's gradient over all non-batch dimensions: grad.reshape(N, -1).norm(dim=1).")
def test_penalty_image_inputs(student):
    """gradient_penalty on (N, C, H, W) inputs: one norm per sample over all its dimensions"""
    for seed, shape in ((4, (6, 3, 4, 4)), (5, (5, 2, 3))):
        layers, _, _, out = _trace(student, shape, seed)
        value = expect_scalar(expect_array(out["value"], (), name="penalty"), name="penalty")
        assert _value_matches(layers, value, _candidates(out, shape)), (
            f"wrong penalty for inputs of shape {shape}: is the norm taken per sample over every "
            "non-batch dimension?"
        )


@graded(points=3, function="gradient_penalty",
        hint="create_graph=True in torch.autograd.grad, and do not detach the gradient.")
def test_penalty_gradient_reaches_discriminator(student):
    """gradient_penalty backpropagates into the discriminator's parameters"""
    for seed in (6, 7):
        shape = (16, 2)
        layers, _, _, out = _trace(student, shape, seed)
        assert out["requires_grad"], "the penalty carries no gradient (no create_graph=True, or detached)"
        assert not out["backward_error"], f"backward through the penalty failed: {out['backward_error']}"
        grads = out["param_grads"]
        names = ["W1", "b1", "W2", "b2"]
        best = None
        for x_hat in _candidates(out, shape):
            _, expected = penalty(layers, x_hat.astype(np.float64))
            try:
                for name, got, exp in zip(names, grads, expected, strict=True):
                    if got is None:
                        got = np.zeros_like(exp)
                    assert_close(expect_array(got, exp.shape, name=f"d penalty / d {name}"), exp,
                                 name=f"d penalty / d {name}", rtol=1e-3,
                                 floor=1e-2 * max(float(np.abs(exp).max()), 1e-3))
                best = None
                break
            except AssertionError as exc:
                best = exc
        if best is not None:
            raise best


@graded(points=2, function="gradient_penalty",
        hint="Seed a torch.Generator with `seed`; never write into real or fake.")
def test_penalty_seeded_and_arguments_unmodified(student):
    """gradient_penalty with a seed is reproducible and leaves real and fake unmodified"""
    shape = (10, 2)
    _, real, fake, first = _trace(student, shape, 8, gp_seed=3)
    _, _, _, second = _trace(student, shape, 8, gp_seed=3)
    v1 = expect_scalar(expect_array(first["value"], (), name="penalty"), name="penalty")
    v2 = expect_scalar(expect_array(second["value"], (), name="penalty"), name="penalty")
    assert v1 == v2, "two calls with the same seed gave different penalties"
    assert_unmodified({"real": real, "fake": fake},
                      {"real": first["real_after"], "fake": first["fake_after"]})
