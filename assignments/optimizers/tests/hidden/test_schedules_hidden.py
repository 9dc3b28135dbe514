"""Hidden tests: the schedules over whole runs with drawn settings, against the spec's formulas."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.toolkit import assert_close, expect_scalar, graded


def values(student, fn: str, calls: list[tuple[tuple, dict]]) -> list[float]:
    return [expect_scalar(v, name=f"{fn} result", function=fn) for v in student.map(fn, calls)]


def cosine(base: float, step: int, total: int, warm: int, low: float) -> float:
    if step >= total:
        return low
    if step < warm:
        return base * step / warm
    return low + 0.5 * (base - low) * (1 + math.cos(math.pi * (step - warm) / (total - warm)))


@graded(points=3, function="step_decay", hint="base_lr * gamma ** (step // step_size), with integer division.")
@settings(max_examples=10)
@given(base=st.floats(1e-4, 1.0), step_size=st.integers(1, 30), gamma=st.floats(0.05, 0.99))
def test_step_decay_runs(student, base, step_size, gamma):
    """over a whole run with drawn base_lr, step_size and gamma"""
    steps = range(0, 4 * step_size + 2)
    got = values(student, "step_decay", [((base, s, step_size, gamma), {}) for s in steps])
    for s, g in zip(steps, got):
        assert_close(g, base * gamma ** (s // step_size), name=f"learning rate at step {s}", rtol=1e-9,
                     floor=1e-12 * base)


@graded(points=4, function="cosine_with_warmup",
        hint="Check the order: past the end first, then the warm-up, then the cosine from base_lr to min_lr.")
@settings(max_examples=15)
@given(base=st.floats(1e-4, 1.0), total=st.integers(1, 200), data=st.data(), low_frac=st.floats(0.0, 0.5))
def test_cosine_runs(student, base, total, data, low_frac):
    """over a whole run with drawn lengths of warm-up (0 to past the end) and min_lr"""
    # A warm-up longer than the run shows the order: past the end wins over the warm-up.
    warm = data.draw(st.integers(0, total) | st.just(total + 2), label="warmup_steps")
    low = low_frac * base
    steps = range(0, total + 3)
    calls = [((base, s, total), {"warmup_steps": warm, "min_lr": low}) for s in steps]
    got = values(student, "cosine_with_warmup", calls)
    for s, g in zip(steps, got):
        # Near the end of the cosine, 1 + cos(x) loses relative precision: the floor covers it.
        assert_close(g, cosine(base, s, total, warm, low), name=f"learning rate at step {s}", rtol=1e-9,
                     floor=1e-9 * base)
