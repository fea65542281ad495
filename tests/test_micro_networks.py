"""Hand-solvable micro networks: every expected number is worked out in the docstring.

Fuel: 550 CNY/t at 5,500 kcal/kg = 550 x 7000/5500 = 700 CNY per tonne of standard coal, so a
unit with heat rate H gce/kWh (= H kg/MWh) has fuel cost 0.7 H CNY/MWh: 300 -> 210, 400 -> 280.
Each case is built so that every price is unique (one asset strictly between its limits).
"""

from __future__ import annotations

import numpy as np
import pytest

from gridopt.prices import line_rent
from gridopt.results import cost_breakdown
from tests.conftest import coal, micro, tie


def test_merit_order_one_bus(solve_dict):
    """Two coal units, 210 and 280 CNY/MWh, 100 MW each; load 50, 150, 120 MW.

    h0: cheap 50 (interior) -> price 210. h1: cheap 100 (full), dear 50 -> 280.
    h2: cheap 100, dear 20 -> 280. Cost = 50*210 + (100*210 + 50*280) + (100*210 + 20*280)
    = 10,500 + 35,000 + 26,600 = 72,100 CNY.
    """
    r = solve_dict(
        micro(
            3,
            thermal={"cheap": coal("a", 100, 300), "dear": coal("a", 100, 400)},
            loads={"l": {"bus": "a", "p_mw": [50, 150, 120]}},
        )
    )
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [210, 280, 280], atol=1e-6)
    assert float(r["objective_cny"]) == pytest.approx(72_100)
    np.testing.assert_allclose(r["thermal_p_mw"].sel(thermal="dear"), [0, 50, 20], atol=1e-6)
    assert list(r["price_setter"].sel(bus="a").values) == ["cheap", "dear", "dear"]


def test_congested_line_splits_prices(solve_dict):
    """Cheap coal (210, 300 MW) at a, dear coal (280, 300 MW) at b, line a-b of 100 MW.

    Load 50 MW at a and 250 MW at b. The line carries its 100 MW limit; the cheap unit makes
    150 MW (interior) -> price a = 210; the dear unit makes 150 MW (interior) -> price b = 280.
    Cost = 150*210 + 150*280 = 73,500 CNY. Congestion rent = 100*(280-210) = 7,000 CNY, which is
    also what loads pay minus what units are paid: (50*210 + 250*280) - (150*210 + 150*280)
    = 80,500 - 73,500 = 7,000 CNY.
    """
    r = solve_dict(
        micro(
            1,
            buses={"a": {}, "b": {}},
            lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 100}},
            thermal={"cheap": coal("a", 300, 300), "dear": coal("b", 300, 400)},
            loads={"la": {"bus": "a", "p_mw": 50}, "lb": {"bus": "b", "p_mw": 250}},
        )
    )
    assert float(r["line_flow_mw"].sel(line="ab").sum()) == pytest.approx(100)
    np.testing.assert_allclose(r["price_cny_per_mwh"].isel(time=0), [210, 280], atol=1e-6)
    assert float(r["objective_cny"]) == pytest.approx(73_500)
    assert list(r["price_setter"].isel(time=0).values) == [
        "cheap",
        "dear",
    ]  # congested: each its own
    assert line_rent(r) == pytest.approx([7_000])
    price = r["price_cny_per_mwh"].isel(time=0).values  # buses a, b
    paid_by_loads = float(price @ r["load_p_mw"].isel(time=0).values)  # loads la at a, lb at b
    paid_to_units = float(price @ r["thermal_p_mw"].isel(time=0).values)  # cheap at a, dear at b
    assert paid_by_loads - paid_to_units == pytest.approx(7_000)


def test_line_losses_raise_the_far_price(solve_dict):
    """Cheap coal (210) at a only; 95 MW load at b over a line with 5 % loss (uncongested).

    a must send 95 / 0.95 = 100 MW; cost 100*210 = 21,000. Price b = (210 + eps) / 0.95 =
    221.0537, where eps = 1e-7 x VOLL 10,000 = 0.001 CNY/MWh is the lossy-line tie-break (a cost
    on every MWh sent, left out of the objective's reported cost; gridopt/model/network.py).
    """
    r = solve_dict(
        micro(
            1,
            buses={"a": {}, "b": {}},
            lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 500, "loss_factor": 0.05}},
            thermal={"cheap": coal("a", 300, 300)},
            loads={"lb": {"bus": "b", "p_mw": 95}},
        )
    )
    assert float(r["objective_cny"]) == pytest.approx(21_000)
    np.testing.assert_allclose(
        r["price_cny_per_mwh"].isel(time=0), [210, (210 + 1e-7 * 10_000) / 0.95], rtol=1e-9
    )
    assert float(r["line_loss_mw"].sum()) == pytest.approx(5)
    # b has no unit of its own: the uncongested line carries a's setter across
    assert list(r["price_setter"].isel(time=0).values) == ["cheap", "cheap"]


