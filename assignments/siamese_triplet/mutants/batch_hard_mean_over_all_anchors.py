"""batch_hard_triplet_loss averages over every anchor of the batch, counting anchors without a
positive or a negative as 0, instead of over the anchors that qualify."""

PATCH = [
    (
        "return F.relu(hardest_pos[valid] - hardest_neg[valid] + margin).mean()",
        "terms = F.relu(hardest_pos - hardest_neg + margin)\n"
        "    return torch.where(valid, terms, torch.zeros_like(terms)).mean()",
    ),
]
