"""For a lab's probes, in the worker: the submission with some functions replaced by correct ones.

A test of one function that calls others (a loss built on the student's ``bce_loss``, a miner on
their ``pairwise_distances``) charges its points to that one function only when the others are
known to be right: the probe runs it with correct versions in their place, for that call alone.

The correct versions are not the worker's: the harness sends their source with the request (it
keeps them with the hidden tests, which never ship to students), and they are compiled here into
a namespace of their own, once per source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType

_compiled: dict[str, dict] = {}


@contextmanager
def replaced(module: ModuleType, replacements: Mapping[str, Callable]) -> Iterator[None]:
    """``module``'s functions named in ``replacements`` swapped for them, restored on the way out."""
    saved = {name: module.__dict__[name] for name in replacements if name in module.__dict__}
    for name, function in replacements.items():
        setattr(module, name, function)
    try:
        yield
    finally:
        for name in replacements:
            if name in saved:
                setattr(module, name, saved[name])
            else:
                delattr(module, name)


def substitutes(source: str, names: Sequence[str]) -> dict[str, Callable]:
    """The objects ``names`` defined by ``source`` (the harness' correct versions)."""
    key = hashlib.sha256(source.encode()).hexdigest()
    if key not in _compiled:
        namespace: dict = {"__name__": "_dlgrade_substitutes"}
        exec(compile(source, "<grader's substitutes>", "exec"), namespace)  # noqa: S102 - the harness' own code
        _compiled[key] = namespace
    return {name: _compiled[key][name] for name in names}
