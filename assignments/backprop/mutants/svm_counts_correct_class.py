"""svm_loss forgets to exclude j == y_i, adding the constant margin 1 per example."""
import numpy as np


def svm_loss(x, y):
    n = x.shape[0]
    margins = np.maximum(0.0, x - x[np.arange(n), y][:, None] + 1.0)
    positive = (margins > 0).astype(float)
    positive[np.arange(n), y] -= positive.sum(axis=1)
    return margins.sum() / n, positive / n
