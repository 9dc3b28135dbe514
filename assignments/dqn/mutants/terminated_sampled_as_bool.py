"""ReplayBuffer stores `terminated` in a bool array and returns it as a bool tensor, not float32."""

PATCH = [
    (
        "self.terminated = np.zeros(self.capacity, dtype=np.float32)",
        "self.terminated = np.zeros(self.capacity, dtype=bool)",
    ),
    ("self.terminated[i] = float(terminated)", "self.terminated[i] = terminated"),
]
