"""dqn_loss uses the mean squared error instead of smooth L1."""

PATCH = [
    ("F.smooth_l1_loss(q_taken, target)", "F.mse_loss(q_taken, target)"),
]
