"""triplet_loss writes the norm as sqrt(sum(diff**2)): nan gradients when a positive coincides
with its anchor."""


def triplet_loss(anchor, positive, negative, margin=1.0):
    d_ap = torch.sqrt(((anchor - positive) ** 2).sum(dim=1))
    d_an = torch.sqrt(((anchor - negative) ** 2).sum(dim=1))
    return F.relu(d_ap - d_an + margin).mean()
