# The demos of the rnn notebook, one cell per `# %%` (the percent format, docs/authoring.md).
# This header stands for the notebook's setup cells so that linters know their names; the generator skips it.
import rnn

from autograder.notebooks import when_implemented

QUICK = False

# %% [markdown] after="lstm_backward"
# ### A tiny language model
#
# Your layers, assembled into a character-level model of one sentence (embedding, recurrent
# layer, temporal affine, softmax loss), trained with gradient clipping. Both losses should fall
# well below the loss of guessing, `log(V)`:

# %%
import matplotlib.pyplot as plt
import numpy as np

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
    for _ in range(steps):
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
