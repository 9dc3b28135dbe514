"""Is a lab's test suite any good? The reference gets full marks, the template 0 without a crash,
every known bug loses points, and grading is deterministic."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.authoring.mutants import build_mutant, describe, mutant_files
from autograder.grading.engine import grade
from autograder.grading.outcomes import GradeReport
from autograder.labs import Lab

# What a template's tests may fail with: everything else is a test that crashes on a stub.
TEMPLATE_KINDS = frozenset({"not_implemented", "import"})


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


def validate(lab: Lab, runs: int = 3, on_report: Callable[[str, GradeReport], None] | None = None) -> Validation:
    result = Validation(lab.name)
    add = result.checks.append
    notify = on_report or (lambda label, report: None)

    reference = [grade(lab, lab.reference) for _ in range(max(runs, 1))]
    first = reference[0]
    notify("reference", first)
    add(Check("tests add up to the lab's points", abs(first.max_score - lab.points) < 1e-9,
              f"{first.max_score:g} of {lab.points:g}"))
    lost = [f"{t.nodeid}: {t.message.partition(chr(10))[0]}" for t in first.tests if not t.passed]
    add(Check("reference gets full marks", not lost, f"{first.score:g}/{first.max_score:g}" +
              ("".join(f"\n  {line}" for line in lost))))
    same = all(r.scores() == first.scores() and [t.message for t in r.tests] == [t.message for t in first.tests]
               for r in reference[1:])
    add(Check(f"{len(reference)} runs give identical results", same,
              ", ".join(f"{r.score:g}" for r in reference)))

    template = grade(lab, lab.template)
    notify("template", template)
    crashed = [f"{t.nodeid}: [{t.kind or 'passed'}] {(t.message or '').partition(chr(10))[0]}" for t in template.tests
               if t.passed or t.kind not in TEMPLATE_KINDS]
    add(Check("template gets 0, every test 'not implemented'", template.score == 0 and not crashed,
              f"{template.score:g}/{template.max_score:g}" + "".join(f"\n  {c}" for c in crashed)))

    mutants = mutant_files(lab)
    add(Check("at least 10 buggy variants", len(mutants) >= 10, f"{len(mutants)} in {lab.mutants}"))
    with tempfile.TemporaryDirectory(prefix="dlgrade-mutants-") as tmp:
        for mutant in mutants:
            report = grade(lab, build_mutant(lab, mutant, Path(tmp)), stop_early=True)
            notify(f"mutant {mutant.stem}", report)
            caught = next((t for t in report.tests if not t.passed), None)
            detail = f"{describe(mutant)}: " + (f"caught by {caught.nodeid}" if caught else "scores full marks")
            add(Check(f"mutant {mutant.stem} loses points", caught is not None, detail))
    return result
