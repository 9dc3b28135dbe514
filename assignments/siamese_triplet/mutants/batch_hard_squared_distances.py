"""batch_hard_triplet_loss mines on squared distances where plain Euclidean ones are specified."""

PATCH = [
    (
        "    d = pairwise_distances(embeddings)\n"
        "    same = labels.unsqueeze(0) == labels.unsqueeze(1)\n"
        "    eye = torch.eye(len(labels), dtype=torch.bool, device=embeddings.device)\n"
        "    pos_mask",
        "    d = pairwise_distances(embeddings, squared=True)\n"
        "    same = labels.unsqueeze(0) == labels.unsqueeze(1)\n"
        "    eye = torch.eye(len(labels), dtype=torch.bool, device=embeddings.device)\n"
        "    pos_mask",
    ),
]
