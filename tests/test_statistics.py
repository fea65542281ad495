"""gridopt.statistics on a 3-hour, one-bus results Dataset worked by hand (no solver).

The case: bus 'a', hours 0-2 with marginal prices p = [100, 0, 300] CNY/MWh, discount rate 0
(CRF = 1/L), f = 3/8760 of a year.

- wind 'w' (100 MW): available [60, 80, 20] MW, used s = [60, 50, 20], curtailed [0, 30, 0];
  capex 876 million CNY, life 20 yr, no fixed O&M: A = 876e6 / 20 = 43.8 million CNY/yr,
  f A = 15,000 CNY;
- coal 'c' (100 MW, fuel 200 + VOM 10 CNY/MWh, no carbon price, no start-up): s = [40, 0, 80];
  no capex, fixed O&M 8.76 million CNY/yr: f A = 3,000 CNY;
- load 'l': [100, 50, 100] MW (= wind + coal in every hour).

By hand:

============================  ==============================  ===============================
column                        wind 'w'                        coal 'c'
============================  ==============================  ===============================
energy_mwh                    60 + 50 + 20 = 130              40 + 0 + 80 = 120
capacity_factor               130 / (100 x 3) = 0.433333      120 / 300 = 0.4
curtailment_mwh, share        30, 30 / 160 = 0.1875           0, NaN (no available output)
capture price                 (100x60 + 0x50 + 300x20) / 130  (100x40 + 300x80) / 120
                              = 12,000 / 130 = 92.307692      = 28,000 / 120 = 233.333333
revenue_cny                   12,000                          28,000
market value ratio            92.307692 / 160 = 0.576923      233.333333 / 160 = 1.458333
operating_cost_cny            0                               210 x 120 = 25,200
annual_fixed_cny_per_yr       43,800,000                      8,760,000
fixed_cny                     15,000                          3,000
levelised_cost_cny_per_mwh    15,000 / 130 = 115.384615       (3,000 + 25,200) / 120 = 235.0
============================  ==============================  ===============================

with the load-weighted average price (100 x 100 + 0 x 50 + 300 x 100) / 250 = 160 CNY/MWh;
the load: 250 MWh at 160 CNY/MWh.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from gridopt import statistics as S
from tests.test_prices import _v, with_empty_families

P = [100.0, 0.0, 300.0]


def tiny(winds: int = 1, coal_mw=(40.0, 0.0, 80.0)) -> xr.Dataset:
    """The case of the module docstring; ``winds`` > 1 splits the wind farm into equal parts
    (each 100 / winds MW, a share of the output and the cost), ``coal_mw`` the coal output."""
    T = ("time",)
    idx = pd.date_range("2025-01-01", periods=3, freq="h")
    names = [f"w{i}" if winds > 1 else "w" for i in range(winds)]
    k = 1.0 / winds
    ds = xr.Dataset(
        coords={
            "time": idx,
            "bus": ["a"],
            "thermal": ["c"],
            "renewable": names,
            "load": ["l"],
        }
    )
    ones = np.ones(winds)
    coal = np.asarray(coal_mw, float)
    wind = np.array([60.0, 50.0, 20.0])
    ds["thermal_bus"] = _v(["a"], ("thermal",))
    ds["thermal_fuel"] = _v(["coal"], ("thermal",))
    ds["thermal_p_nom_mw"] = _v([100.0], ("thermal",), "MW")
    ds["thermal_fuel_cost_cny_per_mwh"] = _v([200.0], ("thermal",), "CNY/MWh")
    ds["thermal_vom_cny_per_mwh"] = _v([10.0], ("thermal",), "CNY/MWh")
    ds["thermal_co2_t_per_mwh"] = _v([0.9], ("thermal",), "t/MWh")
    ds["thermal_startup_cost_cny_per_mw"] = _v([0.0], ("thermal",), "CNY/MW")
    ds["renewable_bus"] = _v(["a"] * winds, ("renewable",))
    ds["renewable_carrier"] = _v(["wind"] * winds, ("renewable",))
    ds["renewable_p_nom_mw"] = _v(100.0 * k * ones, ("renewable",), "MW")
    ds["renewable_vom_cny_per_mwh"] = _v(0.0 * ones, ("renewable",), "CNY/MWh")
    ds["load_bus"] = _v(["a"], ("load",))
    for fam, capex, fom, life, n, scale in (
        ("thermal", 0.0, 8.76e6, 30.0, 1, 1.0),
        ("renewable", 876e6, 0.0, 20.0, winds, k),
    ):
        ds[f"{fam}_capex_cny"] = _v([capex * scale] * n, (fam,), "CNY")
        ds[f"{fam}_fixed_om_cny_per_yr"] = _v([fom * scale] * n, (fam,), "CNY/yr")
        ds[f"{fam}_lifetime_yr"] = _v([life] * n, (fam,), "yr")
        ds[f"{fam}_cost_source"] = _v(["test"] * n, (fam,))
    ds["carbon_price_cny_per_t"] = _v(0.0, (), "CNY/t")
    ds["discount_rate"] = _v(0.0, (), "1/yr")
    res = {
        "thermal_p_mw": (coal[:, None], ("thermal",)),
        "thermal_startup_mw": (np.zeros((3, 1)), ("thermal",)),
        "renewable_p_mw": (k * wind[:, None] * ones, ("renewable",)),
        "renewable_available_mw": (
            k * np.array([60.0, 80.0, 20.0])[:, None] * ones,
            ("renewable",),
        ),
        "renewable_curtailment_mw": (
            k * np.array([0.0, 30.0, 0.0])[:, None] * ones,
            ("renewable",),
        ),
        "load_served_mw": ((wind + coal)[:, None], ("load",)),
        "bus_unserved_mw": (np.zeros((3, 1)), ("bus",)),
        "bus_excess_mw": (np.zeros((3, 1)), ("bus",)),
        "price_cny_per_mwh": (np.array(P)[:, None], ("bus",)),
    }
    for name, (values, dims) in res.items():
        ds[name] = xr.DataArray(values, dims=T + dims, attrs={"role": "result"})
    return with_empty_families(ds)


def test_every_column_by_hand():
    """The table of the module docstring, column by column, per asset and per technology."""
    a = S.asset_statistics(tiny())
    assert list(a.index) == ["c", "w"]  # declaration order: thermal, then renewables
    w, c = a.loc["w"], a.loc["c"]
    expect = {
        "energy_mwh": (130.0, 120.0),
        "capacity_mw": (100.0, 100.0),
        "capacity_factor": (130 / 300, 0.4),
        "curtailment_mwh": (30.0, 0.0),
        "available_mwh": (160.0, 0.0),
        "curtailment_share": (0.1875, math.nan),
        "capture_price_cny_per_mwh": (12_000 / 130, 28_000 / 120),
        "market_value_ratio": (12_000 / 130 / 160, 28_000 / 120 / 160),
        "revenue_cny": (12_000.0, 28_000.0),
        "operating_cost_cny": (0.0, 25_200.0),
        "annual_fixed_cny_per_yr": (43.8e6, 8.76e6),
        "fixed_cny": (15_000.0, 3_000.0),
        "levelised_cost_cny_per_mwh": (15_000 / 130, 235.0),
    }
    for col, (vw, vc) in expect.items():
        assert w[col] == pytest.approx(vw, rel=1e-9, nan_ok=True), col
        assert c[col] == pytest.approx(vc, rel=1e-9, nan_ok=True), col
    assert (w["technology"], c["technology"], w["family"], c["bus"]) == (
        "wind",
        "coal",
        "renewable",
        "a",
    )
    t = S.technology_statistics(tiny())
    assert t.loc["wind", "capture_price_cny_per_mwh"] == pytest.approx(92.307692, abs=1e-6)
    assert t.loc["coal", "levelised_cost_cny_per_mwh"] == pytest.approx(235.0)
    loads = S.load_statistics(tiny())
    assert loads.loc["l", "energy_mwh"] == pytest.approx(250.0)
    assert loads.loc["l", "load_weighted_price_cny_per_mwh"] == pytest.approx(160.0)


def test_a_technology_sums_its_assets():
    """Split the wind farm into four equal parts: per asset a quarter of each sum and the same
    ratios; per technology the sums of the assets (energy, curtailment, revenue, costs) and the
    ratios of the whole farm (capture price, capacity factor, levelised cost)."""
    r = tiny(winds=4)
    a = S.asset_statistics(r)
    t = S.technology_statistics(r, a)
    whole = S.asset_statistics(tiny()).loc["w"]
    for col in S.SUMMED:
        assert t.loc["wind", col] == pytest.approx(a.loc[a["technology"] == "wind", col].sum())
        assert t.loc["wind", col] == pytest.approx(whole[col])
    for col in ("capture_price_cny_per_mwh", "capacity_factor", "levelised_cost_cny_per_mwh"):
        assert t.loc["wind", col] == pytest.approx(whole[col])
        assert a.loc["w2", col] == pytest.approx(whole[col])
    assert t["energy_mwh"].sum() == pytest.approx(a["energy_mwh"].sum())


def test_flat_output_captures_the_time_average_price():
    """A coal unit at a flat 50 MW earns the time-average price (100 + 0 + 300) / 3."""
    a = S.asset_statistics(tiny(coal_mw=(50.0, 50.0, 50.0)))
    assert a.loc["c", "capture_price_cny_per_mwh"] == pytest.approx(400 / 3)


def test_synthetic_results_invariants():
    """On the 48 h synthetic case of test_prices (coal, wind, battery, tie): energy by
    technology sums to energy by asset; a store's revenue is price x (supply - use): 8 MWh
    discharged in hour 1 at p[1] less 10 MWh charged in hour 0 at p[0], and its capture price
    the discharge-weighted p[1]; the table of statistics.csv has a row per technology, asset
    and load."""
    from tests.test_prices import synthetic_results

    r = synthetic_results()
    a = S.asset_statistics(r)
    t = S.technology_statistics(r, a)
    assert t["energy_mwh"].sum() == pytest.approx(a["energy_mwh"].sum())
    assert set(t.index) == {"coal", "wind", "battery", "import"}
    p = r["price_cny_per_mwh"].sel(bus="a").values
    bat = float(p[1] * 8.0 - p[0] * 10.0)
    assert a.loc["bat", "revenue_cny"] == pytest.approx(bat)
    assert a.loc["bat", "capture_price_cny_per_mwh"] == pytest.approx(float(p[1]))
    table = S.statistics_table(r)
    assert list(table["level"].value_counts().sort_index().items()) == [
        ("asset", 4),
        ("load", 3),
        ("technology", 4),
    ]
