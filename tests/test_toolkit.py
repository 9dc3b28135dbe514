"""The toolkit's strategies and checks on what a submission returned, without a worker."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from autograder.failures import StudentError
from autograder.toolkit import (
    Mismatch,
    Student,
    TensorValue,
    expect_probed,
    expect_raises,
    expect_tensor,
    expect_tuple,
)
from autograder.toolkit import strategies as dst

# ---- strategies: invalid options are refused when the strategy is built --------------------------


@pytest.mark.parametrize("build", [
    lambda: dst.sizes(min_value=4, max_value=3),
    lambda: dst.sizes(min_value=-1, max_value=3),
    lambda: dst.sizes(min_value=1.5, max_value=3),
    lambda: dst.sizes(max_value=True),
    lambda: dst.shapes(min_dims=3, max_dims=2),
    lambda: dst.shapes(min_dims=-1),
    lambda: dst.shapes(min_side=6),
    lambda: dst.shapes(min_side=-2, max_side=-1),
    lambda: dst.float_arrays((2, 3), scale=0.0),
    lambda: dst.float_arrays((2, 3), scale=-1.0),
    lambda: dst.float_arrays((2, 3), scale=float("inf")),
    lambda: dst.float_arrays((2, -3)),
    lambda: dst.labels(size=-1, classes=3),
    lambda: dst.labels(size=4, classes=0),
    lambda: dst.tie_free(np.random.default_rng(0), (3,), gap=0.0),
], ids=["sizes min>max", "sizes negative", "sizes float", "sizes bool", "shapes min_dims>max_dims",
        "shapes negative dims", "shapes min_side>max_side", "shapes negative sides", "arrays zero scale",
        "arrays negative scale", "arrays infinite scale", "arrays negative side", "labels negative size",
        "labels no class", "tie_free zero gap"])
def test_invalid_options_raise_invalid_argument(build):
    with pytest.raises(InvalidArgument):
        build()


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        dst.sizes(1, 4)
    with pytest.raises(TypeError):
        dst.shapes(1, 3)
    with pytest.raises(TypeError):
        dst.labels(4, 3)


@settings(max_examples=30, database=None)
@given(st.data())
def test_strategies_draw_within_their_bounds(data):
    n = data.draw(dst.sizes(min_value=0, max_value=3))
    assert 0 <= n <= 3
    shape = data.draw(dst.shapes(min_dims=2, max_dims=3, min_side=2, max_side=4))
    assert 2 <= len(shape) <= 3 and all(2 <= s <= 4 for s in shape)
    x = data.draw(dst.float_arrays(shape, scale=3.0))
    assert x.shape == shape and x.dtype == np.float64 and np.all(np.abs(x) <= 3.0)
    y = data.draw(dst.labels(size=5, classes=dst.sizes(min_value=1, max_value=2)))
    assert y.shape == (5,) and np.all((0 <= y) & (y < 2))


@settings(max_examples=20, database=None)
@given(x=dst.float_arrays(dst.shapes(min_dims=1, max_dims=3), sampler=dst.tie_free, scale=2.0))
def test_tie_free_values_are_a_gap_apart(x):
    if x.size > 1:
        assert np.diff(np.sort(x.ravel())).min() >= 0.75 * 1e-2 * 2.0


# ---- checks on returned values ----------------------------------------------------------------------


def failure(call) -> Mismatch:
    with pytest.raises(Mismatch) as info:
        call()
    return info.value


def test_expect_tuple():
    assert expect_tuple((1, 2), ("out", "cache"), name="r") == (1, 2)
    exc = failure(lambda: expect_tuple([1, 2], ("out", "cache"), name="f result", function="f"))
    assert (exc.name, exc.problem, exc.function) == ("f result", "expected a tuple (out, cache), got a list", "f")
    assert failure(lambda: expect_tuple((1, 2, 3), 2, name="r")).problem == \
        "expected a tuple of 2 elements, got a tuple of 3"
    assert "ndarray" in failure(lambda: expect_tuple(np.zeros(2), 2, name="r")).problem


def test_expect_tensor():
    value = TensorValue(np.zeros((2, 3), dtype=np.float32), requires_grad=False, dtype="float32")
    assert expect_tensor(value, (2, None), name="t", dtype="float32").shape == (2, 3)
    assert failure(lambda: expect_tensor(np.zeros(3), name="t")).problem.startswith("expected a torch tensor")
    assert failure(lambda: expect_tensor(value, name="t", dtype="float64")).problem == \
        "expected dtype float64, got float32"
    assert "shape" in failure(lambda: expect_tensor(value, (3, 2), name="t")).problem


def test_expect_probed():
    assert expect_probed([1.0], name="history", expected="a list") == [1.0]
    exc = failure(lambda: expect_probed({"unexpected_type": "builtins.str"}, name="out", function="f"))
    assert (exc.problem, exc.function) == ("expected a torch tensor, got builtins.str", "f")


def raising(kind: str):
    def call():
        raise StudentError("f", {"type": kind, "message": "no"})
    return call


def test_expect_raises():
    expect_raises(raising("ValueError"), name="f(x)")
    assert failure(lambda: expect_raises(raising("TypeError"), name="f(x)")).problem == \
        "raised TypeError, not ValueError"
    assert failure(lambda: expect_raises(lambda: None, "KeyError", name="f(x)")).problem == \
        "returned a NoneType instead of raising KeyError"
    with pytest.raises(StudentError):
        expect_raises(raising("NotImplementedError"), name="f(x)")


class _Recorder:
    def __init__(self):
        self.labels = []

    def request(self, req: dict, function: str | None):
        self.labels.append(function)
        return req["kwargs"]


def test_probe_blames_the_function_it_exercises():
    client = _Recorder()
    student = Student(client)
    assert student.probe("length", 3, function="ReplayBuffer.__len__", capacity=2) == {"capacity": 2}
    student.probe("length", 3)
    assert client.labels == ["ReplayBuffer.__len__", "length"]


# -- call_read_only: arrays handed to a function, however nested, must come back as they were --------
def _student_function(name: str):
    import types

    from autograder.sandbox.inprocess import InProcessClient
    from autograder.toolkit import StudentFunction

    module = types.ModuleType("sub")
    exec(  # noqa: S102 - the "submission" of this unit test
        "def clean(x, cache):\n    return x.sum()\n"
        "def writes_cache(dout, cache):\n    cache[0][cache[0] < 0] = 0\n    return dout\n"
        "def writes_kwarg(x, *, scale):\n    scale['w'] *= 2\n    return x\n", module.__dict__)
    return StudentFunction(InProcessClient(module), name)


def test_call_read_only_passes_a_function_that_writes_nothing():
    from autograder.toolkit import call_read_only

    x = np.array([-1.0, 2.0])
    assert call_read_only(_student_function("clean"), x, (x.copy(), {"k": x}), names=["x", "cache"]) == 1.0


def test_call_read_only_blames_the_function_that_wrote_into_its_cache():
    from autograder.toolkit import Mismatch, call_read_only

    cache = (np.array([-1.0, 2.0]), 3)
    with pytest.raises(Mismatch) as caught:
        call_read_only(_student_function("writes_cache"), np.ones(2), cache, names=["dout", "cache"])
    assert caught.value.function == "writes_cache" and "cache[0]" in str(caught.value)
    with pytest.raises(Mismatch):
        call_read_only(_student_function("writes_kwarg"), np.ones(2), names=["x"], scale={"w": np.ones(3)})


# -- substitutes: correct versions replace the submission's own for one probe call, when the harness has them --
def test_probe_substitutes_only_where_the_harness_has_them(tmp_path):
    import types

    from autograder.sandbox.inprocess import InProcessClient

    probes = tmp_path / "probes.py"
    probes.write_text("def total(module, x):\n    return module.loss(x) + 0\n")
    module = types.ModuleType("sub")
    exec("def base(x):\n    return 2 * x\ndef loss(x):\n    return base(x) + 1\n", module.__dict__)  # noqa: S102
    source = "def base(x):\n    return x\n"
    graded = Student(InProcessClient(module, probes), source)
    own = Student(InProcessClient(module, probes))
    assert graded.substituting and not own.substituting
    assert graded.probe("total", 3, substitute=["base"]) == 4  # the correct base, the submission's loss
    assert own.probe("total", 3, substitute=["base"]) == 7  # a student's check: their own base
    assert module.base(3) == 6  # put back after the call

    def fails(student: Student, exc: AssertionError) -> AssertionError:
        with pytest.raises(AssertionError) as caught, student.running_own(["base"]):
            raise exc
        return caught.value

    # A student's own check: the failure says their own base ran; a grading's failure is left as it was.
    mismatch = fails(own, Mismatch("loss", "is 7, expected 4", "x = 3", function="loss"))
    assert isinstance(mismatch, Mismatch) and mismatch.function == "loss"
    assert mismatch.summary() == "loss: is 7, expected 4"
    assert mismatch.detail.startswith("x = 3\nThis check also ran your own base; grading runs correct versions")
    assert "your own base" in str(fails(own, AssertionError("G changed")))
    assert str(fails(graded, AssertionError("G changed"))) == "G changed"


def test_expect_trained_passes_at_the_first_run_that_reaches_the_threshold():
    from autograder.toolkit import Measured, expect_trained

    seen = []

    def measure(seed: int) -> Measured:
        seen.append(seed)
        return Measured(0.5 + 0.2 * seed, f"recall {0.5 + 0.2 * seed:.2f}")

    assert expect_trained(measure, seeds=(0, 1, 2), threshold=0.7, quantity="recall", function="train").value == 0.7
    assert seen == [0, 1]
    exc = failure(lambda: expect_trained(measure, seeds=(0,), threshold=0.9, quantity="recall", function="train"))
    assert exc.function == "train" and "recall 0.50" in exc.detail
    assert "stayed below 0.9 in its training run" in exc.problem
    exc = failure(lambda: expect_trained(lambda s: Measured(3.0), seeds=(5,), threshold=1.0, quantity="loss",
                                         function="fit", above=False))
    assert "seed 5: 3" in exc.detail and "stayed above 1 in its training run" in exc.problem


def test_expect_trained_records_runs_without_a_measurement_and_the_parts_of_those_with_one():
    from autograder.toolkit import NOT_MEASURED, Measured, expect_trained
    from autograder.toolkit.training import TrainingContext, context

    def measure(seed: int) -> Measured:
        if seed == 0:  # the run broke before its measurement: no value, and the next seed is tried
            return Measured(NOT_MEASURED, "the network came back with the wrong shapes")
        return Measured(2.0, "", {"greedy": 2.0, "training": 5.0})

    with context(TrainingContext()) as ctx:
        assert expect_trained(measure, seeds=(0, 1), threshold=1.0, quantity="return", function="train").value == 2.0
    first, second = ctx.trained.runs
    assert (first.value, first.detail, first.parts) == (None, "the network came back with the wrong shapes", {})
    assert (second.value, second.parts) == (2.0, {"greedy": 2.0, "training": 5.0})
    exc = failure(lambda: expect_trained(lambda s: Measured(NOT_MEASURED), seeds=(3,), threshold=1.0,
                                         quantity="return", function="train"))
    assert "seed 3: no measurement" in exc.detail
    with pytest.raises(ValueError, match="the worst of them"):  # a lab's mistake, not the submission's
        expect_trained(lambda s: Measured(5.0, "", {"greedy": 2.0, "training": 5.0}), seeds=(0,), threshold=1.0,
                       quantity="return", function="train")
