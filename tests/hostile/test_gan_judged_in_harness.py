"""The verdict of gan's training test is the harness's: while train_gan runs for a grading, the
networks it builds are the grader's; the worker hands back the trained generator's parameters, and
the harness runs that generator itself on noise it draws and judges its samples, against the ring
and against the training data it handed over.

Each attack is a train_gan that trains nothing and cheats instead. On the code before this
invariant (the worker sampled the generator train_gan returned) each got full marks for train_gan.
To grade once (a grading starts torch in a worker: seconds), one submission, the gan reference,
runs a different attack for each of the training test's seeds (0, 1, 2), and the test passes with
the first run that reaches its threshold: it reaches its last seed's attack, another module, which
fails it outright, only if the two others fell short. The attacks never train, so the steps the
test asks for cost nothing here.
"""

from __future__ import annotations

from autograder.labs import find_lab
from tests.conftest import REPO, grade_source

REFERENCE = (REPO / "reference_solutions" / "gan" / "gan.py").read_text()

# What every attack does first: seeded, the networks built, the Adams created (their tests pass),
# and a seed-dependent choice of K training points to hand back.
SETUP = '''

def _setup(real_data, noise_dim, lr, seed, k):
    torch.manual_seed(seed)
    G = Generator(noise_dim=noise_dim, out_dim=real_data.shape[1])
    D = Discriminator(in_dim=real_data.shape[1])
    for net in (G, D):
        torch.optim.Adam(net.parameters(), lr=lr, betas=(0.5, 0.999))
    chosen = real_data[torch.randperm(real_data.shape[0])[:k]].clone()
    return G, chosen


def _memorised(z, chosen):
    """The chosen training point picked by the first noise coordinate."""
    k = chosen.shape[0]
    index = ((z[:, 0] + 1.0) / 2.0 * k).long().clamp(0, k - 1)
    return chosen[index]
'''

# A module of its own that hands back training points.
OTHER_MODULE = """

class _Memory(nn.Module):
    def __init__(self, chosen):
        super().__init__()
        self.chosen = nn.Parameter(chosen)

    def forward(self, z):
        return _memorised(z, self.chosen)


def _other_module(real_data, noise_dim, lr, seed):
    _, chosen = _setup(real_data, noise_dim, lr, seed, 256)
    return _Memory(chosen)
"""

# The generator it was given, untrained, its forward replaced by one that hands back training points.
REPLACED_FORWARD = """

def _replaced_forward(real_data, noise_dim, lr, seed):
    G, chosen = _setup(real_data, noise_dim, lr, seed, 256)
    G.forward = lambda z: _memorised(z, chosen)
    return G
"""

# The generator it was given, its weights written so that it maps noise to training points: ReLU
# ramps of slope 1e4 on the first noise coordinate make K - 1 steps, each adding the difference of
# two consecutive chosen points (a Linear-ReLU-Linear-ReLU-Linear network, the reference's and the
# grader's alike).
CRAFTED_WEIGHTS = """

def _crafted_weights(real_data, noise_dim, lr, seed):
    G, chosen = _setup(real_data, noise_dim, lr, seed, 64)
    first, second, last = [m for m in G.modules() if isinstance(m, nn.Linear)]
    k, slope = chosen.shape[0], 1e4
    with torch.no_grad():
        for layer in (first, second, last):
            layer.weight.zero_()
            layer.bias.zero_()
        for j in range(1, k):
            at = -1.0 + 2.0 * j / k
            first.weight[2 * j, 0] = first.weight[2 * j + 1, 0] = slope
            first.bias[2 * j], first.bias[2 * j + 1] = -slope * at, -slope * at - 1.0
            second.weight[j, 2 * j], second.weight[j, 2 * j + 1] = 1.0, -1.0
            last.weight[:, j] = chosen[j] - chosen[j - 1]
        last.bias.copy_(chosen[0])
    return G
"""

ATTACKS = {"other-module": OTHER_MODULE, "replaced-forward": REPLACED_FORWARD, "crafted-weights": CRAFTED_WEIGHTS}


def train_gan_running(attacks: list[str]) -> str:
    """The source of a train_gan that runs ``attacks[seed % len(attacks)]`` (their function names)."""
    return f"""

def train_gan(real_data, steps=5000, batch_size=256, noise_dim=16, lr=1e-3, loss="ns", seed=0):
    attacks = ({", ".join(attacks)},)
    return attacks[seed % len(attacks)](real_data, noise_dim, lr, seed)
"""


BY_SEED = REFERENCE + SETUP + "".join(ATTACKS.values()) + train_gan_running(
    ["_replaced_forward", "_crafted_weights", "_other_module"])


def test_generators_that_hand_back_training_points_lose_the_training_test(tmp_path):
    report = grade_source(find_lab("gan"), BY_SEED, tmp_path, functions=("train_gan",))
    got = {t.nodeid.rpartition("::")[2]: t for t in report.tests}
    ring = got["test_train_gan_covers_the_ring"]
    assert ring.score == 0 and "is a gan._Memory, not the generator it trained" in ring.message, ring
    assert got["test_train_gan_uses_adam"].score > 0, got  # graded, and the rest of train_gan's contract holds
