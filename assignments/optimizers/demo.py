# The demos of the optimizers notebook, one cell per `# %%` (the percent format, docs/authoring.md).
# This header stands for the notebook's setup cells so that linters know their names; the generator skips it.
import optimizers

from autograder.notebooks import when_implemented

QUICK = False

# %% [markdown] after="adamw"
# ### Your optimizers on a narrow valley
#
# Each rule minimises the same badly conditioned quadratic, `0.5 * (w0**2 + 50 * w1**2)`, from
# the same start. Momentum and the adaptive rules should beat plain SGD by far:

# %%
import matplotlib.pyplot as plt
import numpy as np

curvature = np.array([1.0, 50.0])
runs = [("sgd", {"learning_rate": 0.02}), ("sgd_momentum", {"learning_rate": 0.02}),
        ("sgd_momentum", {"learning_rate": 0.02, "nesterov": True}), ("rmsprop", {"learning_rate": 0.05}),
        ("adagrad", {"learning_rate": 0.5}), ("adam", {"learning_rate": 0.1}), ("adamw", {"learning_rate": 0.1})]
waiting = []
fig, ax = plt.subplots(figsize=(7, 4))
for name, config in runs:
    w, losses = np.array([3.0, 1.0]), []
    try:
        for _ in range(100 if QUICK else 300):
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

# %% [markdown] after="cosine_with_warmup"
# ### Your learning-rate schedules

# %%
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
