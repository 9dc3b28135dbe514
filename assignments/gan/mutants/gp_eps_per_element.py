"""gradient_penalty draws eps with rand_like(real): one eps per coordinate, not per sample, so
the interpolates leave the segment between real and fake."""

PATCH = [
    ("torch.rand(eps_shape, generator=", "torch.rand(real.shape, generator="),
]
