"""batch_hard_triplet_loss takes the closest positive (min) instead of the farthest (max)."""

PATCH = [
    (
        "hardest_pos = torch.where(pos_mask, d, torch.zeros_like(d)).max(dim=1).values",
        'hardest_pos = torch.where(pos_mask, d, torch.full_like(d, float("inf"))).min(dim=1).values',
    ),
]
