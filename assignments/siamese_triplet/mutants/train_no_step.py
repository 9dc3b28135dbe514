"""train_triplet computes the loss and its gradients but never calls optimizer.step()."""


def train_triplet(model, X, y, epochs=20, batch_size=128, lr=1e-3, margin=1.0, seed=0):
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    n = len(X)
    history = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        total = 0.0
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            loss, _fraction = batch_all_triplet_loss(model(X[batch]), y[batch], margin)
            optimizer.zero_grad()
            loss.backward()
            total += loss.item() * len(batch)
        history.append(total / n)
    return history
