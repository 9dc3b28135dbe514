"""sample_noise draws from a standard normal instead of uniform in [-1, 1)."""

PATCH = [
    (
        "return 2.0 * torch.rand(batch_size, dim, generator=generator) - 1.0",
        "return torch.randn(batch_size, dim, generator=generator)",
    ),
]
