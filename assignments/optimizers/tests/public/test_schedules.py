"""Public tests: the learning-rate schedules at and around their boundaries."""

import math

from autograder.toolkit import assert_close, expect_scalar, graded


def lr_at(student, fn: str, steps: range, *args, **kwargs) -> list[float]:
    """The schedule's value at every step, in one round trip."""
    calls = [((args[0], step, *args[1:]), kwargs) for step in steps]
    return [expect_scalar(v, name=f"{fn}(step={s})", function=fn) for s, v in zip(steps, student.map(fn, calls))]


def check(got: list[float], expected: list[float], steps: range, fn: str) -> None:
    for step, g, e in zip(steps, got, expected):
        assert_close(g, e, name=f"{fn} at step {step}", rtol=1e-9, floor=1e-12, function=fn)


@graded(points=2, function="step_decay", hint="Integer division: gamma ** (step // step_size).")
def test_step_decay_boundaries(student):
    """at step 0, just before, at and after each multiple of step_size"""
    steps = range(0, 13)
    check(lr_at(student, "step_decay", steps, 0.4, 5, 0.5), [0.4 * 0.5 ** (s // 5) for s in steps], steps,
          "step_decay")
    check(lr_at(student, "step_decay", range(0, 4), 1.0, 1), [1.0, 0.1, 0.01, 0.001], range(0, 4), "step_decay")


@graded(points=3, function="cosine_with_warmup",
        hint="Step 0 gives 0; step == warmup_steps gives base_lr; step >= total_steps gives min_lr.")
def test_cosine_with_warmup_boundaries(student):
    """at step 0, through and at the end of the warm-up, at the last step and past it"""
    base, total, warm, low = 0.3, 20, 4, 0.01
    steps = range(0, total + 3)
    got = lr_at(student, "cosine_with_warmup", steps, base, total, warm, low)
    expected = [base * s / warm if s < warm else
                low + 0.5 * (base - low) * (1 + math.cos(math.pi * (s - warm) / (total - warm))) if s < total else low
                for s in steps]
    check(got, expected, steps, "cosine_with_warmup")


@graded(points=1, function="cosine_with_warmup", hint="Without warm-up the cosine starts at base_lr on step 0.")
def test_cosine_without_warmup(student):
    """with the default warmup_steps=0 and min_lr=0"""
    steps = range(0, 12)
    got = lr_at(student, "cosine_with_warmup", steps, 2.0, 10)
    expected = [1.0 * (1 + math.cos(math.pi * s / 10)) if s < 10 else 0.0 for s in steps]
    check(got, expected, steps, "cosine_with_warmup")
