"""Fixtures of the hostile battery (the machinery is in ``battery.py``)."""

from __future__ import annotations

import sys

import pytest

from tests.hostile.battery import Battery

collect_ignore = ["fixture"]  # the probe lab's own tests run inside the grader, not here


@pytest.fixture(scope="session")
def battery():
    if not sys.platform.startswith("linux"):
        pytest.skip("the hostile battery needs Linux (/proc, process groups, the sandbox layers)")
    made = Battery()
    yield made
    made.close()
