"""Reading a lab's notebook demos from its demo.py (Jupytext's percent format)."""

from __future__ import annotations

import re

import pytest

from autograder.labs import find_lab, list_labs
from autograder.notebooks.demos import DemoCell, DemoError, parse_demos, read_demos

DEMO = '''\
# The header: only for linters.
import backprop
QUICK = False

# %% [markdown] after="FullyConnectedNet"
# ### Training
#
#   indented `loss`

# %%
X = backprop.spirals()

if QUICK:
    pass


# %% after="softmax_loss"
print(1)
'''


def test_cells_in_order_with_their_kind_and_place():
    assert parse_demos(DEMO) == [
        DemoCell("markdown", "### Training\n\n  indented `loss`", "FullyConnectedNet"),
        DemoCell("code", "X = backprop.spirals()\n\nif QUICK:\n    pass", "FullyConnectedNet"),
        DemoCell("code", "print(1)", "softmax_loss"),
    ]


def test_no_file_or_no_cells_means_no_demos(tmp_path):
    assert read_demos(tmp_path / "demo.py") == []
    assert parse_demos("import backprop\n") == []


@pytest.mark.parametrize(("text", "message"), [
    ("# %%\nx = 1\n", 'demo.py:1: the first cell names the graded function it follows: # %% [markdown] after="..."'),
    ('# %% [raw] after="f"\nx\n', "demo.py:1: unknown cell type [raw]"),
    ("# %% after=f\nx\n", "demo.py:1: a cell marker is `# %%` or `# %% [markdown]`"),
    ('# %%% after="f"\nx\n', "demo.py:1: a cell marker is"),
    ('# %% after="f" before="g"\nx\n', "demo.py:1: unknown cell option before"),
    ('# %% [markdown] after="f"\n# Title\nText\n', "demo.py:3: a markdown cell's lines are '# ' comments"),
    ('# %% after="f"\nx = 1\n\n# %%\n\n', "demo.py:4: empty cell"),
])
def test_malformed_file_names_the_line(text, message):
    with pytest.raises(DemoError, match=re.escape(message)):
        parse_demos(text)


@pytest.mark.parametrize("lab_name", list_labs())
def test_every_lab_has_demos(lab_name):
    lab = find_lab(lab_name)
    cells = read_demos(lab.notebook_demos)
    assert any(cell.kind == "code" for cell in cells)
    for cell in cells:
        if cell.kind == "code":
            compile(cell.source, str(lab.notebook_demos), "exec")
