"""The report's dispatch chart, hourly dispatch sheet and required variables, and the tenant's
grid-change figures, loop over the family declarations (:mod:`gridopt.model.family`): the same
output as the hand-written code they replace for today's families, and a family added only by
its declaration (a test-only family patched into :data:`gridopt.model.BALANCE` /
:data:`~gridopt.model.DECLARATIONS`) shows up with no edit in ``gridopt/report`` or
``gridopt/tenant``.

Numbers are those of the synthetic results of :mod:`tests.test_prices` (48 h, buses a and b;
coal 50 MW at a, wind 40 MW used of 50 at b, battery 'bat', tie 'grid' importing 20 MW).
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import xarray as xr

import gridopt.model
from gridopt.model.family import Energy, Family, Output
from gridopt.report import data as RD
from gridopt.report import required_variables
from gridopt.report.i18n import Translator
from gridopt.report.plotly_figures import fig_dispatch
from gridopt.report.xlsx import sheets
from gridopt.results import consumption_by_bus
from gridopt.tenant.tenants import Tenant
from tests.test_prices import synthetic_results

tenant_figures = importlib.import_module("gridopt.tenant.figures")


def old_dispatch_series(d):
    """The dispatch series as written by hand before the declarations (the reference)."""
    r, w = d.r, d.week
    sl = slice(w.start, w.stop)
    out = []
    for j, name in enumerate(r.thermal.values):
        th = r["thermal_p_mw"].transpose("time", "thermal").values[sl, j]
        out.append(("thermal", str(name), str(r["thermal_fuel"].values[j]), th))
    for j, name in enumerate(r.renewable.values):
        re = r["renewable_p_mw"].transpose("time", "renewable").values[sl, j]
        out.append(("renewable", str(name), str(r["renewable_carrier"].values[j]), re))
    kinds = [str(k) for k in r["storage_kind"].values]
    for j, name in enumerate(r.storage.values):
        dis = r["storage_discharge_mw"].transpose("time", "storage").values[sl, j]
        out.append(("discharge", str(name), kinds[j], dis))
    for j, name in enumerate(r.tie.values):
        out.append(
            (
                "import",
                str(name),
                "import",
                r["tie_import_mw"].transpose("time", "tie").values[sl, j],
            )
        )
    un = r["bus_unserved_mw"].transpose("time", "bus").values[sl].sum(axis=1)
    out.append(("unserved", "", "unserved", un))
    for j, name in enumerate(r.storage.values):
        ch = -r["storage_charge_mw"].transpose("time", "storage").values[sl, j]
        out.append(("charge", str(name), kinds[j], ch))
    for j, name in enumerate(r.tie.values):
        out.append(
            (
                "export",
                str(name),
                "export",
                -r["tie_export_mw"].transpose("time", "tie").values[sl, j],
            )
        )
    ex = -r["bus_excess_mw"].transpose("time", "bus").values[sl].sum(axis=1)
    out.append(("excess", "", "excess", ex))
    out = [
        s for s in out if s[0] not in ("unserved", "excess") or np.abs(s[3]).max(initial=0) > 1e-6
    ]
    load = consumption_by_bus(r).transpose("time", "bus").values[sl].sum(axis=1)
    return d.time[sl], out, load


def old_series_label(kind, name, tech, tr):
    """The legend label as written by hand before the declarations (the reference)."""
    if kind in ("thermal", "renewable"):
        return f"{name} ({tr.tech(tech)})"
    if kind in ("discharge", "charge"):
        return f"{name} {tr(kind)}"
    if kind in ("import", "export"):
        return f"{name} {tr.tech(kind)}"
    return tr.tech(kind)


def _report(r, tmp_path):
    return RD.build(r, tmp_path)


@pytest.mark.parametrize("slacks", [False, True])
def test_dispatch_series_equal_the_hand_written_ones(tmp_path, slacks):
    """Same series (kind, name, technology, MW), order, labels and load line as before; with
    slacks, 5 MW unserved at b in hour 3 and 2 MW dumped at a in hour 4 each add one summed
    series (unserved on the supply side, excess on the use side)."""
    r = synthetic_results()
    if slacks:
        r["bus_unserved_mw"].values[3, 1] = 5.0
        r["bus_excess_mw"].values[4, 0] = 2.0
    d = _report(r, tmp_path)
    t, series, load = RD.dispatch_series(d)
    t0, ref, load0 = old_dispatch_series(d)
    assert (t == t0).all() and np.array_equal(load, load0)
    assert [s[:3] for s in series] == [s[:3] for s in ref]
    for s, s0 in zip(series, ref):
        assert np.array_equal(s.mw, s0[3])
        assert s.supply == (s0[0] not in ("charge", "export", "excess"))
    for lang in ("en", "zh"):
        tr = Translator(lang)
        assert [RD.series_label(*s[:3], tr) for s in series] == [
            old_series_label(*s[:3], tr) for s in ref
        ]
    kinds = [s.kind for s in series]
    assert ("unserved" in kinds, "excess" in kinds) == (slacks, slacks)
    if slacks:
        assert series[kinds.index("unserved")].mw[3] == 5.0
        assert series[kinds.index("excess")].mw[4] == -2.0


# a family that exists only in this test: an electrolyser 'elz' at bus b drawing 7 MW, declared
# as a use of a new kind (no text for it anywhere)
ELECTROLYSER = Family(
    dim="elz",
    section="electrolysers",
    add=lambda b: None,
    outputs=(Output("elz_p", "elz_p_mw", "MW", "electrolyser power"),),
    energy=(Energy("electrolysis", "elz_p_mw", supply=False, kind="green_hydrogen"),),
)


def _with_electrolyser(r: xr.Dataset) -> xr.Dataset:
    r = r.assign_coords(elz=["elz1"])
    r["elz_bus"] = xr.DataArray(["b"], dims=("elz",))
    r["elz_p_mw"] = xr.DataArray(
        np.full((r.sizes["time"], 1), 7.0), dims=("time", "elz"), attrs={"units": "MW"}
    )
    return r


def test_a_declared_family_is_drawn_in_the_dispatch_chart(tmp_path, monkeypatch):
    """The electrolyser's declared use item is a series of its own: -7 MW in every hour, on the
    use side, labelled 'elz1 (green hydrogen)' (its kind with spaces: there is no text), in
    the interactive chart too; without the declaration it is not drawn."""
    r = _with_electrolyser(synthetic_results())
    d = _report(r, tmp_path)
    n = len(RD.dispatch_series(d)[1])
    monkeypatch.setattr(gridopt.model, "BALANCE", (*gridopt.model.BALANCE, ELECTROLYSER))
    _, series, _ = RD.dispatch_series(d)
    assert len(series) == n + 1
    s = series[-1]  # the last use item declared
    assert (s.kind, s.name, s.tech, s.supply) == ("green_hydrogen", "elz1", "green_hydrogen", False)
    assert np.array_equal(s.mw, np.full(r.sizes["time"], -7.0))
    for lang in ("en", "zh"):
        assert RD.series_label(*s[:3], Translator(lang)) == "elz1 (green hydrogen)"
    traces = {tr.name: tr for tr in fig_dispatch(d, Translator("en")).data}
    assert traces["elz1 (green hydrogen)"].stackgroup == "neg"


def test_dispatch_sheet_columns_are_the_declared_results(tmp_path, monkeypatch):
    """Today's columns, in today's order (suppliers and stores, loads, network); a declared
    family adds one column per asset headed '<asset> <description> [<units>]' when its result
    has no text, after the suppliers and before the loads (it declares no load)."""
    r = _with_electrolyser(synthetic_results())
    d = _report(r, tmp_path)
    today = [
        "Time (local clock, Asia/Shanghai)",
        "coal output [MW]",
        "wind output used [MW]",
        "wind curtailed [MW]",
        "bat charging [MW]",
        "bat discharging [MW]",
        "bat state of charge [MWh]",
        "grid import [MW]",
        "grid export [MW]",
        "city consumption [MW]",
        "smelter consumption [MW]",
        "ferro consumption [MW]",
        "ab flow bus0 to bus1 [MW]",
        "a unserved [MW]",
        "b unserved [MW]",
        "a excess dumped [MW]",
        "b excess dumped [MW]",
    ]
    assert list(sheets(d, "en")["Hourly dispatch"].columns) == today
    zh = list(sheets(d, "zh")[Translator("zh")("sheet_dispatch")].columns)
    assert zh[1] == "coal 出力 [MW]" and zh[-1] == "b 弃置过剩电量 [MW]"
    declared = (*gridopt.model.DECLARATIONS[:-1], ELECTROLYSER, gridopt.model.DECLARATIONS[-1])
    monkeypatch.setattr(gridopt.model, "DECLARATIONS", declared)
    disp = sheets(d, "en")["Hourly dispatch"]
    cols = list(disp.columns)
    assert cols == today[:9] + ["elz1 electrolyser power [MW]"] + today[9:]
    assert (disp["elz1 electrolyser power [MW]"] == 7.0).all()


def test_required_variables_are_the_declared_results(monkeypatch):
    """Every declared result and investment is required (today's hand list plus the three
    results the hand list left out), and a declared family's result is required with it."""
    hand = {
        "price_cny_per_mwh",
        "price_setter",
        "objective_cny",
        "thermal_p_mw",
        "thermal_startup_mw",
        "renewable_p_mw",
        "renewable_available_mw",
        "renewable_curtailment_mw",
        "storage_charge_mw",
        "storage_discharge_mw",
        "storage_soc_mwh",
        "line_flow_mw",
        "load_served_mw",
        "flex_p_mw",
        "intr_served_mw",
        "tie_import_mw",
        "tie_export_mw",
        "bus_unserved_mw",
        "bus_excess_mw",
        "thermal_capex_cny",
        "renewable_capex_cny",
        "storage_capex_cny",
        "line_capex_cny",
        "discount_rate",
        "tariff_network_charge_cny_per_kwh",
        "tariff_funds_cny_per_kwh",
        "tariff_benchmark_cny_per_kwh",
        "tariff_provincial_cny_per_kwh",
    }
    req = required_variables()
    core = ("thermal", "renewable", "storage", "line", "tie", "load", "flex", "intr", "bus")
    later = [f for f in gridopt.model.DECLARATIONS if f.dim not in core]  # hydrogen …
    later_vars = {o.result for f in later for o in f.results}
    later_vars |= {f"{f.dim}_capex_cny" for f in later if f.economics is not None}
    assert set(req) - later_vars == hand | {
        "thermal_committed_mw",
        "line_loss_mw",
        "intr_interrupted_mw",
    }
    assert req[:2] == ("price_cny_per_mwh", "price_setter")
    assert set(synthetic_results().variables) >= set(req)
    monkeypatch.setattr(gridopt.model, "DECLARATIONS", (*gridopt.model.DECLARATIONS, ELECTROLYSER))
    assert "elz_p_mw" in required_variables()


