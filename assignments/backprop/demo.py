# The demos of the backprop notebook, one cell per `# %%` (the percent format, docs/authoring.md).
# This header stands for the notebook's setup cells so that linters know their names; the generator skips it.
import backprop

from autograder.notebooks import when_implemented

QUICK = False

# %% [markdown] after="FullyConnectedNet"
# ### Training your network
#
# Three interleaved spirals (300 points, 3 classes) are not linearly separable: a network with a
# hidden layer fits them, a linear model cannot. Plain gradient descent on your `loss`:

# %%
import matplotlib.pyplot as plt
import numpy as np


def spirals(n=100, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.05, 1, n), classes)
    angle = np.concatenate([np.linspace(4 * k, 4 * (k + 1), n) for k in range(classes)])
    angle = angle + rng.normal(scale=0.2, size=angle.shape)
    X = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    return X, np.repeat(np.arange(classes), n)

X, y = spirals()
with when_implemented("FullyConnectedNet"):
    net = backprop.FullyConnectedNet([100], input_dim=2, num_classes=3, reg=1e-3, weight_scale=0.1, seed=0)
    losses = []
    for _ in range(300 if QUICK else 2000):
        loss, grads = net.loss(X, y)
        for name in net.params:
            net.params[name] -= 1.0 * grads[name]
        losses.append(loss)
    accuracy = (net.loss(X).argmax(axis=1) == y).mean()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(losses)
    ax1.set(xlabel="step", ylabel="loss", title=f"training loss (accuracy {accuracy:.0%})")
    grid = np.stack(np.meshgrid(np.linspace(-1.2, 1.2, 200), np.linspace(-1.2, 1.2, 200)), axis=-1)
    regions = net.loss(grid.reshape(-1, 2)).argmax(axis=1).reshape(200, 200)
    ax2.contourf(grid[..., 0], grid[..., 1], regions, alpha=0.3, cmap="brg")
    ax2.scatter(X[:, 0], X[:, 1], c=y, s=8, cmap="brg")
    ax2.set(title="decision regions", aspect="equal")
    plt.show()
