"""Planning storage (``gridopt plan``): power and energy sized separately, a duration range,
on hand-solved micro networks.

Every case: one bus ``a``, a flat load of 100 MW over 4 hours, a tie importing up to
1,000 MW (no export) at hourly prices, and a lossless store (efficiencies 1, no standing
loss) at ``a``. Costs are chosen so the horizon's share of a unit's annual cost is a round
number (as in tests/test_plan.py): discount rate 0, a one-year life, no fixed O&M, a horizon
of 4 / 8760 of a year, so ``capex_cny_per_kw`` = k costs k x 1000 x 4 / 8760 CNY per MW of
power for the horizon and ``capex_cny_per_kwh`` = k as much per MWh of energy:

    k = 219 -> 100 CNY,  k = 328.5 -> 150 CNY,  k = 547.5 -> 250 CNY.

Import prices [100, 100, 300, 600] CNY/MWh (``PRICES``) unless said otherwise: two cheap
hours, then a dear and a dearer one. With no store the operating cost is
200 x 100 + 100 x 300 + 100 x 600 = 110,000 CNY.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from gridopt.errors import InputError
from gridopt.inputs import load_inputs
from gridopt.run import run_scenario
from tests.conftest import micro, tie

PRICES = [100.0, 100.0, 300.0, 600.0]
CAPACITIES = ("p_charge_max_mw", "p_discharge_max_mw", "e_max_mwh")
PER_MW = {100: 219.0, 150: 328.5, 250: 547.5}
"""Horizon cost per MW or MWh [CNY] -> the annual investment per kW or kWh that gives it."""


def store(power_cny: float, energy_cny: float, **kw) -> dict:
    """A lossless store at ``a`` with no existing capacity, power and energy expandable without
    limit, at ``power_cny`` per MW and ``energy_cny`` per MWh for the horizon; empty at the
    start and the end (cyclic from 0) unless ``kw`` says otherwise."""
    return {
        "bus": "a",
        "p_charge_max_mw": 0,
        "e_max_mwh": 0,
        "eff_charge": 1.0,
        "eff_discharge": 1.0,
        "soc_initial_fraction": 0.0,
        "new_max_mw": None,
        "new_max_mwh": None,
        "economics": {
            "capex_cny_per_kw": PER_MW[power_cny],
            "capex_cny_per_kwh": PER_MW[energy_cny],
            "fixed_om_fraction_per_yr": 0.0,
            "lifetime_yr": 1,
        },
        **kw,
    }


def case(prices=PRICES, **storage) -> dict:
    data = micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 100}},
        ties={"grid": tie("a", list(prices), 0)},
        storage=storage,
    )
    data["settings"]["discount_rate"] = 0.0
    return data


def write(tmp_path, data: dict, name: str = "plan.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def plan(tmp_path, data: dict, out: bool = False):
    return run_scenario(write(tmp_path, data), tmp_path / "out" if out else None, plan=True)


def built(r, name: str = "s") -> tuple[float, float]:
    """(new power [MW], new energy [MWh]) of store ``name``."""
    return (
        float(r["storage_p_charge_max_new_mw"].sel(storage=name)),
        float(r["storage_e_max_new_mwh"].sel(storage=name)),
    )


def series(r, var: str, name: str = "s") -> np.ndarray:
    return r[var].sel(storage=name).values


def revenue(r, name: str = "s") -> float:
    """The store's market revenue: sum_t price_t x (discharge_t - charge_t) [CNY]."""
    price = r["price_cny_per_mwh"].sel(bus="a").values
    net = series(r, "storage_discharge_mw", name) - series(r, "storage_charge_mw", name)
    return float((price * net).sum())


