"""sample_noise draws from a standard normal instead of uniform in [-1, 1)."""


def sample_noise(batch_size, dim, seed=None):
    generator = None
    if seed is not None:
        generator = torch.Generator().manual_seed(seed)
    return torch.randn(batch_size, dim, generator=generator)
