"""siamese_triplet's training verdicts the submission's own process cannot forge: the worker hands
back the trained parameters of the grader's network, and the harness embeds data it keeps with its
own forward pass and measures the result itself.

Each attack is the siamese_triplet reference with a train_triplet that does not train, graded by the
real pipeline on train_triplet's tests only. Before the harness judged training (the worker embedded
the held-out digits and reported whether the parameters changed), each got full marks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.labs import find_lab
from tests.conftest import REPO, grade_source

REFERENCE = (REPO / "reference_solutions" / "siamese_triplet" / "siamese_triplet.py").read_text()

# The "embedding" of a point: its nearest training point's label, placed on a circle of radius 10
# (2-d whatever the network's output size: the old tests took any width).
LOOKUP = '''

def _lookup(X, y):
    gallery, labels = X.detach().clone(), y.detach().clone()

    def embed(x):
        angle = labels[torch.cdist(x, gallery).argmin(1)].float() * (2 * np.pi / 10)
        return 10 * torch.stack([torch.cos(angle), torch.sin(angle)], 1)

    return embed
'''

# The model's forward replaced on the instance; one parameter nudged so that "it changed".
INSTANCE_LOOKUP = LOOKUP + '''

def train_triplet(model, X, y, epochs=20, batch_size=128, lr=1e-3, margin=1.0, seed=0):
    model.forward = _lookup(X, y)
    with torch.no_grad():
        next(iter(model.parameters())).add_(1e-3)
    return [0.5] * epochs
'''

# The grader's own objects tampered with: its network class made a lookup, and torch.equal (with
# which a worker-side check would compare the parameters before and after) made to say "changed".
GRADER_OBJECTS = LOOKUP + '''

def train_triplet(model, X, y, epochs=20, batch_size=128, lr=1e-3, margin=1.0, seed=0):
    embed = _lookup(X, y)
    type(model).forward = lambda self, x: embed(x)
    torch.equal = lambda a, b: False
    return [0.5] * epochs
'''


@pytest.fixture(scope="module")
def lab():
    return find_lab("siamese_triplet")


def scores(lab, source: str, tmp_path: Path) -> dict[str, float]:
    report = grade_source(lab, source, tmp_path, functions=("train_triplet",))
    return {t.nodeid.rpartition("::")[2]: t.score for t in report.tests}


@pytest.mark.parametrize("source", [INSTANCE_LOOKUP, GRADER_OBJECTS], ids=["instance-forward", "grader-objects"])
def test_a_lookup_in_place_of_training_loses_the_training_test(lab, tmp_path, source):
    """Invariant: the training verdict comes from the parameters of the grader's network, run by the
    harness on held-out data the worker never sees; whatever the submission makes of the network's
    forward pass, or of the grader's classes and helpers in its process, scores nothing unless those
    parameters embed the digits."""
    got = scores(lab, REFERENCE + source, tmp_path)
    assert got["test_training_nearest_neighbour_accuracy"] == 0, got


def test_an_untouched_network_loses_the_history_test_whatever_torch_equal_says(lab, tmp_path):
    """Invariant: "the parameters changed" is the harness' comparison of the parameters it chose with
    those that came back, not a worker-side claim: the grader-objects attack, which never steps the
    optimizer, loses it."""
    got = scores(lab, REFERENCE + GRADER_OBJECTS, tmp_path)
    assert got["test_train_history"] == 0, got
