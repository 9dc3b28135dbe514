"""sigmoid_forward uses the textbook 1 / (1 + exp(-x)), which overflows for x = -1e4."""
import numpy as np


def sigmoid_forward(x):
    out = 1.0 / (1.0 + np.exp(-x))
    return out, out
