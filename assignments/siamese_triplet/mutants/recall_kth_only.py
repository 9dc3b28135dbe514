"""recall_at_k checks only the k-th nearest neighbour instead of any of the k nearest."""


def recall_at_k(embeddings, labels, k=1):
    embeddings = torch.as_tensor(embeddings).detach()
    labels = torch.as_tensor(labels)
    d = pairwise_distances(embeddings)
    d.fill_diagonal_(float("inf"))
    kth = d.topk(k, dim=1, largest=False).indices[:, -1]
    return float((labels[kth] == labels).double().mean())
