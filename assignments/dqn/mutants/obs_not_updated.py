"""train_dqn forgets `obs = next_obs`: every transition of an episode starts from the reset observation."""


def train_dqn(
    env_id: str = "CartPole-v1", total_steps: int = 40000, seed: int = 0, double: bool = False
) -> tuple[QNetwork, list[float]]:
    gamma = 0.99
    batch_size = 64
    learning_starts = 1000
    train_every = 4
    target_every = 500
    epsilon_duration = total_steps // 4

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    env = gym.make(env_id)
    obs_dim = env.observation_space.shape[0]
    n_actions = int(env.action_space.n)
    q_net = QNetwork(obs_dim, n_actions)
    target_net = QNetwork(obs_dim, n_actions)
    update_target(target_net, q_net)
    optimizer = torch.optim.Adam(q_net.parameters(), lr=1e-3)
    buffer = ReplayBuffer(min(total_steps, 50000), obs_dim, seed=seed)

    returns: list[float] = []
    episode_return = 0.0
    obs, _ = env.reset(seed=seed)
    for step in range(total_steps):
        epsilon = linear_epsilon(step, duration=max(1, epsilon_duration))
        with torch.no_grad():
            q_values = q_net(torch.as_tensor(obs, dtype=torch.float32).unsqueeze(0))[0]
        action = epsilon_greedy(q_values, epsilon, rng)
        next_obs, reward, terminated, truncated, _ = env.step(action)
        buffer.push(obs, action, reward, next_obs, terminated)
        episode_return += float(reward)
        if terminated or truncated:
            returns.append(episode_return)
            episode_return = 0.0
            obs, _ = env.reset()

        if step >= learning_starts and step % train_every == 0:
            loss = dqn_loss(q_net, target_net, buffer.sample(batch_size), gamma, double=double)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(q_net.parameters(), 10.0)
            optimizer.step()
        if step % target_every == 0:
            update_target(target_net, q_net)
    env.close()
    return q_net, returns
