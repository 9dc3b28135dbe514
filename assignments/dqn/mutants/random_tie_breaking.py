"""epsilon_greedy breaks ties between maximal Q values at random instead of taking the lowest index."""


def epsilon_greedy(q_values, epsilon, rng):
    if isinstance(q_values, torch.Tensor):
        q_values = q_values.detach().cpu().numpy()
    q_values = np.asarray(q_values)
    if rng.random() < epsilon:
        return int(rng.integers(q_values.shape[0]))
    return int(rng.choice(np.flatnonzero(q_values == q_values.max())))
