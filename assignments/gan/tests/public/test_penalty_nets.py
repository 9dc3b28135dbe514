"""Public tests: the gradient penalty of a linear discriminator, and the networks' shapes."""

import numpy as np
from _gan_util import penalty_trace, ring_data

from autograder.toolkit import assert_close, assert_unmodified, expect_array, expect_probed, expect_scalar, graded


def _linear_penalty(student, norm: float, seed: int) -> float:
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((2, 1))
    w *= norm / np.linalg.norm(w)
    layers = [(w.astype(np.float32), np.array([0.3], dtype=np.float32))]
    real = ring_data(32, seed=seed)
    fake = rng.uniform(-2, 2, (32, 2)).astype(np.float32)
    out = penalty_trace(student, layers, real, fake, 5)
    return expect_scalar(expect_array(out["value"], (), name="penalty"), name="penalty")


@graded(points=3, function="gradient_penalty",
        hint="A linear D(x) = x @ w has input gradient w everywhere: the penalty is (||w|| - 1)**2.")
def test_gradient_penalty_linear_discriminator(student):
    """gradient_penalty of a linear D: 0 when ||w|| = 1, 4 when ||w|| = 3"""
    for seed in (0, 1):
        assert abs(_linear_penalty(student, 1.0, seed)) <= 1e-6, (
            "a discriminator whose input gradient has norm 1 everywhere must get a penalty of 0"
        )
        assert_close(_linear_penalty(student, 3.0, seed), 4.0, name="penalty with ||grad|| = 3", rtol=1e-5)


def _network(student, net: str, x: np.ndarray, shape: tuple, **sizes: int) -> np.ndarray:
    """The output of the submission's ``net`` built with ``sizes`` on ``x``, a float32 tensor of
    ``shape``, after checking that it is a module with parameters that left its input alone."""
    out = student.probe("network_outputs", net, x, function=net, **sizes)
    assert out["is_module"], f"{net} must be a torch.nn.Module"
    assert out["params"] > 0, f"{net} needs trainable parameters"
    assert_unmodified({"input": x.astype(np.float32)}, {"input": out["input_after"]}, function=net)
    got = expect_array(expect_probed(out["out"], name=f"the {net}'s output", function=net), shape,
                       name=f"{net}({', '.join(f'{k}={v}' for k, v in sizes.items())}) output", function=net)
    assert out["dtype"] == "float32", f"the {net} must compute in float32, got {out['dtype']}"
    return got


@graded(points=1, function="Generator",
        hint="Generator(noise_dim, hidden_dim, out_dim) maps (N, noise_dim) to (N, out_dim).")
def test_network_shapes(student):
    """Generator constructor arguments and output shape"""
    z = np.random.default_rng(0).uniform(-1, 1, (7, 5))
    fake = _network(student, "Generator", z, (7, 3), noise_dim=5, hidden_dim=12, out_dim=3)
    assert np.ptp(fake, axis=0).max() > 0, "the generator returns the same sample for every noise vector"


@graded(points=1, function="Discriminator",
        hint="Discriminator(in_dim, hidden_dim) maps (N, in_dim) to logits (N, 1).")
def test_discriminator_shapes(student):
    """Discriminator constructor arguments and output shape"""
    x = np.random.default_rng(1).uniform(-2, 2, (7, 3))
    _network(student, "Discriminator", x, (7, 1), in_dim=3, hidden_dim=12)
