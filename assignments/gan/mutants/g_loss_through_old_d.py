"""gan_train_step reports as g_loss the generator loss of the discriminator before its update
(computed together with d_loss), although G's update uses the updated D."""

PATCH = [
    (
        "    d_loss = d_loss_fn(D(real), D(fake.detach()))\n",
        "    logits_fake = D(fake.detach())\n"
        "    d_loss = d_loss_fn(D(real), logits_fake)\n"
        "    reported_g = g_loss_fn(logits_fake).item()\n",
    ),
    ("return float(d_loss.item()), float(g_loss.item())", "return float(d_loss.item()), float(reported_g)"),
]
