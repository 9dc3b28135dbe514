"""Public tests: the replay buffer on short, fixed sequences of pushes and samples."""

from _dqn_util import assert_length, push, sampled_ids, transition

from autograder.toolkit import Mismatch, expect_raises, graded


def _filled(student, capacity: int, obs_dim: int, n: int, seed: int = 0, kept: str | None = None):
    buffer = student.ReplayBuffer(capacity=capacity, obs_dim=obs_dim, seed=seed)
    pushed = [transition(k, obs_dim, action=k % 3, terminated=k % 4 == 0) for k in range(1, n + 1)]
    for t in pushed:
        push(buffer, t, kept)
    return buffer, pushed


@graded(points=3, function="ReplayBuffer.sample",
        hint="sample returns a dict of tensors: obs (B, obs_dim) float32, action (B,) int64, reward, "
             "terminated (B,) float32, next_obs (B, obs_dim) float32; row i of each is one transition.")
def test_push_and_sample(student):
    """push, len and sample: fields, shapes, dtypes and rows that belong together"""
    buffer, pushed = _filled(student, capacity=10, obs_dim=3, n=6)
    assert_length(student, buffer, pushes=6, capacity=10)
    stored = {int(t["obs"][0]): t for t in pushed}
    for batch_size in (1, 4, 6):
        ids = sampled_ids(buffer.sample(batch_size), batch_size, 3, stored)
        if batch_size == 6 and sorted(ids) != sorted(stored):
            raise Mismatch("sample(len(buffer))", "does not return every stored transition once",
                           function="ReplayBuffer.sample")


@graded(points=3, function="ReplayBuffer.push",
        hint="Once full, each push overwrites the oldest transition: index = (index + 1) % capacity.")
def test_overwrites_oldest(student):
    """a full buffer overwrites its oldest transitions, and push leaves its observations alone"""
    buffer, pushed = _filled(student, capacity=4, obs_dim=2, n=7, kept="ReplayBuffer.push")
    assert_length(student, buffer, pushes=7, capacity=4)
    newest = {int(t["obs"][0]): t for t in pushed[-4:]}
    for _ in range(3):
        ids = sampled_ids(buffer.sample(4), 4, 2, newest)
        if sorted(ids) != sorted(newest):
            raise Mismatch("sample(4)", "after 7 pushes into capacity 4 does not return the 4 newest "
                           "transitions", function="ReplayBuffer.push")


@graded(points=2, function="ReplayBuffer.sample", hint="Raise ValueError when batch_size > len(buffer).")
def test_value_error(student):
    """sample raises ValueError when asked for more transitions than stored"""
    buffer, _ = _filled(student, capacity=5, obs_dim=2, n=3)
    for batch_size in (4, 5):
        expect_raises(lambda b=batch_size: buffer.sample(b), name=f"sample({batch_size}) with 3 stored",
                      function="ReplayBuffer.sample")


@graded(points=2, function="ReplayBuffer.sample",
        hint="Draw with your own np.random.default_rng(seed), not with the global np.random.")
def test_seed_reproducible(student):
    """two buffers with the same seed and pushes give the same samples"""
    runs = []
    for _ in range(2):
        buffer, pushed = _filled(student, capacity=8, obs_dim=2, n=12, seed=123)
        stored = {int(t["obs"][0]): t for t in pushed[-8:]}
        runs.append([sampled_ids(buffer.sample(3), 3, 2, stored) for _ in range(6)])
    if runs[0] != runs[1]:
        raise Mismatch("sample()", "differs between two buffers built with the same seed and pushes",
                       function="ReplayBuffer.sample")
