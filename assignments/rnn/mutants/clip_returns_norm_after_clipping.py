"""clip_grad_norm returns the norm of the gradients after clipping rather than before."""

PATCH = [
    (
        "    if coef < 1.0:\n"
        "        for g in grads.values():\n"
        "            g *= coef\n",
        "    if coef < 1.0:\n"
        "        for g in grads.values():\n"
        "            g *= coef\n"
        "        total_norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))\n",
    ),
]
