"""td_target bootstraps from every next state, terminated or not."""

PATCH = [
    ("gamma * not_done * next_q_target.max(dim=1).values", "gamma * next_q_target.max(dim=1).values"),
]
