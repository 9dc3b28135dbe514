"""train_dqn records the return only of terminated episodes, dropping the truncated ones."""

PATCH = [
    (
        "            returns.append(episode_return)\n",
        "            if terminated:\n"
        "                returns.append(episode_return)\n",
    ),
]
