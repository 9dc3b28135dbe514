"""double_dqn_target picks the action with the target network and reads its value from the online one."""


def double_dqn_target(rewards, next_q_online, next_q_target, terminated, gamma):
    best = next_q_target.argmax(dim=1, keepdim=True)
    value = next_q_online.gather(1, best).squeeze(1)
    not_done = 1.0 - terminated.to(next_q_target.dtype)
    return rewards + gamma * not_done * value