def test_store_built_to_shift_both_dear_hours_earns_its_cost(tmp_path):
    """Power at 100 CNY/MW, energy at 150 CNY/MWh.

    A MW of power with a MWh of energy moves 1 MWh from hour 0-1 (100) to hour 3 (600):
    saves 500 > 100 + 150, so power is built up to the load in hour 3, P = 100 MW. With that
    power, each further MWh of energy also moves 1 MWh into hour 2 (300): saves 200 > 150, so
    E = 200 MWh (the load of hours 2 and 3). Charging: 200 MWh in hours 0-1 at the power limit.
    Operating cost: imports 2 x (100 + 100) x 100 = 40,000 CNY; capacity cost
    100 x 100 + 200 x 150 = 40,000 CNY.
    Long-run equilibrium: both capacities strictly inside their bounds, so the store's revenue
    sum_t price_t (d_t - c_t) equals its capacity cost: -200 x 100 + 100 (p2 + p3) = 40,000,
    p2 + p3 = 600 CNY/MWh.
    A second store that may add power but no energy (``e_max_mwh`` 0, ``new_max_mwh`` 0)
    stays switched off and builds nothing.
    """
    out = plan(tmp_path, case(s=store(100, 150), off=store(100, 150, new_max_mwh=0)))
    r, block = out.results, out.summary["plan"]
    assert built(r) == pytest.approx((100, 200))
    assert built(r, "off") == pytest.approx((0, 0), abs=1e-6)
    assert np.abs(series(r, "storage_charge_mw", "off")).max() == 0
    assert float(r["storage_p_charge_max_mw"].sel(storage="s")) == pytest.approx(100)
    assert float(r["storage_e_max_mwh"].sel(storage="s")) == pytest.approx(200)
    assert float(r["objective_cny"]) == pytest.approx(40_000)
    assert block["capacity_cost_horizon_cny"] == pytest.approx(40_000)
    np.testing.assert_allclose(series(r, "storage_charge_mw"), [100, 100, 0, 0], atol=1e-6)
    np.testing.assert_allclose(series(r, "storage_discharge_mw"), [0, 0, 100, 100], atol=1e-6)
    np.testing.assert_allclose(r["tie_import_mw"].values[:, 0], [200, 200, 0, 0], atol=1e-6)
    price = r["price_cny_per_mwh"].sel(bus="a").values
    np.testing.assert_allclose(price[:2], [100, 100])
    assert price[2] + price[3] == pytest.approx(600)
    assert revenue(r) == pytest.approx(block["capacity_cost_horizon_cny"], rel=1e-6)
    assert block["annual_cost_new_cny_per_yr"] == pytest.approx(100 * 219_000 + 200 * 328_500)
    # the investment in both capacities is the store's (cost recovery includes it)
    assert float(r["storage_capex_cny"].sel(storage="s")) == pytest.approx(
        100 * 219_000 + 200 * 328_500
    )


def test_dear_energy_shifts_only_the_dearest_hour(tmp_path):
    """Energy at 250 CNY/MWh instead: hour 3 still pays (500 > 100 + 250), P = 100 MW, but a
    MWh moved into hour 2 saves 200 < 250, so E = 100 MWh: the price of energy alone moves E.
    Operating cost: hours 0-1 import 300 MWh at 100, hour 2 100 MWh at 300: 60,000 CNY;
    capacity cost 100 x 100 + 100 x 250 = 35,000 CNY.
    Prices: 100 in hours 0-1 and 300 in hour 2 (the import is marginal); hour 3 is priced by
    the store: one more MWh there needs a MW, a MWh and a MWh charged, 100 + 250 + 100 = 450
    (below the import at 600). Revenue -100 x 100 + 100 x 450 = 35,000 = its capacity cost.
    """
    out = plan(tmp_path, case(s=store(100, 250)))
    r, block = out.results, out.summary["plan"]
    assert built(r) == pytest.approx((100, 100))
    assert float(r["objective_cny"]) == pytest.approx(60_000)
    assert block["capacity_cost_horizon_cny"] == pytest.approx(35_000)
    np.testing.assert_allclose(series(r, "storage_discharge_mw"), [0, 0, 0, 100], atol=1e-6)
    np.testing.assert_allclose(
        r["price_cny_per_mwh"].sel(bus="a").values, [100, 100, 300, 450], atol=1e-6
    )
    assert revenue(r) == pytest.approx(35_000, rel=1e-6)


