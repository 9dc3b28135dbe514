"""pairwise_distances adds an eps inside the square root to dodge the nan gradient: finite, but
the diagonal (and every distance) is no longer exactly right."""


def pairwise_distances(embeddings, squared=False):
    diff = embeddings.unsqueeze(1) - embeddings.unsqueeze(0)
    d2 = (diff * diff).sum(dim=-1)
    if squared:
        return d2
    return torch.sqrt(d2 + 1e-8)
