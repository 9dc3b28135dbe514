"""The verdict of a training test: a measurement the harness made, a threshold, a few seeds.

A training run is random; its test measures one number per run (held-out recall, modes covered,
the best rolling return), in the harness, on what the worker handed back, and passes as soon as
one seed's run reaches the threshold. The numbers of the runs that fell short go into the
failure, so that a student sees how far off the training was.

Grading tells ``expect_trained`` about the test that is running through a ``TrainingContext``
(``context``): every call is recorded there, with its runs, for the report; in a calibration run
(``dlgrade calibrate``) the context names the seeds to measure instead of the test's own, and
``expect_trained`` records them all without judging. Outside grading (a test of the toolkit) there
is no context and it only judges.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from autograder.toolkit.compare import Mismatch


@dataclass(frozen=True)
class Measured:
    """One training run as the harness measured it."""

    value: float
    """The number the threshold is compared with."""
    detail: str = ""
    """What a person reads about the run ("6 of 8 modes, 41% high quality"); the value when empty."""
    parts: dict[str, float] = field(default_factory=dict)
    """Conditions that must each reach the threshold, by name, when the value is their worst (the lowest, or
    the highest for an "at most" test): calibration bounds a broken variant's chance to pass by its least
    likely condition's, which can be far better behaved than the worst of them."""


NOT_MEASURED = math.nan
"""The value of a run that ended before its measurement (``Measured(NOT_MEASURED, why)``): it never passes,
and is recorded without a value."""


@dataclass(frozen=True)
class Run:
    """One seed's run as recorded: ``value`` None when it ended before a measurement (an error, a timeout)."""

    seed: int
    value: float | None
    detail: str
    seconds: float
    parts: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Trained:
    """One test's call of ``expect_trained``: its verdict's parameters and the runs it made."""

    quantity: str
    function: str
    threshold: float
    above: bool
    seeds: tuple[int, ...]
    runs: tuple[Run, ...]
    limit: float | None
    """The test's time limit in seconds, when grading said: every seed's run must fit in it."""


@dataclass
class TrainingContext:
    """What grading tells ``expect_trained`` about the running test, and where the call is recorded."""

    calibration_seeds: tuple[int, ...] = ()
    """A calibration run: measure these seeds, record them, do not judge. Empty: judge."""
    calibrated: str = ""
    """What correct and broken solutions measured in calibration, said when the test fails."""
    limit: float | None = None
    """The test's time limit in seconds."""
    trained: Trained | None = field(default=None, init=False)


_context: ContextVar[TrainingContext | None] = ContextVar("dlgrade_training", default=None)


@contextlib.contextmanager
def context(ctx: TrainingContext) -> Iterator[TrainingContext]:
    """``ctx`` for the calls of ``expect_trained`` inside the block (grading sets one per test)."""
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


def expect_trained(measure: Callable[[int], Measured], *, seeds: Sequence[int], threshold: float,
                   quantity: str, function: str, above: bool = True) -> Measured:
    """``measure(seed)`` for each of ``seeds`` in turn until a run reaches ``threshold`` (at least
    it, or at most it with ``above=False``); that run's measurement, or a failure charged to
    ``function`` that lists every run's."""
    if not seeds:
        raise ValueError("expect_trained needs at least one seed")
    ctx = _context.get()
    if ctx is not None and ctx.trained is not None:
        raise ValueError("one expect_trained per test: its runs are recorded, and calibrated, by the test")
    runs: list[Run] = []

    def record() -> None:
        if ctx is not None:
            ctx.trained = Trained(quantity, function, float(threshold), above, tuple(seeds), tuple(runs), ctx.limit)

    if ctx is not None and ctx.calibration_seeds:
        return _calibrate(measure, ctx.calibration_seeds, runs, record, above)
    for seed in seeds:
        try:
            run = _timed(measure, seed, runs, above)
        except BaseException:
            record()
            raise
        if (run.value >= threshold) if above else (run.value <= threshold):
            record()
            return run
    record()
    missed = f"{'stayed below' if above else 'stayed above'} {threshold:g}"
    shown = "; ".join(f"seed {r.seed}: {r.detail or f'{r.value:.4g}'}" for r in runs)
    calibrated = f"\n{ctx.calibrated}" if ctx is not None and ctx.calibrated else ""
    each = f"in each of {len(seeds)} training runs" if len(seeds) > 1 else "in its training run"
    raise Mismatch(quantity, f"{missed} {each}", shown + calibrated,
                   function=function)


def _calibrate(measure: Callable[[int], Measured], seeds: Sequence[int], runs: list[Run],
               record: Callable[[], None], above: bool) -> Measured:
    """Every one of ``seeds`` measured and recorded, none judged; a run that breaks is a run without a value."""
    last = Measured(NOT_MEASURED, "no run measured")
    for seed in seeds:
        with contextlib.suppress(Exception):  # the submission's failure or a timeout: a run without a measurement
            last = _timed(measure, seed, runs, above)
    record()
    return last


def _timed(measure: Callable[[int], Measured], seed: int, runs: list[Run], above: bool) -> Measured:
    """``measure(seed)``, recorded in ``runs`` with its time: without a value (and why) when it raises or
    measured nothing."""
    started = time.monotonic()
    try:
        run = measure(seed)
    except BaseException as exc:
        runs.append(Run(seed, None, f"{type(exc).__name__}: {str(exc)[:200]}", time.monotonic() - started))
        raise
    value = float(run.value)
    if run.parts and math.isfinite(value) and value != (min if above else max)(run.parts.values()):
        raise ValueError(f"a measurement with parts is the worst of them: {value} is not that of {run.parts}")
    measured = math.isfinite(value)
    runs.append(Run(seed, value if measured else None, run.detail or ("" if measured else "no measurement"),
                    time.monotonic() - started, dict(run.parts) if measured else {}))
    return run
