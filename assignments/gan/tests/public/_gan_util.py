"""Helpers shared by the public and hidden gan tests: the grader's own data and measures, the
small networks handed to the submission, and the reading of a training step's trace.

Nothing here trusts the student file: the ring and the mode measures are recomputed here, and the
networks are the grader's (see probes.py).

A test of one function puts the grader's versions of the graded functions it runs through in place
of the submission's (``student.probe(substitute=...)``); in a student's own check, which has none,
their own versions run, and a failure of the public tests says so (``Student.running_own``).
"""

from __future__ import annotations

import numpy as np

from autograder.toolkit import Mismatch, Tensor, assert_unmodified, expect_array, expect_probed, expect_scalar

MODES = 8
RADIUS = 2.0
STD = 0.02

# End to end (the hidden test_train_gan_covers_the_ring has the thresholds and their measurements).
TRAIN_STEPS = 4000
TRAIN_BATCH = 128
NOISE_DIM = 16
EVAL_SAMPLES = 2500

# A sample this close to a training point copies it: 1/1000 of a mode's std. Correct solutions'
# samples land that close by chance about once in 10^4 (5 of 40000: reference and alt, seeds 0..7);
# a copy made through float32 arithmetic lands within 1e-6.
COPY_DISTANCE = STD / 1000

# What gan_train_step and train_gan run through, put in place of the submission's own while they
# are judged: the losses, and for train_gan also the networks and the training step, so that the
# generator it returns is the grader's network, which the harness runs itself.
LOSSES = ["bce_loss", "discriminator_loss", "generator_loss", "ls_discriminator_loss", "ls_generator_loss"]
TRAIN_GAN_RELIES_ON = [*LOSSES, "sample_noise", "Generator", "Discriminator", "gan_train_step"]


def ring_data(n: int, seed: int) -> np.ndarray:
    """n float32 points of the ring of Gaussians, drawn here rather than by the student file."""
    rng = np.random.default_rng(seed)
    angles = 2.0 * np.pi * rng.integers(0, MODES, size=n) / MODES
    centres = RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return (centres + STD * rng.standard_normal((n, 2))).astype(np.float32)


def copies(samples: np.ndarray, training: np.ndarray) -> np.ndarray:
    """Per sample, whether it lies within COPY_DISTANCE of a point of ``training``."""
    t = training.astype(np.float64)
    out = np.empty(len(samples), dtype=bool)
    for i in range(0, len(samples), 256):
        chunk = samples[i:i + 256, None, :].astype(np.float64) - t[None]
        out[i:i + 256] = (chunk**2).sum(axis=2).min(axis=1) <= COPY_DISTANCE**2
    return out


def mode_stats(samples: np.ndarray, training: np.ndarray) -> tuple[int, float, int]:
    """VEEGAN's measures, (modes covered, fraction of high-quality samples), and how many samples
    copy a point of ``training``, the data the generator was trained on.

    High quality: within 3 std of the nearest mode centre, and no copy of a training point (a
    generator that hands back its training data is not a generator). Covered: the nearest mode of
    at least one high-quality sample."""
    angles = 2.0 * np.pi * np.arange(MODES) / MODES
    centres = RADIUS * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    dist = np.linalg.norm(samples[:, None, :].astype(np.float64) - centres[None], axis=2)
    nearest = dist.argmin(axis=1)
    copied = copies(samples, training)
    good = (dist[np.arange(len(samples)), nearest] <= 3.0 * STD) & ~copied
    return len(set(nearest[good].tolist())), float(good.mean()), int(copied.sum())


