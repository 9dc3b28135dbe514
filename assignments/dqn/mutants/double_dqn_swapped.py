"""double_dqn_target picks the action with the target network and reads its value from the online one."""

PATCH = [
    (
        "    best = next_q_online.argmax(dim=1, keepdim=True)\n"
        "    value = next_q_target.gather(1, best).squeeze(1)\n",
        "    best = next_q_target.argmax(dim=1, keepdim=True)\n"
        "    value = next_q_online.gather(1, best).squeeze(1)\n",
    ),
]
