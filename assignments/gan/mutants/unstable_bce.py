"""bce_loss takes the log of a sigmoid: -inf / nan once |logits| is large (float32 sigmoid(-1e4)
is exactly 0)."""


def bce_loss(input, target):
    p = torch.sigmoid(input)
    return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean()
