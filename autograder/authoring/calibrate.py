"""``dlgrade calibrate``: how often a lab's training tests get a correct solution or a known bug wrong.

A training test (one that calls ``expect_trained``) decides with a threshold and a few seeds, on a
random run. Calibration measures its runs many times, on seeds no grading uses, under a budget
(``sandbox/limits.py``): the reference's and every alternative solution's
(``tests/labs/<lab>_alt_solution*.py``), and those of every buggy variant the test targets, and
writes the distributions and the bounds they give to ``assignments/<lab>/calibration.json``
(``calibration_stats``: the false-fail probability of each correct solution at most ``FALSE_FAIL``,
the pass probability of each targeted bug at most ``FALSE_PASS``, and every seed's run inside the
test's time limit).

Which tests are training tests is found at run time: the first grading of the reference runs every
test in calibration mode and the tests that called ``expect_trained`` are the ones calibrated; the
other gradings run those alone. The bugs a test targets are those whose recorded failures
(``signatures.json``, which must be up to date) include the test: the ones it is meant to catch.

``validate`` recomputes the bounds from the file's distributions (``assess``) and checks its
hashes (``stale``): a lab whose reference calls ``expect_trained`` needs a fresh, passing calibration.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from autograder.authoring import calibration_stats as st
from autograder.authoring.mutants import build_mutant, describe, mutant_files
from autograder.authoring.signatures import digest, sources, stale
from autograder.files import write_atomic
from autograder.grading.calibrated import held_to
from autograder.grading.misconceptions import load
from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, grade
from autograder.labs import Lab
from autograder.sandbox.limits import under_budget
from autograder.toolkit.training import Trained

FALSE_FAIL = 1e-3
"""The most a correct solution may fail a training test (with its seeds), with 95% confidence."""
FALSE_PASS = 1e-2
"""The most a targeted known bug may pass it."""
MIN_RUNS = 30
"""Runs of each correct solution, at least (fewer cannot bound a false fail at 1e-3 without a model)."""
MIN_MUTANT_RUNS = 10
"""Runs of each targeted bug, at least."""
FIRST_SEED = 1_000_000
"""Calibration's seeds count up from here: none is a seed a test uses, so the runs are fresh draws, as a
student's correct solution, which consumes the generator its own way, is."""
MOST_SEEDS = 5
"""The most seeds calibration suggests for a test: beyond, a longer run or a better measurement is the fix."""


class CalibrationError(Exception):
    """A lab that cannot be calibrated as it is (stale signatures, no training test)."""


class NothingToCalibrate(CalibrationError):
    """A lab none of whose tests calls expect_trained."""


# -- what a calibration depends on --------------------------------------------------------------------------
def alternatives(lab: Lab) -> list[Path]:
    """The lab's alternative correct solutions (the framework's own tests check they score full marks)."""
    return sorted((lab.root / "tests" / "labs").glob(f"{lab.name}_alt_solution*.py"))


def dependencies(lab: Lab) -> dict[str, str]:
    """The SHA-256 of what the measurements depend on: signatures.json's sources (tests, reference, mutants),
    the alternative solutions, and the lab's probes and lab.toml (its limits)."""
    lab_files = [p for p in (lab.directory / "lab.toml", lab.probes) if p is not None]
    return {**sources(lab), "alternatives": digest(alternatives(lab), lab.root),
            "lab": digest(lab_files, lab.directory)}


def stale_calibration(lab: Lab) -> str | None:
    """Why the lab's committed calibration cannot be trusted, or None when it was made from what is here."""
    if not lab.calibration.exists():
        return f"{lab.calibration.name} is missing"
    recorded = json.loads(lab.calibration.read_text()).get("sources_sha256", {})
    changed = [k for k, v in dependencies(lab).items() if recorded.get(k) != v]
    return f"{lab.calibration.name} is stale: the {', '.join(changed)} changed since it was made" if changed else None


def committed_runs(lab: Lab) -> tuple[int, int]:
    """The most runs of a correct solution and of a bug in the committed calibration, at least the fewest
    ``assess`` accepts (those alone without one)."""
    try:
        tests = json.loads(lab.calibration.read_text())["tests"].values()
    except (FileNotFoundError, ValueError, KeyError):
        tests = []

    def most(key: str, least: int) -> int:
        return max([least, *(len(e["runs"]) for t in tests for e in t.get(key, {}).values())])
    return most("solutions", MIN_RUNS), most("mutants", MIN_MUTANT_RUNS)


