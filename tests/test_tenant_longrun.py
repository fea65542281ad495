"""The long-run tenant price (gridopt.tenant in plan mode), hand-solved on one-bus micro networks.

Costs are chosen as in tests/test_plan.py: discount rate 0 and a one-year life make the
annuity the investment itself, the horizon is 4 / 8760 of a year, so an investment of
``capex_cny_per_kw`` = 2.19 X costs X CNY per MW for the horizon (438 -> 200); a fixed O&M of
657 CNY/kW/yr is 300 CNY per MW for the horizon. Micro coal costs 0.7 CNY/MWh per gce/kWh
(heat rate 300 -> 210 CNY/MWh). Network charge + funds: 0.0693 + 0.0229 = 0.0922 CNY/kWh.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gridopt.inputs import build_inputs
from gridopt.scenario.load import scenario_from_dict
from gridopt.tenant import STABLE_KEYS, Tenant, evaluate, format_table
from tests.conftest import coal, micro

NET = 0.0693 + 0.0229


def inputs(data: dict):
    data["settings"]["discount_rate"] = 0.0
    return build_inputs(scenario_from_dict(data, Path("micro.yaml")))


def pv(avail, p_nom_mw=0.0, capex_cny_per_kw=438.0, **kw) -> dict:
    """PV at ``a``; expandable without limit at 200 CNY/MW for the horizon."""
    return {
        "bus": "a",
        "carrier": "solar",
        "p_nom_mw": p_nom_mw,
        "availability": list(avail),
        "economics": {
            "capex_cny_per_kw": capex_cny_per_kw,
            "fixed_om_fraction_per_yr": 0.0,
            "lifetime_yr": 1,
        },
        **kw,
    }


def retiring_coal_case() -> dict:
    """Load 100 MW flat, 4 h; an existing 150 MW coal unit at 210 CNY/MWh, fixed O&M 300 CNY/MW
    for the horizon, retirable; PV (output in hours 0 and 1 only) may be built at 200 CNY/MW."""
    old = coal("a", 150, 300, economics={"fixed_om_cny_per_kw_yr": 657, "lifetime_yr": 1})
    return micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 100}},
        thermal={"old": {**old, "retirable": True}},
        renewables={"pv": pv([1, 1, 0, 0], new_max_mw=None)},
    )


def test_tenant_that_forces_a_build_long_run_above_short_run():
    """Tenant 50 MW flat (E = 200 MWh).

    Short run (the scenario as it is: coal 150 MW, no PV): the tenant's 200 MWh come from the
    spare coal at 210: SRIC = 210 CNY/MWh.

    Long run. Base plan: each MW of PV up to the load saves 2 MWh x 210 = 420 > 200, so 100 MW
    (20,000 CNY); coal runs only in hours 2 and 3 (200 MWh x 210 = 42,000) and 50 MW of it
    retire (-50 x 300 = -15,000): C0 = 47,000. With the tenant: PV 150 MW (30,000), coal 300
    MWh (63,000), nothing retires: C1 = 93,000. LRIC = 46,000 / 200 = 230 CNY/MWh > SRIC:
    the tenant keeps the 50 MW whose fixed O&M the plan would have saved (+15,000) and gets
    50 MW of new PV (+10,000) that saves 100 MWh of coal (-21,000) against the short run.
    Offer = 0.230 + 0.0922 CNY/kWh. Built for it: PV +50 MW (50 x 438,000 = 21.9 M CNY/yr),
    coal 50 MW not retired (fixed O&M 50 x 657,000 = 32.85 M CNY/yr no longer saved).
    Capacity cost +25,000, operating cost +21,000 for the horizon.
    """
    ds = inputs(retiring_coal_case())
    study = evaluate(ds, [Tenant("t", "a", np.full(4, 50.0))], bands=(0.0,))
    data = study.to_dict()
    assert data["mode"] == "plan" and data["expansion_options"]
    f = data["tenants"][0]
    assert set(STABLE_KEYS) <= set(f)
    assert f["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(210, abs=1e-6)
    assert f["long_run_incremental_cost_cny_per_mwh"] == pytest.approx(230, abs=1e-6)
    assert f["short_run_incremental_cost_cny_per_mwh"] < f["long_run_incremental_cost_cny_per_mwh"]
    assert f["short_run_price_cny_per_kwh"] == pytest.approx(0.210 + NET)
    assert f["offer_price_cny_per_kwh"] == pytest.approx(0.230 + NET)
    assert f["offer_minus_benchmark_cny_per_kwh"] == pytest.approx(0.230 + NET - 0.3078)
    assert f["long_run_delta_capacity_cost_cny"] == pytest.approx(25_000, abs=1e-3)
    assert f["long_run_delta_operating_cost_cny"] == pytest.approx(21_000, abs=1e-3)
    assert data["base"]["plan_cost_cny"] == pytest.approx(47_000, abs=1e-3)
    built = {(b["asset"], b["capacity"]): b for b in f["build_for_tenant"]}
    assert set(built) == {("pv", "p_nom_mw"), ("old", "p_nom_mw")}
    assert built[("pv", "p_nom_mw")]["delta_new"] == pytest.approx(50)
    assert built[("pv", "p_nom_mw")]["delta_annual_cost_cny_per_yr"] == pytest.approx(21.9e6)
    assert built[("old", "p_nom_mw")]["delta_retired"] == pytest.approx(-50)
    assert built[("old", "p_nom_mw")]["delta_annual_cost_cny_per_yr"] == pytest.approx(32.85e6)
    assert not any("delivered" in k for k in f)
    text = format_table(data, "en")
    assert "offer price 0.3222 CNY/kWh" in text and "not an offer price" in text
    assert "建议报价 0.3222" in format_table(data, "zh")


def test_without_expansion_options_only_the_short_run_figure():
    """The same network with PV not expandable and coal not retirable: dispatch mode, the
    long-run cost and the offer price are null, the printed table says what the short-run
    figure is."""
    data = retiring_coal_case()
    data["thermal"]["old"]["retirable"] = False
    data["renewables"]["pv"]["new_max_mw"] = 0
    out = evaluate(inputs(data), [Tenant("t", "a", np.full(4, 50.0))], bands=(0.0,)).to_dict()
    f = out["tenants"][0]
    assert out["mode"] == "dispatch" and out["expansion_options"] == []
    assert f["long_run_incremental_cost_cny_per_mwh"] is None
    assert f["offer_price_cny_per_kwh"] is None
    assert f["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(210, abs=1e-6)
    text = format_table(out, "en")
    assert "short-run cost: the existing fleet, no capital recovered — not an offer price" in text
    assert "offer price" not in text.replace("not an offer price", "")
    assert "不是报价" in format_table(out, "zh")


def storage_case() -> dict:
    """Load 80 MW flat, 4 h; existing PV 200 MW (free, output in hours 0 and 1), existing coal
    120 MW at 210; a lossless store may be built at 200 CNY per MW and 200 per MWh."""
    return micro(
        4,
        loads={"l": {"bus": "a", "p_mw": 80}},
        thermal={"c": coal("a", 120, 300)},
        renewables={"pv": pv([1, 1, 0, 0], p_nom_mw=200)},
        storage={
            "b": {
                "bus": "a",
                "p_charge_max_mw": 0,
                "e_max_mwh": 0,
                "eff_charge": 1.0,
                "eff_discharge": 1.0,
                "soc_initial_fraction": 0.0,
                "new_max_mw": None,
                "new_max_mwh": None,
                "economics": {
                    "capex_cny_per_kw": 438.0,
                    "capex_cny_per_kwh": 438.0,
                    "fixed_om_fraction_per_yr": 0.0,
                    "lifetime_yr": 1,
                },
            }
        },
    )


def test_flexibility_avoids_a_storage_build_in_the_long_run():
    """Tenant 50 MW flat (200 MWh, one energy window: 24 h > 4 h).

    Base plan: no store (a 1 MW / 2 MWh store costs 600 and saves 2 MWh of coal, 420).
    Fixed tenant: hours 2 and 3 need 80 + 50 = 130 MW against 120 MW of coal, so a store of
    10 MW / 20 MWh charged from free PV in hours 0-1 (6,000) and 2 x 40 MWh more coal (16,800):
    LRIC = 22,800 / 200 = 114. At band b the tenant takes 50(1+b) in hours 0-1 and 50(1-b) in
    2-3: store 10 - 50b MW / 2x that MWh: b = 5 % -> 7.5 MW (4,500): 106.5; 10 % -> 5 MW
    (3,000): 99; 20 % -> none: 84 CNY/MWh. A tenant at ±20 % needs no store at all.
    """
    ds = inputs(storage_case())
    fixed = Tenant("fixed", "a", np.full(4, 50.0))
    flex = Tenant("flex", "a", np.full(4, 50.0), flex_band=0.2)
    study = evaluate(ds, [fixed, flex]).to_dict()
    f0, f2 = study["tenants"]
    want = {"0": 114.0, "0.05": 106.5, "0.1": 99.0, "0.2": 84.0}
    for f in (f0, f2):
        curve = f["long_run_flexibility_curve"]
        assert curve == {k: pytest.approx(v, abs=1e-6) for k, v in want.items()}
        values = list(curve.values())
        assert all(b <= a + 1e-9 for a, b in zip(values, values[1:]))  # never rises
    built = {b["capacity"]: b["delta_new"] for b in f0["build_for_tenant"]}
    assert built["e_max_mwh"] == pytest.approx(20) and built["p_charge_max_mw"] == pytest.approx(10)
    assert f2["build_for_tenant"] == []
    assert f2["long_run_incremental_cost_cny_per_mwh"] == pytest.approx(84)
    v = {e["band"]: e for e in f2["flexibility_value"]}
    assert v[0.2]["long_run_saving_cny_per_mwh"] == pytest.approx(30)
    assert v[0.2]["offer_price_cny_per_kwh"] == pytest.approx(0.084 + NET)
    assert "short_run_incremental_cost_cny_per_mwh" in v[0.2]
    assert study["ranking"][0] == "flex"  # the lower offer price


def test_hosting_names_what_it_builds_with_its_unit():
    """The storage case hosting 50 MW flat builds what the fixed tenant needs: 10 MW of store
    power and 20 MWh of energy, named ``built_<family>.<technology>.<capacity>`` with the
    capacity's own unit (MW, MWh)."""
    h = evaluate(
        inputs(storage_case()), [Tenant("t", "a", np.full(4, 1.0))], bands=(0.0,), hosting_mw=[50]
    ).hosting
    last = h["steps"][-1]
    built = {k: v for k, v in last.items() if k.startswith("built_")}
    assert set(built) == {
        "built_storage.battery.p_charge_max_mw",
        "built_storage.battery.e_max_mwh",
    }
    assert built["built_storage.battery.e_max_mwh"] == pytest.approx(20)
    assert built["built_storage.battery.p_charge_max_mw"] == pytest.approx(10)
    assert last["long_run_incremental_cost_cny_per_mwh"] == pytest.approx(114)


