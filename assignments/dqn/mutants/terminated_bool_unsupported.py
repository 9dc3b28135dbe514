"""td_target and double_dqn_target compute `1 - terminated` directly, which torch refuses for bool tensors."""

PATCH = [
    (
        "not_done = 1.0 - terminated.to(next_q_target.dtype)\n"
        "    return rewards + gamma * not_done * next_q_target",
        "not_done = 1 - terminated\n"
        "    return rewards + gamma * not_done * next_q_target",
    ),
    (
        "not_done = 1.0 - terminated.to(next_q_target.dtype)\n"
        "    return rewards + gamma * not_done * value",
        "not_done = 1 - terminated\n"
        "    return rewards + gamma * not_done * value",
    ),
]
