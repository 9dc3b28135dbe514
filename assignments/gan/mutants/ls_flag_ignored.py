"""gan_train_step always uses the non-saturating losses, whatever `loss` says."""


def gan_train_step(G, D, G_opt, D_opt, real, noise_dim, loss="ns"):
    fake = G(sample_noise(real.shape[0], noise_dim))
    D_opt.zero_grad()
    d_loss = discriminator_loss(D(real), D(fake.detach()))
    d_loss.backward()
    D_opt.step()

    G_opt.zero_grad()
    g_loss = generator_loss(D(fake))
    g_loss.backward()
    G_opt.step()
    return d_loss.item(), g_loss.item()
