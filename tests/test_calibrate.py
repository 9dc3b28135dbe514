"""Calibration of training tests: the statistics on known counts, a tiny lab calibrated end to end, and
validate's refusal of a missing, stale or failing calibration."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from autograder.authoring import calibration_stats as st
from autograder.authoring.calibrate import (
    CalibrationError,
    assess,
    assess_all,
    calibrate,
    check,
    committed_runs,
    stale_calibration,
)
from autograder.authoring.signatures import render, sources
from autograder.grading.calibrated import figures
from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, grade
from autograder.labs import Lab
from tests.conftest import tiny_lab

# -- the statistics ------------------------------------------------------------------------------------------


def test_clopper_pearson_on_known_counts():
    assert st.clopper_pearson_upper(0, 30) == pytest.approx(1 - 0.05 ** (1 / 30))  # the closed form for none
    assert st.clopper_pearson_upper(3, 30) == pytest.approx(0.2386, abs=1e-4)  # tables: 3 of 30, 95% one-sided
    assert st.clopper_pearson_upper(30, 30) == 1.0
    assert st.false_fail(st.clopper_pearson_upper(0, 29), 3) < 1e-3 < st.false_fail(st.clopper_pearson_upper(0, 28), 3)
    assert st.runs_for(1e-3, 3) == 29
    assert st.false_pass(0.1, 3) == pytest.approx(1 - 0.9 ** 3)


def test_normal_bound_is_a_confidence_bound_on_the_tail():
    # A sample whose mean is 3 sample deviations above the threshold: the tail below is Phi(-3) = 1.3e-3 at the
    # estimate; the 95% bound lies above it, and shrinks towards it as the runs grow.
    import statistics

    def sample(n: int) -> list[float]:
        quantiles = statistics.NormalDist().inv_cdf
        return [quantiles((i + 0.5) / n) for i in range(n)]  # exactly normal-shaped

    for n, low, high in ((30, 1.3e-3, 3e-2), (300, 1.3e-3, 4e-3)):
        values = sample(n)
        centre, spread = statistics.fmean(values), statistics.stdev(values)
        bound = st.normal_below_upper(values, centre - 3 * spread)
        assert low < bound < high
    assert st.normal_below_upper(sample(30), 10.0) > 0.99  # a threshold above every run: they almost all fall short


def test_bounds_follow_the_shape_of_the_values():
    normal = [0.87 + 0.02 * v for v in (-1.5, -1.0, -0.7, -0.4, -0.2, 0.0, 0.2, 0.4, 0.7, 1.0, 1.5, 0.1)]
    # 3.8 deviations clear of the threshold: far tighter than the count's bound for 12 runs without a failure
    assert st.short_of(normal, 0.8).method == "normal" and st.short_of(normal, 0.8).upper < 1e-2
    assert st.short_of([*normal, None], 0.8).method == "clopper-pearson"  # an unmeasured run is a failure
    assert st.reaching([0.1] * 10, 0.8) == st.Bound(10, 0, 0.0, "constant")  # never trains: not a random verdict
    assert st.reaching([None] * 10, 0.8).method == "unmeasured"
    skewed = [0.0] * 9 + [1.0] * 3
    assert st.reaching(skewed, 0.8) == st.Bound(12, 3, st.clopper_pearson_upper(3, 12), "clopper-pearson")


def test_a_broken_variant_is_bounded_by_its_least_likely_condition():
    # dqn's case: a network that mostly plays one action (a lump at 9.3, now and then better) and training
    # returns spread normally far below the threshold; a run passes only when both reach it.
    lumpy = [9.2, 9.4, 9.4, 9.2, 9.4, 9.4, 28.4, 9.2, 9.4, 9.4]
    spread = [27.3, 35.4, 36.1, 25.8, 30.2, 31.0, 28.4, 33.3, 29.9, 32.5]
    alone = st.reaching(lumpy, 195.0)
    assert alone.method == "clopper-pearson" and st.false_pass(alone.upper, 3) > 0.5
    both = st.reaching_all({"greedy": lumpy, "training": spread}, 195.0)
    assert both.method == "normal on its condition 'training'" and st.false_pass(both.upper, 3) < 1e-6
    # Each condition is bounded at 97.5% (two of them), so the smallest bound still holds at 95%: looser than
    # the same condition's bound at 95% on a threshold near the runs.
    near = max(spread) + 1.0
    assert st.reaching_all({"greedy": lumpy, "training": spread}, near).upper > st.reaching(spread, near).upper
    assert st.reaching_all({"value": spread}, near) == st.reaching(spread, near)


def test_assess_bounds_a_broken_variant_by_the_parts_of_its_measurement():
    correct = [300.0 + 40 * math.sin(i) for i in range(30)]
    lumpy = [9.2, 9.4, 9.4, 9.2, 9.4, 9.4, 28.4, 9.2, 9.4, 9.4]
    spread = [27.3, 35.4, 36.1, 25.8, 30.2, 31.0, 28.4, 33.3, 29.9, 32.5]
    test = _test(correct, [min(g, t) for g, t in zip(lumpy, spread)], 195.0)
    assert not assess(test)["ok"]  # the worst of the two alone: lumpy, bounded by a count of 10 runs
    for run, g, t in zip(test["mutants"]["m"]["runs"], lumpy, spread):
        run["parts"] = {"greedy": g, "training": t}
    found = assess(test)
    assert found["ok"], found["problems"]
    assert found["mutants"]["m"]["method"] == "normal on its condition 'training'"
    low = found["thresholds_meeting_both"][0]
    assert max(spread) < low < 195.0  # the thresholds that would do are bounded by the condition, not the lump
    # A run that ended early with a failing value and no parts stands in each condition with that value.
    test["mutants"]["m"]["runs"][0] = {"seed": 0, "value": 29.0, "seconds": 0.1}
    assert assess(test)["mutants"]["m"]["method"] == "normal on its condition 'training'"


def test_a_bug_one_training_test_bounds_is_held_to_that_bound_alone():
    correct = [0.8 + 0.05 * math.sin(i) for i in range(30)]
    lumpy = [0.1] * 9 + [0.9]  # passes this test now and then: a count of 10 runs bounds nothing
    spread = [0.3 + 0.05 * math.cos(i) for i in range(10)]
    tests = {"a": _test(correct, lumpy, 0.55), "b": _test(correct, spread, 0.55)}
    assert not assess(tests["a"])["ok"]
    found = assess_all(tests)
    assert found["a"]["ok"] and found["b"]["ok"]  # it loses b's points whenever it would pass a
    assert found["a"]["mutants"]["m"]["caught_by"] == "b" and found["a"]["mutants"]["m"]["false_pass_upper"] > 0.01
    assert "caught_by" not in found["b"]["mutants"]["m"]
    alone = assess_all({"a": tests["a"], "c": _test(correct, lumpy, 0.55)})  # no test bounds it: both fall short
    assert not alone["a"]["ok"] and not alone["c"]["ok"]


def test_boundary_finds_the_edge_of_a_monotone_condition():
    assert st.boundary(lambda t: t <= 0.5, 0.0, 1.0, holds_below=True) == pytest.approx(0.5)
    assert st.boundary(lambda t: t >= 0.25, 0.0, 1.0, holds_below=False) == pytest.approx(0.25)
    assert st.boundary(lambda t: False, 0.0, 1.0, holds_below=True) is None


def _test(correct: list[float], broken: list[float], threshold: float, seeds: int = 3) -> dict:
    return {"threshold": threshold, "above": True, "seeds": list(range(seeds)), "limit": 10.0,
            "solutions": {"reference": {"runs": _runs(correct)}},
            "mutants": {"m": {"description": "d", "runs": _runs(broken)}}}


def _runs(found: list[float]) -> list[dict]:
    return [{"seed": i, "value": v, "seconds": 0.1} for i, v in enumerate(found)]


def test_assess_says_what_falls_short_and_the_thresholds_that_would_do():
    correct = [0.8 + 0.05 * math.sin(i) for i in range(30)]
    broken = [0.3 + 0.05 * math.cos(i) for i in range(10)]
    good = assess(_test(correct, broken, 0.55))
    lo, hi = good["thresholds_meeting_both"]
    # sines are not normal-shaped: counted, 30 runs without a failure bound the false fail below every run
    assert good["ok"] and max(broken) < lo < 0.55 < hi <= min(correct) + 1e-6
    too_high = assess(_test(correct, broken, 0.79))
    assert not too_high["ok"]
    assert any("reference may fail it" in p for p in too_high["problems"])
    assert any(p.startswith("fix: a threshold in [") for p in too_high["problems"])
    overlap = assess(_test(correct, [v - 0.1 for v in correct[:10]], 0.75))
    assert not overlap["ok"] and overlap["thresholds_meeting_both"] is None
    assert any("redesign" in p or "other seeds" in p for p in overlap["problems"])
    few = assess(_test(correct[:20], broken, 0.55))
    assert "reference: 20 runs, at least 30 needed" in few["problems"]


# -- a tiny lab, end to end ----------------------------------------------------------------------------------
TESTS = '''
from autograder.toolkit import Measured, expect_trained, graded


@graded(points=1, function="draw")
def test_draws_are_numbers(student):
    assert len(student.draw(0, 3)) == 3


@graded(points=2, function="draw")
def test_mean_is_high(student):
    """the mean of 50 draws reaches 0.6"""
    def measure(seed):
        draws = student.draw(seed, 50)
        mean = sum(draws) / len(draws)
        return Measured(mean, f"mean {mean:.2f}")
    expect_trained(measure, seeds=(0, 1, 2), threshold=0.6, quantity="mean", function="draw")
'''
REFERENCE = ("import numpy as np\n\n\ndef draw(seed, n):\n"
             "    return [float(x) for x in np.random.default_rng(seed).normal(1.0, 0.5, n)]\n")
ALTERNATIVE = ("import random\n\n\ndef draw(seed, n):\n"
               "    rng = random.Random(seed)\n    return [rng.gauss(1.0, 0.5) for _ in range(n)]\n")
MUTANT = 'PATCH = [("normal(1.0", "normal(0.0")]\n'
NODEID = "tests/public/test_stoch.py::test_mean_is_high"


def _lab(root: Path) -> Lab:
    lab, _ = tiny_lab(root, "stoch", points=3, limits={"test_timeout": 30}, tests=TESTS, submission=REFERENCE)
    lab.reference.parent.mkdir(parents=True)
    lab.reference.write_text(REFERENCE)
    (root / "tests" / "labs").mkdir(parents=True)
    (root / "tests" / "labs" / "stoch_alt_solution.py").write_text(ALTERNATIVE)
    lab.mutants.mkdir()
    (lab.mutants / "m01_zero_mean.py").write_text('"""draws around 0"""\n' + MUTANT)
    lab.signatures.write_text(render({"lab": "stoch", "sources_sha256": sources(lab), "mutants": {
        "m01_zero_mean": {"description": "draws around 0", "failures": {NODEID: "mismatch"}}}}))
    return lab


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory) -> tuple[Lab, dict]:
    lab = _lab(tmp_path_factory.mktemp("calibrated"))
    return lab, calibrate(lab, per_grading=10)


def test_calibration_measures_the_training_tests_of_every_solution_and_targeted_bug(calibrated):
    lab, data = calibrated
    assert json.loads(lab.calibration.read_text()) == data
    assert list(data["tests"]) == [NODEID]  # found at run time: the one test that called expect_trained
    test = data["tests"][NODEID]
    assert (test["threshold"], test["seeds"], test["targets"]) == (0.6, [0, 1, 2], ["m01_zero_mean"])
    runs = {name: [r["value"] for r in e["runs"]] for name, e in {**test["solutions"], **test["mutants"]}.items()}
    assert {name: len(v) for name, v in runs.items()} == {"reference": 30, "stoch_alt_solution": 30,
                                                            "m01_zero_mean": 10}
    assert min(runs["reference"]) > 0.6 > max(runs["m01_zero_mean"])
    assert len({r["seed"] for r in test["solutions"]["reference"]["runs"]}) == 30  # fresh seeds, none of the test's
    assert min(r["seed"] for r in test["solutions"]["reference"]["runs"]) >= 1_000_000
    assert test["assessment"]["ok"], test["assessment"]["problems"]
    assert stale_calibration(lab) is None
    [shown] = figures(lab)  # what the class report shows
    assert (shown.nodeid, shown.threshold, shown.seeds, shown.ok) == (NODEID, 0.6, 3, True)
    assert shown.false_fail <= 1e-3 and shown.false_pass <= 1e-2
    assert shown.ranges.startswith(f"correct solutions reach {min(runs['reference'] + runs['stoch_alt_solution']):.3g}")


def test_a_recalibration_measures_as_many_runs_as_the_committed_file(calibrated):
    lab, data = calibrated
    assert committed_runs(lab) == (30, 10)
    more = json.loads(json.dumps(data))
    more["tests"][NODEID]["mutants"]["m01_zero_mean"]["runs"] *= 4  # a test that needed 40 runs of a bug
    lab.calibration.write_text(json.dumps(more))
    try:
        assert committed_runs(lab) == (30, 40)
        lab.calibration.unlink()
        assert committed_runs(lab) == (30, 10)  # none yet: the fewest
    finally:
        lab.calibration.write_text(json.dumps(data))


def _reference(lab: Lab) -> GradeReport:
    return grade(lab, lab.reference, GradingOptions())


def test_validate_accepts_a_fresh_calibration_and_refuses_a_stale_one_or_unmet_bounds(calibrated, tmp_path):
    lab, data = calibrated
    reference = _reference(lab)
    fresh, detail, met = check(lab, reference)
    assert fresh and met, detail
    failing = json.loads(json.dumps(data))
    failing["tests"][NODEID]["threshold"] = 0.99  # every correct run falls short of it
    lab.calibration.write_text(json.dumps(failing))
    fresh, detail, met = check(lab, reference)  # fresh, but short of its bounds: validate fails
    assert fresh and not met and "reference may fail it" in detail and "dlgrade calibrate stoch" in detail
    lab.calibration.write_text(json.dumps(data))
    alt = lab.root / "tests" / "labs" / "stoch_alt_solution.py"
    alt.write_text(alt.read_text() + "\n")
    try:
        fresh, detail, _ = check(lab, reference)
        assert not fresh and "stale: the alternatives changed" in detail
    finally:
        alt.write_text(ALTERNATIVE)
    lab.calibration.unlink()
    try:
        fresh, detail, _ = check(lab, reference)
        assert not fresh and "calibration.json is missing" in detail
    finally:
        lab.calibration.write_text(json.dumps(data))


def test_a_failed_training_test_says_where_calibrated_solutions_land(calibrated, tmp_path):
    lab, data = calibrated
    mutant = tmp_path / "m.py"
    mutant.write_text(REFERENCE.replace("normal(1.0", "normal(0.0"))
    failed = next(t for t in grade(lab, mutant, GradingOptions()).tests if t.nodeid == NODEID)
    runs = [r["value"] for r in data["tests"][NODEID]["solutions"]["reference"]["runs"]]
    assert not failed.passed and "calibration: correct solutions reach" in failed.message
    assert f"{min(runs):.3g}" in failed.message or "known broken variants" in failed.message
    assert [r.seed for r in failed.trained.runs] == [0, 1, 2]  # a grading judges the test's own seeds
    assert [t.nodeid for t in grade(lab, mutant, GradingOptions(tests=(NODEID,))).tests] == [NODEID]


def test_calibration_needs_signatures_that_name_the_targets(tmp_path):
    lab = _lab(tmp_path)
    (lab.mutants / "m01_zero_mean.py").write_text('"""draws around 0"""\n' + MUTANT + "\n")
    with pytest.raises(CalibrationError, match="signatures.json is stale.*--write-signatures stoch"):
        calibrate(lab)
