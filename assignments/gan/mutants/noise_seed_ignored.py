"""sample_noise ignores its seed: seeded calls are not reproducible."""


def sample_noise(batch_size, dim, seed=None):
    return 2.0 * torch.rand(batch_size, dim) - 1.0
