"""gan_train_step always uses the non-saturating losses, whatever `loss` says."""

PATCH = [
    (
        "d_loss_fn, g_loss_fn = ls_discriminator_loss, ls_generator_loss",
        "d_loss_fn, g_loss_fn = discriminator_loss, generator_loss",
    ),
]
