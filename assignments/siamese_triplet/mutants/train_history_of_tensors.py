"""train_triplet appends the loss tensors themselves to the history (keeping every graph alive)
instead of Python floats, and records the last batch's loss rather than the epoch's mean."""


def train_triplet(model, X, y, epochs=20, batch_size=128, lr=1e-3, margin=1.0, seed=0):
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    n = len(X)
    history = []
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            loss, _fraction = batch_all_triplet_loss(model(X[batch]), y[batch], margin)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        history.append(loss)
    return history
