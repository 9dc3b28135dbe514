"""Generative adversarial networks on a ring of Gaussians.

You write the losses (non-saturating, least squares and the WGAN-GP gradient penalty), the two
networks, one adversarial training step and the training loop. The data set
(`ring_of_gaussians`) and the notebook helpers (`mode_statistics`, `plot_samples`) are provided.

Conventions: tensors are float32 unless stated; every loss returns a 0-dim tensor, the mean over
all elements of its inputs, that autograd can differentiate.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

# ----------------------------------------------------------------------------------------------
# Provided: data and notebook helpers
# ----------------------------------------------------------------------------------------------


def ring_of_gaussians(
    n: int, modes: int = 8, radius: float = 2.0, std: float = 0.02, seed: int | None = None
) -> torch.Tensor:
    """Sample `n` points (float32 tensor (n, 2)) from `modes` Gaussians on a circle.

    Mode k is centred at radius * (cos(2 pi k / modes), sin(2 pi k / modes)) with isotropic
    standard deviation `std`; every sample picks its mode uniformly at random.
    """
    rng = np.random.default_rng(seed)
    k = rng.integers(0, modes, size=n)
    angles = 2.0 * np.pi * k / modes
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    points = centres + std * rng.standard_normal((n, 2))
    return torch.from_numpy(points.astype(np.float32))


def mode_statistics(
    samples, modes: int = 8, radius: float = 2.0, std: float = 0.02
) -> tuple[int, float]:
    """VEEGAN's measures for samples of a ring of Gaussians: (modes covered, high-quality fraction).

    A sample is high quality when it lies within 3 std of its nearest mode centre; a mode is
    covered when it is the nearest mode of at least one high-quality sample. The grader computes
    the same measures itself on 2500 samples of your trained generator.
    """
    x = samples.detach().cpu().numpy() if isinstance(samples, torch.Tensor) else np.asarray(samples)
    angles = 2.0 * np.pi * np.arange(modes) / modes
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    dist = np.linalg.norm(x[:, None, :] - centres[None, :, :], axis=2)
    nearest = dist.argmin(axis=1)
    good = dist[np.arange(len(x)), nearest] <= 3.0 * std
    return int(len(np.unique(nearest[good]))), float(good.mean()) if len(x) else 0.0


def plot_samples(real, fake, ax=None, title: str | None = None):
    """Scatter real samples against generated ones (tensors or arrays (N, 2)); returns the axes.

    matplotlib is imported here, not at module level, so the grader never needs it.
    """
    import matplotlib.pyplot as plt

    def as_array(a):
        return a.detach().cpu().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 5))
    r, f = as_array(real), as_array(fake)
    ax.scatter(r[:, 0], r[:, 1], s=4, alpha=0.4, label="real")
    ax.scatter(f[:, 0], f[:, 1], s=4, alpha=0.4, label="generated")
    ax.set_aspect("equal")
    ax.legend(loc="upper right")
    if title is not None:
        ax.set_title(title)
    return ax


# ----------------------------------------------------------------------------------------------
# Noise and losses
# ----------------------------------------------------------------------------------------------


def sample_noise(batch_size: int, dim: int, seed: int | None = None) -> torch.Tensor:
    """Noise for the generator: a float32 tensor (batch_size, dim), uniform in [-1, 1).

    With a seed the call is reproducible (use a torch.Generator seeded with it, so that the
    global random state is left alone); without one it is unseeded.
    """
    raise NotImplementedError('TODO: implement sample_noise')


def bce_loss(input: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy on logits, averaged over all elements.

    loss_i = -(t_i log sigmoid(x_i) + (1 - t_i) log(1 - sigmoid(x_i))), targets in [0, 1].
    Must stay finite, with finite gradients, for |logits| up to 1e4: do not take the log of a
    sigmoid that has already rounded to 0 or 1.
    """
    raise NotImplementedError('TODO: implement bce_loss')


def discriminator_loss(logits_real: torch.Tensor, logits_fake: torch.Tensor) -> torch.Tensor:
    """Non-saturating GAN discriminator loss: bce(real, 1) + bce(fake, 0)."""
    raise NotImplementedError('TODO: implement discriminator_loss')


