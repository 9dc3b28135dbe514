"""rnn_step_backward multiplies dnext_h by the tanh derivative in place (dnext_h *= ...),
modifying the caller's array."""

PATCH = [
    (
        "da = dnext_h * (1.0 - next_h**2)",
        "dnext_h *= 1.0 - next_h**2\n"
        "    da = dnext_h",
    ),
]
