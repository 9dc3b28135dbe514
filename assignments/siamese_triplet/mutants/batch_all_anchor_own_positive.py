"""batch_all_triplet_loss counts the anchor as its own positive: the same-label mask keeps the
diagonal, so (a, a, n) triplets enter the sum and the counts."""


def batch_all_triplet_loss(embeddings, labels, margin=1.0):
    labels = torch.as_tensor(labels)
    d = pairwise_distances(embeddings)
    same = labels.unsqueeze(0) == labels.unsqueeze(1)
    valid = same.unsqueeze(2) & (~same).unsqueeze(1)
    terms = F.relu(d.unsqueeze(2) - d.unsqueeze(1) + margin) * valid
    num_valid = int(valid.sum())
    num_positive = int((terms > 1e-16).sum())
    fraction = num_positive / num_valid if num_valid else 0.0
    if num_positive == 0:
        return embeddings.sum() * 0, fraction
    return terms.sum() / num_positive, fraction
