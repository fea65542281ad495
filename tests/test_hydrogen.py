"""The green hydrogen family (gridopt.model.hydrogen) on hand-solved micro cases.

Every case: one bus ``a`` with a fixed load of 5 MW and a tie importing up to 1,000 MW at the
hour's price (no export), so the tie is strictly inside its limits and sets the bus price to
its import price in every hour (unless a case says otherwise). The electrolyser ``h2`` uses
50 kWh/kg, i.e. makes 1000 / 50 = 20 kg of hydrogen per MWh.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml

from gridopt.errors import InputError
from gridopt.inputs import load_inputs
from gridopt.model import hydrogen
from gridopt.results import cost_breakdown
from gridopt.run import run_scenario
from tests.conftest import micro, tie

LOAD_MW = 5.0


def plant(**kw) -> dict:
    """A hydrogen plant at bus ``a``: 10 MW, 50 kWh/kg, VOM 1 CNY/kg, no tank, then ``kw``."""
    base = {"bus": "a", "p_max_mw": 10, "kwh_per_kg": 50, "vom_cny_per_kg": 1.0, "tank_max_kg": 0}
    return {**base, **kw}


def case(prices, imax=1000, **h2) -> dict:
    """The micro scenario: load, tie at ``prices`` [CNY/MWh] and hydrogen plant ``h2``."""
    return micro(
        len(prices),
        loads={"l": {"bus": "a", "p_mw": LOAD_MW}},
        ties={"grid": tie("a", list(prices), 0, imax=imax)},
        hydrogen={"h2": plant(**h2)},
    )


def tank_case() -> dict:
    """8 MW, demand 50 kg/h, tank 500 kg starting (and ending) at 0.2, VOM 1.5 CNY/kg; prices
    100, 500, 200, 500 CNY/MWh (worked out in the first test)."""
    return case(
        [100, 500, 200, 500],
        p_max_mw=8,
        demand_kg_per_h=50,
        tank_max_kg=500,
        tank_initial_fraction=0.2,
        vom_cny_per_kg=1.5,
    )


def h2(r, name: str) -> np.ndarray:
    return r[name].sel(h2="h2").values


def test_fixed_demand_is_made_in_the_cheap_hours_and_carried_by_the_tank(solve_dict):
    """8 MW, demand 50 kg/h, tank 500 kg starting and ending at 0.2 x 500 = 100 kg, VOM 1.5;
    prices 100, 500, 200, 500 CNY/MWh.

    The tank ends as it starts, so the plant makes the 4 x 50 = 200 kg demanded: 10 MWh.
    Cheapest first: hour 0 at 8 MW (160 kg, its limit), the remaining 40 kg (2 MW) in hour 2.
    Tank: 100 + 160 - 50 = 210, 210 - 50 = 160, 160 + 40 - 50 = 150, 150 - 50 = 100 kg.
    Cost: load 5 x (100 + 500 + 200 + 500) = 6,500; electrolyser 8 x 100 + 2 x 200 = 1,200;
    VOM 200 x 1.5 = 300; objective 8,000 CNY (imports 7,700, h2_vom 300, h2_sales 0).
    """
    r = solve_dict(tank_case())
    np.testing.assert_allclose(h2(r, "h2_p_mw"), [8, 0, 2, 0], atol=1e-6)
    np.testing.assert_allclose(h2(r, "h2_production_kg_per_h"), [160, 0, 40, 0], atol=1e-5)
    np.testing.assert_allclose(h2(r, "h2_stored_kg"), [210, 160, 150, 100], atol=1e-5)
    np.testing.assert_allclose(h2(r, "h2_sold_kg_per_h"), 0, atol=1e-6)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [100, 500, 200, 500])
    assert float(r["objective_cny"]) == pytest.approx(8_000)
    costs = cost_breakdown(r)
    assert costs["imports"] == pytest.approx(7_700)
    assert costs["h2_vom"] == pytest.approx(300)
    assert costs["h2_sales"] == 0


def test_sale_price_runs_the_electrolyser_where_power_is_cheaper_than_hydrogen(solve_dict):
    """10 MW, no tank, hydrogen sold at 10 CNY/kg, VOM 1 CNY/kg.

    Break-even electricity price (10 - 1) x 1000 / 50 = 180 CNY/MWh: with prices 100, 300,
    150, 250 it runs at 10 MW in hours 0 and 2 only and sells all it makes (200 kg each).
    Cost: load 5 x 800 = 4,000; electrolyser 10 x 100 + 10 x 150 = 2,500; VOM 400;
    sales -4,000; objective 2,900 CNY.
    """
    prices = [100, 300, 150, 250]
    r = solve_dict(case(prices, sale_price_cny_per_kg=10))
    breakeven = (10 - 1) * 1000 / 50
    np.testing.assert_allclose(h2(r, "h2_p_mw"), np.where(np.array(prices) < breakeven, 10, 0))
    np.testing.assert_allclose(h2(r, "h2_sold_kg_per_h"), [200, 0, 200, 0], atol=1e-5)
    assert float(r["objective_cny"]) == pytest.approx(2_900)
    assert cost_breakdown(r)["h2_sales"] == pytest.approx(-4_000)


def test_min_load_binds(solve_dict):
    """As the sale case with min_load_fraction 0.3: in the dear hours the stack stays at
    0.3 x 10 = 3 MW (60 kg sold) at a loss. Power 10, 3, 10, 3 MW; hydrogen 520 kg.
    Cost: load 4,000; electrolyser 1,000 + 900 + 1,500 + 750 = 4,150; VOM 520; sales -5,200;
    objective 3,470 CNY.
    """
    r = solve_dict(case([100, 300, 150, 250], sale_price_cny_per_kg=10, min_load_fraction=0.3))
    np.testing.assert_allclose(h2(r, "h2_p_mw"), [10, 3, 10, 3], atol=1e-6)
    assert float(r["objective_cny"]) == pytest.approx(3_470)


def test_ramp_binds(solve_dict):
    """As the sale case with ramp_fraction_per_h 0.4 (power moves at most 4 MW an hour).

    Margin per MWh 180 - price: 80, -120, 30, -70. Running x MW in hour 0 forces at least
    x - 4 in hour 1 (each MW there loses 120): beyond 4 MW each MW gains 80 - 120 < 0, so
    x = 4; hour 1 at 0 lets hour 2 rise to 4 MW (and 4 -> 0 in hour 3). Power 4, 0, 4, 0 MW;
    hydrogen 160 kg. Cost: load 4,000; electrolyser 400 + 600 = 1,000; VOM 160; sales -1,600;
    objective 3,560 CNY (without the ramp it would be 2,900: the ramp costs 660).
    """
    r = solve_dict(case([100, 300, 150, 250], sale_price_cny_per_kg=10, ramp_fraction_per_h=0.4))
    np.testing.assert_allclose(h2(r, "h2_p_mw"), [4, 0, 4, 0], atol=1e-6)
    assert float(r["objective_cny"]) == pytest.approx(3_560)


def test_a_marginal_electrolyser_sets_the_price_at_the_value_of_its_hydrogen(solve_dict):
    """One hour, import limited to 12 MW at 100 CNY/MWh: the load takes 5, the electrolyser
    the other 7 MW (strictly inside 0-10 MW), so one more MWh would make 20 kg more hydrogen
    worth (10 - 1) x 20 = 180 CNY: the price is 180 and the setter ``hydrogen:h2``.
    Cost: imports 1,200; VOM 140; sales -1,400; objective -60 CNY.
    """
    r = solve_dict(case([100], imax=12, sale_price_cny_per_kg=10))
    assert h2(r, "h2_p_mw") == pytest.approx([7])
    assert float(r["price_cny_per_mwh"].sel(bus="a")[0]) == pytest.approx(180)
    assert str(r["price_setter"].sel(bus="a").values[0]) == "hydrogen:h2"
    assert float(r["objective_cny"]) == pytest.approx(-60)


def _problems(tmp_path, data: dict) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(InputError) as err:
        load_inputs(path)
    return str(err.value)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, ["hydrogen.h2", "demand_kg_per_h", "sale_price_cny_per_kg", "no offtake"]),
        ({"sale_price_cny_per_kg": 10, "min_load_fraction": 1.5}, ["h2.min_load_fraction"]),
        ({"demand_kg_per_h": 10, "p_max_mw": 0}, ["hydrogen.h2", "needs an electrolyser"]),
        ({"sale_max_kg_per_h": 5, "demand_kg_per_h": 1}, ["sale_max_kg_per_h needs"]),
        ({"sale_price_cny_per_kg": 10, "kwh_per_kg": 30}, ["h2.kwh_per_kg"]),
        ({"sale_price_cny_per_kg": 10, "bus": "nowhere"}, ["hydrogen.h2.bus", "unknown bus"]),
        ({"sale_price_cny_per_kg": -1}, ["hydrogen.h2.sale_price_cny_per_kg", "outside"]),
    ],
)
def test_impossible_entries_are_errors_naming_the_field(tmp_path, fields, expected):
    """Schema and series rules: an offtake is needed; fractions within [0, 1]; demand needs an
    electrolyser; a sale limit needs a sale price; no electrolyser beats 32.7 kWh/kg; the bus
    exists; a price is not negative."""
    text = _problems(tmp_path, case([100, 100], **fields))
    for part in expected:
        assert part in text, (part, text)


def test_demand_beyond_the_plant_and_min_load_beyond_the_offtake_are_errors(tmp_path):
    """Input checks (hydrogen_checks). 10 MW at 50 kWh/kg makes at most 200 kg/h: a cyclic
    tank of 100 kg cannot meet 250 kg/h for 2 hours (500 kg > 2 x 200 kg); at minimum load
    0.5 a plant makes 100 kg/h but only 20 kg/h are demanded and nothing can be sold."""
    text = _problems(tmp_path, case([100, 100], demand_kg_per_h=250, tank_max_kg=100))
    assert "hydrogen.h2.demand_kg_per_h" in text and "more than the plant can make" in text
    text = _problems(tmp_path, case([100, 100], demand_kg_per_h=20, min_load_fraction=0.5))
    assert "hydrogen.h2.min_load_fraction" in text and "minimum load" in text


def test_results_file_has_the_hydrogen_results_and_the_costs_add_up(tmp_path):
    """results.nc holds every declared h2_* result with its unit; summary.json's cost items add
    up to the objective and its energy balance closes with the electrolyser's 10 MWh as a use
    (the tank case: 8 + 2 MWh). Default costs: 8,000 kW x 2,000 CNY/kW + 500 kg x 33.3 kWh/kg
    x 108 CNY/kWh = 16,000,000 + 1,798,200 = 17,798,200 CNY; fixed O&M 2 % of it."""
    path = tmp_path / "h2.yaml"
    data = tank_case()
    path.write_text(yaml.safe_dump(data))
    run_scenario(path, tmp_path / "out")
    with xr.open_dataset(tmp_path / "out" / "results.nc") as r:
        r.load()
    units = {o.result: o.units for o in hydrogen.FAMILY.results}
    assert units == {
        "h2_p_mw": "MW",
        "h2_stored_kg": "kg",
        "h2_sold_kg_per_h": "kg/h",
        "h2_production_kg_per_h": "kg/h",
    }
    for name, unit in units.items():
        assert r[name].dims == ("time", "h2") and r[name].attrs["units"] == unit, name
    assert r["h2_demand_kg_per_h"].attrs["units"] == "kg/h"
    assert float(r["h2_capex_cny"][0]) == pytest.approx(17_798_200)
    assert float(r["h2_fixed_om_cny_per_yr"][0]) == pytest.approx(0.02 * 17_798_200)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    costs = summary["cost_by_component_cny"]
    assert sum(costs.values()) == pytest.approx(summary["objective_cny"], rel=1e-9)
    assert summary["objective_cny"] == pytest.approx(8_000)
    balance = summary["energy_balance"]
    assert balance["use_mwh"]["electrolyser"] == pytest.approx(10)
    assert balance["residual_mwh"] == pytest.approx(0, abs=1e-6)


def test_library_tenant_profile_is_capacity_times_load_factor():
    """electrolyser:capacity_mw=100,load_factor=0.75 -> 75 MW every hour; the widest band
    the stack can follow at load factor 0.8: min(1 - 0.2 / 0.8, 1 / 0.8 - 1) = 0.25, at 0.5
    with minimum load 0.3: min(1 - 0.6, 2 - 1) = 0.4; a minimum load above the load factor is
    an error naming the parameter."""
    from gridopt.tenant import profiles

    index = pd.date_range("2025-01-01", periods=3, freq="h")
    func, params = hydrogen.PROFILES["electrolyser"]
    p = params(capacity_mw=100)
    np.testing.assert_allclose(func(index, **p.model_dump()).to_numpy(), [80, 80, 80])
    assert profiles.LIBRARY["electrolyser"] == hydrogen.PROFILES["electrolyser"]  # declared
    spec = profiles.parse_profile_spec("electrolyser:capacity_mw=100,load_factor=0.75")
    np.testing.assert_allclose(profiles.profile_mw(spec, index), [75, 75, 75])
    assert hydrogen.flex_band_limit(0.8, 0.2) == pytest.approx(0.25)
    assert hydrogen.flex_band_limit(0.5, 0.3) == pytest.approx(0.4)
    with pytest.raises(InputError, match="min_load_fraction"):
        profiles.parse_profile_spec(
            "electrolyser:capacity_mw=100,load_factor=0.2,min_load_fraction=0.3"
        )
