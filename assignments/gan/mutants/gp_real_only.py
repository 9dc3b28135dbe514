"""gradient_penalty evaluates the gradient at the real samples instead of at interpolates."""


def gradient_penalty(discriminator, real, fake, seed=None):
    n = real.shape[0]
    x_hat = real.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(discriminator(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.reshape(n, -1).norm(2, dim=1) - 1.0) ** 2).mean()
