"""Worker-side helpers of the rnn tests.

clip_grad_norm must scale the caller's array objects in place. Object identity does not cross the
process boundary (arrays arrive as copies), so the check runs here, next to the submission, and
returns plain data for the harness to judge.
"""

from __future__ import annotations

from typing import Any


def clip_grad_norm_in_place(module: Any, grads: dict[str, Any], max_norm: float) -> dict[str, Any]:
    """Call ``clip_grad_norm`` on a dict of fresh arrays, as a training loop would.

    Returns what the submission returned, the dict's entries afterwards, the caller's own array
    objects afterwards (what a training loop holding references to them would see), and, per key,
    whether the dict still holds the very same object.
    """
    passed = dict(grads)
    originals = dict(passed)
    total_norm = module.clip_grad_norm(passed, max_norm)
    return {
        "total_norm": total_norm,
        "keys": sorted(str(k) for k in passed),
        "dict_values": {k: passed.get(k) for k in originals},
        "original_values": originals,
        "same_objects": {k: passed.get(k) is v for k, v in originals.items()},
    }
