"""gan_train_step detaches the fake samples in the generator's step as well: G gets no gradient
and never learns."""

PATCH = [
    ("g_loss = g_loss_fn(D(fake))", "g_loss = g_loss_fn(D(fake.detach()))"),
]
