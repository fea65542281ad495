"""The scenario's asset sections come from the family declarations: a family declared here, in
the test (``widgets``, an entry with a bus and a site), gets its section in the assembled
Scenario, its reference checks, its rows in the docs and its units in the assumptions table,
with no edit in ``gridopt/scenario/`` and without touching the global list of families."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from gridopt.model import SECTIONS, loads, network, renewables, storage, thermal, tie
from gridopt.model.family import Family, InputVar
from gridopt.scenario import schema
from gridopt.scenario.assumptions import unit_of
from gridopt.scenario.check import check_buses, check_references, check_unique_names
from gridopt.scenario.doc import scenario_reference_markdown, sections
from gridopt.scenario.fields import PowerMW, Strict
from gridopt.scenario.load import LoadedScenario


class Widget(Strict):
    bus: str
    site: str | None = None
    p_max_mw: PowerMW = 0.0
    """Largest power of the widget [MW]."""
    flow_kg_per_h: float = 0.0
    """Hydrogen it moves each hour [kg/h]."""


WIDGETS = Family(
    dim="widget",
    section="widgets",
    add=lambda b: None,
    entry=Widget,
    doc="Widgets declared by a test.",
    references={"bus": "buses", "site": "sites"},
    inputs=(InputVar("p_max_mw", "MW"), InputVar("flow_kg_per_h", "kg/h")),
)
FAMILIES = (*SECTIONS, WIDGETS)

COMMON = [
    "name",
    "description",
    "time",
    "settings",
    "tariffs",
    "solver",
    "policy",
    "sites",
    "fuels",
]
TODAY = [
    "buses",
    "lines",
    "thermal",
    "renewables",
    "storage",
    "loads",
    "flexible_loads",
    "interruptible_loads",
    "ties",
]


def loaded(model: type[Strict], data: dict) -> LoadedScenario:
    return LoadedScenario(model.model_validate(data), Path("w.yaml"), data, "")


def test_scenario_lists_the_declared_sections_in_todays_order():
    """The common sections, then the buses, lines and asset sections, each entry the class its
    family declares (re-exported by the schema under its old name); a family added later
    (hydrogen) comes after them."""
    fields = list(schema.Scenario.model_fields)
    assert fields[: len(COMMON + TODAY)] == COMMON + TODAY
    assert list(schema.ASSET_SECTIONS)[: len(TODAY) - 2] == TODAY[2:]
    for family in SECTIONS:
        assert schema.Scenario.model_fields[family.section].annotation == dict[str, family.entry]
    assert schema.Thermal is thermal.Thermal and schema.Tie is tie.Tie
    assert schema.Bus is network.Bus and schema.Line is network.Line
    assert schema.Renewable is renewables.Renewable and schema.Storage is storage.Storage
    assert (schema.Load, schema.FlexibleLoad, schema.InterruptibleLoad) == (
        loads.Load,
        loads.FlexibleLoad,
        loads.InterruptibleLoad,
    )
    today = {f.section: dict(f.references) for f in SECTIONS if f.section in TODAY}
    assert {s: r for s, r in today.items() if r} == {
        "lines": {"bus0": "buses", "bus1": "buses"},
        "thermal": {"bus": "buses", "fuel": "fuels"},
        **{s: {"bus": "buses"} for s in TODAY[3:]},
    }


def test_a_declared_family_gets_its_section():
    """``widgets`` comes last, empty by default, strict like every section; a bad value is
    located at ``widgets.<name>.<field>``; it is an asset section (its entry has a bus)."""
    model = schema.scenario_model(FAMILIES)
    fields = list(model.model_fields)
    assert fields[: len(COMMON + TODAY)] == COMMON + TODAY and fields[-1] == "widgets"
    assert model.model_validate({"name": "t", "buses": {"a": {}}}).widgets == {}
    sc = model.model_validate({"name": "t", "buses": {"a": {}}, "widgets": {"w1": {"bus": "a"}}})
    assert sc.widgets["w1"] == Widget(bus="a")
    with pytest.raises(ValidationError) as exc:
        model.model_validate(
            {"name": "t", "buses": {"a": {}}, "widgets": {"w1": {"bus": "a", "p_max_mw": -1}}}
        )
    assert [e["loc"] for e in exc.value.errors()] == [("widgets", "w1", "p_max_mw")]
    with pytest.raises(ValidationError) as exc:
        model.model_validate({"name": "t", "buses": {}})
    assert [e["loc"] for e in exc.value.errors()] == [("buses",)]
    assert list(schema.asset_sections(FAMILIES))[-1] == "widgets"


def test_references_of_a_declared_family_are_checked():
    """Bus ``c`` is not among buses a, b: "unknown bus" at ``widgets.w1.bus``; the unknown site
    of w2 is named by the section's singular, with the fix for an empty section; a widget named
    like a line breaks the unique names."""
    model = schema.scenario_model(FAMILIES)
    ls = loaded(
        model,
        {
            "name": "t",
            "buses": {"a": {}, "b": {}},
            "lines": {"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 1}},
            "widgets": {"w1": {"bus": "c"}, "w2": {"bus": "a", "site": "x"}, "ab": {"bus": "b"}},
        },
    )
    (problem,) = check_buses(ls, FAMILIES)
    assert problem.where == "w.yaml: widgets.w1.bus"
    assert (problem.message, problem.value, problem.fix) == ("unknown bus", "c", "use one of: a, b")
    (problem,) = check_references(ls, FAMILIES)
    assert problem.where == "w.yaml: widgets.w2.site"
    assert (problem.message, problem.value) == ("unknown site", "x")
    assert problem.fix == "no sites are defined: add a sites section"
    (problem,) = check_unique_names(ls, FAMILIES)
    assert (problem.where, problem.message) == ("w.yaml: widgets.ab", "name already used in lines")


def test_bus_problems_list_assets_before_lines():
    """As before the declarations: the assets' buses in section order, then the line ends."""
    ls = loaded(
        schema.Scenario,
        {
            "name": "t",
            "buses": {"a": {}},
            "fuels": {"coal": {"price_cny_per_t": 600}},
            "lines": {"l1": {"bus0": "a", "bus1": "z", "p_max_mw": 1}},
            "thermal": {
                "g": {"bus": "y", "fuel": "gas", "p_unit_mw": 1, "heat_rate_gce_per_kwh": 300}
            },
            "ties": {
                "t": {
                    "bus": "x",
                    "import_max_mw": 1,
                    "export_max_mw": 1,
                    "import_price_cny_per_mwh": 1,
                    "export_price_cny_per_mwh": 0,
                }
            },
        },
    )
    assert [p.where for p in check_buses(ls)] == [
        "w.yaml: thermal.g.bus",
        "w.yaml: ties.t.bus",
        "w.yaml: lines.l1.bus1",
    ]
    assert [(p.where, p.message, p.fix) for p in check_references(ls)] == [
        ("w.yaml: thermal.g.fuel", "unknown fuel", "use one of: coal")
    ]


