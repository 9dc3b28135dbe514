"""lstm_step_backward forgets the derivative of tanh(next_c) on the path from next_h to the cell:
dc = dnext_c + dnext_h * o."""

PATCH = [
    ("dc = dnext_c + dnext_h * o * (1.0 - tanh_c**2)", "dc = dnext_c + dnext_h * o"),
]