def test_a_plan_that_leaves_the_tenant_unserved_does_not_fit():
    """The retiring-coal case with VOLL 400 CNY/MWh; tenant 50 MW in hour 3 only (E = 50 MWh).

    Short run: 50 MW of the 150 MW coal are spare in hour 3: SRIC = 210, it fits.
    Long run: the base plan builds 100 MW PV and keeps 100 MW of coal (each kept MW serves 2
    MWh: (400 - 210) x 2 = 380 > 300 fixed O&M) and retires 50. Serving the tenant would keep
    50 MW more: 300 + 210 = 510 CNY per MW (one MWh each) > VOLL 400, and PV gives nothing in
    hour 3; so the plan leaves the 50 MWh unserved: LRIC = 50 x 400 / 50 = 400 CNY/MWh, and
    the tenant does NOT fit (long_run_unserved_energy_mwh = 50) although the short run fits."""
    data = retiring_coal_case()
    data["settings"]["voll_cny_per_mwh"] = 400
    ds = inputs(data)
    study = evaluate(ds, [Tenant("t", "a", np.array([0, 0, 0, 50.0]))], bands=(0.0,))
    f = study.to_dict()["tenants"][0]
    assert f["short_run_incremental_cost_cny_per_mwh"] == pytest.approx(210, abs=1e-6)
    assert f["long_run_incremental_cost_cny_per_mwh"] == pytest.approx(400, abs=1e-6)
    assert f["long_run_unserved_energy_mwh"] == pytest.approx(50, abs=1e-6)
    assert f["fits"] is False
