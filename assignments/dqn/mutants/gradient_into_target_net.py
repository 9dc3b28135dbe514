"""dqn_loss computes the target outside torch.no_grad, so backward() also fills the target network's gradients."""


def dqn_loss(q_net, target_net, batch, gamma, double=False):
    q_taken = q_net(batch["obs"]).gather(1, batch["action"].long().unsqueeze(1)).squeeze(1)
    next_q_target = target_net(batch["next_obs"])
    if double:
        target = double_dqn_target(
            batch["reward"], q_net(batch["next_obs"]).detach(), next_q_target, batch["terminated"], gamma
        )
    else:
        target = td_target(batch["reward"], next_q_target, batch["terminated"], gamma)
    return F.smooth_l1_loss(q_taken, target)
