"""The verdict of a training test: a measurement the harness made, a threshold, a few seeds.

A training run is random; its test measures one number per run (held-out recall, modes covered,
the best rolling return), in the harness, on what the worker handed back, and passes as soon as
one seed's run reaches the threshold. The numbers of the runs that fell short go into the
failure, so that a student sees how far off the training was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from autograder.toolkit.compare import Mismatch


@dataclass(frozen=True)
class Measured:
    """One training run as the harness measured it."""

    value: float
    """The number the threshold is compared with."""
    detail: str = ""
    """What a person reads about the run ("6 of 8 modes, 41% high quality"); the value when empty."""


def expect_trained(measure: Callable[[int], Measured], *, seeds: Sequence[int], threshold: float,
                   quantity: str, function: str, above: bool = True) -> Measured:
    """``measure(seed)`` for each of ``seeds`` in turn until a run reaches ``threshold`` (at least
    it, or at most it with ``above=False``); that run's measurement, or a failure charged to
    ``function`` that lists every run's."""
    if not seeds:
        raise ValueError("expect_trained needs at least one seed")
    runs: list[str] = []
    for seed in seeds:
        run = measure(seed)
        if (run.value >= threshold) if above else (run.value <= threshold):
            return run
        runs.append(f"seed {seed}: {run.detail or f'{run.value:.4g}'}")
    goal = f"{'at least' if above else 'at most'} {threshold:g}"
    raise Mismatch(quantity, f"stayed short of {goal} in each of {len(seeds)} training runs", "; ".join(runs),
                   function=function)
