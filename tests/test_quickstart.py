"""The README's quick start leaves its reader able to type `dlgrade`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def quick_start() -> list[str]:
    """The lines of the README's first shell block, comments dropped."""
    block = re.search(r"```sh\n(.*?)```", (REPO / "README.md").read_text(), re.S)
    assert block, "README.md has no ```sh block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines()]


def make_dry_run(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.fail("make is missing: the README's quick start needs it", pytrace=False)
    # Run as a user would: not as a sub-make of `make test`, whose variables would change what make prints.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES")}
    return subprocess.run(["make", "--no-print-directory", "-n", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, check=True).stdout


def test_quick_start_activates_the_virtualenv_that_setup_builds():
    lines = quick_start()
    assert lines[:2] == ["make demo", "make test"]
    activate = next((line for line in lines if line.startswith(". ")), None)
    assert activate is not None, "the quick start never activates the virtualenv: `dlgrade` is not on PATH"
    bin_dir = Path(activate.removeprefix(". ")).parent
    assert "dlgrade" in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    # `make setup` is done when the console script pip writes for dlgrade exists in that virtualenv.
    database = make_dry_run("-p", "setup")
    assert re.search(rf"^setup: {re.escape(str(bin_dir / 'dlgrade'))}$", database, re.M), \
        f"`make setup` does not build {bin_dir / 'dlgrade'}"


@pytest.mark.parametrize("target", ["demo", "test"])
def test_make_targets_end_by_naming_the_activation(target):
    activate = next(line for line in quick_start() if line.startswith(". "))
    assert make_dry_run(target).rstrip().splitlines()[-1] == f"echo \"run '{activate}' to use dlgrade\""
