"""clip_grad_norm stores scaled copies in the dict (grads[k] = g * coef) instead of scaling the
arrays in place, so the caller's arrays keep their unclipped values."""

PATCH = [
    (
        "        for g in grads.values():\n"
        "            g *= coef\n",
        "        for k in grads:\n"
        "            grads[k] = grads[k] * coef\n",
    ),
]
