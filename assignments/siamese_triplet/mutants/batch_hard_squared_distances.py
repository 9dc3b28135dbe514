"""batch_hard_triplet_loss mines on squared distances where plain Euclidean ones are specified."""


def batch_hard_triplet_loss(embeddings, labels, margin=1.0):
    labels = torch.as_tensor(labels)
    d = pairwise_distances(embeddings, squared=True)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    eye = torch.eye(len(labels), dtype=torch.bool)
    pos_mask = same & ~eye
    neg_mask = ~same
    valid = pos_mask.any(dim=1) & neg_mask.any(dim=1)
    if not bool(valid.any()):
        return embeddings.sum() * 0
    hardest_pos = torch.where(pos_mask, d, torch.zeros_like(d)).max(dim=1).values
    hardest_neg = torch.where(neg_mask, d, torch.full_like(d, float("inf"))).min(dim=1).values
    return F.relu(hardest_pos[valid] - hardest_neg[valid] + margin).mean()