def mlp_layers(sizes: list[int], seed: int, scale: float = 1.0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Weights of a tanh MLP with the given layer sizes: [(W (in, out), b (out,)), ...], float32,
    W ~ N(0, scale^2 / in) so that every tanh works in its curved range."""
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
        w = rng.standard_normal((fan_in, fan_out)) * scale / np.sqrt(fan_in)
        b = 0.3 * rng.standard_normal(fan_out)
        layers.append((w.astype(np.float32), b.astype(np.float32)))
    return layers


def params_equal(a: list, b: list) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def _rows(a: np.ndarray) -> set[bytes]:
    a = np.ascontiguousarray(a.reshape(a.shape[0], -1))
    return {row.tobytes() for row in a}


class StepTrace:
    """One gan_train_step call read from the probe's events.

    The discriminator's phase is everything before the first D_opt.step(); the generator's phase
    starts with the first forward of D after it. The noise of each phase is that of the G calls
    whose every output row went into a forward of D in that phase (whether D saw the fake samples
    alone or concatenated with the real ones)."""

    def __init__(self, call: dict, real: np.ndarray):
        self.start = call["start"]
        self.end = call["end"]
        self.result = call["result"]
        events = call["events"]
        steps_d = [i for i, e in enumerate(events) if e["net"] == "step_D"]
        assert steps_d, "D_opt.step() was never called: the discriminator was not updated"
        first_d_step = steps_d[0]
        d_before = [e for e in events[:first_d_step] if e["net"] == "D"]
        d_after = [e for e in events[first_d_step:] if e["net"] == "D"]
        assert d_before, "D was not called before D_opt.step(): no discriminator loss to update it with"
        assert d_after, (
            "D was not called after D_opt.step(): the generator's loss must be computed through the "
            "updated discriminator"
        )
        self.g_phase_start = {"G": d_after[0]["G"], "D": d_after[0]["D"]}
        g_calls = [e for e in events if e["net"] == "G"]
        self.z_d, self.fake_d = self._noise_of(g_calls, d_before, "discriminator")
        self.z_g, self.fake_g = self._noise_of(g_calls, d_after, "generator")
        self.steps = [e["net"] for e in events if e["net"].startswith("step_")]
        self.real = real

    @staticmethod
    def _noise_of(g_calls: list, d_calls: list, phase: str) -> tuple[np.ndarray, np.ndarray]:
        seen: set[bytes] = set()
        for e in d_calls:
            seen |= _rows(e["input"])
        used = [g for g in g_calls if _rows(g["output"]) <= seen]
        assert used, (
            f"in the {phase}'s phase D never saw the output of G: the {phase}'s loss must be computed "
            "on generated samples"
        )
        z = np.concatenate([g["input"] for g in used])
        fake = np.concatenate([g["output"] for g in used])
        return z, fake


def penalty_trace(student, layers: list, real: np.ndarray, fake: np.ndarray, seed: int) -> dict:
    """gradient_penalty on the grader's tanh MLP of ``layers`` (the ``gradient_penalty_trace`` probe):
    the points the discriminator saw, the gradients, and the value, checked to be a tensor."""
    out = student.probe("gradient_penalty_trace", layers, real, fake, seed, function="gradient_penalty")
    expect_probed(out["value"], name="gradient_penalty's result")
    return out


def generator_forward(parameters: list, z: np.ndarray) -> np.ndarray:
    """The grader's Generator, a ReLU MLP (Linear layers, ReLU between them), run here in float64
    with the trained ``parameters`` (W1 (out, in), b1, W2, b2, ... in torch's order) on ``z``."""
    # Not required finite: a diverged run's samples are nan, which the measures count as no sample.
    params = [expect_array(p, name="a parameter of the trained generator", finite=False, function="train_gan")
              for p in parameters]
    weights, biases = params[0::2], params[1::2]
    fan_in = [z.shape[1]] + [w.shape[0] if w.ndim else 0 for w in weights[:-1]]
    if not params or len(weights) != len(biases) or weights[-1].shape[:1] != (2,) or any(
            w.shape != (b.size, n) or b.shape != (b.size,) for w, b, n in zip(weights, biases, fan_in, strict=True)):
        raise Mismatch("the trained generator", "does not have the layers of the grader's Generator it was built as: "
                       "train_gan must return the network Generator(...) gave it, unchanged", function="train_gan")
    h = z.astype(np.float64)
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        h = h @ w.T.astype(np.float64) + b.astype(np.float64)
        if i < len(weights) - 1:
            h = np.maximum(h, 0.0)
    return h


def trained_samples(student, real: np.ndarray, steps: int, batch: int, seed: int, n: int,
                    noise_seed: int) -> np.ndarray:
    """``n`` samples, on noise drawn here from ``noise_seed``, of the generator train_gan trained on
    ``real`` (the ``trained_generator`` probe), once train_gan has left ``real`` as it was.

    In a grading train_gan trains the grader's networks (TRAIN_GAN_RELIES_ON are substituted), the
    worker hands back the trained generator's parameters and the samples are computed here; in a
    student's own check their own generator computes them in the worker."""
    z = np.random.default_rng(noise_seed).uniform(-1.0, 1.0, (n, NOISE_DIM)).astype(np.float32)
    here = student.substituting
    out = student.probe("trained_generator", real, steps, batch, NOISE_DIM, seed, None if here else z,
                        function="train_gan", substitute=TRAIN_GAN_RELIES_ON)
    assert_unmodified({"real_data": real}, {"real_data": out["real_after"]}, function="train_gan")
    if not here:
        samples = expect_probed(out["samples"], name="the trained generator's output")
        return expect_array(samples, (n, 2), name="generated samples", function="train_gan")
    if not out["is_generator"]:
        raise Mismatch("train_gan's result", f"is a {out['returned']}, not the generator it trained: during grading "
                       "Generator and Discriminator are the grader's own networks, and train_gan must return the "
                       "Generator(...) it built and trained", function="train_gan")
    return generator_forward(out["parameters"], z)


def train_step_calls(student, *, loss: str = "ns", calls: int = 2, batch: int = 16, seed: int = 0,
                     lr: float = 0.5, noise_dim: int = 4) -> tuple[dict, list[StepTrace], dict]:
    """Runs the probe: `calls` consecutive gan_train_step calls on the grader's G (noise_dim-8-2)
    and D (2-8-1) with SGD(lr). Returns (setup, traces, raw probe result)."""
    g_layers = mlp_layers([noise_dim, 8, 2], seed=100 + seed)
    d_layers = mlp_layers([2, 8, 1], seed=200 + seed, scale=2.0)
    real = ring_data(batch, seed=300 + seed)
    raw = student.probe("train_step_trace", g_layers, d_layers, real, noise_dim, lr, loss, calls,
                        function="gan_train_step", substitute=LOSSES)
    assert isinstance(raw, dict) and len(raw.get("calls", [])) == calls, "the training-step probe failed"
    traces = [StepTrace(call, real) for call in raw["calls"]]
    setup = {"g_layers": g_layers, "d_layers": d_layers, "real": real, "lr": lr, "noise_dim": noise_dim}
    return setup, traces, raw


# ---------------------------------------------------------------------------------------------
# Losses: values and gradients through the worker
# ---------------------------------------------------------------------------------------------


def f32(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


# The losses defined through another graded loss: the grader's replaces it in their tests.
BUILT_ON = {"discriminator_loss": ["bce_loss"], "generator_loss": ["bce_loss"]}


def loss_and_grads(student, name: str, *arrays: np.ndarray, grad_of: tuple[int, ...] | None = None,
                   dtype: str = "float32") -> tuple[float, list[np.ndarray]]:
    """Calls the loss `name` on tensors of `dtype` (with the grader's versions of the losses it is
    built on, ``BUILT_ON``), checks that it left its arguments alone and returned a 0-dim tensor, and
    returns (value, gradients): one array, shaped like its argument, per index in `grad_of`
    (default: every argument)."""
    grad_of = tuple(range(len(arrays))) if grad_of is None else grad_of
    sent = [np.asarray(a).astype(dtype) for a in arrays]
    out = student.probe("loss_with_grads", name,
                        [Tensor(a, requires_grad=i in grad_of, dtype=dtype) for i, a in enumerate(sent)],
                        function=name, substitute=BUILT_ON.get(name, []))
    assert_unmodified({str(i + 1): a for i, a in enumerate(sent)},
                      {str(i + 1): expect_array(a, name=f"argument {i + 1}", finite=False, function=name)
                       for i, a in enumerate(out["args_after"])}, function=name)
    if out["problem"]:
        raise Mismatch(f"{name}(...)", out["problem"], function=name)
    loss = expect_array(out["value"], (), name=f"{name}(...)", function=name)
    result = []
    for i, g in zip(grad_of, out["grads"] or [], strict=True):
        if g is None:
            raise Mismatch(f"argument {i + 1}", "got no gradient (is the loss built from it?)", function=name)
        result.append(expect_array(g, np.shape(arrays[i]), name=f"gradient of argument {i + 1}", function=name))
    return float(loss), result


def numeric_grads(student, name: str, *arrays: np.ndarray, grad_of: tuple[int, ...] | None = None,
                  h: float = 1e-6) -> list[np.ndarray]:
    """Central differences in float64 of the loss `name` (built on the grader's losses as in
    ``loss_and_grads``) with respect to each argument in `grad_of` (default: all), every
    evaluation in one round trip."""
    arrays = tuple(np.asarray(a, dtype=np.float64) for a in arrays)
    grad_of = tuple(range(len(arrays))) if grad_of is None else grad_of
    calls = []
    for k in grad_of:
        for idx in np.ndindex(arrays[k].shape):
            for sign in (1.0, -1.0):
                moved = arrays[k].copy()
                moved[idx] += sign * h
                args = arrays[:k] + (moved,) + arrays[k + 1:]
                calls.append([Tensor(x, dtype="float64") for x in args])
    results = student.probe("loss_values", name, calls, function=name, substitute=BUILT_ON.get(name, []))
    values = np.array([expect_scalar(v, name=f"{name}(...)", function=name) for v in results])
    out, pos = [], 0
    for k in grad_of:
        n = 2 * arrays[k].size
        chunk = values[pos:pos + n]
        out.append(((chunk[0::2] - chunk[1::2]) / (2 * h)).reshape(arrays[k].shape))
        pos += n
    return out
