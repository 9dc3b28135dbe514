"""ls_discriminator_loss forgets the factor 0.5 on both terms."""


def ls_discriminator_loss(scores_real, scores_fake):
    return ((scores_real - 1.0) ** 2).mean() + (scores_fake**2).mean()