def test_storage_arbitrage_with_losses(solve_dict):
    """Import at 100 then 300 CNY/MWh; 50 MW load; battery 10 MW / 100 MWh, 0.9 each way,
    starting and (cyclic) ending empty.

    Charge 10 MW in h0 -> stores 9 MWh -> discharges 9*0.9 = 8.1 MW in h1 (worth it:
    300*0.81 = 243 > 100). Imports 60 then 41.9 MW. Cost = 60*100 + 41.9*300 = 18,570 CNY
    (20,000 without the battery). Prices = import prices 100, 300 (import interior).
    """
    r = solve_dict(
        micro(
            2,
            ties={"grid": tie("a", [100, 300], [0, 0])},
            storage={
                "bat": {
                    "bus": "a",
                    "p_charge_max_mw": 10,
                    "e_max_mwh": 100,
                    "eff_charge": 0.9,
                    "eff_discharge": 0.9,
                    "soc_initial_fraction": 0.0,
                }
            },
            loads={"l": {"bus": "a", "p_mw": 50}},
        )
    )
    np.testing.assert_allclose(r["storage_charge_mw"].sel(storage="bat"), [10, 0], atol=1e-6)
    np.testing.assert_allclose(r["storage_discharge_mw"].sel(storage="bat"), [0, 8.1], atol=1e-6)
    assert float(r["objective_cny"]) == pytest.approx(18_570)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [100, 300], atol=1e-6)


def test_flexible_load_moves_energy_into_cheap_hour(solve_dict):
    """Potline 100 MW nominal, band -20 %/+10 %, energy over the 2-h window kept (200 MWh);
    import at 100 then 300 CNY/MWh.

    It raises h0 to its +10 % limit (110 MW) and so runs 90 MW in h1 (inside -20 %).
    Cost = 110*100 + 90*300 = 38,000 CNY (40,000 flat). Prices 100, 300.
    """
    r = solve_dict(
        micro(
            2,
            ties={"grid": tie("a", [100, 300], [0, 0])},
            flexible_loads={
                "al": {
                    "bus": "a",
                    "p_nominal_mw": 100,
                    "band_down_fraction": 0.2,
                    "band_up_fraction": 0.1,
                    "window_h": 2,
                }
            },
        )
    )
    np.testing.assert_allclose(r["flex_p_mw"].sel(flex="al"), [110, 90], atol=1e-6)
    assert float(r["objective_cny"]) == pytest.approx(38_000)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [100, 300], atol=1e-6)


def test_min_stable_output_keeps_unit_on_and_pushes_price_down(solve_dict):
    """Coal 100 MW at 200 CNY/MWh (heat rate 285.714), min stable 50 %, start-up 10,000 CNY/MW;
    import at 300, export at 50 (up to 1,000 MW); load 120 then 20 MW; commitment is cyclic.

    Committing x MW in both hours (no start-ups) with 40 <= x <= 100: h0 coal x, import 120 - x;
    h1 coal 0.5x, export 0.5x - 20. Cost = 200x + 300(120 - x) + 200(0.5x) - 50(0.5x - 20)
    = 37,000 - 25x, lowest at x = 100 (below 40 MW it is 40,000 - 100x >= 36,000). So the
    unit stays fully committed: h0 coal 100 + import 20 (price 300); h1 coal held at
    its 50 MW minimum, 30 MW exported (price 50, below the unit's own cost). Restarting instead
    would cost at least 60 MW * 10,000. Cost = 20,000 + 6,000 + 10,000 - 1,500 = 34,500 CNY.
    """
    r = solve_dict(
        micro(
            2,
            fuels={"coal": {"price_cny_per_t": 550, "heat_value_kcal_per_kg": 5500}},
            thermal={
                "coal": coal(
                    "a", 100, 2000 / 7, min_stable_fraction=0.5, startup_cost_cny_per_mw=10000
                )
            },
            ties={"grid": tie("a", 300, 50, emax=1000)},
            loads={"l": {"bus": "a", "p_mw": [120, 20]}},
        )
    )
    np.testing.assert_allclose(r["thermal_p_mw"].sel(thermal="coal"), [100, 50], atol=1e-6)
    np.testing.assert_allclose(r["tie_export_mw"].sel(tie="grid"), [0, 30], atol=1e-6)
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [300, 50], atol=1e-6)
    assert float(r["objective_cny"]) == pytest.approx(34_500)
    assert float(r["thermal_startup_mw"].sum()) == pytest.approx(0, abs=1e-6)


