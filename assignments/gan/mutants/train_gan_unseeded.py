"""train_gan never seeds torch: the networks' initialisation, the batches and the noise differ on
every run, whatever `seed` says."""


def train_gan(real_data, steps=5000, batch_size=256, noise_dim=16, lr=1e-3, loss="ns", seed=0):
    G = Generator(noise_dim=noise_dim, out_dim=real_data.shape[1])
    D = Discriminator(in_dim=real_data.shape[1])
    G_opt = torch.optim.Adam(G.parameters(), lr=lr, betas=(0.5, 0.999))
    D_opt = torch.optim.Adam(D.parameters(), lr=lr, betas=(0.5, 0.999))
    schedule = lambda step: 1.0 if step < steps // 2 else 0.01 + 0.99 * (steps - step) / (steps - steps // 2)
    G_sched = torch.optim.lr_scheduler.LambdaLR(G_opt, schedule)
    D_sched = torch.optim.lr_scheduler.LambdaLR(D_opt, schedule)
    for _ in range(steps):
        batch = real_data[torch.randint(0, real_data.shape[0], (batch_size,))]
        gan_train_step(G, D, G_opt, D_opt, batch, noise_dim, loss=loss)
        G_sched.step()
        D_sched.step()
    return G
