"""Every number in a bundled scenario carries a source or an assumption label, and the
assumptions document is the table of those labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridopt.scenario.assumptions import BUNDLED, assumption_rows, assumptions_markdown, unlabelled
from tests.conftest import ROOT

SCENARIOS = [p for p in BUNDLED if (ROOT / p).exists()]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_number_is_labelled(scenario):
    missing = unlabelled(ROOT / scenario)
    assert not missing, "numbers without a source or assumption label:\n" + "\n".join(
        f"  line {r.line}: {r.field} = {r.value}" for r in missing
    )


def test_assumptions_document_matches_the_scenarios(monkeypatch):
    monkeypatch.chdir(ROOT)
    committed = (ROOT / "docs" / "assumptions.md").read_text(encoding="utf-8")
    assert committed == assumptions_markdown([Path(p) for p in SCENARIOS]), (
        "run: python -m gridopt.scenario.assumptions > docs/assumptions.md"
    )


def test_rows_read_values_units_and_labels(tmp_path):
    """Labels come from the value's line, else from the nearest enclosing key's line."""
    f = tmp_path / "s.yaml"
    f.write_text(
        "thermal:  # plant registries\n"
        "  c:\n"
        "    p_unit_mw: 330   # assumption: typical unit\n"
        "    heat_rate_gce_per_kwh: 315\n"
        "    description: 'not # a comment'\n"
        "loads:\n"
        "  l: {bus: a, p_mw: [1, 2]}\n"
    )
    rows = {r.field: r for r in assumption_rows(f)}
    assert rows["thermal.c.p_unit_mw"].source == "assumption: typical unit"
    assert rows["thermal.c.p_unit_mw"].unit == "MW"
    assert rows["thermal.c.heat_rate_gce_per_kwh"].source == "plant registries"
    assert rows["thermal.c.heat_rate_gce_per_kwh"].unit == "gce/kWh"
    assert rows["loads.l.p_mw"].value == "[1, 2]" and rows["loads.l.p_mw"].source == ""
    assert [r.field for r in unlabelled(f)] == ["loads.l.p_mw"]


def test_cli_assumptions_check(tmp_path):
    from click.testing import CliRunner

    from cli import main

    ok = CliRunner().invoke(
        main, ["assumptions", "--check", str(ROOT / "scenarios" / "jiayuguan_jiuquan_2025.yaml")]
    )
    assert ok.exit_code == 0 and "every number carries" in ok.output
    f = tmp_path / "s.yaml"
    f.write_text("name: x\nbuses: {a: {}}\nloads:\n  l: {bus: a, p_mw: 5}\n")
    bad = CliRunner().invoke(main, ["assumptions", "--check", str(f)])
    assert bad.exit_code == 1 and "loads.l.p_mw = 5 has no source" in bad.output
