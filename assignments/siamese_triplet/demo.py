# The demos of the siamese_triplet notebook, one cell per `# %%` (the percent format, docs/authoring.md).
# This header stands for the notebook's setup cells so that linters know their names; the generator skips it.
import siamese_triplet

from autograder.notebooks import when_implemented

QUICK = False

# %% [markdown] after="train_triplet"
# ### Embeddings of the digits
#
# scikit-learn's 8x8 digits, embedded in two dimensions by your `EmbeddingNet` after
# `train_triplet`: each colour is one digit, and held-out images of the same digit should gather.

# %%
import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits

digits = load_digits()
X = torch.tensor(digits.data / 16.0, dtype=torch.float32)
y = torch.tensor(digits.target)
with when_implemented("EmbeddingNet", "train_triplet"):
    torch.manual_seed(0)
    model = siamese_triplet.EmbeddingNet(input_dim=64, embedding_dim=2)
    losses = siamese_triplet.train_triplet(model, X[:1200], y[:1200], epochs=2 if QUICK else 20)
    model.eval()
    with torch.no_grad():
        held_out = model(X[1200:])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.5))
    ax1.plot(losses)
    ax1.set(xlabel="epoch", ylabel="triplet loss", title="training")
    points = ax2.scatter(held_out[:, 0], held_out[:, 1], c=y[1200:], cmap="tab10", s=8)
    fig.colorbar(points, ax=ax2, label="digit")
    with when_implemented("recall_at_k"):
        ax2.set_title(f"held-out digits, recall@1 = {siamese_triplet.recall_at_k(held_out, y[1200:], k=1):.2f}")
    plt.show()
