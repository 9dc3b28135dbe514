"""The demos of each lab's notebook: what a student would rather look at than read.

Each demo follows the check cell of the function it needs (``after``), runs only the student's
code, and waits quietly (``when_implemented``) while that code still raises NotImplementedError.
``QUICK`` (the notebook's parameters cell) shortens every training run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Recipe:
    after: str
    markdown: str
    code: str


_BACKPROP_TRAIN = Recipe("FullyConnectedNet", """### Training your network

Three interleaved spirals (300 points, 3 classes) are not linearly separable: a network with a
hidden layer fits them, a linear model cannot. Plain gradient descent on your `loss`:""", """
import numpy as np
import matplotlib.pyplot as plt

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
    for step in range(300 if QUICK else 2000):
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
""")

_CONV_TRAIN = Recipe("ThreeLayerConvNet", """### Overfitting a few images

A network that is right can drive the loss of a handful of images towards zero. Twenty-four 8x8
images of horizontal, vertical and diagonal bars:""", """
import numpy as np
import matplotlib.pyplot as plt

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
    for step in range(10 if QUICK else 40):
        loss, grads = net.loss(X, y)
        for name in net.params:
            net.params[name] -= 0.1 * grads[name]
        losses.append(loss)
    plt.plot(losses)
    plt.xlabel("step")
    plt.ylabel("loss")
    plt.title("training loss on 24 images")
    plt.show()
""")

_OPTIMIZER_RACE = Recipe("adamw", """### Your optimizers on a narrow valley

Each rule minimises the same badly conditioned quadratic, `0.5 * (w0**2 + 50 * w1**2)`, from
the same start. Momentum and the adaptive rules should beat plain SGD by far:""", """
import numpy as np
import matplotlib.pyplot as plt

curvature = np.array([1.0, 50.0])
runs = [("sgd", {"learning_rate": 0.02}), ("sgd_momentum", {"learning_rate": 0.02}),
        ("sgd_momentum", {"learning_rate": 0.02, "nesterov": True}), ("rmsprop", {"learning_rate": 0.05}),
        ("adagrad", {"learning_rate": 0.5}), ("adam", {"learning_rate": 0.1}), ("adamw", {"learning_rate": 0.1})]
waiting = []
fig, ax = plt.subplots(figsize=(7, 4))
for name, config in runs:
    w, losses = np.array([3.0, 1.0]), []
    try:
        for step in range(100 if QUICK else 300):
            losses.append(0.5 * np.sum(curvature * w**2))
            w, config = getattr(optimizers, name)(w, curvature * w, config)
    except NotImplementedError:
        waiting.append(name)
        continue
    label = name + (" (nesterov)" if config.get("nesterov") else "")
    ax.semilogy(np.maximum(losses, 1e-16), label=label)
ax.set(xlabel="step", ylabel="loss")
ax.legend()
plt.show()
if waiting:
    print("(curves appear for", ", ".join(sorted(set(waiting))), "once they work)")
""")

_SCHEDULES = Recipe("cosine_with_warmup", "### Your learning-rate schedules", """
import matplotlib.pyplot as plt

steps = range(1000)
with when_implemented("step_decay", "cosine_with_warmup"):
    plt.plot(steps, [optimizers.step_decay(0.1, s, step_size=300, gamma=0.5) for s in steps], label="step_decay")
    plt.plot(steps, [optimizers.cosine_with_warmup(0.1, s, total_steps=900, warmup_steps=100, min_lr=0.005)
                     for s in steps], label="cosine_with_warmup")
    plt.xlabel("step")
    plt.ylabel("learning rate")
    plt.legend()
    plt.show()
""")

_RNN_LANGUAGE_MODEL = Recipe("lstm_backward", """### A tiny language model

Your layers, assembled into a character-level model of one sentence (embedding, recurrent
layer, temporal affine, softmax loss), trained with gradient clipping. Both losses should fall
well below the loss of guessing, `log(V)`:""", """
import numpy as np
import matplotlib.pyplot as plt

