"""The untrusted side: the process that imports and runs a submission.

Nothing in this subpackage imports the rest of ``autograder``, so a sandbox can expose this folder
alone to the worker, and nothing here is trusted by the harness: it only produces data.
"""
