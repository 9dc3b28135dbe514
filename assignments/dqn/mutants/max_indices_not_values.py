"""td_target uses `.max(1)[1]` (the argmax indices) instead of the maximal values."""

PATCH = [
    ("not_done * next_q_target.max(dim=1).values", "not_done * next_q_target.max(1)[1]"),
]
