"""triplet_loss subtracts the margin instead of adding it."""


def triplet_loss(anchor, positive, negative, margin=1.0):
    d_ap = torch.linalg.vector_norm(anchor - positive, dim=1)
    d_an = torch.linalg.vector_norm(anchor - negative, dim=1)
    return F.relu(d_ap - d_an - margin).mean()
