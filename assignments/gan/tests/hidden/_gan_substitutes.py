"""The grader's versions of gan's graded functions and networks, put in place of the submission's
own while a test judges another function (``student.probe(..., substitute=[...])``): the losses
while gan_train_step is judged, all of these while train_gan is. Named exactly as the student's;
never shipped to students, whose own checks run their own versions.

Generator is a ReLU MLP (Linear layers with ReLU between them, none after the last): the harness
runs the trained generator itself from its parameters (_gan_util.generator_forward).
"""

import torch
import torch.nn.functional as F
from torch import nn


def sample_noise(batch_size, dim, seed=None):
    generator = None if seed is None else torch.Generator().manual_seed(seed)
    return 2.0 * torch.rand(batch_size, dim, generator=generator) - 1.0


def bce_loss(input, target):
    return F.binary_cross_entropy_with_logits(input, target)


def discriminator_loss(logits_real, logits_fake):
    return bce_loss(logits_real, torch.ones_like(logits_real)) + bce_loss(logits_fake, torch.zeros_like(logits_fake))


def generator_loss(logits_fake):
    return bce_loss(logits_fake, torch.ones_like(logits_fake))


def ls_discriminator_loss(scores_real, scores_fake):
    return 0.5 * ((scores_real - 1.0) ** 2).mean() + 0.5 * (scores_fake**2).mean()


def ls_generator_loss(scores_fake):
    return 0.5 * ((scores_fake - 1.0) ** 2).mean()


class Generator(nn.Module):
    def __init__(self, noise_dim=16, hidden_dim=128, out_dim=2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(noise_dim, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, hidden_dim),
                                 nn.ReLU(), nn.Linear(hidden_dim, out_dim))

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, in_dim=2, hidden_dim=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_dim, hidden_dim), nn.LeakyReLU(0.2), nn.Linear(hidden_dim, hidden_dim),
                                 nn.LeakyReLU(0.2), nn.Linear(hidden_dim, 1))

    def forward(self, x):
        return self.net(x)


def gan_train_step(G, D, G_opt, D_opt, real, noise_dim, loss="ns"):
    d_loss_fn, g_loss_fn = {"ns": (discriminator_loss, generator_loss),
                            "ls": (ls_discriminator_loss, ls_generator_loss)}[loss]
    fake = G(sample_noise(real.shape[0], noise_dim).to(real.dtype))
    D_opt.zero_grad()
    d_loss = d_loss_fn(D(real), D(fake.detach()))
    d_loss.backward()
    D_opt.step()

    G_opt.zero_grad()
    g_loss = g_loss_fn(D(fake))
    g_loss.backward()
    G_opt.step()
    D_opt.zero_grad()  # the generator's backward reached D
    return float(d_loss.item()), float(g_loss.item())
