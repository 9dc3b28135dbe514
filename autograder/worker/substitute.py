"""For a lab's probes, in the worker: the submission with some functions replaced by correct ones.

A test of one function that calls others (a loss built on the student's ``bce_loss``, a miner on
their ``pairwise_distances``) charges its points to that one function only when the others are
known to be right: the probe runs it with correct versions in their place, for that call alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType


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
