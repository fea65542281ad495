"""gridopt.prices on a synthetic results Dataset whose numbers can be worked by hand (no solver).

The synthetic case (48 h from 2025-03-20 00:00, two buses a and b):

- bus a: coal 'coal' (fuel 200 + VOM 10 CNY/MWh, 100 MW) runs 50 MW, except 60 MW in hour 0
  (10 MW started at 100 CNY/MW, and the battery charges 10 MW) and 42 MW in hour 1 (the battery
  discharges 8 MW); fixed load 'city' 80 MW; battery 'bat'.
- bus b: wind 'wind' uses 40 of 50 MW available (10 MW curtailed); flexible load 'smelter'
  20 MW (at nominal), interruptible load 'ferro' 10 MW served; tie 'grid' imports 20 MW at
  300 CNY/MWh.
- line 'ab' (a -> b) carries 30 MW from b to a (flow -30 MW).
- price at a: 300 in Gansu peak hours, 200 flat, 100 valley; at b 10 CNY/MWh lower.
- price setters at a: coal (flat), storage:bat (peak), mixed (valley); at b: import.

Per day: 7 peak, 11 flat and 6 valley hours, so the time-weighted average at a is
(7 x 300 + 11 x 200 + 6 x 100) / 24 = 204.1667 CNY/MWh. E = (80 + 20 + 10) x 48 = 5,280 MWh.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from gridopt import prices as P
from gridopt.data.costs import crf
from gridopt.data.profiles import tou_period
from gridopt.model import DECLARATIONS
from gridopt.results import cost_breakdown

H = 48
E = 5280.0
F = 48 / 8760


def _v(values, dims, units=""):
    return xr.DataArray(values, dims=dims, attrs={"units": units})


def with_empty_families(ds: xr.Dataset) -> xr.Dataset:
    """``ds`` with every declared family it does not describe added without an asset (its dim
    empty, its inputs, investment and results zero-length), as ``gridopt run`` writes a family
    the scenario has none of."""
    for fam in DECLARATIONS:
        if fam.dim in ds.sizes:
            continue
        ds = ds.assign_coords({fam.dim: np.array([], dtype=str)})
        names = [v.name for v in fam.inputs if not v.hourly]
        if fam.economics is not None:
            names += ["capex_cny", "fixed_om_cny_per_yr", "lifetime_yr"]
        for name in names:
            ds[f"{fam.dim}_{name}"] = xr.DataArray(np.zeros(0), dims=(fam.dim,))
        hourly = [v.name for v in fam.inputs if v.hourly]
        for name in hourly + [o.result for o in fam.results]:
            key = name if name in (o.result for o in fam.results) else f"{fam.dim}_{name}"
            ds[key] = xr.DataArray(np.zeros((ds.sizes["time"], 0)), dims=("time", fam.dim))
    return ds


def synthetic_results(hours: int = H) -> xr.Dataset:
    """The synthetic results Dataset described in the module docstring."""
    idx = pd.date_range("2025-03-20 00:00", periods=hours, freq="h")
    period = tou_period(idx)
    pa = np.where(period == "peak", 300.0, np.where(period == "flat", 200.0, 100.0))
    price = np.stack([pa, pa - 10.0], axis=1)
    setter = np.stack(
        [
            np.where(period == "flat", "coal", np.where(period == "peak", "storage:bat", "mixed")),
            np.full(hours, "import"),
        ],
        axis=1,
    )
    T = ("time",)
    coal = np.full(hours, 50.0)
    coal[0], coal[1] = 60.0, 42.0
    start = np.zeros(hours)
    start[0] = 10.0
    charge, discharge = np.zeros(hours), np.zeros(hours)
    charge[0], discharge[1] = 10.0, 8.0
    soc = 100.0 + np.cumsum(0.95 * charge - discharge / 0.95)
    ds = xr.Dataset(
        coords={
            "time": idx,
            "bus": ["a", "b"],
            "line": ["ab"],
            "thermal": ["coal"],
            "renewable": ["wind"],
            "storage": ["bat"],
            "load": ["city"],
            "flex": ["smelter"],
            "intr": ["ferro"],
            "tie": ["grid"],
        }
    )
    ds["time"].attrs["timezone"] = "Asia/Shanghai"
    ds["line_bus0"] = _v(["a"], ("line",))
    ds["line_bus1"] = _v(["b"], ("line",))
    ds["line_loss_factor"] = _v([0.0], ("line",), "1")
    ds["thermal_bus"] = _v(["a"], ("thermal",))
    ds["thermal_fuel"] = _v(["coal"], ("thermal",))
    ds["thermal_p_nom_mw"] = _v([100.0], ("thermal",), "MW")
    ds["thermal_fuel_cost_cny_per_mwh"] = _v([200.0], ("thermal",), "CNY/MWh")
    ds["thermal_vom_cny_per_mwh"] = _v([10.0], ("thermal",), "CNY/MWh")
    ds["thermal_co2_t_per_mwh"] = _v([0.9], ("thermal",), "t/MWh")
    ds["thermal_marginal_cost_cny_per_mwh"] = _v([210.0], ("thermal",), "CNY/MWh")
    ds["thermal_startup_cost_cny_per_mw"] = _v([100.0], ("thermal",), "CNY/MW")
    ds["renewable_bus"] = _v(["b"], ("renewable",))
    ds["renewable_carrier"] = _v(["wind"], ("renewable",))
    ds["renewable_p_nom_mw"] = _v([100.0], ("renewable",), "MW")
    ds["renewable_vom_cny_per_mwh"] = _v([0.0], ("renewable",), "CNY/MWh")
    ds["storage_bus"] = _v(["a"], ("storage",))
    ds["storage_kind"] = _v(["battery"], ("storage",))
    ds["storage_p_charge_max_mw"] = _v([50.0], ("storage",), "MW")
    ds["storage_p_discharge_max_mw"] = _v([50.0], ("storage",), "MW")
    ds["storage_e_max_mwh"] = _v([200.0], ("storage",), "MWh")
    ds["storage_vom_cny_per_mwh"] = _v([0.0], ("storage",), "CNY/MWh")
    ds["load_bus"] = _v(["a"], ("load",))
    ds["load_p_mw"] = _v(np.full((hours, 1), 80.0), T + ("load",), "MW")
    ds["flex_bus"] = _v(["b"], ("flex",))
    ds["flex_p_nominal_mw"] = _v(np.full((hours, 1), 20.0), T + ("flex",), "MW")
    ds["flex_shift_cost_cny_per_mwh"] = _v([20.0], ("flex",), "CNY/MWh")
    ds["intr_bus"] = _v(["b"], ("intr",))
    ds["intr_p_mw"] = _v(np.full((hours, 1), 10.0), T + ("intr",), "MW")
    ds["intr_cost_cny_per_mwh"] = _v([900.0], ("intr",), "CNY/MWh")
    ds["tie_bus"] = _v(["b"], ("tie",))
    ds["tie_import_price_cny_per_mwh"] = _v(np.full((hours, 1), 300.0), T + ("tie",), "CNY/MWh")
    ds["tie_export_price_cny_per_mwh"] = _v(np.full((hours, 1), 150.0), T + ("tie",), "CNY/MWh")
    for fam, capex, fom, life, n in (
        ("line", 10e6, 0.0, 40.0, 1),
        ("thermal", 100e6, 2e6, 30.0, 1),
        ("renewable", 400e6, 0.0, 25.0, 1),
        ("storage", 20e6, 0.4e6, 15.0, 1),
    ):
        ds[f"{fam}_capex_cny"] = _v([capex] * n, (fam,), "CNY")
        ds[f"{fam}_fixed_om_cny_per_yr"] = _v([fom] * n, (fam,), "CNY/yr")
        ds[f"{fam}_lifetime_yr"] = _v([life] * n, (fam,), "yr")
        ds[f"{fam}_cost_source"] = _v([f"test figures for {fam}"] * n, (fam,))
    for name, value, units in (
        ("voll_cny_per_mwh", 30000.0, "CNY/MWh"),
        ("excess_penalty_cny_per_mwh", 30000.0, "CNY/MWh"),
        ("carbon_price_cny_per_t", 0.0, "CNY/t"),
        ("discount_rate", 0.06, "1/yr"),
        ("tariff_network_charge_cny_per_kwh", 0.0693, "CNY/kWh"),
        ("tariff_funds_cny_per_kwh", 0.0229, "CNY/kWh"),
        ("tariff_benchmark_cny_per_kwh", 0.3078, "CNY/kWh"),
        ("tariff_provincial_cny_per_kwh", 0.4, "CNY/kWh"),
    ):
        ds[name] = _v(value, (), units)
    for v in ds.data_vars.values():
        v.attrs["role"] = "input"
    res = {
        "thermal_p_mw": (coal[:, None], ("thermal",), "MW"),
        "thermal_committed_mw": (np.full((hours, 1), 100.0), ("thermal",), "MW"),
        "thermal_startup_mw": (start[:, None], ("thermal",), "MW"),
        "renewable_p_mw": (np.full((hours, 1), 40.0), ("renewable",), "MW"),
        "renewable_available_mw": (np.full((hours, 1), 50.0), ("renewable",), "MW"),
        "renewable_curtailment_mw": (np.full((hours, 1), 10.0), ("renewable",), "MW"),
        "storage_charge_mw": (charge[:, None], ("storage",), "MW"),
        "storage_discharge_mw": (discharge[:, None], ("storage",), "MW"),
        "storage_soc_mwh": (soc[:, None], ("storage",), "MWh"),
        "line_flow_mw": (np.full((hours, 1), -30.0), ("line",), "MW"),
        "line_loss_mw": (np.zeros((hours, 1)), ("line",), "MW"),
        "load_served_mw": (np.full((hours, 1), 80.0), ("load",), "MW"),
        "flex_p_mw": (np.full((hours, 1), 20.0), ("flex",), "MW"),
        "intr_interrupted_mw": (np.zeros((hours, 1)), ("intr",), "MW"),
        "intr_served_mw": (np.full((hours, 1), 10.0), ("intr",), "MW"),
        "tie_import_mw": (np.full((hours, 1), 20.0), ("tie",), "MW"),
        "tie_export_mw": (np.zeros((hours, 1)), ("tie",), "MW"),
        "bus_unserved_mw": (np.zeros((hours, 2)), ("bus",), "MW"),
        "bus_excess_mw": (np.zeros((hours, 2)), ("bus",), "MW"),
        "price_cny_per_mwh": (price, ("bus",), "CNY/MWh"),
        "price_setter": (setter, ("bus",), ""),
    }
    for name, (values, dims, units) in res.items():
        ds[name] = xr.DataArray(values, dims=T + dims, attrs={"units": units, "role": "result"})
    ds = with_empty_families(ds)
    ds["objective_cny"] = xr.DataArray(
        sum(cost_breakdown(ds).values()), attrs={"units": "CNY", "role": "result"}
    )
    ds.attrs.update(
        scenario="synthetic",
        scenario_file="synthetic.yaml",
        scenario_sha256="0" * 64,
        power_flow="transport",
        timezone="Asia/Shanghai",
        hours=hours,
        solver_status="Optimal",
    )
    return ds


@pytest.fixture
def r() -> xr.Dataset:
    return synthetic_results()


# annual fixed costs worked by hand [CNY/yr] (CRF at 6 %: 30 yr 0.0726489, 25 yr 0.0782267,
# 15 yr 0.1029628, 40 yr 0.0664615)
A_THERMAL = 100e6 * 0.0726489115 + 2e6  # 9,264,891
A_WIND = 400e6 * 0.0782267182  # 31,290,687
A_STORAGE = 20e6 * 0.1029627640 + 0.4e6  # 2,459,255
A_LINE = 10e6 * 0.0664615359  # 664,615
COAL_MWH = 50 * 48 + 10 - 8  # 2,402 MWh
OPERATING = 210 * COAL_MWH + 10 * 100 + 20 * 48 * 300  # fuel + VOM, start-up, imports = 793,420 CNY


def test_energy_and_year_fraction(r):
    assert P.energy_delivered_mwh(r) == pytest.approx(E)
    assert P.year_fraction(r) == pytest.approx(F)
    assert "pro-rated" in P.prorating_note(r)


def test_cost_recovery_by_hand(r):
    """P_cr = (f x (A_thermal + A_wind + A_storage + A_line) + C_op) / E
    = (48/8760 x 43,679,449 + 793,420) / 5,280 = 195.60 CNY/MWh."""
    cr = P.cost_recovery(r)
    fixed = F * (A_THERMAL + A_WIND + A_STORAGE + A_LINE)
    assert cr.fixed_cost_cny == pytest.approx(fixed, rel=1e-8)
    assert cr.operating_cost_cny == pytest.approx(OPERATING)
    assert cr.price_cny_per_mwh == pytest.approx((fixed + OPERATING) / E, rel=1e-8)
    assert cr.price_cny_per_mwh == pytest.approx(195.60, abs=0.01)
    assert cr.slack_penalty_cny == 0


def test_cost_recovery_micro_case_from_the_docstring(r):
    """One 100 MW wind farm, capex 400 million CNY, 25 yr, 6 %, nothing else costs anything:
    annuity 31,290,687 CNY/yr, 48 h carry 171,456 CNY, E = 5,280 MWh -> 32.47 CNY/MWh."""
    for fam in ("thermal", "storage", "line"):
        r[f"{fam}_capex_cny"][:] = 0.0
        r[f"{fam}_fixed_om_cny_per_yr"][:] = 0.0
    for var in ("thermal_p_mw", "thermal_startup_mw", "tie_import_mw"):
        r[var][:] = 0.0
    cr = P.cost_recovery(r)
    assert crf(0.06, 25) == pytest.approx(0.0782267, abs=1e-7)
    assert cr.fixed_cost_cny == pytest.approx(171_456, abs=1)
    assert cr.price_cny_per_mwh == pytest.approx(32.47, abs=0.005)


def test_decomposition_adds_up_to_the_delivered_price(r):
    dec = P.decomposition(r)
    assert list(dec) == list(P.COMPONENTS)
    delivered = P.delivered_price(r)["delivered_cny_per_kwh"]
    assert sum(dec.values()) == pytest.approx(delivered, rel=1e-12)
    assert delivered == pytest.approx(
        P.cost_recovery(r).price_cny_per_mwh / 1000 + 0.0693 + 0.0229, rel=1e-12
    )
    # the components by hand [CNY/kWh]
    kwh = E * 1000
    assert dec["energy"] == pytest.approx((F * A_WIND + 210 * COAL_MWH + 20 * 48 * 300) / kwh)
    assert dec["flexibility"] == pytest.approx((F * A_STORAGE + 1000) / kwh)
    assert dec["capacity"] == pytest.approx(F * A_THERMAL / kwh)
    assert dec["network"] == pytest.approx(F * A_LINE / kwh + 0.0693)
    assert dec["levies"] == pytest.approx(0.0229)
    # every cost item is in the table once, and the table adds up too
    table = P.cost_table(r)
    assert set(table.index) == set(P.COMPONENT_OF) - set(P.recovery.PLAN_ITEMS)
    assert table["cny_per_kwh"].sum() == pytest.approx(delivered, rel=1e-12)


def test_decomposition_adds_up_with_slack_and_exports(r):
    """Unserved energy, dumped excess and exports: the parts still add up, and the slack
    penalties stay out of the price."""
    r["bus_unserved_mw"][5, 0] = 3.0
    r["bus_excess_mw"][7, 1] = 2.0
    r["tie_export_mw"][10, 0] = 15.0
    r["flex_p_mw"][12, 0] = 16.0  # 4 MWh below nominal at 20 CNY/MWh
    dec = P.decomposition(r)
    cr = P.cost_recovery(r)
    assert cr.slack_penalty_cny == pytest.approx(5 * 30000)
    assert sum(dec.values()) == pytest.approx(
        P.delivered_price(r)["delivered_cny_per_kwh"], rel=1e-12
    )
    assert cr.items_cny["exports"] == pytest.approx(-15 * 150)
    assert cr.items_cny["flexible_load_shift"] == pytest.approx(4 * 20)


def test_delivered_price_and_saving(r):
    dp = P.delivered_price(r, customer_load_mw=100)
    cr_kwh = P.cost_recovery(r).price_cny_per_mwh / 1000
    assert dp["delivered_cny_per_kwh"] == pytest.approx(cr_kwh + 0.0922)
    assert dp["saving_vs_provincial_cny_per_kwh"] == pytest.approx(
        0.4 - dp["delivered_cny_per_kwh"]
    )
    assert dp["cost_recovery_vs_benchmark_cny_per_kwh"] == pytest.approx(0.3078 - cr_kwh)
    # 100 MW x 8760 h = 876,000 MWh = 876 million kWh
    assert dp["saving_per_year_cny"] == pytest.approx(
        dp["saving_vs_provincial_cny_per_kwh"] * 876e6
    )


def test_tou_averages_by_hand(r):
    tou = P.tou_prices(r)
    assert list(tou.index) == ["peak", "flat", "valley"]
    assert tou["hours"].tolist() == [14, 22, 12]
    assert (
        tou.loc["peak", "a"] == 300
        and tou.loc["flat", "a"] == 200
        and tou.loc["valley", "a"] == 100
    )
    assert tou.loc["peak", "b"] == 290
    # load-weighted over both buses: 80 MW at a, 30 MW at b -> peak (80 x 300 + 30 x 290) / 110
    assert tou.loc["peak", "system_load_weighted"] == pytest.approx((80 * 300 + 30 * 290) / 110)


def test_price_statistics_and_load_prices(r):
    st = P.price_statistics(r)
    assert st.loc["a", "time_weighted_cny_per_mwh"] == pytest.approx(4900 / 24)
    assert st.loc["a", "load_weighted_cny_per_mwh"] == pytest.approx(4900 / 24)  # flat load
    assert st.loc["b", "min_cny_per_mwh"] == 90 and st.loc["b", "max_cny_per_mwh"] == 290
    assert st.loc["system", "load_mwh"] == pytest.approx(E)
    lp = P.load_prices(r)
    assert lp.loc["city", "energy_mwh"] == 80 * 48
    assert lp.loc["smelter", "cost_cny"] == pytest.approx(20 * 2 * (4900 - 240))
    assert lp.loc["ferro", "kind"] == "interruptible_load"


def test_duration_curve(r):
    dc = P.duration_curve(r)
    a = dc.sel(bus="a").values
    assert a[0] == 300 and a[-1] == 100 and (np.diff(a) <= 0).all()
    assert float(dc.exceedance[13]) == pytest.approx(14 / 48)  # 14 peak hours at or above 300


def test_price_setter_shares(r):
    unit = P.setter_shares(r, "unit")
    assert unit.loc["coal", "a"] == pytest.approx(22 / 48)
    assert unit.loc["storage:bat", "a"] == pytest.approx(14 / 48)
    assert unit.loc["import", "b"] == 1.0
    assert unit.loc["import", "all"] == pytest.approx(0.5)
    tech = P.setter_shares(r, "technology")
    assert tech.loc["battery", "a"] == pytest.approx(14 / 48)
    assert tech.loc["coal", "all"] == pytest.approx(22 / 96)
    assert tech["all"].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        P.setter_shares(r, "bus")


def test_revenue_adequacy_by_hand(r):
    """Coal at a: revenue 50 x 2 x 4,900 + 10 x 200 - 8 x 200 = 490,400 CNY over 48 h
    (hours 0 and 1 are flat, 200 CNY/MWh); operating 210 x 2,402 + 1,000 = 505,420 CNY, so the
    margin is -15,020 per 48 h = -2,741,150 CNY/yr and the gap is that plus the 9,264,891 fixed.
    Wind at b: 40 MW x (9,800 - 480) = 372,800 CNY per 48 h = 68,036,000 CNY/yr against
    31,290,687 fixed: recovers, ratio 2.174. Line: 30 MW x 10 CNY/MWh x 48 h = 14,400 CNY."""
    ra = P.revenue_adequacy(r)
    y = 8760 / 48
    coal = ra.loc["coal"]
    assert coal["revenue_cny_per_yr"] == pytest.approx(490_400 * y)
    assert coal["operating_cost_cny_per_yr"] == pytest.approx(505_420 * y)
    assert coal["status"] == "gap"
    assert coal["gap_cny_per_yr"] == pytest.approx(15_020 * y + A_THERMAL, rel=1e-8)
    wind = ra.loc["wind"]
    assert wind["revenue_cny_per_yr"] == pytest.approx(372_800 * y)
    assert wind["status"] == "recovers" and wind["gap_cny_per_yr"] == 0
    assert wind["recovery_ratio"] == pytest.approx(372_800 * y / A_WIND, rel=1e-8)
    assert wind["realised_price_cny_per_mwh"] == pytest.approx(372_800 / (40 * 48))
    assert P.line_rent(r)[0] == pytest.approx(14_400)
    assert ra.loc["ab", "status"] == "recovers"
    bat = ra.loc["bat"]
    assert bat["revenue_cny_per_yr"] == pytest.approx((8 * 200 - 10 * 200) * y)
    assert math.isnan(bat["realised_price_cny_per_mwh"])


def test_market_gap(r):
    g = P.market_gap(r)
    avg = (80 * 48 * 4900 / 24 + 30 * 48 * (4900 / 24 - 10)) / E
    assert g["average_marginal_cny_per_mwh"] == pytest.approx(avg)
    assert g["gap_cny_per_mwh"] == pytest.approx(P.cost_recovery(r).price_cny_per_mwh - avg)


def test_summary_fields_are_json_and_complete(r):
    s = P.summary_fields(r)
    json.dumps(s, allow_nan=False)
    assert {
        "cost_recovery_cny_per_mwh",
        "delivered_price_cny_per_kwh",
        "price_decomposition",
    } <= set(s)
    assert set(s["price_decomposition"]) == set(P.COMPONENTS)
    assert s["cost_recovery"]["fixed_costs_prorated"] is True
    assert s["revenue_adequacy"]["wind"]["status"] == "recovers"


def test_no_load_gives_null_prices(r):
    for var in ("load_served_mw", "flex_p_mw", "intr_served_mw"):
        r[var][:] = 0.0
    s = P.summary_fields(r)
    assert s["cost_recovery_cny_per_mwh"] is None and s["delivered_price_cny_per_kwh"] is None
    json.dumps(s, allow_nan=False)


def test_full_year_is_not_prorated():
    r = synthetic_results(8760)
    assert P.year_fraction(r) == 1.0 and P.prorating_note(r) is None
    assert P.cost_recovery(r).fixed_cost_cny == pytest.approx(
        A_THERMAL + A_WIND + A_STORAGE + A_LINE, rel=1e-8
    )
