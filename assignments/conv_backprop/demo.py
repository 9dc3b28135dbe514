# The demos of the conv_backprop notebook, one cell per `# %%` (the percent format, docs/authoring.md).
# This header stands for the notebook's setup cells so that linters know their names; the generator skips it.
import conv_backprop

from autograder.notebooks import when_implemented

QUICK = False

# %% [markdown] after="ThreeLayerConvNet"
# ### Overfitting a few images
#
# A network that is right can drive the loss of a handful of images towards zero. Twenty-four 8x8
# images of horizontal, vertical and diagonal bars:

# %%
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
X = rng.normal(scale=0.3, size=(24, 1, 8, 8))
y = np.arange(24) % 3
for i, label in enumerate(y):
    k = rng.integers(1, 7)
    if label == 0:
        X[i, 0, k, :] += 2
    elif label == 1:
        X[i, 0, :, k] += 2
    else:
        X[i, 0] += 2 * np.eye(8)
with when_implemented("ThreeLayerConvNet"):
    net = conv_backprop.ThreeLayerConvNet(input_dim=(1, 8, 8), num_filters=4, filter_size=3, hidden_dim=20,
                                         num_classes=3, weight_scale=0.1, seed=0)
    losses = []
    for _ in range(10 if QUICK else 40):
        loss, grads = net.loss(X, y)
        for name in net.params:
            net.params[name] -= 0.1 * grads[name]
        losses.append(loss)
    plt.plot(losses)
    plt.xlabel("step")
    plt.ylabel("loss")
    plt.title("training loss on 24 images")
    plt.show()
