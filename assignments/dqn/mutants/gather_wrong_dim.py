"""dqn_loss gathers Q values along dimension 0 instead of the action dimension."""


def dqn_loss(
    q_net: nn.Module,
    target_net: nn.Module,
    batch: dict[str, torch.Tensor],
    gamma: float,
    double: bool = False,
) -> torch.Tensor:
    q_taken = q_net(batch["obs"]).gather(0, batch["action"].long().unsqueeze(1)).squeeze(1)
    with torch.no_grad():
        next_q_target = target_net(batch["next_obs"])
        if double:
            target = double_dqn_target(
                batch["reward"], q_net(batch["next_obs"]), next_q_target, batch["terminated"], gamma
            )
        else:
            target = td_target(batch["reward"], next_q_target, batch["terminated"], gamma)
    return F.smooth_l1_loss(q_taken, target)