def test_unserved_energy_at_voll(solve_dict):
    """100 MW of coal at 210 CNY/MWh and a 150 MW load: 50 MW unserved at VOLL 10,000.

    Price = 10,000; cost = 100*210 + 50*10,000 = 521,000 CNY.
    """
    r = solve_dict(
        micro(1, thermal={"c": coal("a", 100, 300)}, loads={"l": {"bus": "a", "p_mw": 150}})
    )
    assert float(r["bus_unserved_mw"].sum()) == pytest.approx(50)
    assert float(r["price_cny_per_mwh"].sel(bus="a")[0]) == pytest.approx(10_000)
    assert float(r["objective_cny"]) == pytest.approx(521_000)
    assert r["price_setter"].values[0, 0] == "unserved"


def test_curtailment_sets_zero_price(solve_dict):
    """Wind 200 MW at availability 0.5 (100 MW) and coal at 210 for a 60 MW load: wind serves
    it all, 40 MW is curtailed, price 0 set by the curtailed wind farm."""
    r = solve_dict(
        micro(
            1,
            thermal={"c": coal("a", 100, 300)},
            renewables={"w": {"bus": "a", "carrier": "wind", "p_nom_mw": 200, "availability": 0.5}},
            loads={"l": {"bus": "a", "p_mw": 60}},
        )
    )
    assert float(r["renewable_curtailment_mw"].sum()) == pytest.approx(40)
    assert float(r["price_cny_per_mwh"].sum()) == pytest.approx(0, abs=1e-9)
    assert r["price_setter"].values[0, 0] == "w"


def test_interruptible_load_caps_the_price(solve_dict):
    """Coal 100 MW at 210; fixed load 80 MW; interruptible load 50 MW paid 900 CNY/MWh when
    interrupted, cap 1,000 MWh. Supply 100 < demand 130: 30 MW interrupted (cheaper than VOLL),
    price 900. Cost = 100*210 + 30*900 = 48,000 CNY."""
    r = solve_dict(
        micro(
            1,
            thermal={"c": coal("a", 100, 300)},
            loads={"l": {"bus": "a", "p_mw": 80}},
            interruptible_loads={
                "i": {"bus": "a", "p_mw": 50, "cost_cny_per_mwh": 900, "max_energy_mwh": 1000}
            },
        )
    )
    assert float(r["intr_interrupted_mw"].sum()) == pytest.approx(30)
    assert float(r["price_cny_per_mwh"].sum()) == pytest.approx(900)
    assert float(r["objective_cny"]) == pytest.approx(48_000)


def test_zero_size_assets_are_not_built(solve_dict):
    """A sweep sets sizes to zero ("no battery", "no coal"): such a scenario is valid and solves
    as if the assets were absent. Coal must-run 60 MW against a 50 MW load with no export: 10 MW
    is dumped each hour at the excess penalty (10,000 CNY/MWh), 2 h -> 20 MWh. A battery of
    10 MW / 0 MWh must not soak up part of that excess by charging and discharging in the same
    hour (with 0.9 x 0.9 it would burn 1.9 MW): excess stays 20 MWh and it never moves, and it
    costs nothing. A coal cluster of 0 units never produces and costs nothing.

    Cost = must-run 60 MW x 210 CNY/MWh x 2 h + 20 MWh x 10,000 = 25,200 + 200,000 = 225,200 CNY
    and nothing else. Price = -10,000 CNY/MWh each hour: one more MW of load dumps one MW less
    (the excess, 10 MW, is strictly positive, so this dual is unique)."""
    r = solve_dict(
        micro(
            2,
            thermal={
                "must": coal("a", 60, 300, must_run_mw=60),
                "none": coal("a", 300, 250, n_units=0),
            },
            storage={
                "bat": {
                    "bus": "a",
                    "p_charge_max_mw": 10,
                    "e_max_mwh": 0,
                    "eff_charge": 0.9,
                    "eff_discharge": 0.9,
                }
            },
            loads={"l": {"bus": "a", "p_mw": 50}},
        )
    )
    assert float(r["bus_excess_mw"].sum()) == pytest.approx(20.0)
    assert float(r["storage_charge_mw"].sum()) == 0 and float(r["storage_discharge_mw"].sum()) == 0
    assert float(r["thermal_p_mw"].sel(thermal="none").sum()) == 0
    # not built, so no capital or fixed cost by default (the 10 MW converter is not charged)
    assert (
        float(r["storage_capex_cny"].sel(storage="bat")) == 0
        and float(r["storage_fixed_om_cny_per_yr"].sel(storage="bat")) == 0
    )
    assert float(r["thermal_capex_cny"].sel(thermal="none")) == 0
    assert float(r["objective_cny"]) == pytest.approx(225_200)
    costs = cost_breakdown(r)
    assert costs["thermal_fuel"] == pytest.approx(25_200)
    assert costs["excess_energy"] == pytest.approx(200_000)
    assert sum(costs.values()) - costs["thermal_fuel"] - costs["excess_energy"] == pytest.approx(
        0, abs=1e-6
    )
    np.testing.assert_allclose(r["price_cny_per_mwh"].sel(bus="a"), [-10_000, -10_000], atol=1e-6)
    assert list(r["price_setter"].sel(bus="a").values) == ["excess", "excess"]
