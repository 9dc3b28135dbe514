"""gan_train_step never zeroes D's gradients: what the generator's loss left in D (and every
earlier step) accumulates into the next discriminator update."""

PATCH = [
    (
        "    D_opt.zero_grad()\n"
        "    d_loss = ",
        "    d_loss = ",
    ),
    (
        "    # D received gradients from the generator's loss; leave no trace of them for the caller.\n"
        "    D_opt.zero_grad()\n",
        "",
    ),
]
