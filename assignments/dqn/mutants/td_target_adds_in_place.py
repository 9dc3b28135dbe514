"""td_target adds the discounted bootstrap into rewards in place (add_): right value, the caller's rewards change."""

PATCH = [
    (
        "    return rewards + gamma * not_done * next_q_target.max(dim=1).values",
        "    return rewards.add_(gamma * not_done * next_q_target.max(dim=1).values)",
    )
]
