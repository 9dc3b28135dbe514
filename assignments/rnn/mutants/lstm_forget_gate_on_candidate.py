"""LSTM swaps the roles of the gates in the cell update: next_c = i * prev_c + f * g, the forget
gate applied to the new candidate (forward and backward consistently)."""

PATCH = [
    (
        "next_c = f * prev_c + i * g\n"
        "    tanh_c",
        "next_c = i * prev_c + f * g\n"
        "    tanh_c",
    ),
    (
        "    di = dc * g\n"
        "    df = dc * prev_c\n",
        "    di = dc * prev_c\n"
        "    df = dc * g\n",
    ),
    ("    dg = dc * i\n", "    dg = dc * f\n"),
    ("    dprev_c = dc * f\n", "    dprev_c = dc * i\n"),
]
