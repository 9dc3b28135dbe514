"""The harness-side face of a submission: the ``student`` fixture's objects.

Calls become requests to the worker; what comes back is plain data or a ``Handle`` wrapped as a
``RemoteObject``. Nothing the submission defines is ever imported here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from autograder.failures import GraderFault, SubmissionFailure
from autograder.sandbox.runner import SubmissionRunner
from autograder.toolkit.compare import Mismatch, all_finite, expect_finite
from autograder.worker.wire import Handle


class _Endpoint:
    def __init__(self, client: SubmissionRunner) -> None:
        self._client = client

    def _send(self, req: dict, function: str | None) -> Any:
        try:
            reply = self._client.request(_unwrap(req), function)
        except SubmissionFailure:
            raise
        except Exception as exc:
            raise GraderFault(function, exc) from exc
        return _wrap(self._client, reply)


class StudentFunction(_Endpoint):
    """A callable of the submission (a module function, a class, or a method of a remote object)."""

    def __init__(self, client: SubmissionRunner, name: str, target: Handle | None = None,
                 label: str | None = None) -> None:
        super().__init__(client)
        self.name, self.target, self.label = name, target, label or name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._calls([(args, kwargs)])[0]

    def strict(self, *args: Any, **kwargs: Any) -> Any:
        """Call, failing when the result holds inf or nan although every input was finite.

        The harness judges that itself: the submission's process could switch numpy's warnings off.
        The worker still raises overflow, invalid and divide-by-zero warnings as errors, which only
        ever costs the submission (and says where the overflow happened)."""
        result = self._calls([(args, kwargs)], strict=True)[0]
        if all_finite((args, kwargs)):
            expect_finite(result, name=f"{self.label} result", function=self.label)
        return result

    def echo(self, *args: Any, **kwargs: Any) -> tuple[Any, tuple, dict]:
        """Call, and also return the arguments as they were after the call."""
        return self._calls([(args, kwargs)], echo=True)[0]

    def map(self, calls: Iterable[tuple[Sequence, dict]], pick: int | None = None) -> list:
        """Many calls in one round trip; ``pick`` keeps one element of each (tuple) result."""
        return self._calls(calls, pick=pick)

    def _calls(self, calls: Iterable[tuple[Sequence, dict]], **options: Any) -> list:
        # One request shape for one call and for many: the worker runs both from the same frames.
        batch = [[list(args), dict(kwargs)] for args, kwargs in calls]
        return self._send({"op": "call", "target": self.target, "name": self.name, "calls": batch} | options,
                          self.label)

    def grad(self, *args: Any, upstream: Any = None, pick: int | None = None, **kwargs: Any) -> tuple:
        """Torch: ``(value, grads)``, one gradient per ``Tensor(..., requires_grad=True)`` argument."""
        return self._send({"op": "grad", "target": self.target, "name": self.name, "args": list(args),
                           "kwargs": kwargs, "upstream": upstream, "pick": pick}, self.label)


class RemoteObject(_Endpoint):
    """An object living in the worker: call its methods, read and set its attributes."""

    def __init__(self, client: SubmissionRunner, handle: Handle) -> None:
        super().__init__(client)
        self.handle = handle

    @property
    def type_name(self) -> str:
        return self.handle.type_name

    def __getattr__(self, name: str) -> StudentFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self._client, name, self.handle, f"{self.handle.type_name}.{name}")

    def get(self, name: str) -> Any:
        return self._send({"op": "get", "target": self.handle, "name": name}, f"{self.type_name}.{name}")

    def set(self, name: str, value: Any) -> None:
        self._send({"op": "set", "target": self.handle, "name": name, "value": value},
                   f"{self.type_name}.{name}")

    def update(self, name: str, items: dict) -> None:
        """Set items of a dict attribute in place (for example every entry of ``params``)."""
        self._send({"op": "update", "target": self.handle, "name": name, "items": items},
                   f"{self.type_name}.{name}")

    def __repr__(self) -> str:
        return f"<remote {self.type_name}>"


class Student(_Endpoint):
    """The submission as a module: ``student.fn(...)`` calls its ``fn`` in the worker.

    ``substitutes`` is the source of the lab's correct versions of graded functions, where the
    harness has them (a grader, an instructor's checkout); a student's own check has none.
    """

    def __init__(self, client: SubmissionRunner, substitutes: str | None = None) -> None:
        super().__init__(client)
        self._substitutes = substitutes

    def __repr__(self) -> str:
        return "<submission>"

    def __getattr__(self, name: str) -> StudentFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return StudentFunction(self._client, name)

    def has(self, name: str) -> bool:
        return bool(self._send({"op": "has", "name": name}, name))

    def call_echo(self, name: str, *args: Any, **kwargs: Any) -> tuple[Any, tuple, dict]:
        return StudentFunction(self._client, name).echo(*args, **kwargs)

    def map(self, name: str, calls: Iterable[tuple[Sequence, dict]], pick: int | None = None) -> list:
        return StudentFunction(self._client, name).map(calls, pick)

    def grad(self, name: str, *args: Any, upstream: Any = None, pick: int | None = None, **kwargs: Any):
        return StudentFunction(self._client, name).grad(*args, upstream=upstream, pick=pick, **kwargs)

    def probe(self, name: str, *args: Any, function: str | None = None, substitute: Sequence[str] = (),
              **kwargs: Any) -> Any:
        """``probes.name(module, *args, **kwargs)`` in the worker. A failure in it (the submission
        raising, a timeout, a crash) is blamed on ``function``, the submission's function the probe
        exercises, rather than on the probe (``name``), which a student never sees.

        ``substitute`` names the graded functions (or classes) the probe's call relies on but does
        not judge: where the lab's correct versions are at hand they replace the submission's own
        for this call, so that only ``function`` can be at fault; elsewhere the submission's run."""
        req = {"op": "probe", "name": name, "args": list(args), "kwargs": kwargs}
        if substitute and self._substitutes is not None:
            req["substitute"] = {"source": self._substitutes, "names": list(substitute)}
        return self._send(req, function or name)

    @property
    def substituting(self) -> bool:
        """Whether ``probe(substitute=...)`` puts correct versions in place (else the submission's run)."""
        return self._substitutes is not None

    @contextlib.contextmanager
    def running_own(self, names: Sequence[str]) -> Iterator[None]:
        """Where no correct versions are at hand (a student's own check), a failure inside says that the
        submission's own ``names`` ran too, where a grading runs correct ones: a bug there may be the cause."""
        try:
            yield
        except AssertionError as failure:
            if self.substituting or not names:
                raise
            note = (f"This check also ran your own {', '.join(names)}; grading runs correct versions of those "
                    "instead, so if their tests fail too, fix them first.")
            if isinstance(failure, Mismatch):
                raise Mismatch(failure.name, failure.problem, "\n".join(filter(None, (failure.detail, note))),
                               function=failure.function) from None
            raise AssertionError(f"{failure}\n{note}") from None


def _wrap(client: SubmissionRunner, value: Any) -> Any:
    if isinstance(value, Handle):
        return RemoteObject(client, value)
    if type(value) is tuple:
        return tuple(_wrap(client, v) for v in value)
    if type(value) is list:
        return [_wrap(client, v) for v in value]
    if type(value) is dict:
        return {k: _wrap(client, v) for k, v in value.items()}
    return value


def _unwrap(value: Any) -> Any:
    if isinstance(value, RemoteObject):
        return value.handle
    if type(value) is tuple:
        return tuple(_unwrap(v) for v in value)
    if type(value) is list:
        return [_unwrap(v) for v in value]
    if type(value) is dict:
        return {k: _unwrap(v) for k, v in value.items()}
    return value
