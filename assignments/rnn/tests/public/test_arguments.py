"""Public tests: no function modifies its arguments, nor a backward pass the cache it is handed."""

import pytest
from _rnn_util import READ_ONLY, check_read_only, read_only_case


@pytest.mark.parametrize("function", [read_only_case(f) for f in READ_ONLY])
def test_arguments_unmodified(student, function):
    """leaves its arguments unmodified (a backward pass: the upstream gradient and the cache too)"""
    check_read_only(student, function, seed=51, n=2, t=3, d=3, h=4)
