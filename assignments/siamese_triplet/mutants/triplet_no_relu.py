"""triplet_loss forgets the hinge: mean(d_ap - d_an + margin), so easy triplets give negative terms."""


def triplet_loss(anchor, positive, negative, margin=1.0):
    d_ap = torch.linalg.vector_norm(anchor - positive, dim=1)
    d_an = torch.linalg.vector_norm(anchor - negative, dim=1)
    return (d_ap - d_an + margin).mean()
