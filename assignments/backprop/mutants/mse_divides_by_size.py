"""mse_loss divides by pred.size instead of N = pred.shape[0]."""
import numpy as np


def mse_loss(pred, target):
    diff = pred - target
    return 0.5 * np.sum(diff**2) / pred.size, diff / pred.size
