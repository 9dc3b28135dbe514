"""train_gan never seeds torch: the networks' initialisation, the batches and the noise differ on
every run, whatever `seed` says."""

PATCH = [
    ("    torch.manual_seed(seed)\n", ""),
]
