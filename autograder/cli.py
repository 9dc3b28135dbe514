"""The ``dlgrade`` command: check, grade, validate, templates, release, notebook, batch, report."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from rich.console import Console

from autograder.failures import SandboxUnavailable
from autograder.labs import LabError, find_lab, list_labs

console = Console()


def cmd_check(args: argparse.Namespace) -> int:
    from autograder.grading.pipeline import GradingOptions, grade
    from autograder.reports.console import render

    lab = find_lab(args.lab)
    target = Path(args.file) if args.file else Path.cwd() / lab.student_file
    if not target.exists():
        console.print(f"[red]no {target}[/red]: run this where your {lab.student_file} is, or name the file")
        return 2
    try:
        report = grade(lab, target, GradingOptions(hidden=False, sandbox=args.sandbox))
    except SandboxUnavailable as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    render(report, console, title=f"{lab.title}: public tests on {target.name}")
    console.print(f"[dim]{_sandbox_line(report.extra.get('sandbox', {}))}[/dim]", highlight=False)
    console.print("[dim]Hidden tests run when you submit; they check the harder cases too.[/dim]")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from autograder.grading.pipeline import GradingOptions, grade_results
    from autograder.reports.console import render
    from autograder.reports.results_file import write_results

    lab = find_lab(args.lab)
    out = Path(args.out)
    options = GradingOptions(sandbox=args.sandbox, protect=(out.resolve().parent,))
    report, data = grade_results(lab, Path(args.submission), options)
    write_results(out, data)  # written whatever happened: a grading that broke is a clear zero
    if report is None:
        console.print(f"[red]{data['output']}[/red]")
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


def cmd_validate(args: argparse.Namespace) -> int:
    from autograder.authoring.validate import validate_many

    labs = [find_lab(name) for name in args.labs or list_labs()]
    results = validate_many(labs, runs=args.runs, jobs=args.jobs)
    for result in results:
        console.rule(f"validate {result.lab}")
        for check in result.checks:
            mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
            console.print(f"{mark} {check.what}  [dim]{check.detail}[/dim]", highlight=False)
    failed = [r.lab for r in results if not r.ok]
    console.print(f"[red]validation failed: {', '.join(failed)}[/red]" if failed
                  else f"[green]all {len(results)} lab(s) valid[/green]")
    return 1 if failed else 0


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

    lab = find_lab(args.lab)
    for path in release(lab, Path(args.out), format=args.format):
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
    from autograder.reports.gradebook import gradebook_columns, write_gradebook

    lab = find_lab(args.lab)
    try:
        summary = run_batch(lab, Path(args.submissions), Path(args.out), jobs=args.jobs,
                            scheduler=args.scheduler, hidden=not args.public, sandbox=args.sandbox)
    except BatchError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    rate = f" in {summary.seconds:.0f} s ({summary.per_minute:.1f} per minute)" if summary.graded else ""
    console.print(f"{summary.students} submissions: {summary.graded} graded{rate}, "
                  f"{summary.skipped} already done")
    if summary.breakdowns:
        console.print(f"[red]{len(summary.breakdowns)} could not be graded[/red] (run again to retry): "
                      + ", ".join(summary.breakdowns))
    gradebook = write_gradebook(Path(args.out), summary.roster, gradebook_columns(lab, not args.public))
    console.print(f"wrote {gradebook}")
    return 1 if summary.breakdowns else 0


def cmd_report(args: argparse.Namespace) -> int:
    from autograder.reports.html import write_report

    try:
        path = write_report(Path(args.folder), Path(args.out) if args.out else None)
    except FileNotFoundError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    console.print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlgrade", description="Auto-graded deep-learning labs.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="run the public tests on your file (students)")
    p.add_argument("lab")
    p.add_argument("file", nargs="?")
    _add_sandbox_option(p)
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("grade", help="grade a submission (.py, folder or .zip) into results.json")
    p.add_argument("lab")
    p.add_argument("submission")
    p.add_argument("--out", default="results.json")
    p.add_argument("--quiet", action="store_true")
    _add_sandbox_option(p)
    p.set_defaults(run=cmd_grade)

    p = sub.add_parser("validate", help="check a lab's tests against its reference, template and mutants")
    p.add_argument("labs", nargs="*")
    p.add_argument("--runs", type=int, default=3, help="reference runs compared for determinism")
    p.add_argument("--jobs", type=int, default=1, help="gradings run in parallel processes")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("templates", help="regenerate student templates from the references")
    p.add_argument("labs", nargs="*")
    p.add_argument("--check", action="store_true", help="only report templates that are out of date")
    p.set_defaults(run=cmd_templates)

    p = sub.add_parser("release", help="build the student bundle (with its notebook) and the autograder")
    p.add_argument("lab")
    p.add_argument("--out", default="dist")
    p.add_argument("--format", choices=("gradescope", "otter"), default="gradescope",
                   help="the autograder's format: dlgrade's own for Gradescope, or otter-grader's")
    p.set_defaults(run=cmd_release)

    p = sub.add_parser("notebook", help="write a lab's student notebook (release puts it in student.zip)")
    p.add_argument("lab")
    p.add_argument("--out", help="the notebook to write (default ./<lab>.ipynb)")
    p.set_defaults(run=cmd_notebook)

    p = sub.add_parser("batch", help="grade a folder of submissions (one file, folder or zip per student)")
    p.add_argument("lab")
    p.add_argument("submissions", help="folder with one entry per student, named after the student")
    p.add_argument("--out", required=True, help="one results.json per student and gradebook.csv go here")
    p.add_argument("--jobs", type=int, default=1, help="submissions graded at once on this machine")
    p.add_argument("--scheduler", help="address of a Dask scheduler to grade on instead (tcp://host:8786)")
    p.add_argument("--public", action="store_true", help="only the public tests (a quick pass)")
    _add_sandbox_option(p)
    p.set_defaults(run=cmd_batch)

    p = sub.add_parser("report", help="HTML class analytics of batch results")
    p.add_argument("folder", help="a batch's --out folder, or a folder of them")
    p.add_argument("--out", help="the page to write (default FOLDER/report.html)")
    p.set_defaults(run=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    terminated: list[int] = []

    def terminate(signum: int, _frame: object) -> None:
        # An interrupt, as Ctrl-C is: pytest ends its session on one (it would take SystemExit for a failed
        # test), and every ``finally`` and context manager on the way out stops the worker and removes the
        # staged submission and the work folder.
        terminated.append(signum)
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, terminate)
    try:
        return args.run(args)
    except LabError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    except KeyboardInterrupt:
        return 128 + terminated[0] if terminated else 130


if __name__ == "__main__":
    sys.exit(main())
