"""conv_backward_naive overwrites dw for every example instead of summing over the batch.

dw ends up as the last example's contribution only (right for N = 1).
"""

PATCH = [
    ('dw = np.einsum("nchwkl,nfhw->fckl", fields, dout)', 'dw = np.einsum("chwkl,fhw->fckl", fields[-1], dout[-1])'),
]
