"""The ``dlgrade`` command: check, list, grade, validate, templates, release, notebook, batch, report.

Exit status, as pytest's: 0 when everything passed, 1 when a test (or a validation) failed, 2 for
a usage error (an unknown lab, a missing file, a broken lab). ``grade`` exits 0 whatever the score:
a grading server needs only results.json.

The student bundle's launcher sets ``DLGRADE_STUDENT=1``: there the command offers only what a
student runs (``check``, ``list``, ``--version``) and refuses the instructor's commands in one line.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.text import Text

import autograder
from autograder.failures import SandboxUnavailable
from autograder.labs import LabError, find_lab, list_labs
from autograder.sandbox.limits import BUDGETS, under_budget

console = Console()
progress_console = Console(stderr=True)

STUDENT_ENV = "DLGRADE_STUDENT"
STUDENT_COMMANDS = ("check", "list")


def _error(message: str) -> None:
    # A Text: "[lab]" in a message is not markup. One line, however long: paths stay whole.
    console.print(Text(message, style="red"), soft_wrap=True)


def cmd_check(args: argparse.Namespace) -> int:
    from autograder.grading.pipeline import GradingOptions, collect, grade
    from autograder.reports.console import render

    lab = find_lab(args.lab)
    target = Path(args.file) if args.file else Path.cwd() / lab.student_file
    if not target.exists():
        _error(f"no {target}: run this where your {lab.student_file} is, or name the file")
        return 2
    functions = tuple(args.functions or ())
    try:
        # A torch lab's check trains networks for a while: say each test as it ends, not all at the end.
        progress = _progress_to(sys.stderr) if lab.framework != "numpy" else None
        report = grade(lab, target, GradingOptions(hidden=False, functions=functions, sandbox=args.sandbox,
                                                   progress=progress))
    except SandboxUnavailable as exc:
        _error(str(exc))
        return 2
    of = f" of {', '.join(functions)}" if functions else ""
    if not report.tests:
        known = dict.fromkeys(t.function for t in collect(lab, GradingOptions(hidden=False)) if t.function)
        _error(f"no public tests{of}; functions with tests: {', '.join(known) or 'none'}")
        return 2
    render(report, console, title=f"{lab.title}: public tests{of} on {target.name}")
    console.print(f"[dim]{_sandbox_line(report.extra.get('sandbox', {}))}[/dim]", highlight=False)
    console.print("[dim]Hidden tests run when you submit; they check the harder cases too.[/dim]")
    return 0 if all(t.passed for t in report.tests) else 1


def _progress_to(stream: TextIO) -> Callable[[str, bool, float], None]:
    """A line per test on ``stream``, bound now: grading redirects the standard streams while tests run."""

    def line(title: str, passed: bool, seconds: float) -> None:
        print(f"  {'ok  ' if passed else 'FAIL'} {title[:60]} ({seconds:.1f} s)", file=stream, flush=True)

    return line


def cmd_list(args: argparse.Namespace) -> int:
    from rich.table import Column, Table

    table = Table("lab", "framework", Column("points", justify="right"), Column("title", ratio=1),
                  box=None, header_style="bold", pad_edge=False)
    for name in list_labs():
        lab = find_lab(name)
        table.add_row(Text(lab.name, style="bold"), lab.framework, f"{lab.points:g}", Text(lab.title))
    console.print(table)
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from autograder.grading.pipeline import GradingOptions, grade_results
    from autograder.reports.console import render
    from autograder.reports.results_file import write_results

    lab = find_lab(args.lab)
    lab = replace(lab, limits=under_budget(lab.limits, args.budget))
    out = Path(args.out)
    options = GradingOptions(sandbox=args.sandbox, protect=(out.resolve().parent,))
    report, data = grade_results(lab, Path(args.submission), options)
    write_results(out, data)  # written whatever happened: a grading that broke is a clear zero
    if report is None:
        _error(data["output"])
        return 2
    if not args.quiet:
        render(report, console)
    console.print(f"[dim]{_sandbox_line(report.extra.get('sandbox', {}))}[/dim]", highlight=False)
    console.print(f"wrote {out}")
    return 0


def _sandbox_line(info: dict) -> str:
    line = f"sandbox {info.get('mode', '?')} ({info.get('isolation', '?')}): {', '.join(info.get('layers', []))}"
    missing = info.get("missing") or {}
    if missing and info.get("mode") != "none":
        line += "; without " + "; ".join(f"{name} ({why})" for name, why in missing.items())
    return line


def _add_sandbox_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sandbox", choices=("auto", "strict", "none"), default="auto",
                   help="isolation of student code: auto (the strongest available), strict (refuse "
                        "without namespaces and, as root, a dedicated user), none (trusted local use)")


def _add_budget_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--budget", choices=tuple(BUDGETS), default="local",
                   help="grade as this machine would: local (the lab's limits) or gradescope (half a CPU and "
                        "768 MB for the worker's processes, like Gradescope's default container)")


def cmd_validate(args: argparse.Namespace) -> int:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from autograder.authoring.mutants import MutantError
    from autograder.authoring.validate import validate_many

    labs = [find_lab(name) for name in args.labs or list_labs()]
    columns = (SpinnerColumn(), TextColumn("{task.completed} gradings done, last: {task.description}"),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=progress_console, transient=True) as progress:
            task = progress.add_task("none yet", total=None)
            results = validate_many(labs, runs=args.runs, jobs=args.jobs, budget=args.budget,
                                    write_signatures=args.write_signatures,
                                    on_done=lambda label: progress.update(task, advance=1, description=label))
    except (MutantError, SandboxUnavailable) as exc:
        console.print(str(exc), style="red", markup=False, highlight=False)
        return 2
    for result in results:
        console.rule(f"validate {result.lab}")
        for check in result.checks:
            mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
            console.print(f"{mark} {check.what}  [dim]{check.detail}[/dim]", highlight=False)
    failed = [r.lab for r in results if not r.ok]
    console.print(f"[red]validation failed: {', '.join(failed)}[/red]" if failed
                  else f"[green]all {len(results)} lab(s) valid[/green]")
    return 1 if failed else 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from autograder.authoring.calibrate import CalibrationError, NothingToCalibrate, calibrate

    status = 0
    for name in args.labs or list_labs():
        lab = find_lab(name)
        columns = (TextColumn(f"calibrate {lab.name}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.description}"), TimeElapsedColumn())
        try:
            with Progress(*columns, console=progress_console, transient=True) as progress:
                task = progress.add_task("finding the training tests", total=None)

                def advance(done: int, total: int, label: str, task: int = task) -> None:
                    progress.update(task, completed=done, total=total, description=f"last: {label}")

                data = calibrate(lab, runs=args.runs, mutant_runs=args.mutant_runs, budget=args.budget, jobs=args.jobs,
                                 on_progress=advance)
        except NothingToCalibrate as exc:
            if args.labs:  # named: a mistake; every lab: most labs have no training test
                _error(str(exc))
                status = max(status, 2)
            continue
        except (CalibrationError, SandboxUnavailable) as exc:
            _error(str(exc))
            status = max(status, 2)
            continue
        console.rule(f"calibrate {lab.name} ({args.budget} budget)")
        if not _print_calibration(data):
            status = max(status, 1)
        console.print(f"wrote {lab.calibration}")
    return status


def _print_calibration(data: dict) -> bool:
    """Each training test's bounds, and what falls short; whether every bound is met."""
    for nodeid, test in data["tests"].items():
        found = test["assessment"]
        mark = "[green]ok[/green]  " if found["ok"] else "[red]FAIL[/red]"
        goal = f"{'>=' if test['above'] else '<='} {test['threshold']:g}"
        console.print(f"{mark} {nodeid}: {test['quantity']} {goal}, {len(test['seeds'])} seeds; thresholds "
                      f"meeting both: {found['thresholds_meeting_both'] or 'none'}", highlight=False)
        for who, figure in {**found["correct"], **found["mutants"]}.items():
            what = (f"fails <= {figure['false_fail_upper']:.2g}" if "false_fail_upper" in figure
                    else f"passes <= {figure['false_pass_upper']:.2g}"
                    + (f", held to the bound of {figure['caught_by']}" if "caught_by" in figure else ""))
            console.print(f"      {who}: {what} ({figure['wrong']} of {figure['runs']} runs on the wrong side, "
                          f"{figure['method']})", highlight=False, markup=False)
        for problem in found["problems"]:
            console.print(f"      {problem}", style="red", highlight=False, markup=False)
    return all(test["assessment"]["ok"] for test in data["tests"].values())


