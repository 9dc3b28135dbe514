"""Labs as data: what lab.toml says and where a lab's parts live."""

from autograder.labs.spec import Lab, LabError, find_lab, list_labs

__all__ = ["Lab", "LabError", "find_lab", "list_labs"]