text = "the quick brown fox jumps over the lazy dog. "
chars = sorted(set(text))
codes = np.array([chars.index(c) for c in text * 4])
x, y = codes[None, :-1], codes[None, 1:]
mask = np.ones(y.shape, dtype=bool)
V, D, H = len(chars), 16, 32

def train(cell, steps):
    rng = np.random.default_rng(0)
    gates = 4 if cell == "lstm" else 1
    params = {"W_embed": rng.normal(scale=0.1, size=(V, D)), "Wx": rng.normal(scale=0.1, size=(D, gates * H)),
              "Wh": rng.normal(scale=0.1, size=(H, gates * H)), "b": np.zeros(gates * H),
              "W_out": rng.normal(scale=0.1, size=(H, V)), "b_out": np.zeros(V)}
    forward = rnn.lstm_forward if cell == "lstm" else rnn.rnn_forward
    backward = rnn.lstm_backward if cell == "lstm" else rnn.rnn_backward
    losses = []
    for step in range(steps):
        emb, emb_cache = rnn.word_embedding_forward(x, params["W_embed"])
        h, h_cache = forward(emb, np.zeros((1, H)), params["Wx"], params["Wh"], params["b"])
        scores, out_cache = rnn.temporal_affine_forward(h, params["W_out"], params["b_out"])
        loss, dscores = rnn.temporal_softmax_loss(scores, y, mask)
        dh, dW_out, db_out = rnn.temporal_affine_backward(dscores, out_cache)
        demb, _dh0, dWx, dWh, db = backward(dh, h_cache)
        grads = {"W_embed": rnn.word_embedding_backward(demb, emb_cache), "Wx": dWx, "Wh": dWh, "b": db,
                 "W_out": dW_out, "b_out": db_out}
        rnn.clip_grad_norm(grads, 5.0)
        for name in params:
            params[name] -= 0.01 * grads[name]
        losses.append(loss / y.shape[1])
    return losses

steps = 50 if QUICK else 300
for cell in ("rnn", "lstm"):
    with when_implemented(f"the {cell} layers"):
        plt.plot(train(cell, steps), label=cell)
plt.axhline(np.log(V), color="gray", linestyle="--", label="guessing")
plt.xlabel("step")
plt.ylabel("loss per character")
plt.legend()
plt.show()
""")

_DIGIT_EMBEDDINGS = Recipe("train_triplet", """### Embeddings of the digits

scikit-learn's 8x8 digits, embedded in two dimensions by your `EmbeddingNet` after
`train_triplet`: each colour is one digit, and held-out images of the same digit should gather.""", """
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
""")

_GAN_SAMPLES = Recipe("train_gan", """### Real against generated samples

Your GAN trained on the ring of eight Gaussians: a generator that covers every mode puts a
cluster of orange points on each blue one.""", """
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
""")

_DQN_RETURNS = Recipe("train_dqn", """### Episode returns

Your agent on CartPole-v1 (a return of 500 is a pole balanced to the time limit). DQN is unstable:
the returns often peak and then collapse for a while; the grader judges the best 10-episode mean.""", """
import matplotlib.pyplot as plt

with when_implemented("train_dqn"):
    q_net, returns = dqn.train_dqn("CartPole-v1", total_steps=1500 if QUICK else 40000, seed=0)
    dqn.plot_returns(returns)
    plt.show()
""")

RECIPES: dict[str, tuple[Recipe, ...]] = {
    "backprop": (_BACKPROP_TRAIN,),
    "conv_backprop": (_CONV_TRAIN,),
    "optimizers": (_OPTIMIZER_RACE, _SCHEDULES),
    "rnn": (_RNN_LANGUAGE_MODEL,),
    "siamese_triplet": (_DIGIT_EMBEDDINGS,),
    "gan": (_GAN_SAMPLES,),
    "dqn": (_DQN_RETURNS,),
}
