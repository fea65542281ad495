"""The bundled Jiayuguan–Jiuquan scenarios end to end (short horizons; the year is `slow`),
and a dispatch whose PV comes from a real TMY3 weather file shipped with pvlib."""

from __future__ import annotations

import json
import os

import numpy as np
import pvlib
import pytest
import xarray as xr
import yaml
from click.testing import CliRunner

from cli import main
from gridopt.inputs import load_inputs
from gridopt.run import run_scenario
from tests.conftest import ROOT

S2025 = ROOT / "scenarios" / "jiayuguan_jiuquan_2025.yaml"
S2030 = ROOT / "scenarios" / "jiayuguan_jiuquan_2030.yaml"


def test_2025_week_runs_from_the_cli(tmp_path):
    res = CliRunner().invoke(main, ["run", str(S2025), "--out", str(tmp_path), "--hours", "168"])
    assert res.exit_code == 0, res.output
    s = json.loads((tmp_path / "summary.json").read_text())
    assert s["solver_status"] == "Optimal"
    assert s["unserved_energy_mwh"] == pytest.approx(0, abs=1e-6)
    assert s["energy_balance"]["residual_mwh"] == pytest.approx(0, abs=1e-3)
    for p in s["prices"].values():  # between zero (curtailment) and the dearest import price
        assert -1e-6 <= p["time_weighted_cny_per_mwh"] <= 307.8 * 1.5


def test_2030_extends_2025():
    _, d25 = load_inputs(S2025, hours=24)
    _, d30 = load_inputs(S2030, hours=24)
    assert float(d30["thermal_p_nom_mw"].sel(thermal="guazhou_changle")) == 4000
    assert float(d25["thermal_p_nom_mw"].sel(thermal="guazhou_changle")) == 2000
    re25 = float(d25["renewable_p_nom_mw"].sum())
    re30 = float(d30["renewable_p_nom_mw"].sum())
    assert re25 == pytest.approx(30_000) and re30 > re25
    assert float(d30["storage_e_max_mwh"].sum()) > float(d25["storage_e_max_mwh"].sum())
    # inherited unchanged: the smelter (its +-1 % seeded noise differs between the two years)
    assert float(d30["flex_p_nominal_mw"].mean()) == pytest.approx(
        float(d25["flex_p_nominal_mw"].mean()), rel=0.01
    )
    assert float(d30["flex_band_down_fraction"].sum()) == float(
        d25["flex_band_down_fraction"].sum()
    )


def test_dispatch_with_pv_from_a_real_tmy3_file(tmp_path):
    """PV availability from pvlib's Greensboro TMY3 file; 48 h in early June, local time
    UTC-5. The PV must produce by day only, and its output must be used (cheap) before coal."""
    tmy3 = os.path.join(os.path.dirname(pvlib.__file__), "data", "723170TYA.CSV")
    scenario = {
        "name": "tmy3_pv",
        "time": {"start": "2025-06-01 00:00", "hours": 48, "timezone": "Etc/GMT+5"},
        "sites": {"greensboro": {"latitude_deg": 36.1, "longitude_deg": -79.95, "altitude_m": 273}},
        "fuels": {"coal": {"price_cny_per_t": 600}},
        "buses": {"a": {}},
        "thermal": {
            "coal": {"bus": "a", "fuel": "coal", "p_unit_mw": 500, "heat_rate_gce_per_kwh": 310}
        },
        "renewables": {
            "pv": {
                "bus": "a",
                "carrier": "solar",
                "p_nom_mw": 300,
                "availability": {"generator": "solar", "site": "greensboro", "weather": tmy3},
            }
        },
        "loads": {"l": {"bus": "a", "p_mw": 200}},
    }
    path = tmp_path / "tmy3.yaml"
    path.write_text(yaml.safe_dump(scenario))
    r = run_scenario(path).results
    pv = r["renewable_p_mw"].sel(renewable="pv").values
    hours = r.time.dt.hour.values
    assert pv[(hours < 4) | (hours > 21)].max() == pytest.approx(0, abs=1e-6)
    assert pv[(hours >= 10) & (hours <= 14)].mean() > 50
    avail = r["renewable_available_mw"].sel(renewable="pv").values
    np.testing.assert_allclose(pv, np.minimum(avail, 200), atol=1e-6)  # all PV used up to the load