def targets(lab: Lab) -> dict[str, list[str]]:
    """Each test's (node id) targeted bugs: the mutants whose recorded failures include it."""
    why = stale(lab)
    if why is not None:
        raise CalibrationError(f"{lab.name}: {why}; the bugs a training test targets are read from it: run "
                               f"`dlgrade validate --write-signatures {lab.name}` first")
    found: dict[str, list[str]] = {}
    for mistake in load(lab.signatures):
        for nodeid, _kind in sorted(mistake.signature):
            found.setdefault(nodeid, []).append(mistake.mutant)
    return found


# -- running -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """One calibration grading: ``path`` on ``tests`` (every test when empty), measuring ``seeds``."""

    lab_dir: str
    root: str
    solution: str  # "reference", "alternative <stem>" or "mutant <stem>"
    path: str
    tests: tuple[str, ...]
    seeds: tuple[int, ...]
    budget: str


def _grade(job: Job) -> GradeReport:
    lab = Lab.load(Path(job.lab_dir), Path(job.root))
    lab = replace(lab, limits=under_budget(lab.limits, job.budget))
    return grade(lab, Path(job.path), GradingOptions(tests=job.tests, calibration_seeds=job.seeds,
                                                     budget=lab.limits.total_timeout * len(job.seeds)))


def _seed_chunks(start: int, count: int, per_grading: int) -> list[tuple[int, ...]]:
    seeds = list(range(FIRST_SEED + start, FIRST_SEED + count))
    return [tuple(seeds[i:i + per_grading]) for i in range(0, len(seeds), per_grading)]


