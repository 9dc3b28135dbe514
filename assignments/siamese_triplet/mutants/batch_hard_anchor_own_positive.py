"""batch_hard_triplet_loss counts the anchor as its own positive, so an anchor whose class has
no other member still enters the mean (with hardest positive distance 0)."""


def batch_hard_triplet_loss(embeddings, labels, margin=1.0):
    labels = torch.as_tensor(labels)
    d = pairwise_distances(embeddings)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    valid = same.any(dim=1) & (~same).any(dim=1)
    if not bool(valid.any()):
        return embeddings.sum() * 0
    hardest_pos = torch.where(same, d, torch.zeros_like(d)).max(dim=1).values
    hardest_neg = torch.where(~same, d, torch.full_like(d, float("inf"))).min(dim=1).values
    return F.relu(hardest_pos[valid] - hardest_neg[valid] + margin).mean()