@pytest.mark.parametrize(
    ("energy_cny", "duration", "expected", "operating", "capital"),
    [
        # E <= 1.5 P: P = 100 (more power would only buy energy worth 200 - 150 = 50 per
        # MWh, 1.5 x 50 = 75 < 100 per MW), E = 150: 50 MWh of hour 2 stays imported.
        # Operating: 350 x 100 + 50 x 300 = 50,000; capital 100 x 100 + 150 x 150 = 32,500.
        (150, {"duration_max_h": 1.5}, (100, 150), 50_000, 32_500),
        # E >= 2 P with dear energy (alone it builds E = P = 100): a unit of x = 1 MW + 2 MWh
        # moves 1 MWh into hour 3 and 1 into hour 2, saving 500 + 200 = 700 > 100 + 500, up to
        # the load: P = 100, E = 200. Operating 40,000; capital 100 x 100 + 200 x 250 = 60,000.
        (250, {"duration_min_h": 2.0}, (100, 200), 40_000, 60_000),
    ],
)
def test_a_duration_range_that_binds(tmp_path, energy_cny, duration, expected, operating, capital):
    """A duration range the unconstrained plan (2 h, then 1 h) lies outside of is met at its
    edge."""
    out = plan(tmp_path, case(s=store(100, energy_cny, **duration)))
    r = out.results
    assert built(r) == pytest.approx(expected)
    assert float(r["objective_cny"]) == pytest.approx(operating)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(capital)


def test_existing_store_grows_with_state_of_charge_limits_on_the_total(tmp_path):
    """A store with 40 MW and 160 MWh (sunk), state of charge in [0.25, 0.75] of its energy,
    starting and ending at 0.5, expandable at 100 CNY/MW and 150 CNY/MWh; prices
    [600, 100, 100, 600].

    Hour 0 can be served only from the initial half: down to 0.25 E, so 100 MW there needs
    E = 400 MWh; hours 1-2 recharge 0.5 E = 200 MWh (100 MW each hour), hour 3 discharges back
    to 0.5 E. A unit x (1 MW + 4 MWh) saves 2 x 500 = 1,000 > 100 + 600, so the store grows to
    the load: P = 100 MW (60 new, also raising discharging from 40 to 100), E = 400 MWh (240
    new). Stored energy: 200 before the start, 100, 200, 300, 200 MWh. Operating cost: hours
    1-2 import 200 MWh each at 100 = 40,000 CNY; capacity cost 60 x 100 + 240 x 150 =
    42,000 CNY. A model that took the limits, the initial or the end state from the existing
    160 MWh alone would give a different store.
    """
    s = store(
        100,
        150,
        p_charge_max_mw=40,
        e_max_mwh=160,
        soc_min_fraction=0.25,
        soc_max_fraction=0.75,
        soc_initial_fraction=0.5,
    )
    out = plan(tmp_path, case([600, 100, 100, 600], s=s))
    r = out.results
    assert built(r) == pytest.approx((60, 240))
    planned = {k: float(r[f"storage_{k}"].sel(storage="s")) for k in CAPACITIES}
    assert planned == pytest.approx(
        {"p_charge_max_mw": 100, "p_discharge_max_mw": 100, "e_max_mwh": 400}
    )
    assert float(r["objective_cny"]) == pytest.approx(40_000)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(42_000)
    np.testing.assert_allclose(series(r, "storage_soc_mwh"), [100, 200, 300, 200], atol=1e-6)
    np.testing.assert_allclose(series(r, "storage_discharge_mw"), [100, 0, 0, 100], atol=1e-6)


