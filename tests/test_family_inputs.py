"""The input side of the family declarations (:class:`gridopt.model.family.InputVar`): every
declared input is built with its unit and shape, every family input of the Dataset is declared
(nothing is built by hand beside the declarations), and the derived inputs of a tiny scenario
are the values worked out by hand."""

from __future__ import annotations

import pytest
import xarray as xr
import yaml

from gridopt.inputs import SERIES_RANGE, build_inputs
from gridopt.model import DECLARATIONS, FAMILIES, INPUTS, network
from gridopt.scenario.load import load_scenario
from tests.conftest import DEMO, coal, micro

ECONOMICS = ("capex_cny", "fixed_om_cny_per_yr", "lifetime_yr", "capital_sunk", "cost_source")
"""The inputs :func:`gridopt.inputs.build_inputs` sizes from a family's ``economics``."""


@pytest.fixture(scope="module")
def demo() -> xr.Dataset:
    return build_inputs(load_scenario(DEMO), hours=24)


def test_input_families_are_the_network_and_asset_families():
    """The families with inputs are the lines and the asset families, each once; the buses
    (the Dataset's ``bus`` coordinate) declare none."""
    assert INPUTS == (network.LINES, *FAMILIES)
    assert {f.dim for f in DECLARATIONS if f.inputs} == {f.dim for f in INPUTS}
    assert all(f.inputs for f in INPUTS)
    assert not network.BUSES.inputs


def test_every_declared_input_is_built_with_its_unit(demo):
    for fam in INPUTS:
        assert fam.dim in demo.coords, fam.dim
        for var in fam.inputs:
            name = f"{fam.dim}_{var.name}"
            assert name in demo, name
            assert demo[name].attrs["units"] == var.units, name
            dims = ("time", fam.dim) if var.hourly else (fam.dim,)
            assert demo[name].dims == dims, name
            if var.description:
                assert demo[name].attrs["description"] == var.description, name
            if var.hourly:
                assert var.range or var.units in SERIES_RANGE, name  # its range is known
                assert var.compute is None, name


def test_every_family_input_is_declared(demo):
    """No hand-made leftovers: each variable along a family's dim is a declared input, or one
    of the investment inputs of a family that declares its ``economics``, or one of the six
    plan inputs of each capacity it declares (bounds, investment, annual cost, fixed O&M,
    retirable)."""
    plan_inputs = ("new_min", "new_max", "capex", "annual", "fom", "retirable")
    declared = set()
    for fam in INPUTS:
        declared |= {f"{fam.dim}_{v.name}" for v in fam.inputs}
        if fam.economics is not None:
            declared |= {f"{fam.dim}_{e}" for e in ECONOMICS}
        declared |= {c.input(fam.dim, w) for c in fam.capacities for w in plan_inputs}
    dims = {f.dim for f in INPUTS}
    along = {str(n) for n, v in demo.data_vars.items() if dims & set(v.dims)}
    assert along == declared
    assert len(declared) == sum(len(f.inputs) for f in INPUTS) + 5 * sum(
        f.economics is not None for f in INPUTS
    ) + 6 * sum(len(f.capacities) for f in INPUTS)
    grid = {f.dim for f in INPUTS if f.economics and f.economics.component}
    assert grid == {"line", "thermal", "renewable", "storage"}


def test_tiny_scenario_derived_inputs_by_hand(tmp_path):
    """Two coal clusters and a line given in ohm, worked out by hand.

    ``c1``: 550 CNY/t at 5,500 kcal/kg is 550 x 7,000 / 5,500 = 700 CNY/tce; 300 gce/kWh is
    0.3 tce/MWh, so fuel 0.3 x 700 = 210 CNY/MWh; CO2 0.3 x 2.66 = 0.798 t/MWh; marginal
    210 + 5 (VOM) + 0.798 x 80 (carbon price) = 278.84 CNY/MWh; 2 units of 150 MW = 300 MW.

    ``c2``: 300 CNY/t at 3,500 kcal/kg is 600 CNY/tce; 320 gce/kWh gives 0.32 x 600 = 192
    CNY/MWh; its CO2 is given (1 t/MWh), so marginal 192 + 0 + 80 = 272 CNY/MWh.

    Line ``ab``: 12.1 ohm at 110 kV on 100 MVA is 12.1 / (110^2 / 100) = 0.1 pu; its reverse
    limit defaults to the forward one.
    """
    data = micro(
        3,
        buses={"a": {"v_kv": 110}, "b": {"v_kv": 110}},
        fuels={
            "coal": {"price_cny_per_t": 550, "heat_value_kcal_per_kg": 5500},
            "lignite": {"price_cny_per_t": 300, "heat_value_kcal_per_kg": 3500},
        },
        settings={
            "voll_cny_per_mwh": 10000,
            "excess_penalty_cny_per_mwh": 10000,
            "carbon_price_cny_per_t": 80,
        },
        thermal={
            "c1": coal("a", 150, 300, n_units=2, vom_cny_per_mwh=5),
            "c2": {**coal("b", 100, 320, co2_t_per_mwh=1.0), "fuel": "lignite"},
        },
        lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 200, "x_ohm": 12.1}},
        loads={"city": {"bus": "b", "p_mw": 50}},
    )
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(data))
    ds = build_inputs(load_scenario(path))
    assert ds["thermal_p_nom_mw"].values.tolist() == [300.0, 100.0]
    assert ds["thermal_fuel_cost_cny_per_mwh"].values == pytest.approx([210.0, 192.0])
    assert ds["thermal_co2_t_per_mwh"].values == pytest.approx([0.798, 1.0])
    assert ds["thermal_marginal_cost_cny_per_mwh"].values == pytest.approx([278.84, 272.0])
    assert ds["thermal_availability_pu"].values.tolist() == [[1.0, 1.0]] * 3  # default
    assert ds["thermal_must_run_mw"].values.tolist() == [[0.0, 0.0]] * 3  # default
    assert ds["line_x_pu"].values == pytest.approx([0.1])
    assert ds["line_p_max_reverse_mw"].values.tolist() == [200.0]
    assert ds["load_p_mw"].values.tolist() == [[50.0]] * 3
