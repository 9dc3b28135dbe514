"""update_target with tau 1 rebinds `p_target.data = p_online.data`: the target shares the online tensors."""


def update_target(target_net, online_net, tau=1.0):
    for p_target, p_online in zip(target_net.parameters(), online_net.parameters()):
        if tau == 1.0:
            p_target.data = p_online.data
        else:
            p_target.data = tau * p_online.data + (1.0 - tau) * p_target.data
