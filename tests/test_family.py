"""The family declarations (gridopt.model.family) against the model they declare and a solved
demo: every declared result is written with its unit, the declared asset subsets are the
model's, and the declared cost items add up to the objective."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from gridopt.inputs import build_inputs
from gridopt.model import (
    BALANCE,
    DECLARATIONS,
    FAMILIES,
    NETWORK,
    PRICE_SETTERS,
    build,
    thermal,
)
from gridopt.model.family import Derived, Family, Output
from gridopt.results import consumption_by_bus, cost_breakdown, energy_balance
from gridopt.run import solve_inputs
from gridopt.scenario.load import load_scenario
from gridopt.scenario.schema import Scenario
from tests.conftest import DEMO

HOURS = 24
CORE = ("thermal", "renewable", "storage", "line", "tie", "load", "flex", "intr", "bus")
"""The families the grid model was built with: their declarations are pinned below; a family
added later (hydrogen) is checked by the invariants here and pinned by its own tests."""


@pytest.fixture(scope="module")
def inputs() -> xr.Dataset:
    return build_inputs(load_scenario(DEMO), hours=HOURS)


@pytest.fixture(scope="module")
def results(inputs) -> xr.Dataset:
    return solve_inputs(inputs).results


def test_every_family_declared_once_and_built():
    """The families read back are those built, each once, one per asset dim, each with a
    scenario section."""
    assert sorted(f.dim for f in DECLARATIONS) == sorted(f.dim for f in FAMILIES + NETWORK)
    assert len({f.dim for f in DECLARATIONS}) == len(DECLARATIONS)
    assert {f.section for f in DECLARATIONS} <= set(Scenario.model_fields)
    for fam in DECLARATIONS:
        assert isinstance(fam, Family) and callable(fam.add)


def test_every_family_declares_price_setting_and_capacity(inputs):
    """Whether it can set the price, and which input (if any) is its expandable capacity."""
    for fam in DECLARATIONS:
        assert isinstance(fam.sets_price, bool), fam.dim
        assert fam.expandable is None or f"{fam.dim}_{fam.expandable}" in inputs, fam.dim
    expandable = {f.dim: f.expandable for f in DECLARATIONS if f.dim in CORE}
    assert expandable == {
        "thermal": "p_nom_mw",
        "renewable": "p_nom_mw",
        "storage": "e_max_mwh",
        "line": "p_max_mw",
        "tie": None,
        "load": None,
        "flex": None,
        "intr": None,
        "bus": None,
    }
    assert {f.dim for f in DECLARATIONS if not f.sets_price and f.dim in CORE} == {"line", "load"}


def test_declared_outputs_are_written_with_their_units(inputs, results):
    """Every declared result is in the solved demo's results, shaped (time, dim), with its
    unit and description; no two families write the same name."""
    names = [o.result for f in DECLARATIONS for o in f.results]
    assert len(names) == len(set(names))
    for fam in DECLARATIONS:
        for o in fam.results:
            var = results[o.result]
            assert var.dims == ("time", fam.dim), o.result
            assert var.attrs["units"] == o.units, o.result
            assert var.attrs["description"] == o.description, o.result
            assert var.attrs["role"] == "result", o.result
            assert var.shape == (HOURS, inputs.sizes[fam.dim])


def test_declared_components_are_the_models(inputs):
    """Each declared output's Pyomo Var exists for exactly the declared assets (the subset
    function the family's ``add`` uses), counted along the family's dim."""
    b = build(inputs)
    for fam in DECLARATIONS:
        names = [str(x) for x in inputs[fam.dim].values]
        for o in fam.outputs:
            if not isinstance(o, Output):
                continue
            pos = range(len(names)) if o.assets is None else o.assets(inputs)
            if not len(pos):
                assert o.component not in b.layouts
                continue
            lay = b.layouts[o.component]
            assert lay.dim == fam.dim, o.component
            assert lay.labels == tuple(names[p] for p in pos), o.component
            assert lay.hours == HOURS


def unit_suffix(units: str) -> str:
    """The suffix a result name carries for its unit: MW -> _mw, kg/h -> _kg_per_h."""
    return "_" + units.lower().replace("/", "_per_")


def test_one_name_per_quantity():
    """The same name in the model and in results.nc: each declared decision variable with a
    result is the Pyomo component of that name without its unit suffix (``thermal_p`` ->
    ``thermal_p_mw``, ``storage_soc`` -> ``storage_soc_mwh``), and is named ``<dim>_<what>``."""
    for fam in DECLARATIONS:
        for o in fam.results:
            if isinstance(o, Output):
                assert o.result == o.component + unit_suffix(o.units), o.result
                assert o.component.startswith(fam.dim + "_"), o.component


def test_cost_items_add_up_to_the_objective(results):
    """The declared cost items, in declaration order, are the cost breakdown, and add up to
    the objective (the slack penalties included)."""
    keys = [c.key for f in DECLARATIONS if results.sizes[f.dim] for c in f.costs]
    costs = cost_breakdown(results)
    assert list(costs) == keys
    assert sum(costs.values()) == pytest.approx(float(results["objective_cny"]), rel=1e-9)


def test_a_cluster_without_commitment_reports_its_available_capacity(inputs):
    """Coal cluster 1 without minimum stable output or start-up cost has no ``thermal_committed`` or
    ``thermal_startup`` (thermal.committed_units, thermal.started_units): its committed
    capacity is its available capacity, its start-ups zero; cluster 0 keeps both variables."""
    ds = inputs.copy(deep=True)
    ds["thermal_min_stable_fraction"].values[1] = 0.0
    ds["thermal_startup_cost_cny_per_mw"].values[1] = 0.0
    assert thermal.committed_units(ds) == thermal.started_units(ds) == [0]
    r = solve_inputs(ds).results
    avail = ds["thermal_availability_pu"].values[:, 1] * float(ds["thermal_p_nom_mw"][1])
    np.testing.assert_array_equal(r["thermal_committed_mw"].values[:, 1], avail)
    np.testing.assert_array_equal(r["thermal_startup_mw"].values[:, 1], 0.0)


def test_derived_results_follow_their_declaration(results):
    """Curtailment, interruptible served, line flow and loss are what their declarations say."""
    r = results
    np.testing.assert_allclose(
        r["renewable_curtailment_mw"],
        np.maximum(r["renewable_available_mw"] - r["renewable_p_mw"], 0.0),
    )
    np.testing.assert_allclose(r["intr_served_mw"], r["intr_p_mw"] - r["intr_interrupted_mw"])
    lossy = r["line_loss_factor"].values > 0
    assert (r["line_loss_mw"].values[:, ~lossy] == 0).all()
    assert (r["line_loss_mw"].values[:, lossy] >= 0).all()
    derived = {o.result for f in DECLARATIONS for o in f.outputs if isinstance(o, Derived)}
    assert {"renewable_curtailment_mw", "intr_served_mw", "line_flow_mw"} <= derived


def test_price_setters_are_tried_in_the_declared_order():
    """Every family that can set the price is tried, once, in the order that decides the
    label: slacks, thermal, ties, renewables, interruptible loads, then stores and flexible
    loads (intertemporal); a family added later is tried after them."""
    dims = [f.dim for f in PRICE_SETTERS]
    assert dims[: len([d for d in dims if d in CORE])] == [
        "bus",
        "thermal",
        "tie",
        "renewable",
        "intr",
        "storage",
        "flex",
    ]
    assert {f.dim for f in PRICE_SETTERS} == {f.dim for f in DECLARATIONS if f.sets_price}
    labels = [s.label for f in PRICE_SETTERS if f.dim in CORE for s in f.price_setters]
    assert labels == [
        "unserved",
        "excess",
        "{name}",
        "import",
        "export",
        "{name}",
        "{name}",
        "storage:{name}",
        "flexible_load:{name}",
    ]


def test_energy_balance_follows_the_declarations(results):
    """The energy balance lists each family's declared items (results in MW of that family),
    supply then use in the order of model.BALANCE, and closes; consumption by bus is the sum
    of the items declared as load."""
    assert sorted(f.dim for f in BALANCE) == sorted(f.dim for f in DECLARATIONS)
    for fam in BALANCE:
        declared = {o.result: o.units for o in fam.results}
        for e in fam.energy:
            assert declared.get(e.result) == "MW", e.result
            assert e.by is None or f"{fam.dim}_{e.by}" in results, e.by
    bal = energy_balance(results)
    fuels = sorted(set(results["thermal_fuel"].values.tolist()))
    carriers = sorted(set(results["renewable_carrier"].values.tolist()))
    assert list(bal["supply_mwh"]) == [f"thermal_{f}" for f in fuels] + carriers + [
        "storage_discharge",
        "imports",
        "unserved",
    ]
    assert list(bal["use_mwh"]) == [
        "fixed_load",
        "flexible_load",
        "interruptible_load_served",
        "storage_charge",
        "exports",
        "line_losses",
        "excess_dumped",
    ]
    assert bal["residual_mwh"] == pytest.approx(0, abs=1e-6 * sum(bal["use_mwh"].values()))
    loads = sum(float(results[e.result].sum()) for f in BALANCE for e in f.energy if e.load)
    assert float(consumption_by_bus(results).sum()) == pytest.approx(loads, rel=1e-12)
