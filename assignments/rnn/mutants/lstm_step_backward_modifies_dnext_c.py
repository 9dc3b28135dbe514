"""lstm_step_backward adds the path through next_h to dnext_c in place (dnext_c += ...),
modifying the caller's array."""

PATCH = [
    (
        "dc = dnext_c + dnext_h * o * (1.0 - tanh_c**2)",
        "dnext_c += dnext_h * o * (1.0 - tanh_c**2)\n"
        "    dc = dnext_c",
    ),
]
