"""batch_hard_triplet_loss takes the closest positive (min) instead of the farthest (max)."""


def batch_hard_triplet_loss(embeddings, labels, margin=1.0):
    labels = torch.as_tensor(labels)
    d = pairwise_distances(embeddings)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    eye = torch.eye(len(labels), dtype=torch.bool)
    pos_mask = same & ~eye
    neg_mask = ~same
    valid = pos_mask.any(dim=1) & neg_mask.any(dim=1)
    if not bool(valid.any()):
        return embeddings.sum() * 0
    inf = torch.full_like(d, float("inf"))
    easiest_pos = torch.where(pos_mask, d, inf).min(dim=1).values
    hardest_neg = torch.where(neg_mask, d, inf).min(dim=1).values
    return F.relu(easiest_pos[valid] - hardest_neg[valid] + margin).mean()
