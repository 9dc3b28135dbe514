"""epsilon_greedy draws its random action with rng.integers(0, A - 1), which never returns the last action."""


def epsilon_greedy(q_values, epsilon, rng):
    if isinstance(q_values, torch.Tensor):
        q_values = q_values.detach().cpu().numpy()
    q_values = np.asarray(q_values)
    if rng.random() < epsilon:
        return int(rng.integers(0, q_values.shape[0] - 1))
    return int(np.argmax(q_values))
