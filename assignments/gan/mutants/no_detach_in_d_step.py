"""gan_train_step feeds the fake samples to the discriminator's loss without detaching them and
zeroes G's gradients only once, at the top: the discriminator's loss leaks into G's update."""


def gan_train_step(G, D, G_opt, D_opt, real, noise_dim, loss="ns"):
    d_loss_fn, g_loss_fn = (
        (discriminator_loss, generator_loss) if loss == "ns" else (ls_discriminator_loss, ls_generator_loss)
    )
    G_opt.zero_grad()
    D_opt.zero_grad()
    fake = G(sample_noise(real.shape[0], noise_dim))
    d_loss = d_loss_fn(D(real), D(fake))
    d_loss.backward()
    D_opt.step()

    fake = G(sample_noise(real.shape[0], noise_dim))
    g_loss = g_loss_fn(D(fake))
    g_loss.backward()
    G_opt.step()
    return d_loss.item(), g_loss.item()
