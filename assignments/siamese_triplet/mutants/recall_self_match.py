"""recall_at_k lets a point be its own nearest neighbour (the diagonal is not excluded)."""


def recall_at_k(embeddings, labels, k=1):
    embeddings = torch.as_tensor(embeddings).detach()
    labels = torch.as_tensor(labels)
    d = pairwise_distances(embeddings)
    neighbours = d.topk(k, dim=1, largest=False).indices
    hits = (labels[neighbours] == labels.unsqueeze(1)).any(dim=1)
    return float(hits.double().mean())
