"""train_dqn stores `terminated or truncated` as the terminal flag, so time-limit cuts stop the bootstrap."""

PATCH = [
    (
        "buffer.push(obs, action, reward, next_obs, terminated)",
        "buffer.push(obs, action, reward, next_obs, terminated or truncated)",
    ),
]
