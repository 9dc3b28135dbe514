# The demos of the gan notebook, one cell per `# %%` (the percent format, docs/authoring.md).
# This header stands for the notebook's setup cells so that linters know their names; the generator skips it.
import gan

from autograder.notebooks import when_implemented

QUICK = False

# %% [markdown] after="train_gan"
# ### Real against generated samples
#
# Your GAN trained on the ring of eight Gaussians: a generator that covers every mode puts a
# cluster of orange points on each blue one.

# %%
import matplotlib.pyplot as plt
import torch

real = gan.ring_of_gaussians(2500, seed=0)
with when_implemented("train_gan"):
    G = gan.train_gan(real, steps=150 if QUICK else 3000, seed=0)
    G.eval()
    with torch.no_grad():
        fake = G(gan.sample_noise(2500, 16, seed=1))
    covered, quality = gan.mode_statistics(fake)
    gan.plot_samples(real, fake, title=f"{covered} of 8 modes covered, {quality:.0%} high quality")
    plt.show()
