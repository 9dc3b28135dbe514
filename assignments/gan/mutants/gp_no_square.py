"""gradient_penalty averages (norm - 1) without squaring it."""


def gradient_penalty(discriminator, real, fake, seed=None):
    generator = None if seed is None else torch.Generator().manual_seed(seed)
    n = real.shape[0]
    eps = torch.rand((n,) + (1,) * (real.dim() - 1), generator=generator, dtype=real.dtype)
    x_hat = (eps * real.detach() + (1.0 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(discriminator(x_hat).sum(), x_hat, create_graph=True)
    return (grad.reshape(n, -1).norm(2, dim=1) - 1.0).mean()
