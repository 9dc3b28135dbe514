"""What can go wrong on the submission's side, as exceptions the harness raises inside a test.

Each carries what feedback needs to say it plainly; none carries a value from a hidden test.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """Why a test lost its points: the one vocabulary of feedback, results.json tags, reports and validation."""

    NOT_IMPLEMENTED = "not_implemented"  # the function still raises NotImplementedError
    IMPORT = "import"  # the submission could not be read or imported: every test fails alike
    ERROR = "error"  # the function raised, or returned something unusable
    MISMATCH = "mismatch"  # a value differs from the expected one
    CHECK = "check"  # another property of the result does not hold
    TIMEOUT = "timeout"
    CRASH = "crash"  # the worker died (memory, a signal, an exit)
    INTERNAL = "internal"  # the grader broke: not the submission's fault

    @classmethod
    def named(cls, tag: str) -> Kind | None:
        """The kind a results.json tag names, None for the other tags (function, visibility)."""
        return cls._value2member_map_.get(tag)

    @property
    def submission_unfinished(self) -> bool:
        """What a template (every function a stub) may fail with: anything else is a test that crashes on a stub."""
        return self in (Kind.NOT_IMPLEMENTED, Kind.IMPORT)


class SubmissionFailure(Exception):
    """Base: the submission, not the test, made this test fail."""

    function: str | None = None

    def summary(self) -> str:
        return str(self)


class StudentError(SubmissionFailure):
    """The submission raised (or returned something unusable) during a call."""

    def __init__(self, function: str | None, error: dict) -> None:
        self.function = function
        self.kind: str = error.get("kind", "student")
        self.type: str = error.get("type", "Exception")
        self.message: str = error.get("message", "")
        self.frames: list = error.get("frames", [])
        super().__init__(self.summary())

    @property
    def not_implemented(self) -> bool:
        return self.type == "NotImplementedError"

    @property
    def same_for_any_input(self) -> bool:
        """Not written yet, not there, or refused: no other input changes that, so a test need not retry."""
        return self.not_implemented or self.kind in ("missing", "forbidden")

    def summary(self) -> str:
        name = f"{self.function}" if self.function else "the submission"
        if self.not_implemented:
            return f"{name}: not implemented yet"
        if self.kind == "missing":
            return self.message
        if self.kind == "forbidden":
            return f"refused import: {self.message}"
        if self.kind == "exit":
            return f"{name} called sys.exit({self.message}); a submission must return, not exit"
        if self.kind == "contract":
            return f"{name}: {self.message}"
        where = ""
        if self.frames:
            file, line, func, text = self.frames[-1]
            where = f" (at {file}:{line} in {func}: {text.strip()})" if text else f" (at {file}:{line})"
        return f"{name} raised {self.type}: {self.message}{where}"


class ImportFailure(StudentError):
    """The submission could not be imported; every test that needs it fails the same way."""

    def summary(self) -> str:
        if self.kind == "forbidden":
            return f"the submission could not be imported: refused import: {self.message}"
        if self.kind == "died":
            return f"the submission could not be imported: {self.message}"
        detail = super().summary().removeprefix("the submission raised ")
        return f"the submission could not be imported: {detail}"


class WorkerTimeout(SubmissionFailure):
    def __init__(self, function: str | None, limit: float, during_import: bool = False) -> None:
        self.function, self.limit, self.during_import = function, limit, during_import
        what = "importing the submission" if during_import else (function or "the test")
        super().__init__(f"{what} did not finish within {limit:g} s (infinite loop, or far too slow?)")


class BudgetExhausted(WorkerTimeout):
    """The submission's whole time budget ran out before this test started."""

    def __init__(self, budget: float) -> None:
        SubmissionFailure.__init__(self, f"not run: the submission used up its {budget:g} s time budget in earlier "
                                         "tests (an infinite loop there, or far too slow?)")
        self.function, self.limit, self.during_import = None, budget, False


class WorkerDied(SubmissionFailure):
    def __init__(self, function: str | None, description: str) -> None:
        self.function, self.description = function, description
        super().__init__(f"the worker running {function or 'the submission'} {description}")


class GraderFault(Exception):
    """The grader itself broke while talking to the worker: not the submission's fault."""

    def __init__(self, function: str | None, cause: BaseException) -> None:
        self.function = function
        super().__init__(f"the grader failed while calling {function or 'the submission'} "
                         f"({type(cause).__name__}: {cause}); this is not your code's fault: "
                         "please tell the course staff")


class SandboxUnavailable(Exception):
    """The isolation asked for cannot be had on this machine (not the submission's fault)."""
