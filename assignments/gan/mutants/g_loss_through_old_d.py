"""gan_train_step reports as g_loss the generator loss of the discriminator before its update
(computed together with d_loss), although G's update uses the updated D."""


def gan_train_step(G, D, G_opt, D_opt, real, noise_dim, loss="ns"):
    d_loss_fn, g_loss_fn = (
        (discriminator_loss, generator_loss) if loss == "ns" else (ls_discriminator_loss, ls_generator_loss)
    )
    fake = G(sample_noise(real.shape[0], noise_dim))
    D_opt.zero_grad()
    logits_fake = D(fake.detach())
    d_loss = d_loss_fn(D(real), logits_fake)
    reported_g = g_loss_fn(logits_fake).item()
    d_loss.backward()
    D_opt.step()

    G_opt.zero_grad()
    g_loss = g_loss_fn(D(fake))
    g_loss.backward()
    G_opt.step()
    return d_loss.item(), reported_g
