"""Hidden tests: arguments and caches left alone on longer sequences and larger layers."""

import pytest
from _rnn_util import READ_ONLY, check_read_only, read_only_case


@pytest.mark.parametrize("function", [read_only_case(f) for f in READ_ONLY])
def test_arguments_unmodified_long_sequences(student, function):
    """leaves its arguments unmodified over 8 time steps (a backward pass: the upstream gradient and the cache too)"""
    check_read_only(student, function, seed=52, n=3, t=8, d=5, h=6)
