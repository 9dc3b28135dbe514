"""A correct gan lab in another style: BCE through logsigmoid, noise via uniform_, the penalty
seeded through torch.random.fork_rng with a flatten-and-sqrt norm, a discriminator that sees real
and fake in one concatenated batch, fresh noise for the generator's phase, D frozen with
requires_grad_(False) instead of zeroing its gradients afterwards, functional activations and a cosine
learning-rate decay after a warm constant phase. It must get full marks: the tests may not depend
on the reference's style."""

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def ring_of_gaussians(n, modes=8, radius=2.0, std=0.02, seed=None):
    rng = np.random.default_rng(seed)
    k = rng.integers(0, modes, size=n)
    angles = 2.0 * np.pi * k / modes
    centres = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return torch.from_numpy((centres + std * rng.standard_normal((n, 2))).astype(np.float32))


def sample_noise(batch_size, dim, seed=None):
    out = torch.empty(batch_size, dim)
    if seed is None:
        return out.uniform_(-1.0, 1.0)
    return out.uniform_(-1.0, 1.0, generator=torch.Generator().manual_seed(int(seed)))


def bce_loss(input, target):
    per_element = -(target * F.logsigmoid(input) + (1.0 - target) * F.logsigmoid(-input))
    return per_element.sum() / input.numel()


def discriminator_loss(logits_real, logits_fake):
    return bce_loss(logits_real, torch.ones_like(logits_real)) + bce_loss(
        logits_fake, torch.zeros_like(logits_fake)
    )


def generator_loss(logits_fake):
    return bce_loss(logits_fake, torch.ones_like(logits_fake))


def ls_discriminator_loss(scores_real, scores_fake):
    return 0.5 * (scores_real - 1).pow(2).mean() + 0.5 * scores_fake.pow(2).mean()


def ls_generator_loss(scores_fake):
    return 0.5 * (scores_fake - 1).pow(2).mean()


def gradient_penalty(discriminator, real, fake, seed=None):
    n = real.size(0)
    with torch.random.fork_rng(devices=[]):
        if seed is not None:
            torch.manual_seed(seed)
        eps = torch.rand(n, dtype=real.dtype)
    eps = eps.view(n, *([1] * (real.dim() - 1))).expand_as(real)
    x_hat = torch.lerp(fake.detach(), real.detach(), eps)
    x_hat.requires_grad_(True)
    out = discriminator(x_hat)
    grad = torch.autograd.grad(out, x_hat, grad_outputs=torch.ones_like(out), create_graph=True)[0]
    norms = torch.sqrt((grad.flatten(1) ** 2).sum(dim=1))
    return torch.mean((norms - 1) ** 2)


class Generator(nn.Module):
    def __init__(self, noise_dim=16, hidden_dim=128, out_dim=2):
        super().__init__()
        self.fc1 = nn.Linear(noise_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, hidden_dim)
        self.out = nn.Linear(hidden_dim, out_dim)

    def forward(self, z):
        return self.out(F.relu(self.fc2(F.relu(self.fc1(z)))))


class Discriminator(nn.Module):
    def __init__(self, in_dim=2, hidden_dim=128):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(in_dim, hidden_dim), nn.Linear(hidden_dim, hidden_dim)])
        self.head = nn.Linear(hidden_dim, 1)

    def forward(self, x):
        for layer in self.layers:
            x = F.leaky_relu(layer(x), 0.2)
        return self.head(x)


def gan_train_step(G, D, G_opt, D_opt, real, noise_dim, loss="ns"):
    losses = {"ns": (discriminator_loss, generator_loss), "ls": (ls_discriminator_loss, ls_generator_loss)}
    d_fn, g_fn = losses[loss]
    n = real.shape[0]

    with torch.no_grad():
        fake = G(sample_noise(n, noise_dim))
    scores = D(torch.cat([real, fake], dim=0))
    d_loss = d_fn(scores[:n], scores[n:])
    for p in D.parameters():
        p.grad = None
    d_loss.backward()
    D_opt.step()

    for p in D.parameters():
        p.requires_grad_(False)
    try:
        G_opt.zero_grad(set_to_none=False)
        g_loss = g_fn(D(G(sample_noise(n, noise_dim))))
        g_loss.backward()
        G_opt.step()
    finally:
        for p in D.parameters():
            p.requires_grad_(True)
    return d_loss.item(), g_loss.item()


def train_gan(real_data, steps=5000, batch_size=256, noise_dim=16, lr=1e-3, loss="ns", seed=0):
    torch.manual_seed(seed)
    G, D = Generator(noise_dim=noise_dim), Discriminator()
    G_opt = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    D_opt = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    warm = int(0.4 * steps)
    for step in range(steps):
        frac = 0.0 if step < warm else (step - warm) / max(steps - warm, 1)
        for opt in (G_opt, D_opt):
            for group in opt.param_groups:
                group["lr"] = lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * frac)))
        batch = real_data[torch.randint(len(real_data), (batch_size,))]
        gan_train_step(G, D, G_opt, D_opt, batch, noise_dim, loss=loss)
    return G
