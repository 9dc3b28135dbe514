"""train_dqn passes the step counter of the current episode to linear_epsilon, so epsilon never decays."""

PATCH = [
    (
        "    obs, _ = env.reset(seed=seed)\n",
        "    obs, _ = env.reset(seed=seed)\n"
        "    episode_step = 0\n",
    ),
    ("linear_epsilon(step, ", "linear_epsilon(episode_step, "),
    (
        "        episode_return += float(reward)\n",
        "        episode_return += float(reward)\n"
        "        episode_step += 1\n",
    ),
    (
        "            episode_return = 0.0\n",
        "            episode_return = 0.0\n"
        "            episode_step = 0\n",
    ),
]
