"""gradient_penalty draws eps with rand_like(real): one eps per coordinate, not per sample, so
the interpolates leave the segment between real and fake."""


def gradient_penalty(discriminator, real, fake, seed=None):
    if seed is not None:
        torch.manual_seed(seed)
    n = real.shape[0]
    eps = torch.rand_like(real)
    x_hat = (eps * real.detach() + (1.0 - eps) * fake.detach()).requires_grad_(True)
    (grad,) = torch.autograd.grad(discriminator(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.reshape(n, -1).norm(2, dim=1) - 1.0) ** 2).mean()