def _tenant_case():
    """Base r0 = the synthetic results; with the tenant (x = 10 MW at b, 48 h, E = 480 MWh), r1:
    coal +10 MW every hour, wind +5 MW in hours 0-23, imports +1 MW every hour, the battery
    discharges 2 MW more in hour 5, exports 3 MW in hour 10, 0.5 MW unserved at b in hour 7."""
    r0 = synthetic_results()
    r1 = r0.copy(deep=True)
    r1["thermal_p_mw"].values[:] += 10.0
    r1["renewable_p_mw"].values[:24] += 5.0
    r1["tie_import_mw"].values[:] += 1.0
    r1["storage_discharge_mw"].values[5] += 2.0
    r1["tie_export_mw"].values[10] = 3.0
    r1["bus_unserved_mw"].values[7, 1] = 0.5
    tenant = Tenant("t", "b", np.full(48, 10.0))
    return r0, r1, tenant


def test_tenant_grid_change_figures_by_hand():
    """delta_thermal = delta_coal = 10 x 48 = 480 MWh; emissions 480 x 0.9 = 432 t;
    green share 5 x 24 / 480 = 0.25; imports +48 MWh, peak 21 MW (+1); exports +3 MWh;
    throughput +2 MWh = 0.01 cycles of 200 MWh; 0.5 MWh unserved (> 1e-3): does not fit;
    grid mix s_t = 40 or 45 / (wind + coal + import), coal 70, 52 in hours 0, 1 and 60 after,
    import 21: mean over hours of s_t (x is flat)."""
    r0, r1, tenant = _tenant_case()
    f = tenant_figures.figures(r0, r0, r1, tenant, tenant.p_mw, 0.0, 4800.0)
    assert f["delta_thermal_mwh"] == pytest.approx(480.0)
    assert f["delta_coal_mwh"] == pytest.approx(480.0)
    assert f["delta_emissions_t"] == pytest.approx(432.0)
    assert f["green_share"] == pytest.approx(0.25)
    assert f["delta_import_mwh"] == pytest.approx(48.0)
    assert f["peak_import_mw"] == pytest.approx(21.0)
    assert f["delta_peak_import_mw"] == pytest.approx(1.0)
    assert f["delta_export_mwh"] == pytest.approx(3.0)
    assert f["delta_storage_throughput_mwh"] == pytest.approx(2.0)
    assert f["delta_storage_cycles"] == pytest.approx(0.01)
    assert f["unserved_energy_mwh"] == pytest.approx(0.5) and not f["fits"]
    assert f["absorbed_curtailment_mwh"] == 0.0
    wind = np.r_[np.full(24, 45.0), np.full(24, 40.0)]
    coal = np.r_[70.0, 52.0, np.full(46, 60.0)]
    assert f["green_share_grid_mix"] == pytest.approx(np.mean(wind / (wind + coal + 21.0)))