def test_reserve_margin_builds_store_power_with_its_duration(tmp_path):
    """Flat import price (100 CNY/MWh in every hour: shifting earns nothing), a reserve margin
    of 0.8 (180 MW firm over the 100 MW peak), a battery's capacity credit 0.9, and a shortest
    duration of 2 h. New power is the store's firm capacity (it raises the discharging limit,
    ``also``): P = 180 / 0.9 = 200 MW, and the duration makes E = 2 P = 400 MWh. Capacity cost
    200 x 100 + 400 x 150 = 80,000 CNY; operating cost 4 x 100 x 100 = 40,000 CNY. A MW of
    firm capacity takes 1 / 0.9 MW and 2 / 0.9 MWh: (100 + 300) / 0.9 = 444.4 CNY for the
    horizon, 444.4 / (4 / 8760) / 1000 = 973.3 CNY/kW-yr."""
    data = case([100.0] * 4, s=store(100, 150, duration_min_h=2.0))
    data["policy"] = {"reserve_margin_fraction": 0.8}
    out = plan(tmp_path, data)
    assert built(out.results) == pytest.approx((200, 400))
    assert float(out.results["objective_cny"]) == pytest.approx(40_000)
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == pytest.approx(80_000)
    rm = out.summary["policy"]["reserve_margin"]
    assert rm["firm_capacity_mw"] == pytest.approx(180)
    assert rm["shadow_price_cny_per_kw_yr"] == pytest.approx(400 / 0.9 * 8760 / 4 / 1000)


def test_with_nothing_expandable_a_plan_is_the_dispatch(tmp_path):
    """Stores with the default bounds (0: not expandable) and a duration range (ignored when
    nothing changes), one of them not built (e_max_mwh 0): the plan is the dispatch LP, same
    size, objective (to 1e-9) and prices as ``gridopt run``, nothing built. By hand: the
    50 MW / 100 MWh store, half full at the start and the end, can take 50 MWh in the cheap
    hours and give them back in hour 3: operating cost 110,000 - 50 x 500 = 85,000 CNY."""
    fixed = {"new_max_mw": 0, "new_max_mwh": 0, "duration_min_h": 4.0}
    data = case(
        s=store(100, 150, p_charge_max_mw=50, e_max_mwh=100, soc_initial_fraction=0.5, **fixed),
        off=store(100, 150, p_charge_max_mw=80, **fixed),
    )
    path = write(tmp_path, data, "d.yaml")
    run = run_scenario(path)
    out = plan(tmp_path, data)
    assert float(run.results["objective_cny"]) == pytest.approx(85_000)
    assert float(out.results["objective_cny"]) == pytest.approx(
        float(run.results["objective_cny"]), rel=1e-9
    )
    assert out.summary["lp_size"] == run.summary["lp_size"]
    np.testing.assert_allclose(
        out.results["price_cny_per_mwh"].values, run.results["price_cny_per_mwh"].values
    )
    np.testing.assert_allclose(series(out.results, "storage_charge_mw", "off"), 0, atol=0)
    assert out.summary["plan"]["built"] == {}
    assert out.summary["plan"]["capacity_cost_horizon_cny"] == 0


def test_plan_writes_power_and_energy_rows(tmp_path):
    """build.csv has a row per capacity of the store: power in MW priced per kW, energy in MWh
    priced per kWh (the first case: 100 MW, 200 MWh)."""
    plan(tmp_path, case(s=store(100, 150)), out=True)
    t = pd.read_csv(tmp_path / "out" / "build.csv").set_index("capacity")
    power, energy = t.loc["p_charge_max_mw"], t.loc["e_max_mwh"]
    assert (power["family"], power["unit"], energy["unit"]) == ("storage", "MW", "MWh")
    assert power["new"] == pytest.approx(100) and energy["new"] == pytest.approx(200)
    assert power["capex_new_cny"] == pytest.approx(100 * 219_000)
    assert energy["capex_new_cny"] == pytest.approx(200 * 328_500)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"new_min_mw": 50, "new_max_mw": 20}, "new_min_mw .*exceeds new_max_mw"),
        ({"new_min_mwh": 50, "new_max_mwh": 20}, "new_min_mwh .*exceeds new_max_mwh"),
        ({"duration_min_h": 4, "duration_max_h": 2}, "duration_min_h .*exceeds duration_max_h"),
    ],
)
def test_plan_bounds_out_of_order_are_an_error(tmp_path, fields, message):
    """A least new capacity above the most, or a shortest duration above the longest, is a
    validation error naming both fields."""
    path = write(tmp_path, case(s=store(100, 150, **fields)), "bad.yaml")
    with pytest.raises(InputError, match=message):
        load_inputs(path)
