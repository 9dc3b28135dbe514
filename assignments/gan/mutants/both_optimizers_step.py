"""gan_train_step steps both optimizers after each backward pass: the generator's loss moves D,
and G's stale gradients move G during the discriminator's phase."""


def gan_train_step(G, D, G_opt, D_opt, real, noise_dim, loss="ns"):
    d_loss_fn, g_loss_fn = (
        (discriminator_loss, generator_loss) if loss == "ns" else (ls_discriminator_loss, ls_generator_loss)
    )
    fake = G(sample_noise(real.shape[0], noise_dim)).detach()
    D_opt.zero_grad()
    d_loss = d_loss_fn(D(real), D(fake))
    d_loss.backward()
    D_opt.step()
    G_opt.step()

    G_opt.zero_grad()
    g_loss = g_loss_fn(D(G(sample_noise(real.shape[0], noise_dim))))
    g_loss.backward()
    G_opt.step()
    D_opt.step()
    return d_loss.item(), g_loss.item()
