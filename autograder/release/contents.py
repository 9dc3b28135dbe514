"""What a release ships: the harness package, a lab's files without its private parts, requirements."""

from __future__ import annotations

from pathlib import Path

import autograder
from autograder.labs import Lab
from autograder.release.bundle import tree

PACKAGE = Path(autograder.__file__).resolve().parent
_BASE_REQUIREMENTS = ["numpy>=1.26", "pytest>=8", "hypothesis>=6.100", "rich>=13", "jsonschema>=4.20",
                      "msgpack>=1.0"]
_TORCH_REQUIREMENTS = ["scikit-learn>=1.3", "gymnasium>=0.29", "matplotlib>=3.8"]
# The grader reads notebook submissions; students need Jupyter only for the notebook.
_GRADER_REQUIREMENTS = ["nbformat>=5.9"]


def requirements(lab: Lab, hidden: bool) -> str:
    # The hidden tests use torch as their oracle, so the grader needs it even for numpy labs.
    needs_torch = lab.framework == "torch" or hidden
    lines = _BASE_REQUIREMENTS + (_TORCH_REQUIREMENTS if lab.framework == "torch" else [])
    if hidden:
        lines = lines + _GRADER_REQUIREMENTS
    if needs_torch and hidden:
        lines = lines + ["torch>=2.4"]
    return "\n".join(lines) + "\n"


def package_files(prefix: str) -> dict[str, Path]:
    """The harness (``autograder/``) under ``prefix`` in the archive."""
    return tree(PACKAGE, prefix)


def lab_files(lab: Lab, prefix: str, hidden: bool) -> dict[str, Path]:
    """The lab's folder under ``prefix``, without what is private to the authors (and to the grader
    when ``hidden`` is false): what ``Lab.private_paths`` names."""
    shipped = {lab.hidden_tests} if hidden else set()
    exclude = [p.relative_to(lab.directory) for p in lab.private_paths
               if p not in shipped and p.is_relative_to(lab.directory)]
    return tree(lab.directory, prefix, exclude=exclude)
