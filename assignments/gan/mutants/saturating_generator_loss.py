"""generator_loss minimises log(1 - D(G(z))) (the saturating minimax loss) instead of the
non-saturating -log D(G(z)); it still trains on the ring, so only the unit tests can tell."""


def generator_loss(logits_fake):
    return -bce_loss(logits_fake, torch.zeros_like(logits_fake))
