"""Declaring a test's points, the function it is about, a hint and its time limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

MARK = "dlgrade"


def graded(points: float, *, function: str | None = None, hint: str | None = None,
           timeout: float | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    if points < 0:
        raise ValueError("points must be >= 0")
    return getattr(pytest.mark, MARK)(points=points, function=function, hint=hint, timeout=timeout)
