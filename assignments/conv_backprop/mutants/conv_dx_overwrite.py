"""conv_backward_naive assigns each receptive field's gradient to dx instead of adding it.

Where receptive fields overlap (stride smaller than the filter) only the last one's share
survives; with stride == filter size nothing overlaps and the bug is invisible.
"""

PATCH = [
    (
        "    for k in range(hh):\n"
        "        for l in range(ww):\n"
        "            dxp[:, :, k : k + stride * out_h : stride, l : l + stride * out_w : stride] += np.einsum(\n"
        '                "nfhw,fc->nchw", dout, w[:, :, k, l]\n'
        "            )\n",
        "    for i in range(out_h):\n"
        "        for j in range(out_w):\n"
        "            r, c = i * stride, j * stride\n"
        '            dxp[:, :, r : r + hh, c : c + ww] = np.einsum("nf,fckl->nckl", dout[:, :, i, j], w)\n',
    ),
]
