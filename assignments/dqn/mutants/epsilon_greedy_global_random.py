"""epsilon_greedy draws from the global np.random instead of the Generator it is given."""


def epsilon_greedy(q_values, epsilon, rng):
    if isinstance(q_values, torch.Tensor):
        q_values = q_values.detach().cpu().numpy()
    q_values = np.asarray(q_values)
    if np.random.rand() < epsilon:
        return int(np.random.randint(q_values.shape[0]))
    return int(np.argmax(q_values))
