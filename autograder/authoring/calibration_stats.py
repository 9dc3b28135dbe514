"""The statistics of calibration: how often a test's verdict over several seeds goes the wrong way.

A test passes as soon as one of its ``k`` seeds' runs reaches the threshold. For one solution, the
chance that one run falls short is ``p``: a correct solution fails the test with probability
``p**k``, a broken one (whose runs reach the threshold with probability ``q``) passes it with
probability ``1 - (1 - q)**k``. Both are bounded from above with 95% confidence from the
calibration's runs, by one of two bounds, chosen by the shape of the values (never by which bound is
smaller, which would make the pair's confidence less than 95%):

- where the values look normal (Shapiro-Wilk does not reject at 5%, at least 8 values, every run of
  a correct solution measured), the normal-theory bound on the tail beyond the threshold (from the
  noncentral t distribution of the standardized distance of the mean to the threshold): it uses how
  far the runs stay from the threshold, not only on which side, so 10 runs of a broken variant far
  below it can bound ``q`` well under 1e-2;
- otherwise Clopper-Pearson's, from the count of runs on the wrong side: it assumes nothing of the
  measurement, and needs many runs (none of 30 runs falling short bounds ``p`` by 0.095, which three
  seeds make 8.6e-4; a broken variant needs about 900 runs for 1e-2 over three seeds).

A measurement that is the worst of several conditions (``Measured.parts``: a run passes only when each
reaches the threshold) lets a broken variant's chance to pass be bounded by its least likely condition's
(``reaching_all``), each condition's bound taken at a Bonferroni-corrected confidence so that the smallest
still holds at 95%: a variant whose worst condition is lumpy (a network that mostly plays one action, now
and then a little better) is bounded by a condition that is not.

A measurement that is the same in every run (a broken variant that never trains) or a solution none
of whose runs measured anything (it failed before the measurement) has no spread to bound: its
verdict does not depend on the seed, and its bound is 0 on the side it is on.

Directions: everything here is for ``above`` (passing is ``value >= threshold``); ``at_most``
tests negate values and threshold.
"""

from __future__ import annotations

import functools
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from scipy import optimize, stats

CONFIDENCE = 0.95
FAR = 1e4  # a standardized distance (times sqrt(n)) past which the tail bound is 0 or 1 to any precision
MIN_NORMAL = 8  # fewer values say nothing about the shape of their distribution


def clopper_pearson_upper(events: int, n: int, confidence: float = CONFIDENCE) -> float:
    """The one-sided upper confidence bound on a probability after ``events`` in ``n`` trials."""
    if n <= 0:
        return 1.0
    if events >= n:
        return 1.0
    return float(stats.beta.ppf(confidence, events + 1, n - events))


def looks_normal(values: Sequence[float]) -> bool:
    """Shapiro-Wilk does not reject normality at 5% (a screen for the normal bound, not a proof)."""
    return _looks_normal(tuple(values))


@functools.lru_cache(maxsize=1024)  # asked again for every threshold tried
def _looks_normal(values: tuple[float, ...]) -> bool:
    return len(values) >= MIN_NORMAL and _spread(values) > 0 and bool(stats.shapiro(values).pvalue >= 0.05)


def normal_below_upper(values: Sequence[float], threshold: float, confidence: float = CONFIDENCE) -> float:
    """Upper confidence bound on P(X < threshold) for normal X, from the sample ``values``."""
    n = len(values)
    t_obs = math.sqrt(n) * (statistics.fmean(values) - threshold) / _spread(values)
    if abs(t_obs) > FAR:  # beyond what the noncentral t's numerics reach: the threshold is out of the runs' reach
        return 0.0 if t_obs > 0 else 1.0
    # The noncentrality delta = sqrt(n) (mu - threshold) / sigma has the lower bound where the observed
    # statistic sits at the ``confidence`` quantile; the tail below the threshold is Phi(-delta / sqrt(n)).
    lo, hi = min(-20.0, 3 * t_obs - 20), max(t_obs, 0.0) + 20
    # The survival function: scipy's cdf of the noncentral t returns NaN at some (statistic, noncentrality) pairs.
    delta = optimize.brentq(lambda d: stats.nct.sf(t_obs, n - 1, d) - (1 - confidence), lo, hi, xtol=1e-10)
    return float(stats.norm.cdf(-delta / math.sqrt(n)))


