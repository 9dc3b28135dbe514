"""What a lab's tests use: points, comparisons, gradient checks, strategies, torch arguments."""

from autograder.toolkit import strategies
from autograder.toolkit.compare import (
    Mismatch,
    assert_close,
    assert_unmodified,
    expect_array,
    expect_scalar,
    relative_error,
)
from autograder.toolkit.gradcheck import check_gradients, numerical_gradient
from autograder.toolkit.marks import graded
from autograder.toolkit.readonly import call_read_only
from autograder.toolkit.remote import RemoteObject, Student, StudentFunction
from autograder.toolkit.returns import expect_probed, expect_raises, expect_tensor, expect_tuple
from autograder.toolkit.training import NOT_MEASURED, Measured, expect_trained
from autograder.worker.wire import Tensor, TensorValue

__all__ = [
    "NOT_MEASURED", "Measured", "Mismatch", "RemoteObject", "Student", "StudentFunction", "Tensor", "TensorValue",
    "assert_close",
    "assert_unmodified", "call_read_only", "check_gradients", "expect_array", "expect_probed", "expect_raises",
    "expect_scalar", "expect_tensor", "expect_trained", "expect_tuple", "graded", "numerical_gradient",
    "relative_error", "strategies",
]
