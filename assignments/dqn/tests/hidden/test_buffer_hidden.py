"""Hidden tests: the replay buffer against a model, through random pushes and samples."""

import numpy as np
from _dqn_util import SIGMAS, length, push, sampled_ids, transition
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from autograder.toolkit import Mismatch, expect_raises, graded

# Feedback on a hidden test never shows the failing sequence, so shrinking it only costs time.
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)


@graded(points=7, function="ReplayBuffer", timeout=120,
        hint="A ring buffer: write at index, index = (index + 1) % capacity, size = min(size + 1, capacity); "
             "sample distinct indices among the size stored ones.")
def test_buffer_matches_model(student):
    """random pushes past capacity and samples agree with a model ring buffer, reproducibly"""

    class BufferModel(RuleBasedStateMachine):
        @initialize(capacity=st.integers(1, 7), obs_dim=st.integers(1, 3), seed=st.integers(0, 2**16))
        def build(self, capacity, obs_dim, seed):
            self.buffer = student.ReplayBuffer(capacity=capacity, obs_dim=obs_dim, seed=seed)
            # Same seed, same pushes: it must return the same samples.
            self.twin = student.ReplayBuffer(capacity=capacity, obs_dim=obs_dim, seed=seed)
            self.capacity, self.obs_dim = capacity, obs_dim
            self.pushed = []

        def stored(self):
            return {int(t["obs"][0]): t for t in self.pushed[-self.capacity:]}

        @rule(action=st.integers(0, 5), terminated=st.booleans(), repeat=st.integers(1, 4))
        def push(self, action, terminated, repeat):
            for _ in range(repeat):
                t = transition(len(self.pushed) + 1, self.obs_dim, action, terminated)
                push(self.buffer, t, kept="ReplayBuffer")
                push(self.twin, t)
                self.pushed.append(t)
                action, terminated = (action + 1) % 6, not terminated

        @precondition(lambda self: len(self.pushed) > 0)
        @rule(data=st.data())
        def sample(self, data):
            stored = self.stored()
            batch_size = data.draw(st.integers(1, len(stored)))
            ids = sampled_ids(self.buffer.sample(batch_size), batch_size, self.obs_dim, stored)
            if batch_size == len(stored) and set(ids) != set(stored):
                raise Mismatch("sample(len(buffer))", "does not return every stored transition",
                               function="ReplayBuffer.sample")
            if sampled_ids(self.twin.sample(batch_size), batch_size, self.obs_dim, stored) != ids:
                raise Mismatch("sample()", "differs between two buffers built with the same seed and pushes",
                               function="ReplayBuffer.sample")

        @rule(extra=st.integers(1, 3))
        def sample_too_many(self, extra):
            batch_size = len(self.stored()) + extra
            # The twin too: a sampler may use its generator before it finds out that it must raise.
            for buffer in (self.buffer, self.twin):
                expect_raises(lambda b=buffer: b.sample(batch_size), name="sample(batch_size > len(buffer))",
                              function="ReplayBuffer.sample")

        @invariant()
        def length_matches(self):
            if not hasattr(self, "buffer"):
                return
            n = length(student, self.buffer)
            if n != min(len(self.pushed), self.capacity):
                raise Mismatch("len(buffer)", "does not count the stored transitions (at most capacity)",
                               function="ReplayBuffer.__len__")

    run_state_machine_as_test(BufferModel, settings=settings(max_examples=15, stateful_step_count=20,
                                                             phases=NO_SHRINK))


@graded(points=2, function="ReplayBuffer.sample",
        hint="Draw indices uniformly among the stored transitions, e.g. rng.choice(size, batch_size, replace=False).")
def test_sampling_is_uniform(student):
    """every stored transition is sampled equally often, also after wrapping around"""
    capacity, obs_dim, batch_size, n = 8, 2, 3, 3000
    buffer = student.ReplayBuffer(capacity=capacity, obs_dim=obs_dim, seed=11)
    pushed = [transition(k, obs_dim, k % 2, False) for k in range(1, 14)]
    for t in pushed:
        push(buffer, t)
    stored = {int(t["obs"][0]): t for t in pushed[-capacity:]}
    samples = buffer.sample.map([((batch_size,), {})] * n)
    counts = dict.fromkeys(stored, 0)
    for sample in samples:
        for ident in sampled_ids(sample, batch_size, obs_dim, stored):
            counts[ident] += 1
    p = batch_size / capacity
    bound = SIGMAS * np.sqrt(n * p * (1 - p))
    for ident, count in counts.items():
        if abs(count - n * p) > bound:
            raise Mismatch("sample()", "some stored transitions are drawn more often than others",
                           f"transition {ident} in {count} of {n} samples, expected about {n * p:.0f}",
                           function="ReplayBuffer.sample")
