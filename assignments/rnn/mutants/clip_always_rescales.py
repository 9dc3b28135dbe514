"""clip_grad_norm always rescales to max_norm, scaling small gradients up instead of leaving
them alone below the threshold."""

PATCH = [
    (
        "    if coef < 1.0:\n"
        "        for g in grads.values():\n"
        "            g *= coef\n",
        "    for g in grads.values():\n"
        "        g *= coef\n",
    ),
]
