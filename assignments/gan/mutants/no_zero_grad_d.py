"""gan_train_step never zeroes D's gradients: what the generator's loss left in D (and every
earlier step) accumulates into the next discriminator update."""


def gan_train_step(G, D, G_opt, D_opt, real, noise_dim, loss="ns"):
    d_loss_fn, g_loss_fn = (
        (discriminator_loss, generator_loss) if loss == "ns" else (ls_discriminator_loss, ls_generator_loss)
    )
    fake = G(sample_noise(real.shape[0], noise_dim))
    d_loss = d_loss_fn(D(real), D(fake.detach()))
    d_loss.backward()
    D_opt.step()

    G_opt.zero_grad()
    g_loss = g_loss_fn(D(fake))
    g_loss.backward()
    G_opt.step()
    return d_loss.item(), g_loss.item()
