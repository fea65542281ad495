"""The scenario reference in docs/ is generated from the schema and must match it."""

from gridopt.scenario.doc import scenario_reference_markdown
from tests.conftest import ROOT


def test_scenario_reference_is_up_to_date():
    committed = (ROOT / "docs" / "scenario.md").read_text(encoding="utf-8")
    assert committed == scenario_reference_markdown(), (
        "run: python -m gridopt.scenario.doc > docs/scenario.md"
    )
