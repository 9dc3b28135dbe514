"""Turning a failed test's exception into a message a student can act on.

Public tests show everything useful: the quantity, the worst element, expected against got, and the
smallest failing input that hypothesis found. Hidden tests show the function, the kind of failure
and a short message; never their inputs, expected values or source. Nor anything the submission
chose to say in a hidden test (an exception's message, a custom exception's name): the submission
sees the hidden inputs, and its messages would carry them out. Every message is free of control
characters (terminal escapes), whoever reads it.
"""

from __future__ import annotations

import builtins
import re

from autograder.failures import (
    GraderFault,
    ImportFailure,
    Kind,
    StudentError,
    SubmissionFailure,
    WorkerDied,
    WorkerTimeout,
)
from autograder.toolkit.compare import Mismatch
from autograder.worker.wire import clip_text

_STUDENT_REPR = re.compile(r"^\s*student=.*,\n", re.MULTILINE)
MESSAGE_CHARS = 20_000  # a test's message: far more than any test writes, far less than a results.json may hold


def _root_cause(exc: BaseException) -> BaseException:
    """Hypothesis wraps inconsistent failures in groups; the submission's failure is what matters."""
    while isinstance(exc, BaseExceptionGroup):
        inner = exc.exceptions
        preferred = [e for e in inner if isinstance(e, GraderFault | SubmissionFailure | Mismatch)]
        exc = (preferred or list(inner))[0]
    return exc


def kind_of(exc: BaseException) -> Kind:
    exc = _root_cause(exc)
    if isinstance(exc, GraderFault):
        return Kind.INTERNAL
    if isinstance(exc, StudentError) and exc.not_implemented:
        return Kind.NOT_IMPLEMENTED
    if isinstance(exc, ImportFailure):
        return Kind.IMPORT
    if isinstance(exc, WorkerTimeout):
        return Kind.TIMEOUT
    if isinstance(exc, WorkerDied):
        return Kind.CRASH
    if isinstance(exc, StudentError):
        return Kind.ERROR
    if isinstance(exc, Mismatch):
        return Kind.MISMATCH
    return Kind.CHECK


def explain(exc: BaseException, *, public: bool, function: str | None) -> str:
    root = _root_cause(exc)
    if isinstance(root, StudentError) and not isinstance(root, ImportFailure) and not public:
        message = _withheld(root)
    elif isinstance(root, SubmissionFailure | GraderFault):
        message = str(root) if isinstance(root, GraderFault) else root.summary()
    elif isinstance(root, Mismatch):
        where = root.function or function
        body = root.full() if public else root.summary()
        message = f"{where}: {body}" if where else body
    elif isinstance(root, AssertionError):
        message = _assertion_text(root, public)
    else:
        what = f"what {function} returned" if function else "the submission's result"
        detail = f"{type(root).__name__}: {root}" if public else type(root).__name__
        message = f"the test could not use {what} ({detail})"
    if public:
        example = _falsifying_example(exc) or _falsifying_example(root)
        if example:
            message += f"\nsmallest failing input found: {example}"
    return clip_text(message, MESSAGE_CHARS)


def _withheld(error: StudentError) -> str:
    """A hidden test's account of the submission's error, from what the harness knows only.

    Importing is not a test's: its errors show in full (the public tests show them anyway).
    """
    name = error.function or "the submission"
    if error.not_implemented:
        return f"{name}: not implemented yet"
    said = {"missing": "is not in the submission", "forbidden": "imported a package this lab does not allow",
            "exit": "called sys.exit(); a submission must return, not exit",
            "contract": "returned or did something the test cannot work with"}.get(error.kind)
    if said:
        return f"{name} {said} (details are not shown for hidden tests)"
    builtin = getattr(builtins, error.type, None)
    what = error.type if isinstance(builtin, type) and issubclass(builtin, BaseException) else "an exception"
    line = error.frames[-1][1] if error.frames else 0
    where = f" at line {line}" if 0 < line < 1_000_000 else ""
    return f"{name} raised {what}{where} (its message is not shown for hidden tests)"


def _assertion_text(exc: AssertionError, public: bool) -> str:
    text = str(exc).strip()
    if public:
        return text or "a check on the result failed"
    first = text.splitlines()[0] if text else ""
    return "a check on the result failed" if not first or first.startswith("assert ") else first


def _falsifying_example(exc: BaseException) -> str:
    for note in getattr(exc, "__notes__", ()):
        # Hypothesis says "Falsifying example" in older releases, "Failing test case" in newer ones.
        if note.startswith(("Falsifying example", "Failing test case")):
            body = note.split(":", 1)[1].strip()
            return _STUDENT_REPR.sub("", body)
    return ""
