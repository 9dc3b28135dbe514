"""gan_train_step feeds the fake samples to the discriminator's loss without detaching them and
zeroes G's gradients only once, at the top: the discriminator's loss leaks into G's update."""

PATCH = [
    (
        "    fake = G(sample_noise(batch_size, noise_dim).to(real.dtype))\n"
        "    D_opt.zero_grad()\n"
        "    d_loss = d_loss_fn(D(real), D(fake.detach()))\n",
        "    G_opt.zero_grad()\n"
        "    D_opt.zero_grad()\n"
        "    fake = G(sample_noise(batch_size, noise_dim).to(real.dtype))\n"
        "    d_loss = d_loss_fn(D(real), D(fake))\n",
    ),
    (
        "    G_opt.zero_grad()\n"
        "    g_loss = g_loss_fn(D(fake))\n",
        "    fake = G(sample_noise(batch_size, noise_dim).to(real.dtype))\n"
        "    g_loss = g_loss_fn(D(fake))\n",
    ),
]
