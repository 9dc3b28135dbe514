"""pairwise_distances takes sqrt of the clamped squared distances directly: sqrt'(0) is infinite,
so every zero distance (the diagonal, identical rows) turns the gradient into nan."""


def pairwise_distances(embeddings, squared=False):
    diff = embeddings.unsqueeze(1) - embeddings.unsqueeze(0)
    d2 = (diff * diff).sum(dim=-1)
    if squared:
        return d2
    return torch.sqrt(torch.clamp(d2, min=0.0))
