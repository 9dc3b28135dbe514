"""discriminator_loss labels the fake logits as real (ones) as well."""

PATCH = [
    ("logits_fake, torch.zeros_like(logits_fake)", "logits_fake, torch.ones_like(logits_fake)"),
]