def cmd_templates(args: argparse.Namespace) -> int:
    from autograder.authoring.templates import template_for

    stale = []
    for name in args.labs or list_labs():
        lab = find_lab(name)
        text = template_for(lab.reference)
        current = lab.template.read_text() if lab.template.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(str(lab.template))
            continue
        lab.template.parent.mkdir(parents=True, exist_ok=True)
        lab.template.write_text(text)
        console.print(f"wrote {lab.template}")
    if stale:
        console.print("[red]templates out of date (run `dlgrade templates`):[/red] " + ", ".join(stale))
        return 1
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from autograder.release.build import release

    for name in args.labs or list_labs():
        for path in release(find_lab(name), Path(args.out), format=args.format):
            console.print(f"wrote {path}")
    return 0


def cmd_notebook(args: argparse.Namespace) -> int:
    from autograder.notebooks.generate import write_notebook

    lab = find_lab(args.lab)
    path = write_notebook(lab, Path(args.out) if args.out else Path(f"{lab.module}.ipynb"))
    console.print(f"wrote {path}")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from autograder.batch import BatchError, run_batch
    from autograder.reports.gradebook import RosterError, gradebook_columns, read_roster, write_gradebook

    lab = find_lab(args.lab)
    try:
        roster = read_roster(Path(args.roster)) if args.roster else None
        summary = run_batch(lab, Path(args.submissions), Path(args.out), jobs=args.jobs,
                            scheduler=args.scheduler, hidden=not args.public, sandbox=args.sandbox,
                            force=args.force, redo=args.redo)
    except (BatchError, RosterError) as exc:
        _error(str(exc))
        return 2
    if summary.interrupted:
        again = "the same command" if not (args.force or args.redo) else "it again without --force and --redo"
        console.print(f"{summary.up_to_date} of {summary.students} graded; run {again} to resume")
        return 130
    rate = f" in {summary.seconds:.0f} s ({summary.per_minute:.1f} per minute)" if summary.graded else ""
    console.print(f"{summary.students} submissions: {summary.graded} graded{rate}, "
                  f"{summary.skipped} already done")
    if summary.resubmitted:
        console.print(f"graded again, handed in since: {', '.join(summary.resubmitted)}")
    if summary.breakdowns:
        console.print(f"[red]{len(summary.breakdowns)} could not be graded[/red] (run again to retry): "
                      + ", ".join(summary.breakdowns))
    unlisted = sorted(set(summary.roster) - {m.student for m in roster}) if roster is not None else []
    if unlisted:
        console.print("[yellow]not on the roster[/yellow] (their id is their submission's name): "
                      + ", ".join(unlisted))
    for path in write_gradebook(Path(args.out), summary.roster, gradebook_columns(lab, not args.public),
                                roster=roster, title=lab.title, format=args.format):
        console.print(f"wrote {path}")
    return 1 if summary.breakdowns else 0


