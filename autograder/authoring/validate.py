"""Is a lab's test suite any good? The reference gets full marks, the template 0 without a crash,
every known bug loses points, and grading is deterministic. A known bug's failures in a full
grading are its signature; the lab's committed ``signatures.json`` must have been made from the
current tests, reference and mutants (``write_signatures`` grades the bugs in full and writes it).

Every grading is an independent job, so ``jobs > 1`` spreads them over processes (the harness's
own processes: nothing of a submission's crosses here). ``budget`` grades as the machine it names
would (``sandbox/limits.py``'s ``BUDGETS``: ``gradescope`` is half a CPU and 768 MB per worker).
"""

from __future__ import annotations

import multiprocessing
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from autograder.authoring.mutants import build_mutant, describe, mutant_files
from autograder.authoring.signatures import render, signatures_data, stale
from autograder.files import write_atomic
from autograder.grading.misconceptions import by_signature, load
from autograder.grading.outcomes import GradeReport
from autograder.grading.pipeline import GradingOptions, grade
from autograder.labs import Lab, find_lab
from autograder.sandbox.limits import under_budget


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Validation:
    lab: str
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


@dataclass(frozen=True)
class Job:
    lab: str
    label: str
    path: str
    stop_early: bool = False
    budget: str = "local"


def _run(job: Job) -> GradeReport:
    lab = find_lab(job.lab)
    lab = replace(lab, limits=under_budget(lab.limits, job.budget))
    return grade(lab, Path(job.path), GradingOptions(stop_early=job.stop_early))


def _first_line(text: str) -> str:
    return text.partition("\n")[0]


def validate_many(labs: list[Lab], runs: int = 3, jobs: int = 1,
                  on_done: Callable[[str], None] | None = None, budget: str = "local",
                  write_signatures: bool = False) -> list[Validation]:
    """Validate ``labs``; ``on_done("<lab> <grading>")`` after each grading, in the order they finish.
    ``write_signatures``: grade every mutant in full and (re)write each lab's signatures.json from it;
    otherwise mutants stop at their first lost point and the committed file is checked by its hashes."""
    done_with = on_done or (lambda label: None)
    with tempfile.TemporaryDirectory(prefix="dlgrade-mutants-") as tmp:
        plan: list[Job] = []
        for lab in labs:
            plan += [Job(lab.name, f"reference {i + 1}", str(lab.reference), budget=budget)
                     for i in range(max(runs, 1))]
            plan.append(Job(lab.name, "template", str(lab.template), budget=budget))
            for mutant in mutant_files(lab):
                path = build_mutant(lab, mutant, Path(tmp) / lab.name)
                plan.append(Job(lab.name, f"mutant {mutant.stem}", str(path), stop_early=not write_signatures,
                                budget=budget))
        if jobs > 1:
            # spawn: a fresh interpreter per process, no forked copy of pytest's state
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                futures = {pool.submit(_run, job): job for job in plan}
                for future in as_completed(futures):
                    done_with(f"{futures[future].lab} {futures[future].label}")
                reports = [future.result() for future in futures]
        else:
            reports = []
            for job in plan:
                reports.append(_run(job))
                done_with(f"{job.lab} {job.label}")
    done = {(job.lab, job.label): report for job, report in zip(plan, reports)}
    return [_judge(lab, done, runs, write_signatures) for lab in labs]


def _judge(lab: Lab, done: dict[tuple[str, str], GradeReport], runs: int, write_signatures: bool) -> Validation:
    result = Validation(lab.name)
    add = result.checks.append
    reference = [done[(lab.name, f"reference {i + 1}")] for i in range(max(runs, 1))]
    first = reference[0]
    add(Check("tests add up to the lab's points", abs(first.max_score - lab.points) < 1e-9,
              f"{first.max_score:g} of {lab.points:g}"))
    lost = [f"{t.nodeid}: {_first_line(t.message)}" for t in first.tests if not t.passed]
    add(Check("reference gets full marks", not lost,
              f"{first.score:g}/{first.max_score:g}" + "".join(f"\n  {line}" for line in lost)))
    same = all(r.scores() == first.scores() and [t.message for t in r.tests] == [t.message for t in first.tests]
               for r in reference[1:])
    add(Check(f"{len(reference)} runs give identical results", same, ", ".join(f"{r.score:g}" for r in reference)))

    if any(t.trained is not None for t in first.tests):
        # Imported only here: the statistics (scipy) are for the labs that train.
        from autograder.authoring.calibrate import check as check_calibration

        fresh, detail, met = check_calibration(lab, first)
        # Fresh, what it says is about the bounds: shown once, by their check.
        add(Check("calibration.json is fresh and calibrates every training test", fresh, "" if fresh else detail))
        if fresh:
            add(Check("every training test meets its calibrated bounds", met, detail))

    template = done[(lab.name, "template")]
    crashed = [f"{t.nodeid}: [{t.kind or 'passed'}] {_first_line(t.message)}" for t in template.tests
               if t.passed or not t.kind.submission_unfinished]
    add(Check("template gets 0, every test 'not implemented'", template.score == 0 and not crashed,
              f"{template.score:g}/{template.max_score:g}" + "".join(f"\n  {c}" for c in crashed)))

    mutants = mutant_files(lab)
    add(Check("at least 10 buggy variants", len(mutants) >= 10, f"{len(mutants)} in {lab.mutants}"))
    for mutant in mutants:
        report = done[(lab.name, f"mutant {mutant.stem}")]
        caught = next((t for t in report.tests if not t.passed), None)
        detail = f"{describe(mutant)}: " + (f"caught by {caught.nodeid}" if caught else "scores full marks")
        add(Check(f"mutant {mutant.stem} loses points", caught is not None, detail))
    _check_signatures(lab, {m.stem: done[(lab.name, f"mutant {m.stem}")] for m in mutants}, write_signatures, add)
    return result


def _check_signatures(lab: Lab, reports: dict[str, GradeReport], write: bool, add: Callable[[Check], None]) -> None:
    """Written from full gradings of the mutants; otherwise checked by the hashes of what it was made from
    (a full grading of every mutant costs 1.5-6 times the stop-early one: too much for every validation)."""
    if write:
        write_atomic(lab.signatures, render(signatures_data(lab, reports)))
    why = stale(lab)
    how = f"run `dlgrade validate --write-signatures {lab.name}` and commit it"
    add(Check("signatures.json matches the lab's tests, reference and mutants", why is None,
              ("written" if write else "up to date") + _twins(lab) if why is None else f"{why}: {how}"))


def _twins(lab: Lab) -> str:
    """Mutants with the same failures: the tests catch them, but feedback can only name them together."""
    alike = [" = ".join(k.mutant for k in group) for group in by_signature(load(lab.signatures)).values()
             if len(group) > 1]
    return f"; same failures, named together: {'; '.join(alike)}" if alike else ""
