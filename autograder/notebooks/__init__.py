"""Jupyter in and out: the student notebook of a lab, its check cells, and notebook submissions.

In a notebook::

    from autograder.notebooks import check
    check("backprop", "affine_forward")   # that function's public tests, as `dlgrade check` shows them
"""

from autograder.grading.notebook_code import NotebookError, notebook_source, source_from_cells
from autograder.notebooks.check import CELLS, check, public_report, when_implemented

__all__ = ["CELLS", "NotebookError", "check", "notebook_source", "public_report", "source_from_cells",
           "when_implemented"]
