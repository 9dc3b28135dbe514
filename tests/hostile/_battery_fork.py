"""Runs in a fork of the battery's preloaded server: `dlgrade ARGV` without the interpreter start-up.

A module of its own (not the conftest) so that the fork server imports it by one unambiguous name.
"""

from __future__ import annotations

import os
import sys


def cli_child(argv: list[str], env: dict, cwd: str, out: str, err: str) -> None:
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    for fd, path in ((1, out), (2, err)):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(handle, fd)
        os.close(handle)
    from autograder.cli import main

    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
