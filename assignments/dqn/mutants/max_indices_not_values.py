"""td_target uses `.max(1)[1]` (the argmax indices) instead of the maximal values."""


def td_target(rewards, next_q_target, terminated, gamma):
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards + gamma * not_done * next_q_target.max(1)[1]
