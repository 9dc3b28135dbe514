"""dqn_loss regresses the Q values of all actions onto the target (broadcasting), not only the taken one."""

PATCH = [
    (
        "return F.smooth_l1_loss(q_taken, target)",
        'return F.smooth_l1_loss(q_net(batch["obs"]), target.unsqueeze(1).expand(-1, next_q_target.shape[1]))',
    ),
]
