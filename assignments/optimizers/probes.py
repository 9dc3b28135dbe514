"""Worker-side helpers of the optimizers tests.

A trajectory is many calls in sequence, each on the weights the previous one returned: run here,
next to the submission, it costs one round trip instead of one per step. The harness loads this
file too, for ``gradient``, so that both sides compute the gradients the same way.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def gradient(problem: dict[str, Any], w: np.ndarray, t: int) -> np.ndarray:
    """dw at step t of a noisy quadratic: scale * (a * (w - c) + noise[t]).

    With ``a`` all zeros the gradients are ``scale * noise[t]``, fixed in advance.
    """
    return problem["scale"] * (problem["a"] * (w - problem["c"]) + problem["noise"][t])


def run_rule(module: Any, rule: str, w0: np.ndarray, config: Any, problem: dict[str, Any],
             steps: int) -> dict[str, Any]:
    """Call ``module.<rule>`` ``steps`` times, as a training loop would.

    Returns a copy of every next_w, and, when a call returned something a loop cannot go on with
    (not a pair of an array of w's shape and a dict), that result and the step it came at, for the
    harness to judge. dw is a fresh array at every step, so a rule that modifies it changes
    nothing here (another test checks dw).
    """
    fn = getattr(module, rule)
    w = np.array(w0, dtype=np.float64)
    weights = []
    for t in range(steps):
        result = fn(w, gradient(problem, w, t), config)
        usable = (type(result) is tuple and len(result) == 2 and type(result[0]) is np.ndarray
                  and result[0].shape == w.shape and isinstance(result[1], dict))
        if not usable:
            return {"weights": weights, "stopped_at": t, "result": result}
        w, config = result
        weights.append(w.copy())
    return {"weights": weights, "stopped_at": None, "result": None}
