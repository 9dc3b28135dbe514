"""update_target weights the target by tau and the online network by 1 - tau."""


def update_target(target_net, online_net, tau=1.0):
    with torch.no_grad():
        for p_target, p_online in zip(target_net.parameters(), online_net.parameters()):
            p_target.copy_(tau * p_target + (1.0 - tau) * p_online)
