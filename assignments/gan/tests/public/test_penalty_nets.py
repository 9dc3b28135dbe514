"""Public tests: the gradient penalty of a linear discriminator, and the networks' shapes."""

import numpy as np
from _gan_util import penalty_trace, ring_data

from autograder.toolkit import assert_close, expect_array, expect_probed, expect_scalar, graded


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


@graded(points=2, function="Generator",
        hint="Generator(noise_dim, hidden_dim, out_dim) maps (N, noise_dim) to (N, out_dim); "
             "Discriminator(in_dim, hidden_dim) maps (N, in_dim) to logits (N, 1).")
def test_network_shapes(student):
    """Generator and Discriminator constructor arguments and output shapes"""
    out = student.probe("network_outputs", 5, 12, 3, 7, function="Generator")
    assert out["g_is_module"] and out["d_is_module"], "Generator and Discriminator must be torch.nn.Module"
    assert out["g_params"] > 0 and out["d_params"] > 0, "both networks need trainable parameters"
    fake = expect_probed(out["fake"], name="the generator's output")
    logits = expect_probed(out["logits"], name="the discriminator's output", function="Discriminator")
    fake = expect_array(fake, (7, 3), name="Generator(noise_dim=5, out_dim=3) output")
    expect_array(logits, (7, 1), name="Discriminator(in_dim=3) output", function="Discriminator")
    assert out["fake_dtype"] == "float32", f"the generator must compute in float32, got {out['fake_dtype']}"
    assert np.ptp(fake, axis=0).max() > 0, "the generator returns the same sample for every noise vector"
