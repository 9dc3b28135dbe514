"""recall_at_k centres the embeddings in place (distances do not change, but the caller's tensor does)."""

PATCH = [
    (
        "    embeddings = torch.as_tensor(embeddings).detach()\n",
        "    embeddings = torch.as_tensor(embeddings).detach()\n    embeddings -= embeddings.mean(dim=0)\n",
    ),
]
