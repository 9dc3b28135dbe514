"""td_target and double_dqn_target compute `1 - terminated` directly, which torch refuses for bool tensors."""


def td_target(rewards, next_q_target, terminated, gamma):
    return rewards + gamma * (1 - terminated) * next_q_target.max(dim=1).values


def double_dqn_target(rewards, next_q_online, next_q_target, terminated, gamma):
    best = next_q_online.argmax(dim=1, keepdim=True)
    value = next_q_target.gather(1, best).squeeze(1)
    return rewards + gamma * (1 - terminated) * value
