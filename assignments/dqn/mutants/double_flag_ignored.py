"""dqn_loss always uses the plain DQN target, whatever `double` says."""

PATCH = [
    ("        if double:\n", "        if False:\n"),
]
