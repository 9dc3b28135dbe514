"""dqn_loss computes the target with the online network instead of the target network (still detached)."""

PATCH = [
    ('next_q_target = target_net(batch["next_obs"])', 'next_q_target = q_net(batch["next_obs"])'),
]