def test_docs_have_a_row_for_a_declared_family():
    """The section ``widgets.<name>`` with its line and its fields, before the economics."""
    rows = sections(FAMILIES)
    assert rows[-2] == ("widgets.<name>", Widget, "Widgets declared by a test.")
    assert rows[-1][0] == "<asset>.economics"
    text = scenario_reference_markdown(FAMILIES)
    assert "## `widgets.<name>`\n\nWidgets declared by a test.\n" in text
    assert (
        "| `p_max_mw` | number | 0.0 | >= 0, <= 1,000,000 | Largest power of the widget [MW]. |"
        in text
    )
    assert "widgets" not in scenario_reference_markdown()


def test_unit_of_prefers_the_declared_unit():
    """``flow_kg_per_h`` ends like a share per hour (``_per_h``: 1/h), but the family declares
    kg/h; the suffix table still gives the units of fields declared dimensionless (``-``) or
    without a unit."""
    assert unit_of("flow_kg_per_h") == "1/h"
    assert unit_of("flow_kg_per_h", "widgets", FAMILIES) == "kg/h"
    assert unit_of("p_max_mw", "widgets", FAMILIES) == "MW"
    assert unit_of("min_stable_fraction", "thermal") == "-"
    assert unit_of("n_units", "thermal") == ""
    assert unit_of("heat_rate_gce_per_kwh", "thermal") == "gce/kWh"