@pytest.mark.slow
def test_2025_full_year_is_plausible(tmp_path):
    """The README's main command: a full year solves, serves all load, and the average price
    sits between zero and the coal benchmark (0.3078 CNY/kWh) - the local grid is a 'price
    valley' only if its marginal price is below the provincial one."""
    out = run_scenario(S2025, tmp_path)
    s = out.summary
    assert s["hours"] == 8760 and s["solver_status"] == "Optimal"
    assert s["unserved_energy_mwh"] == pytest.approx(0, abs=1e-3)
    for p in s["prices"].values():
        assert 0 < p["time_weighted_cny_per_mwh"] < 307.8
    check_year_accounts(out)


def check_year_accounts(out) -> None:
    """What a wrong model or a wrong extraction would break in a year's results (speed is the
    benchmark's business, not a test's): the cost parts add up to the objective, no energy is
    dumped, curtailment is inside [0, available], each line's loss is its loss factor times
    the power it sends (one way per hour), and the energy balance closes at every bus-hour
    (assets' net injection plus what the lines deliver, less what they take, is zero), not
    only in total."""
    r, s = out.results, out.summary
    assert abs(s["energy_balance"]["residual_mwh"]) <= 1e-6 * s["load_mwh"]
    assert sum(s["cost_by_component_cny"].values()) == pytest.approx(s["objective_cny"], rel=1e-9)
    assert s["excess_energy_mwh"] == pytest.approx(0, abs=1e-3)
    for share in s["curtailment_share_by_carrier"].values():
        assert 0 <= share < 1
    net = xr.zeros_like(r["price_cny_per_mwh"])  # (time, bus) [MW]
    for var, bus_var, sign in [
        ("thermal_p_mw", "thermal_bus", 1),
        ("renewable_p_mw", "renewable_bus", 1),
        ("storage_discharge_mw", "storage_bus", 1),
        ("storage_charge_mw", "storage_bus", -1),
        ("tie_import_mw", "tie_bus", 1),
        ("tie_export_mw", "tie_bus", -1),
        ("load_served_mw", "load_bus", -1),
        ("flex_p_mw", "flex_bus", -1),
        ("intr_served_mw", "intr_bus", -1),
    ]:
        if r[var].shape[1]:
            by_bus = r[var].groupby(r[bus_var].rename("bus")).sum()
            net = net + sign * by_bus.reindex(bus=r.bus, fill_value=0.0)
    net = (net + r["bus_unserved_mw"] - r["bus_excess_mw"]).transpose("time", "bus").values
    flow = r["line_flow_mw"].transpose("time", "line").values
    lf = r["line_loss_factor"].values
    np.testing.assert_allclose(
        r["line_loss_mw"].transpose("time", "line").values, lf * np.abs(flow), atol=1e-6
    )
    buses = [str(b) for b in r.bus.values]
    for k, (a, b) in enumerate(zip(r["line_bus0"].values, r["line_bus1"].values)):
        fwd, rev = np.maximum(flow[:, k], 0), np.maximum(-flow[:, k], 0)
        net[:, buses.index(str(a))] += -fwd + (1 - lf[k]) * rev
        net[:, buses.index(str(b))] += (1 - lf[k]) * fwd - rev
    assert np.abs(net).max() <= 1e-6 * max(1.0, float(r["load_p_mw"].sum("load").max()))


def test_year_accounts_on_a_week(tmp_path):
    """The year's account checks on the 2025 scenario's first two days, so they run in every
    test session (the year itself is `slow`)."""
    check_year_accounts(run_scenario(S2025, hours=48))