def calibrate(lab: Lab, *, runs: int | None = None, mutant_runs: int | None = None, budget: str = "local",
              jobs: int = 1, per_grading: int = 1,
              on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Measure, assess and write ``lab``'s calibration; its data. ``runs`` of each correct solution and
    ``mutant_runs`` of each targeted bug (None: as many as the committed calibration has, so that a rerun
    measures samples of the same size, at least the fewest ``assess`` accepts); ``on_progress(done, total,
    label)`` after each grading. ``per_grading`` seeds are measured in one grading (its time limits scaled
    to them)."""
    progress = on_progress or (lambda done, total, label: None)
    committed = committed_runs(lab)
    runs, mutant_runs = runs or committed[0], mutant_runs or committed[1]
    with tempfile.TemporaryDirectory(prefix="dlgrade-calibrate-") as tmp:
        first_seeds = _seed_chunks(0, runs, per_grading)[0]
        first = Job(str(lab.directory), str(lab.root), "reference", str(lab.reference), (), first_seeds, budget)
        # The first grading runs every test: the training tests are those that called expect_trained.
        first_report = _grade(first)
        discovered = {t.nodeid: t.trained for t in first_report.tests if t.trained is not None}
        if not discovered:
            raise NothingToCalibrate(f"{lab.name}: no test calls expect_trained: nothing to calibrate")
        targeted = targets(lab)
        plan = _plan(lab, discovered, targeted, runs, mutant_runs, per_grading, budget, Path(tmp), len(first_seeds))
        total = len(plan) + 1
        progress(1, total, "reference (finding the training tests)")
        reports = [(first, first_report)]
        for done, pair in enumerate(_run_all(plan, jobs), start=2):
            reports.append(pair)
            progress(done, total, pair[0].solution)
    data = _data(lab, discovered, targeted, reports, budget)
    write_atomic(lab.calibration, render(data))
    return data


def _plan(lab: Lab, discovered: dict[str, Trained], targeted: dict[str, list[str]], runs: int, mutant_runs: int,
          per_grading: int, budget: str, tmp: Path, measured: int) -> list[Job]:
    training = tuple(sorted(discovered))
    here = (str(lab.directory), str(lab.root))
    plan = [Job(*here, "reference", str(lab.reference), training, seeds, budget)
            for seeds in _seed_chunks(measured, runs, per_grading)]
    for alt in alternatives(lab):
        plan += [Job(*here, f"alternative {alt.stem}", str(alt), training, seeds, budget)
                 for seeds in _seed_chunks(0, runs, per_grading)]
    by_mutant: dict[str, list[str]] = {}
    for nodeid in training:
        for stem in targeted.get(nodeid, []):
            by_mutant.setdefault(stem, []).append(nodeid)
    paths = {p.stem: p for p in mutant_files(lab)}
    for stem, tests in sorted(by_mutant.items()):
        path = build_mutant(lab, paths[stem], tmp)
        plan += [Job(*here, f"mutant {stem}", str(path), tuple(tests), seeds, budget)
                 for seeds in _seed_chunks(0, mutant_runs, per_grading)]
    return plan


def _run_all(plan: list[Job], jobs: int) -> Iterable[tuple[Job, GradeReport]]:
    if jobs <= 1:
        for job in plan:
            yield job, _grade(job)
        return
    # spawn: a fresh interpreter per process, no forked copy of pytest's state
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(_grade, job): job for job in plan}
        for future in as_completed(futures):
            yield futures[future], future.result()


# -- the file ------------------------------------------------------------------------------------------------
def _runs(job: Job, report: GradeReport, nodeid: str) -> list[dict]:
    """The test's runs in one grading; a test that ended before its measurement (or did not run) gives runs
    without a value, one per seed, saying why."""
    outcome = next((t for t in report.tests if t.nodeid == nodeid), None)
    if outcome is not None and outcome.trained is not None:
        return [{"seed": r.seed, "value": r.value, "seconds": round(r.seconds, 3)}
                | ({"detail": r.detail} if r.value is None else {}) | ({"parts": r.parts} if r.parts else {})
                for r in outcome.trained.runs]
    why = outcome.message.partition("\n")[0] if outcome is not None else "the test did not run"
    return [{"seed": seed, "value": None, "seconds": 0.0, "detail": why or "no measurement"} for seed in job.seeds]


def _data(lab: Lab, discovered: dict[str, Trained], targeted: dict[str, list[str]],
          reports: list[tuple[Job, GradeReport]], budget: str) -> dict:
    described = {p.stem: describe(p) for p in mutant_files(lab)}
    tests = {}
    for nodeid, trained in sorted(discovered.items()):
        solutions: dict[str, dict] = {}
        mutants: dict[str, dict] = {}
        for job, report in sorted(reports, key=lambda pair: pair[0].seeds):
            if job.tests and nodeid not in job.tests:
                continue
            kind, _, name = job.solution.partition(" ")
            if kind == "mutant":
                entry = mutants.setdefault(name, {"description": described[name], "runs": []})
            else:
                entry = solutions.setdefault(name or kind, {"runs": []})
            entry["runs"] += _runs(job, report, nodeid)
        test = {"quantity": trained.quantity, "function": trained.function, "threshold": trained.threshold,
                "above": trained.above, "seeds": list(trained.seeds), "limit": trained.limit,
                "targets": targeted.get(nodeid, []), "solutions": solutions, "mutants": mutants}
        tests[nodeid] = test
    for nodeid, found in assess_all(tests).items():
        tests[nodeid] |= {"assessment": found}
    return {"lab": lab.name, "budget": budget, "sources_sha256": dependencies(lab),
            "criteria": {"false_fail": FALSE_FAIL, "false_pass": FALSE_PASS, "confidence": st.CONFIDENCE,
                         "min_runs": MIN_RUNS, "min_mutant_runs": MIN_MUTANT_RUNS},
            "tests": tests}


def render(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


# -- the bounds ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Side:
    """Correct solutions or targeted bugs: how one run goes wrong, what that makes of the test, what is allowed."""

    one_run: Callable[[dict[str, list[float | None]], float], st.Bound]
    """The bound on one run's going wrong, from each condition's values (``_conditions``)."""
    over_seeds: Callable[[float, int], float]
    most: float
    least_runs: int
    key: str
    label: str  # "{}" takes the solution's name
    verdict: str  # what the wrong side does to the test
    event: str  # what its wrong runs did


# A correct solution fails a run when its worst condition falls short: that is what its values measure. A
# broken one passes a run only when every condition reaches the threshold.
CORRECT = Side(lambda runs, t: st.short_of(runs[VALUE], t), st.false_fail, FALSE_FAIL, MIN_RUNS, "false_fail_upper",
               "{}", "fail", "fell short")
BROKEN = Side(st.reaching_all, st.false_pass, FALSE_PASS, MIN_MUTANT_RUNS, "false_pass_upper", "mutant {}", "pass",
              "reached the threshold")


def _side(runs_by_name: dict[str, dict[str, list[float | None]]], threshold: float, k: int, side: Side
          ) -> tuple[dict[str, dict], list[str]]:
    """Each solution's figures on ``side`` and the problems among them."""
    figures, problems = {}, []
    for name, runs in runs_by_name.items():
        bound = side.one_run(runs, threshold)
        chance = side.over_seeds(bound.upper, k)
        figures[name] = bound.data() | {side.key: chance}
        who = side.label.format(name)
        if bound.runs < side.least_runs:
            problems.append(f"{who}: {bound.runs} runs, at least {side.least_runs} needed")
        if chance > side.most:
            problems.append(f"{who} may {side.verdict} it with probability up to {chance:.2g} (over {side.most:g}): "
                            f"{bound.wrong} of {bound.runs} runs {side.event}, bound by {bound.method}")
    return figures, problems


def _values(entry: dict, sign: float) -> list[float | None]:
    return [None if run["value"] is None else sign * run["value"] for run in entry["runs"]]


VALUE = "value"  # the condition name of a measurement without parts: its value


def _conditions(entry: dict, sign: float) -> dict[str, list[float | None]]:
    """A solution's runs as each condition's values (``sign`` times them), a run without a value None in
    each; a test whose measurement has no parts has the one condition ``VALUE``. A run measured without
    parts (one that ended early with a failing value) stands in each condition with its value: whichever
    condition bounds the chance to pass, a run passes only if its value in that condition reaches the
    threshold, so the bound holds."""
    runs = entry["runs"]
    signed = _values(entry, sign)
    names = sorted({name for run in runs for name in run.get("parts", {})})
    if not names:
        return {VALUE: signed}
    return {name: [None if v is None else sign * run.get("parts", {}).get(name, run["value"])
                   for v, run in zip(signed, runs, strict=True)] for name in names}


def assess_all(tests: dict[str, dict]) -> dict[str, dict]:
    """Each test's (node id) assessment. A bug that one training test bounds within FALSE_PASS is held to
    that bound there alone: it loses that test's points whenever it would pass another, so its chance of
    full marks is at most that bound; the other tests still report theirs for it (``caught_by``)."""
    first = {nodeid: assess(test) for nodeid, test in sorted(tests.items())}
    caught: dict[str, str] = {}
    for nodeid, found in first.items():
        for stem, figure in found["mutants"].items():
            if figure["false_pass_upper"] <= FALSE_PASS:
                caught.setdefault(stem, nodeid)
    found = {}
    for nodeid, test in sorted(tests.items()):
        elsewhere = {stem: caught[stem] for stem, figure in first[nodeid]["mutants"].items()
                     if figure["false_pass_upper"] > FALSE_PASS and stem in caught}
        found[nodeid] = assess(test, elsewhere) if elsewhere else first[nodeid]
    return found


def assess(test: dict, caught_elsewhere: dict[str, str] | None = None) -> dict:
    """The bounds a test's distributions give at its threshold and seeds, what falls short and what would fix it.
    ``caught_elsewhere``: bugs (and the test) that another training test already bounds: reported, not required."""
    elsewhere = caught_elsewhere or {}
    sign = 1.0 if test["above"] else -1.0  # the statistics are for "at least": "at most" is negated
    threshold, k = sign * test["threshold"], len(test["seeds"])
    correct = {name: {VALUE: _values(e, sign)} for name, e in test["solutions"].items()}
    broken = {stem: _conditions(e, sign) for stem, e in test["mutants"].items() if stem not in elsewhere}
    figures_correct, problems = _side(correct, threshold, k, CORRECT)
    figures_broken, broken_problems = _side(broken, threshold, k, BROKEN)
    problems += broken_problems
    exempt, _ = _side({stem: _conditions(test["mutants"][stem], sign) for stem in elsewhere}, threshold, k, BROKEN)
    figures_broken |= {stem: figure | {"caught_by": elsewhere[stem]} for stem, figure in exempt.items()}
    slowest = max((run["seconds"] for e in test["solutions"].values() for run in e["runs"]), default=0.0)
    if test["limit"] is not None and slowest * k > test["limit"]:
        problems.append(f"{k} runs of a correct solution may take {slowest * k:.0f} s, over the test's "
                        f"{test['limit']:g} s: give it a larger timeout, or make the run shorter")
    meeting = _thresholds(correct, broken, k, sign)
    if problems:  # the ranges of other numbers of seeds, only to say what would fix it
        ranges = {seeds: _thresholds(correct, broken, seeds, sign) if seeds != k else meeting
                  for seeds in range(1, MOST_SEEDS + 1)}
        too_few = any(len(r[VALUE]) < MIN_RUNS for r in correct.values()) or any(
            len(next(iter(r.values()))) < MIN_MUTANT_RUNS for r in broken.values())
        problems += _fixes(ranges, k, correct, too_few)
    return {"ok": not problems, "problems": problems, "correct": figures_correct, "mutants": figures_broken,
            "thresholds_meeting_both": meeting, "slowest_run_seconds": slowest}


def _thresholds(correct: dict[str, dict], broken: dict[str, dict], seeds: int, sign: float) -> list[float] | None:
    """The thresholds (as the test states them) at which both bounds hold with ``seeds`` seeds, or None."""
    found = [v for conditions in (*correct.values(), *broken.values()) for runs in conditions.values()
             for v in runs if v is not None]
    if not found:
        return None
    span = (max(found) - min(found)) or 1.0
    lo, hi = min(found) - span, max(found) + span

    def correct_ok(t: float) -> bool:
        return all(st.false_fail(CORRECT.one_run(runs, t).upper, seeds) <= FALSE_FAIL for runs in correct.values())

    def broken_ok(t: float) -> bool:
        return all(st.false_pass(BROKEN.one_run(runs, t).upper, seeds) <= FALSE_PASS for runs in broken.values())

    highest = st.boundary(correct_ok, lo, hi, holds_below=True)
    lowest = st.boundary(broken_ok, lo, hi, holds_below=False)
    if highest is None or lowest is None or lowest > highest:
        return None
    return sorted([round(sign * lowest, 6), round(sign * highest, 6)])


def _fixes(ranges: dict[int, list[float] | None], k: int, correct: dict[str, dict], too_few: bool) -> list[str]:
    """What would make the test meet both bounds: another threshold, other seeds, more runs, or a redesign."""
    fixes = []
    if ranges.get(k):
        fixes.append(f"fix: a threshold in [{ranges[k][0]:.4g}, {ranges[k][1]:.4g}] meets both with {k} seeds")
    others = [f"{seeds} seeds: [{r[0]:.4g}, {r[1]:.4g}]" for seeds, r in ranges.items() if r and seeds != k]
    if others:
        fixes.append("fix: thresholds that meet both with other seeds: " + "; ".join(others))
    unbounded = [name for name, runs in correct.items()
                 if CORRECT.one_run(runs, float("-inf")).method == "clopper-pearson"]
    if unbounded:
        fixes.append(f"more runs tighten a count (Clopper-Pearson) bound: {st.runs_for(FALSE_FAIL, k)} runs "
                     f"without a failure meet {FALSE_FAIL:g} with {k} seeds ({', '.join(unbounded)})")
    if too_few:
        fixes.append(f"calibrate with at least {MIN_RUNS} runs of each correct solution and {MIN_MUTANT_RUNS} of each "
                     "bug before judging the test: fewer bound nothing tightly")
    elif not ranges.get(k) and not others:
        fixes.append("no threshold meets both with up to "
                     f"{MOST_SEEDS} seeds: redesign the test (a longer run, a better measurement)")
    return fixes


def check(lab: Lab, reference: GradeReport) -> tuple[bool, str, bool]:
    """validate's verdict on the committed calibration of a lab whose reference ran ``reference`` (which called
    expect_trained): (fresh and of exactly its training tests, what it says, every bound met (recomputed from
    the runs)).

    A missing or stale calibration fails validation, and so does a bound not met: a test that needs
    redesigning (``assess`` says how) stops a release until the redesign is calibrated."""
    how = f"run `make calibrate` or `dlgrade calibrate {lab.name} --budget gradescope` and commit it"
    why = stale_calibration(lab)
    if why is not None:
        return False, f"{why}: {how}", False
    data = json.loads(lab.calibration.read_text())
    training = {t.nodeid for t in reference.tests if t.trained is not None}
    if set(data["tests"]) != training:
        return (False, f"it calibrates {sorted(data['tests'])}, the reference trains in {sorted(training)}: {how}",
                False)
    lines = []
    for nodeid, found in assess_all(data["tests"]).items():
        test = data["tests"][nodeid]
        worst = max((c["false_fail_upper"] for c in found["correct"].values()), default=0.0)
        passes = held_to(found)
        lines.append(f"{'ok' if found['ok'] else 'FAIL'} {nodeid}: false fail <= {worst:.2g}, targeted bugs pass "
                     f"<= {passes:.2g}, {_count(test)}" + "".join(f"\n    {p}" for p in found["problems"]))
    met = all(line.startswith("ok") for line in lines)
    said = f"{data['budget']} budget" + "".join(f"\n  {line}" for line in lines)
    return True, said + ("" if met else f"\n  {how}"), met


def _count(test: dict) -> str:
    correct = ", ".join(f"{name} {len(e['runs'])}" for name, e in test["solutions"].items())
    broken = sum(len(e["runs"]) for e in test["mutants"].values())
    return f"runs: {correct}; {len(test['mutants'])} targeted bugs, {broken}"

