"""Calls that must leave every array they are handed alone, caches from a forward pass included.

A numpy lab's backward pass receives the cache its forward pass built, which may hold the caller's
own input arrays: writing into it changes data the caller still holds. The worker echoes the
arguments as they were after the call, so every array reached through tuples, lists and dicts (a
cache's contents) is compared with what was sent. Objects that stayed in the worker are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograder.toolkit.compare import Mismatch, assert_unmodified
from autograder.toolkit.remote import StudentFunction


def _changed(name: str, before: Any, after: Any, function: str) -> None:
    if isinstance(before, np.ndarray):
        assert_unmodified({name: before}, {name: after}, function=function)
    elif type(before) in (tuple, list):
        if type(after) is not type(before) or len(after) != len(before):
            raise Mismatch(f"argument {name}", "was changed in place (its items)", function=function)
        for i, (b, a) in enumerate(zip(before, after)):
            _changed(f"{name}[{i}]", b, a, function)
    elif type(before) is dict:
        if type(after) is not dict or set(after) != set(before):
            raise Mismatch(f"argument {name}", "was changed in place (its keys)", function=function)
        for key, b in before.items():
            _changed(f"{name}[{key!r}]", b, after[key], function)
    elif isinstance(before, int | float | str | bool | None) and before != after:
        raise Mismatch(f"argument {name}", "was changed in place", function=function)


def call_read_only(fn: StudentFunction, *args: Any, names: Sequence[str], **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, failing (blamed on ``fn``) when it changed any array among its
    arguments, however deeply nested; ``names`` names the positional arguments in the failure."""
    result, args_after, kwargs_after = fn.echo(*args, **kwargs)
    for name, before, after in zip(names, args, args_after, strict=True):
        _changed(name, before, after, fn.label)
    for name, before in kwargs.items():
        _changed(name, before, kwargs_after[name], fn.label)
    return result
