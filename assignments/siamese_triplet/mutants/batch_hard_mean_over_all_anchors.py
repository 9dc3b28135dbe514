"""batch_hard_triplet_loss averages over every anchor of the batch, counting anchors without a
positive or a negative as 0, instead of over the anchors that qualify."""


def batch_hard_triplet_loss(embeddings, labels, margin=1.0):
    labels = torch.as_tensor(labels)
    d = pairwise_distances(embeddings)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    eye = torch.eye(len(labels), dtype=torch.bool)
    pos_mask = same & ~eye
    neg_mask = ~same
    valid = pos_mask.any(dim=1) & neg_mask.any(dim=1)
    hardest_pos = torch.where(pos_mask, d, torch.zeros_like(d)).max(dim=1).values
    hardest_neg = torch.where(neg_mask, d, torch.full_like(d, float("inf"))).min(dim=1).values
    terms = torch.where(valid, F.relu(hardest_pos - hardest_neg + margin), torch.zeros_like(hardest_pos))
    return terms.mean()
