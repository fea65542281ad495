"""The gridopt figures quoted in docs/ equal a fresh run (docs/figures.py).

Each generated block sits between ``<!-- fig:NAME -->`` and ``<!-- /fig -->`` in its doc. A
change in what gridopt computes or prints (a renamed column, a tariff of the scenario, a
message) makes the block differ from a fresh run of the command the doc states, and the test
of that block fails until ``python docs/figures.py NAME`` rewrites it. The year-long
generators (``slow``) are only checked for having their marker.
"""

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("docs_figures", ROOT / "docs" / "figures.py")
figures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = figures  # dataclasses look their module up there
_spec.loader.exec_module(figures)

CHEAP = [name for name, fig in figures.FIGURES.items() if not fig.slow]


def test_every_marker_has_a_generator_and_every_generator_a_marker():
    where = figures.all_markers()
    assert set(where) == set(figures.FIGURES), (
        f"markers without a generator: {sorted(set(where) - set(figures.FIGURES))}; "
        f"generators without a marker: {sorted(set(figures.FIGURES) - set(where))}"
    )
    for name, doc in where.items():
        assert figures.FIGURES[name].doc == doc, f"fig:{name} is in docs/{doc}"


@pytest.mark.parametrize("name", CHEAP)
def test_block_equals_a_fresh_run(name):
    doc = ROOT / "docs" / figures.FIGURES[name].doc
    committed = figures.blocks(doc)[name]
    assert committed == figures.generate(name), f"docs drifted: run python docs/figures.py {name}"


def test_replace_block_changes_only_the_named_block():
    """Two blocks; rewriting one leaves the other and the prose around them byte for byte."""
    text = (
        "intro\n<!-- fig:a -->\n```\nold a\n```\n<!-- /fig -->\nmiddle\n"
        "<!-- fig:b -->\nold b\n<!-- /fig -->\nend\n"
    )
    new = figures.replace_block(text, "a", "```\nnew a\n```\n")
    assert new == text.replace("old a", "new a")
    assert figures.replace_block(new, "b", "B\n") == new.replace("old b\n", "B\n")


def test_check_reports_a_doctored_block(tmp_path, monkeypatch):
    """--check exits 1 on a doc whose block is not what the generator gives, and leaves it."""
    doc = tmp_path / "sweep.md"
    doc.write_text(
        "<!-- fig:sweep_bad_value -->\n```\nerror: stale\n```\n<!-- /fig -->\n", encoding="utf-8"
    )
    monkeypatch.setattr(figures, "DOCS", tmp_path)
    before = doc.read_text(encoding="utf-8")
    assert figures.main(["--check", "sweep_bad_value"]) == 1
    assert doc.read_text(encoding="utf-8") == before
    assert figures.main(["sweep_bad_value"]) == 0
    assert figures.main(["--check", "sweep_bad_value"]) == 0
    assert "error: stale" not in doc.read_text(encoding="utf-8")
