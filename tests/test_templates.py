"""Templates are generated from references and committed: they must not drift."""

import pytest

from autograder.authoring.templates import TemplateError, make_template, template_for
from autograder.labs import find_lab, list_labs


@pytest.mark.parametrize("name", list_labs())
def test_committed_template_matches_reference(name):
    lab = find_lab(name)
    assert lab.template.exists(), f"run `dlgrade templates {name}`"
    assert lab.template.read_text() == template_for(lab.reference), f"run `dlgrade templates {name}`"


def test_region_becomes_named_stub_and_keeps_the_rest():
    source = (
        "import numpy as np\n\n"
        "def f(x):\n"
        '    """Doc stays."""\n'
        "    # BEGIN SOLUTION\n"
        "    y = x + 1\n"
        "    # END SOLUTION\n"
        "    return y\n\n"
        "class K:\n"
        "    def m(self):\n"
        "        # BEGIN SOLUTION\n"
        "        return 2\n"
        "        # END SOLUTION\n"
    )
    out = make_template(source)
    assert "y = x + 1" not in out and "return 2" not in out
    assert "raise NotImplementedError('TODO: implement f')" in out
    assert "raise NotImplementedError('TODO: implement K.m')" in out
    assert '"""Doc stays."""' in out and "return y" in out


@pytest.mark.parametrize("bad", [
    "def f():\n    # BEGIN SOLUTION\n    pass\n",
    "def f():\n    # END SOLUTION\n    pass\n",
    "def f():\n    # BEGIN SOLUTION\n    pass\n    # BEGIN SOLUTION\n    pass\n    # END SOLUTION\n",
])
def test_unbalanced_markers_are_refused(bad):
    with pytest.raises(TemplateError):
        make_template(bad)
