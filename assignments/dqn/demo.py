# The demos of the dqn notebook, one cell per `# %%` (the percent format, docs/authoring.md).
# This header stands for the notebook's setup cells so that linters know their names; the generator skips it.
import dqn

from autograder.notebooks import when_implemented

QUICK = False

# %% [markdown] after="train_dqn"
# ### Episode returns
#
# Your agent on CartPole-v1 (a return of 500 is a pole balanced to the time limit). DQN is unstable:
# the returns often peak and then collapse for a while; the grader judges the best 10-episode mean.

# %%
import matplotlib.pyplot as plt

with when_implemented("train_dqn"):
    q_net, returns = dqn.train_dqn("CartPole-v1", total_steps=1500 if QUICK else 40000, seed=0)
    dqn.plot_returns(returns)
    plt.show()
