"""gan_train_step steps both optimizers after each backward pass: the generator's loss moves D,
and G's stale gradients move G during the discriminator's phase."""

PATCH = [
    (
        "    d_loss.backward()\n"
        "    D_opt.step()\n",
        "    d_loss.backward()\n"
        "    D_opt.step()\n"
        "    G_opt.step()\n",
    ),
    (
        "    g_loss.backward()\n"
        "    G_opt.step()\n",
        "    g_loss.backward()\n"
        "    G_opt.step()\n"
        "    D_opt.step()\n",
    ),
]
