"""td_target bootstraps from every next state, terminated or not."""


def td_target(rewards, next_q_target, terminated, gamma):
    return rewards + gamma * next_q_target.max(dim=1).values
