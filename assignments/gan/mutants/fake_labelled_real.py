"""discriminator_loss labels the fake logits as real (ones) as well."""


def discriminator_loss(logits_real, logits_fake):
    return bce_loss(logits_real, torch.ones_like(logits_real)) + bce_loss(
        logits_fake, torch.ones_like(logits_fake)
    )