def _spread(values: Sequence[float]) -> float:
    """The sample standard deviation; 0 for values equal up to rounding."""
    if len(values) < 2:
        return 0.0
    sd = statistics.stdev(values)
    return sd if sd > 1e-12 * max(1.0, abs(statistics.fmean(values))) else 0.0


@dataclass(frozen=True)
class Bound:
    """An upper bound on the chance that one run lands on the wrong side, and how it was found."""

    runs: int
    wrong: int  # runs on the wrong side (a run without a measurement is on the wrong side for a correct solution)
    upper: float
    method: str  # "clopper-pearson", "normal", "constant" or "unmeasured"

    def data(self) -> dict:
        return {"runs": self.runs, "wrong": self.wrong, "one_run_upper": self.upper, "method": self.method}


def short_of(values: Sequence[float | None], threshold: float) -> Bound:
    """A correct solution's runs: the bound on P(one run falls short of ``threshold``); a run without a
    measurement falls short."""
    measured = [v for v in values if v is not None]
    wrong = sum(1 for v in values if v is None or v < threshold)
    return _bound(len(values), wrong, measured, len(measured) == len(values),
                  lambda: normal_below_upper(measured, threshold))


def reaching(values: Sequence[float | None], threshold: float, confidence: float = CONFIDENCE) -> Bound:
    """A broken variant's runs: the bound on P(one run reaches ``threshold``); a run without a measurement
    never does, so the measured runs alone decide (the mixture passes less often than they do)."""
    measured = [v for v in values if v is not None]
    if not measured:
        return Bound(len(values), 0, 0.0, "unmeasured")
    wrong = sum(1 for v in measured if v >= threshold)
    return _bound(len(values), wrong, measured, True,
                  lambda: normal_below_upper([-v for v in measured], -threshold, confidence), confidence)


def reaching_all(conditions: Mapping[str, Sequence[float | None]], threshold: float) -> Bound:
    """A broken variant's runs measured as several ``conditions`` (name -> each run's value) that must all
    reach ``threshold``: the bound of the least likely one, each at confidence ``1 - (1 - CONFIDENCE) / m``."""
    if len(conditions) == 1:
        return reaching(next(iter(conditions.values())), threshold)
    confidence = 1 - (1 - CONFIDENCE) / len(conditions)
    bounds = {name: reaching(values, threshold, confidence) for name, values in conditions.items()}
    name = min(bounds, key=lambda n: bounds[n].upper)
    return replace(bounds[name], method=f"{bounds[name].method} on its condition {name!r}")


def _bound(n: int, wrong: int, measured: list[float], usable: bool, normal: Callable[[], float],
           confidence: float = CONFIDENCE) -> Bound:
    """``usable``: the measured values stand for every run (a correct solution's unmeasured run is a failure
    that no distribution of values describes)."""
    if usable and _spread(measured) == 0 and wrong == 0:
        return Bound(n, 0, 0.0, "constant")
    if usable and looks_normal(measured):
        return Bound(n, wrong, normal(), "normal")
    return Bound(n, wrong, clopper_pearson_upper(wrong, n, confidence), "clopper-pearson")


def false_fail(one_run: float, seeds: int) -> float:
    """A correct solution fails a test of ``seeds`` runs when every run falls short."""
    return one_run ** seeds


def false_pass(one_run: float, seeds: int) -> float:
    """A broken solution passes when any of the ``seeds`` runs reaches the threshold."""
    return 1 - (1 - one_run) ** seeds


def runs_for(false_fail_at_most: float, seeds: int, confidence: float = CONFIDENCE) -> int:
    """Runs without a failure that make Clopper-Pearson's bound meet ``false_fail_at_most`` over ``seeds``."""
    one_run = false_fail_at_most ** (1 / seeds)
    return math.ceil(math.log(1 - confidence) / math.log(1 - one_run))


def boundary(holds: Callable[[float], bool], lo: float, hi: float, *, holds_below: bool) -> float | None:
    """The edge of the thresholds where a monotone ``holds`` is true, within [lo, hi]: the largest such
    threshold when it holds below its edge (``holds_below``), else the smallest; None when it holds nowhere."""
    inside, outside = (lo, hi) if holds_below else (hi, lo)
    if not holds(inside):
        return None
    if holds(outside):
        return outside
    for _ in range(40):  # the edge to a 1e-12th of the range
        middle = (inside + outside) / 2
        if holds(middle):
            inside = middle
        else:
            outside = middle
    return inside