def cmd_report(args: argparse.Namespace) -> int:
    from autograder.reports.html import write_report

    try:
        path = write_report(Path(args.folder), Path(args.out) if args.out else None)
    except FileNotFoundError as exc:
        _error(str(exc))
        return 2
    console.print(f"wrote {path}")
    return 0


def in_student_bundle() -> bool:
    return os.environ.get(STUDENT_ENV) == "1"


def build_parser(student: bool = False) -> argparse.ArgumentParser:
    """Every command, or in the student bundle (``student``) only ``STUDENT_COMMANDS``."""
    parser = argparse.ArgumentParser(prog="dlgrade", description="Auto-graded deep-learning labs.")
    parser.add_argument("--version", action="version", version=f"dlgrade {version()}",
                        help="print dlgrade's version and exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                help="one of these (`dlgrade COMMAND -h` for its options)")

    p = sub.add_parser("check", help="run the public tests on your file (students)")
    p.add_argument("lab", help="the lab's name (`dlgrade list` shows them)")
    p.add_argument("file", nargs="?", help="your solution (default: the lab's file in this folder)")
    p.add_argument("-k", dest="functions", action="append", metavar="FUNCTION",
                   help="only the tests of FUNCTION (a class: those of its methods); repeat for several")
    _add_sandbox_option(p)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("list", help="the labs here, with framework, points and title")
    p.set_defaults(run=cmd_list)
    if student:
        return parser

    p = sub.add_parser("grade", help="grade a submission (.py, folder or .zip) into results.json")
    p.add_argument("lab", help="the lab's name")
    p.add_argument("submission", help="a .py of any name, a folder or a .zip holding the lab's file, or a notebook")
    p.add_argument("--out", default="results.json", help="the results.json to write (default ./results.json)")
    p.add_argument("--quiet", action="store_true", help="write results.json without printing the table")
    _add_sandbox_option(p)
    _add_budget_option(p)
    p.set_defaults(run=cmd_grade)

    p = sub.add_parser("validate", help="check a lab's tests against its reference, template and mutants")
    p.add_argument("labs", nargs="*", help="the labs to validate (default: every lab)")
    p.add_argument("--runs", type=int, default=3, help="reference runs compared for determinism")
    p.add_argument("--jobs", type=int, default=1, help="gradings run in parallel processes")
    _add_budget_option(p)
    p.add_argument("--write-signatures", action="store_true",
                   help="(re)write each lab's signatures.json (its mutants' failures) from this run")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("calibrate", help="measure the training tests' runs; write each lab's calibration.json")
    p.add_argument("labs", nargs="*", help="the labs to calibrate (default: every lab; those without a training "
                                          "test say so)")
    p.add_argument("--runs", type=int, help="runs of the reference and of each alternative solution (default: as "
                                            "many as the committed calibration has, at least the fewest validate "
                                            "accepts)")
    p.add_argument("--mutant-runs", type=int, help="runs of each buggy variant a training test targets (default: as "
                                                   "many as the committed calibration has, at least the fewest "
                                                   "validate accepts)")
    p.add_argument("--jobs", type=int, default=1, help="gradings run in parallel processes (under the gradescope "
                                                       "budget each needs half a CPU: at most twice the cores)")
    _add_budget_option(p)
    p.set_defaults(run=cmd_calibrate)

    p = sub.add_parser("templates", help="regenerate student templates from the references")
    p.add_argument("labs", nargs="*", help="the labs whose templates to write (default: every lab)")
    p.add_argument("--check", action="store_true", help="only report templates that are out of date")
    p.set_defaults(run=cmd_templates)

    p = sub.add_parser("release", help="build the student bundle (with its notebook) and the autograder")
    p.add_argument("labs", nargs="*", help="the labs to release (default: every lab)")
    p.add_argument("--out", default="dist", help="the folder to write OUT/<lab>/*.zip into (default ./dist)")
    p.add_argument("--format", choices=("gradescope", "otter"), default="gradescope",
                   help="the autograder's format: dlgrade's own for Gradescope, or otter-grader's")
    p.set_defaults(run=cmd_release)

    p = sub.add_parser("notebook", help="write a lab's student notebook (release puts it in student.zip)")
    p.add_argument("lab", help="the lab's name")
    p.add_argument("--out", help="the notebook to write (default ./<lab>.ipynb)")
    p.set_defaults(run=cmd_notebook)

    p = sub.add_parser("batch", help="grade a folder of submissions (one file, folder or zip per student)")
    p.add_argument("lab", help="the lab's name")
    p.add_argument("submissions", help="folder with one entry per student, named after the student")
    p.add_argument("--out", required=True, help="one results.json per student and gradebook.csv go here")
    p.add_argument("--jobs", type=int, default=1, help="submissions graded at once on this machine")
    p.add_argument("--scheduler", help="address of a Dask scheduler to grade on instead (tcp://host:8786)")
    p.add_argument("--public", action="store_true", help="only the public tests (a quick pass)")
    p.add_argument("--force", action="store_true", help="grade every submission again")
    p.add_argument("--redo", action="append", default=[], metavar="STUDENT",
                   help="grade this student's submission again (repeatable)")
    p.add_argument("--roster", help="CSV of the class: student (the submission's name), id, name, email, "
                                    "section, sis_id, sis_login, canvas_id (docs/courses.md)")
    p.add_argument("--format", choices=("dlgrade", "canvas", "gradescope"), default="dlgrade",
                   help="also write the gradebook as Canvas or Gradescope import it")
    _add_sandbox_option(p)
    p.set_defaults(run=cmd_batch)

    p = sub.add_parser("report", help="HTML class analytics of batch results")
    p.add_argument("folder", help="a batch's --out folder, or a folder of them")
    p.add_argument("--out", help="the page to write (default FOLDER/report.html)")
    p.set_defaults(run=cmd_report)
    return parser


def version() -> str:
    """The version of the running code: the package metadata, or the vendored copy's own (a bundle)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("dlgrade")
    except PackageNotFoundError:
        return autograder.__version__


def _tests_not_loaded(exc: Exception) -> str:
    """A lab whose tests do not load, in one line: each problem's summary, not pytest's traceback."""
    first, *rest = str(exc).splitlines()
    problems = [line.removeprefix("E").strip() for line in rest
                if line.startswith("E ") or re.match(r"\S+\.py(::\S+)?: ", line)]
    return f"{first} {'; '.join(problems)}"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    student = in_student_bundle()
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if student and command is not None and command not in STUDENT_COMMANDS:
        _error(f"'{command}' is not available in the student bundle: use {' or '.join(STUDENT_COMMANDS)}")
        return 2
    args = build_parser(student).parse_args(argv)
    terminated: list[int] = []

    def terminate(signum: int, _frame: object) -> None:
        # An interrupt, as Ctrl-C is: pytest ends its session on one (it would take SystemExit for a failed
        # test), and every ``finally`` and context manager on the way out stops the worker and removes the
        # staged submission and the work folder.
        terminated.append(signum)
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, terminate)
    from autograder.grading.plugin import LabTestError

    try:
        return args.run(args)
    except LabError as exc:
        _error(str(exc))
        return 2
    except LabTestError as exc:
        _error(_tests_not_loaded(exc))
        return 2
    except KeyboardInterrupt:
        return 128 + terminated[0] if terminated else 130


if __name__ == "__main__":
    sys.exit(main())