# a second green family that exists only in this test: rooftop PV 'roof' with its curtailment
ROOFTOP = Family(
    dim="roof",
    section="rooftops",
    add=lambda b: None,
    outputs=(Output("roof_p", "roof_p_mw", "MW", "rooftop output used"),),
    energy=(
        Energy("rooftop", "roof_p_mw", supply=True, kind="renewable", curtailed="roof_curt_mw"),
    ),
)


def test_tenant_counts_a_declared_green_family(monkeypatch):
    """Rooftop PV uses 0 MW in r0 and 4 MW in hours 24-47 in r1 (curtailed 6 MW every hour in
    r0, 2 MW in hours 24-47 in r1): green share (24 x min(10, 5) + 24 x min(10, 4)) / 480 =
    0.45 (0.25 without it); absorbed curtailment 4 x 24 = 96 MWh."""
    r0, r1, tenant = _tenant_case()
    for r, p, c in ((r0, 0.0, 6.0), (r1, 4.0, 2.0)):
        used = np.zeros((48, 1))
        curt = np.full((48, 1), 6.0)
        used[24:], curt[24:] = p, c
        r["roof_p_mw"] = xr.DataArray(used, dims=("time", "roof"))
        r["roof_curt_mw"] = xr.DataArray(curt, dims=("time", "roof"))
    monkeypatch.setattr(tenant_figures, "BALANCE", (*gridopt.model.BALANCE, ROOFTOP))
    f = tenant_figures.figures(r0, r0, r1, tenant, tenant.p_mw, 0.0, 4800.0)
    assert f["green_share"] == pytest.approx(0.45)
    assert f["absorbed_curtailment_mwh"] == pytest.approx(96.0)