def generator_loss(logits_fake: torch.Tensor) -> torch.Tensor:
    """Non-saturating generator loss: bce(fake, 1) (not -bce(fake, 0), which saturates)."""
    raise NotImplementedError('TODO: implement generator_loss')


def ls_discriminator_loss(scores_real: torch.Tensor, scores_fake: torch.Tensor) -> torch.Tensor:
    """Least-squares discriminator loss: 0.5 mean((real - 1)^2) + 0.5 mean(fake^2)."""
    raise NotImplementedError('TODO: implement ls_discriminator_loss')


def ls_generator_loss(scores_fake: torch.Tensor) -> torch.Tensor:
    """Least-squares generator loss: 0.5 mean((fake - 1)^2)."""
    raise NotImplementedError('TODO: implement ls_generator_loss')


def gradient_penalty(
    discriminator: nn.Module, real: torch.Tensor, fake: torch.Tensor, seed: int | None = None
) -> torch.Tensor:
    """WGAN-GP penalty mean((||grad_x D(x_hat)||_2 - 1)^2).

    x_hat = eps * real + (1 - eps) * fake with one eps ~ U[0, 1) per sample (broadcast over all
    non-batch dimensions); the norm is taken per sample over all non-batch dimensions. The result
    must be differentiable with respect to the discriminator's parameters (create_graph=True);
    gradients to real and fake are not required.
    """
    raise NotImplementedError('TODO: implement gradient_penalty')


# ----------------------------------------------------------------------------------------------
# Networks
# ----------------------------------------------------------------------------------------------


class Generator(nn.Module):
    """Maps noise (N, noise_dim) to samples (N, out_dim); the architecture is yours.

    Two hidden layers of hidden_dim units with ReLU work well on the ring; no activation on the
    output (the data are not bounded to [-1, 1]).
    """

    def __init__(self, noise_dim: int = 16, hidden_dim: int = 128, out_dim: int = 2):
        super().__init__()
        raise NotImplementedError('TODO: implement Generator.__init__')

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError('TODO: implement Generator.forward')


class Discriminator(nn.Module):
    """Maps samples (N, in_dim) to logits (N, 1); the architecture is yours (LeakyReLU helps)."""

    def __init__(self, in_dim: int = 2, hidden_dim: int = 128):
        super().__init__()
        raise NotImplementedError('TODO: implement Discriminator.__init__')

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError('TODO: implement Discriminator.forward')


# ----------------------------------------------------------------------------------------------
# Training
# ----------------------------------------------------------------------------------------------


def gan_train_step(
    G: nn.Module,
    D: nn.Module,
    G_opt: torch.optim.Optimizer,
    D_opt: torch.optim.Optimizer,
    real: torch.Tensor,
    noise_dim: int,
    loss: str = "ns",
) -> tuple[float, float]:
    """One discriminator update, then one generator update; returns (d_loss, g_loss) as floats.

    The discriminator step uses `real` and generated samples detached from G (fresh noise of
    real's batch size); it must not change G. The generator step computes its loss through the
    updated D and must not change D. Clear each optimizer's gradients before its backward pass:
    gradients left over from earlier steps must not leak in. loss "ns" uses discriminator_loss /
    generator_loss, "ls" the least-squares pair. d_loss is the loss computed for D's update
    (before it), g_loss the loss computed for G's update (after D's update, before G's).
    """
    raise NotImplementedError('TODO: implement gan_train_step')


def train_gan(
    real_data: torch.Tensor,
    steps: int = 5000,
    batch_size: int = 256,
    noise_dim: int = 16,
    lr: float = 1e-3,
    loss: str = "ns",
    seed: int = 0,
) -> Generator:
    """Train a Generator against a Discriminator on batches drawn from real_data (M, 2).

    Adam(lr, betas=(0.5, 0.999)) for both nets, one gan_train_step per step on a batch drawn
    uniformly from real_data. Seed everything from `seed` (torch.manual_seed) so a run is
    reproducible. Decaying the learning rate over the steps (for example full rate for the first
    half, then linearly down to 1% of lr) makes covering every mode far more reliable. Returns
    the trained generator.
    """
    raise NotImplementedError('TODO: implement train_gan')
