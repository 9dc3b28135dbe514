"""Checks on the form of what a submission returned (or raised), before any value is compared.

Each fails with a ``Mismatch`` that names the quantity and, through ``function``, the student's
function to blame; left at None, feedback blames the function the test declares.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograder.failures import StudentError
from autograder.toolkit.compare import Mismatch, describe, expect_array
from autograder.worker.wire import TensorValue

# What a lab's probe passes on in place of a value of the wrong type: {UNEXPECTED: its type's name}.
UNEXPECTED = "unexpected_type"


def expect_tuple(value: Any, parts: int | Sequence[str], *, name: str, function: str | None = None) -> tuple:
    """``value`` when it is a tuple of ``parts`` elements: a count, or the elements' names, which the
    failure then lists (``("dx", "dw", "db")``)."""
    count = parts if isinstance(parts, int) else len(parts)
    if type(value) is tuple and len(value) == count:
        return value
    wanted = f"of {count} elements" if isinstance(parts, int) else f"({', '.join(parts)})"
    got = f"a tuple of {len(value)}" if type(value) is tuple else describe(value)
    raise Mismatch(name, f"expected a tuple {wanted}, got {got}", function=function)


def expect_tensor(value: Any, shape: tuple | None = None, *, name: str, dtype: str | None = None,
                  kind: str = "f", function: str | None = None) -> np.ndarray:
    """The array of a torch tensor the submission returned, of ``dtype`` (e.g. "float32", None: any),
    numeric ``kind``, ``shape`` and finite (see ``expect_array``)."""
    if not isinstance(value, TensorValue):
        raise Mismatch(name, f"expected a torch tensor, got {describe(value)}", function=function)
    if dtype is not None and value.dtype != dtype:
        raise Mismatch(name, f"expected dtype {dtype}, got {value.dtype}", function=function)
    return expect_array(value.array, shape, name=name, kind=kind, function=function)


def expect_probed(value: Any, *, name: str, expected: str = "a torch tensor", function: str | None = None) -> Any:
    """``value`` as a probe passed it on, unless the probe found something other than ``expected``
    there and passed on ``{UNEXPECTED: its type's name}`` instead."""
    if isinstance(value, dict) and UNEXPECTED in value:
        raise Mismatch(name, f"expected {expected}, got {value[UNEXPECTED]}", function=function)
    return value


def expect_raises(call: Callable[[], Any], error: str = "ValueError", *, name: str,
                  function: str | None = None) -> None:
    """``call()`` must raise ``error`` (the exception's class name) in the submission."""
    try:
        result = call()
    except StudentError as exc:
        if exc.not_implemented:
            raise
        if exc.type == error:
            return
        raise Mismatch(name, f"raised {exc.type}, not {error}", function=function) from None
    raise Mismatch(name, f"returned {describe(result)} instead of raising {error}", function=function)
