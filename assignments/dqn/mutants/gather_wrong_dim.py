"""dqn_loss gathers Q values along dimension 0 instead of the action dimension."""

PATCH = [
    ('q_net(batch["obs"]).gather(1, batch["action"]', 'q_net(batch["obs"]).gather(0, batch["action"]'),
]
