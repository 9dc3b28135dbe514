"""contrastive_loss forgets to square the hinge of dissimilar pairs: relu(margin - d)."""


def contrastive_loss(emb1, emb2, is_same, margin=1.0):
    d = torch.linalg.vector_norm(emb1 - emb2, dim=1)
    same = is_same.to(d.dtype)
    return 0.5 * (same * d**2 + (1 - same) * F.relu(margin - d)).mean()
