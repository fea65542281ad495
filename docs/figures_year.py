"""Renderers of docs/figures.py for the year-long runs: the default scenario's year, its
sweeps and the year-long tenant (docs/default_scenario.md, docs/tenant.md), the plan_2030
study (docs/plan.md), and the synthetic weather's full-load hours (docs/data_weather.md). The
timing tables are in docs/figures_timing.py.

Each renderer takes the runs of its figure's commands (``figures.Run``: the JSON, CSV, YAML
and NetCDF files the command wrote) and returns the block. Figures the run's ``summary.json``
does not hold are computed here from its files, each with a comment saying how. Definitions:

    available [MWh]          = sum_t renewable_available_mw[t, r]  (results.nc)
    full-load hours [h]      = sum_t renewable_availability_pu[t, r]
    hourly system price      p_sys[t] = sum_b p[t, b] c[t, b] / sum_b c[t, b]
                               (c: consumption by loads at the bus, gridopt.results)
    average supply cost      a = (fixed cost + operating cost + export revenue) / (L + E)
    export price             x = export revenue / E
    cost-recovery price      a + (a - x) E / L = (fixed cost + operating cost) / L

with L the local load and E the exports [MWh]; the last line is an identity (so the block's
sum equals summary.json's cost-recovery price up to rounding).
"""

from __future__ import annotations

import csv
import io
import textwrap
from typing import Any

KWH = 1000.0  # kWh per MWh


def _prose(text: str) -> str:
    """A paragraph wrapped as the docs are (95 columns)."""
    return textwrap.fill(text, width=95, break_on_hyphens=False) + "\n"


def _span(values, fmt: str, unit: str = "") -> str:
    """'lo–hi unit' of the values in format ``fmt`` (one value when both round the same)."""
    lo, hi = format(min(values), fmt), format(max(values), fmt)
    return (lo if lo == hi else f"{lo}–{hi}") + (f" {unit}" if unit else "")


def _verdict(value: float, lo: float, hi: float, above: str = "above", below: str = "below"):
    return "in range" if lo <= value <= hi else (above if value > hi else below)


def _year(run) -> tuple[dict, Any]:
    """summary.json and results.nc of a ``gridopt run``/``plan`` run."""
    return run.json_files["summary.json"], run.datasets["results.nc"]


def _mounts(run) -> dict[str, str]:
    """Renewable name -> PV mount ('fixed', 'single_axis') from scenario_resolved.yaml."""
    res = run.yaml_files.get("scenario_resolved.yaml", {}).get("renewables", {})
    return {n: (v.get("availability") or {}).get("mount", "fixed") for n, v in res.items()}


# --- the year-long tenant, the sweeps, the weather (docs/tenant.md, default_scenario.md, data_weather.md)


def render_tenant_year(runs) -> str:
    """The prose paragraph of docs/tenant.md on the year-long smelter, from tenant.json."""
    study = runs[0].json_files["tenant.json"]
    t = study["tenants"][0]
    flex = {round(v["band"], 4): v for v in t["flexibility_value"]}[0.1]
    return _prose(
        f"Over the full year ({study['hours']} h, `--hours` left out), the same 200 kt/yr "
        f"smelter has a short-run incremental cost of "
        f"{t['short_run_incremental_cost_cny_per_mwh']:.1f} CNY/MWh "
        f"({t['short_run_price_cny_per_kwh']:.4f} CNY/kWh with charges), green share "
        f"{100 * t['green_share']:.0f} %, {t['absorbed_curtailment_mwh'] / 1e3:,.0f} GWh of "
        f"curtailment absorbed out of its {t['energy_mwh'] / 1e6:.1f} TWh, "
        f"{t['delta_coal_mwh'] / 1e3:+,.0f} GWh coal, {t['delta_emissions_t'] / 1e3:+,.0f} kt "
        f"CO2, {t['existing_loads_price_change_cny_per_mwh']:+.1f} CNY/MWh for existing loads; "
        f"±10 % flexibility saves {flex['short_run_saving_cny_per_mwh']:.1f} CNY/MWh, "
        f"{flex['short_run_saving_cny_per_yr'] / 1e6:.1f} M CNY/yr."
    )


def _rows(run, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run.csv_files[name])))


def _sweep_cells(row: dict[str, str]) -> list[str]:
    """delivered, avg marginal price, cost recovery, curtailment, CO2 of one sweep.csv row."""
    return [
        f"{float(row['delivered_price_cny_per_kwh']):.3f}",
        f"{float(row['avg_marginal_price_cny_per_mwh']):.1f}",
        f"{float(row['cost_recovery_cny_per_mwh']):.1f}",
        f"{float(row['curtailment_mwh']) / 1e6:.2f}",
        f"{float(row['emissions_t']) / 1e6:.2f}",
    ]


_SWEEP_HEAD = (
    "delivered [CNY/kWh] | avg marginal price [CNY/MWh] | cost-recovery [CNY/MWh] | "
    "curtailment [TWh] | CO2 [Mt] |"
)


def render_weather_years(runs) -> str:
    """docs/default_scenario.md: one row per weather year of the sweep, then the P10/P50/P90."""
    rows = _rows(runs[0], "sweep.csv")
    (band,) = _rows(runs[0], "sweep_bands.csv")
    first = min(int(r["weather_year"]) for r in rows)
    lines = ["| weather year (seed) | " + _SWEEP_HEAD, "|---" * 6 + "|"]
    for r in rows:
        year = r["weather_year"] + (" (default)" if int(r["weather_year"]) == first else "")
        lines.append("| " + " | ".join([year, *_sweep_cells(r)]) + " |")

    def q(metric: str, fmt: str) -> str:
        return " / ".join(format(float(band[f"{metric}_p{p}"]), fmt) for p in (10, 50, 90))

    return (
        "\n".join(lines)
        + "\n\nBand P10 / P50 / P90: delivered price "
        + q("delivered_price_cny_per_kwh", ".3f")
        + " CNY/kWh; average marginal price "
        + q("avg_marginal_price_cny_per_mwh", ".0f")
        + " CNY/MWh.\n"
    )


def render_export_capacity(runs) -> str:
    """docs/default_scenario.md: one row per case of scenarios/studies/export_capacity.yaml."""
    rows = _rows(runs[0], "sweep.csv")
    tie, line = "ties.gansu.export_max_mw", "lines.hexi_corridor.p_max_mw"
    lines = ["| export limit [MW] | Hexi corridor [MW] | " + _SWEEP_HEAD, "|---" * 7 + "|"]
    for r in sorted(rows, key=lambda r: (float(r[tie]), float(r[line]))):
        lines.append(
            f"| {float(r[tie]):,.0f} | {float(r[line]):,.0f} | "
            + " | ".join(_sweep_cells(r))
            + " |"
        )
    return "\n".join(lines) + "\n"


def weather_full_load_hours() -> str:
    """gridopt.data's synthetic 2025 weather, seeds 0-19, default parameters, full-load hours.

    For docs/data_weather.md: PV at Jiayuguan (fixed tilt and single-axis, per MWp on the
    ``dc`` basis and per MW AC), wind (the default turbine) in the Guazhou/Yumen wind area;
    a full-load hour is the annual sum of pu. A table of seeds 0-9 with mean and coefficient
    of variation, then the ranges over seeds 0-19 and the tracking gain.
    """
    import pandas as pd

    from gridopt.data.solar import pv_power_pu
    from gridopt.data.weather import GUAZHOU_YUMEN_WIND, JIAYUGUAN, synthetic_weather
    from gridopt.data.wind import wind_power_pu

    year = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Asia/Shanghai")
    rows = []
    for seed in range(20):
        pv_w = synthetic_weather(JIAYUGUAN, year, seed)
        wind_w = synthetic_weather(GUAZHOU_YUMEN_WIND, year, seed)
        fixed_ac = pv_power_pu(pv_w, JIAYUGUAN).sum()
        tracking_ac = pv_power_pu(pv_w, JIAYUGUAN, mount="single_axis").sum()
        rows.append(
            {
                "ghi": pv_w["ghi"].sum() / 1000.0,
                "fixed_dc": pv_power_pu(pv_w, JIAYUGUAN, capacity_basis="dc").sum(),
                "tracking_dc": pv_power_pu(
                    pv_w, JIAYUGUAN, mount="single_axis", capacity_basis="dc"
                ).sum(),
                "fixed_ac": fixed_ac,
                "tracking_ac": tracking_ac,
                "wind": wind_power_pu(wind_w, GUAZHOU_YUMEN_WIND).sum(),
                "wind_ms": wind_w["wind_speed"].mean(),
            }
        )
        assert wind_w.attrs["wind_height_m"] == 70.0  # the table's column says 70 m
    df = pd.DataFrame(rows)
    ten = df.iloc[:10]
    cols = list(df.columns)

    def cells(values) -> str:
        out = [f"{values[c]:,.0f}" for c in cols[:-1]] + [f"{values['wind_ms']:.2f}"]
        return " | ".join(out)

    lines = [
        "| seed | GHI kWh/m² | PV fixed h/MWp | PV tracking h/MWp | PV fixed h/MWac "
        "| PV tracking h/MWac | wind h | mean wind 70 m m/s |",
        "|---" * 8 + "|",
    ]
    lines += [f"| {i} | {cells(r)} |" for i, r in ten.iterrows()]
    lines.append(f"| mean | {cells(ten.mean())} |")
    cov = ten.std(ddof=0) / ten.mean()
    lines.append("| CoV | " + " | ".join(f"{100 * cov[c]:.1f} %" for c in cols) + " |")
    lines.append("| DOMAIN range | – | 1,550–1,650 | 1,750–1,900 | – | – | 2,600–3,000 | – |")
    gain = (df["tracking_ac"] / df["fixed_ac"]).mean() - 1.0

    def rng(c: str) -> str:
        return f"{df[c].min():,.0f}–{df[c].max():,.0f}"

    prose = _prose(
        f"The tracking gain over fixed tilt is about {100 * gain:.0f} % (GCR 0.3). Over seeds "
        f"0–19: fixed {rng('fixed_dc')}, tracking {rng('tracking_dc')}, wind {rng('wind')} "
        f"(h/MWp for PV)."
    )
    return "\n".join(lines) + "\n\n" + prose


# --- docs/default_scenario.md: the default scenario's year -------------------------------


def _hourly_system_price(r):
    """p_sys[t] = sum_b p[t, b] c[t, b] / sum_b c[t, b] (numpy, one value per hour)."""
    from gridopt.results import consumption_by_bus

    p = r["price_cny_per_mwh"].transpose("time", "bus").values
    c = consumption_by_bus(r).transpose("time", "bus").values
    return (p * c).sum(axis=1) / c.sum(axis=1)


def render_default_year_table(runs) -> str:
    """The "What it gives" table of docs/default_scenario.md from one ``gridopt run``."""
    import numpy as np

    from gridopt.prices.marginal import price_statistics

    s, r = _year(runs[0])
    carrier = r["renewable_carrier"].to_series().astype(str)
    flh = r["renewable_availability_pu"].sum("time").to_series()  # full-load hours per farm
    mounts = _mounts(runs[0])
    wind = flh[carrier == "wind"]
    solar = flh[carrier == "solar"]
    fixed = [flh[n] for n in solar.index if mounts.get(n, "fixed") == "fixed"]
    tracking = [flh[n] for n in solar.index if mounts.get(n, "fixed") != "fixed"]
    flex = r["flex_p_mw"].sum("time").to_series()  # the flexible loads' energy [MWh]
    big = flex.idxmax()
    hours = r.sizes["time"]
    coal = r["thermal_p_mw"].sum("time").to_series() / 1e6  # TWh per plant
    must = (r["thermal_must_run_mw"] > 0).sum("time").to_series()  # hours with must-run
    coal_cells = ", ".join(
        f"{n} {v:.2g}" + (f" (must-run {int(must[n]):,} h)" if must[n] else "")
        for n, v in coal.items()
    )
    stats = price_statistics(r).loc["system"]
    p_sys = _hourly_system_price(r)
    tou = s["tou_average_prices_cny_per_mwh"]
    avail = float(r["renewable_available_mw"].sum()) / 1e6  # TWh available
    share = s["curtailment_share_by_carrier"]
    curt_share = s["curtailment_mwh"] / 1e6 / avail
    d = s["price_decomposition"]
    benchmark = float(r["tariff_benchmark_cny_per_kwh"]) * KWH
    delivered = s["delivered_price_cny_per_kwh"]
    parts = " + ".join(
        f"{k if k != 'levies' else 'funds'} {v:.3f}"
        for k, v in d.items()
        if k in ("energy", "flexibility", "capacity", "network", "levies")
    )
    pv_fixed = _span(fixed, ",.0f") if fixed else "–"
    pv_track = _span(tracking, ",.0f") if tracking else "–"
    pv_ok = _verdict(min(fixed or [1600]), 1550, 1650) == "in range" and _verdict(
        min(tracking or [1800]), 1750, 1900
    ) == _verdict(max(tracking or [1800]), 1750, 1900)
    rows = [
        ("solver status, unserved energy",
         f"{s['solver_status']}, {s['unserved_energy_mwh']:,.0f} MWh", "—", ""),
        ("wind full-load hours (available)", _span(wind, ",.0f", "h"),
         "2,600–3,000 h (new wind, Jiuquan/Guazhou)",
         "in range" if wind.min() >= 2600 and wind.max() <= 3000 else "**out of range**"),
        ("PV full-load hours, fixed / tracking", f"{pv_fixed} h / {pv_track} h",
         "1,550–1,650 h / 1,750–1,900 h", "in range" if pv_ok else "**out of range**"),
        ("local load",
         f"{s['load_mwh'] / 1e6:.1f} TWh ({big} {flex[big] / 1e6:.1f} TWh, about "
         f"{flex[big] / hours / 1e3:.1f} GW flat)", "1.35 Mt/yr Al ≈ 18 TWh",
         "in range" if abs(flex[big] / 1e6 - 18) <= 1.8 else "**off by more than 10 %**"),
        (f"coal output ({float(r['thermal_p_nom_mw'].sum()) / 1e3:.1f} GW)",
         f"{coal.sum():.1f} TWh: {coal_cells}", "—", "see below"),
        ("CO2", f"{s['emissions_t'] / 1e6:.1f} Mt", "—", ""),
        ("average marginal price",
         f"{s['average_marginal_price_cny_per_mwh']:.0f} CNY/MWh load-weighted "
         f"({stats['time_weighted_cny_per_mwh']:.0f} time-weighted); hourly load-weighted "
         f"price 0 in {100 * np.mean(p_sys < 1.0):.0f} % of hours, median "
         f"{np.median(p_sys):.0f}; max {stats['max_cny_per_mwh']:.0f}; Gansu peak periods "
         f"{tou['peak']['system_load_weighted']:.0f}, valley "
         f"{tou['valley']['system_load_weighted']:.0f}",
         f"coal benchmark {benchmark:.1f} CNY/MWh",
         "low, as a renewable-rich grid should be"
         if s["average_marginal_price_cny_per_mwh"] < benchmark else "**above the benchmark**"),
        ("curtailment",
         f"{s['curtailment_mwh'] / 1e6:.1f} TWh = {100 * curt_share:.0f} % of available wind "
         f"and PV (wind {100 * share.get('wind', 0):.0f} %, PV {100 * share.get('solar', 0):.0f} %)",
         "Gansu utilisation about 96–97 % by 2021",
         "**high: explained below**" if curt_share > 0.04 else "in range"),
        ("cost-recovery price", f"{s['cost_recovery_cny_per_mwh']:.0f} CNY/MWh", "—", ""),
        ("delivered price (industrial)", f"{delivered:.3f} CNY/kWh: {parts}",
         "sanity range 0.25–0.30 (new wind/PV 0.15–0.20 + flexibility 0.05–0.08 + funds "
         "0.02–0.03); provincial tariff "
         f"{float(r['tariff_provincial_cny_per_kwh']):.2f}",
         _verdict(delivered, 0.25, 0.30, "**above the sanity range: explained below**")),
    ]  # fmt: skip
    lines = ["| figure | result | what DOMAIN.md suggests | verdict |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_default_year_exports(runs) -> str:
    """The figures behind 'why curtailment is high' (docs/default_scenario.md)."""
    s, r = _year(runs[0])
    re_mw = float(r["renewable_p_nom_mw"].sum())
    avail = float(r["renewable_available_mw"].sum()) / 1e6  # TWh available
    hours = r.sizes["time"]
    exports = s["energy_balance"]["use_mwh"]["exports"] / 1e6
    ties = ", ".join(
        f"`ties.{n}.export_max_mw` {v:,.0f} MW"
        for n, v in r["tie_export_max_mw"].to_series().items()
    )
    return _prose(
        f"The local grid hosts {re_mw / 1e3:.0f} GW of wind and PV ({avail:.0f} TWh available "
        f"in the year) for {s['load_mwh'] / hours / 1e3:.1f} GW of average local load "
        f"({s['load_mwh'] / 1e6:.1f} TWh). Exports came to {exports:.1f} TWh ({ties}); "
        f"{s['curtailment_mwh'] / 1e6:.1f} TWh were curtailed."
    )


def render_default_year_price(runs) -> str:
    """The parts of the delivered price and the supply-cost identity (module docstring)."""
    s, r = _year(runs[0])
    d = s["price_decomposition"]
    items = s["cost_recovery"]["items_cny"]
    coal_bn = (items.get("thermal_capital", 0) + items.get("thermal_fixed_om", 0)) / 1e9
    line_bn = (items.get("line_capital", 0) + items.get("line_fixed_om", 0)) / 1e9
    out = r["thermal_p_mw"].sum("time").to_series()
    idle = [n for n, v in out.items() if v < 1.0]  # thermal plants with no output all year
    load = s["load_mwh"]
    exports = s["energy_balance"]["use_mwh"]["exports"]
    revenue = -items.get("exports", 0.0)  # export revenue [CNY] (a negative cost item)
    cost = s["cost_recovery"]["fixed_cost_cny"] + s["cost_recovery"]["operating_cost_cny"]
    average = (cost + revenue) / (load + exports)  # cost of supplying load and exports
    export_price = revenue / exports
    uplift = (average - export_price) * exports / load
    net = float(r["tariff_network_charge_cny_per_kwh"])
    bullets = [
        f"- energy {d['energy']:.3f} CNY/kWh, flexibility {d['flexibility']:.3f}, funds "
        f"{d['levies']:.3f};",
        f"- capacity {d['capacity']:.3f} CNY/kWh: the annuity and fixed O&M of the "
        f"{float(r['thermal_p_nom_mw'].sum()) / 1e3:.1f} GW coal fleet ({coal_bn:.2f} bn CNY/yr)"
        + (f"; no output all year: {', '.join(idle)}" if idle else "")
        + ";",
        f"- network {d['network']:.3f} CNY/kWh: the local lines' annuity and fixed O&M "
        f"({line_bn:.2f} bn CNY/yr); provincial network charge {net:.4f} CNY/kWh.",
    ]
    short = average - export_price  # what each exported MWh costs more than it earns
    whole = _prose(
        f"Seen whole: supplying {(load + exports) / 1e6:.1f} TWh (local load plus exports) "
        f"costs {average:.0f} CNY/MWh on average, and exports earn {export_price:.0f} CNY/MWh; "
        f"the {abs(short):.0f} CNY/MWh {'shortfall' if short >= 0 else 'surplus'} on "
        f"{exports / 1e6:.1f} TWh of exports, {abs(short) * exports / 1e9:.1f} bn CNY, falls on "
        f"the {load / 1e6:.1f} TWh of local load ({uplift:+.0f} CNY/MWh): {average:.1f} "
        f"{'+' if uplift >= 0 else '−'} {abs(uplift):.1f} = "
        f"{s['cost_recovery_cny_per_mwh']:.1f} CNY/MWh."
    )
    bullets = [textwrap.fill(b, width=95, subsequent_indent="  ") for b in bullets]
    return "\n".join(bullets) + "\n\n" + whole


def render_export_reading(runs) -> str:
    """The largest case of the export-capacity sweep, against the default year's available."""
    rows = list(csv.DictReader(io.StringIO(runs[0].csv_files["sweep.csv"])))
    tie, line = "ties.gansu.export_max_mw", "lines.hexi_corridor.p_max_mw"
    top = max(rows, key=lambda r: (float(r[tie]), float(r[line])))
    r = runs[1].datasets["results.nc"]
    avail = float(r["renewable_available_mw"].sum()) / 1e6  # TWh, the same in every case
    curt = float(top["curtailment_mwh"]) / 1e6
    return _prose(
        f"With {float(top[tie]):,.0f} MW of export and {float(top[line]):,.0f} MW of corridor, "
        f"{curt:.1f} TWh ({100 * curt / avail:.0f} % of the {avail:.0f} TWh available) are "
        f"still curtailed: hours when even that export is full."
    )


def render_default_smelter(runs) -> str:
    """The year-long smelter of ``gridopt tenant`` in one sentence (docs/default_scenario.md)."""
    t = runs[0].json_files["tenant.json"]["tenants"][0]
    return _prose(
        f"A 200 kt/yr smelter at {t['bus']} absorbs {t['absorbed_curtailment_mwh'] / 1e6:.2f} "
        f"TWh of otherwise-curtailed wind and PV (short-run incremental cost "
        f"{t['short_run_incremental_cost_cny_per_mwh']:.0f} CNY/MWh, hour-matched green share "
        f"{100 * t['green_share']:.0f} %)."
    )


# --- docs/plan.md: plan_2030 ----------------------------------------------------------------


def _plan(run) -> tuple[dict, list[dict], Any]:
    s = run.json_files["summary.json"]
    rows = list(csv.DictReader(io.StringIO(run.csv_files["build.csv"])))
    return s, rows, run.datasets.get("results.nc")


def render_plan_build(runs) -> str:
    """What the plan builds and retires, from build.csv and summary.json's plan block."""
    s, rows, r = _plan(runs[0])
    p = s["plan"]
    said = []
    for row in rows:
        new, retired = float(row["new"]), float(row["retired"])
        unit, name = row["unit"], row["asset"]
        if retired > 0.5:
            whole = "all " if float(row["total"]) < 0.5 else ""
            said.append(
                f"retires {whole}**{retired:,.0f} {unit} of {row['family']} {name}** (saves "
                f"{float(row['fixed_om_saved_cny_per_yr']) / 1e6:,.0f} million CNY/yr of fixed O&M)"
            )
        if new > 0.5:
            most = _new_max(r, row)
            full = ", all the option allows" if most is not None and new >= most - 0.5 else ""
            said.append(
                f"adds **{new:,.0f} {unit} of {row['family']} {name}** "
                f"({float(row['capex_new_cny']) / 1e6:,.0f} million CNY of investment, "
                f"{float(row['annual_cost_new_cny_per_yr']) / 1e6:,.0f} million CNY/yr{full})"
            )
    unused = [
        f"{row['asset']} ({row['capacity']})"
        for row in rows
        if float(row["new"]) <= 0.5 and (_new_max(r, row) or 0) > 0
    ]
    text = "The plan " + "; ".join(said) + "."
    if unused:
        text += f" Options left unused: {', '.join(unused)}."
    text += (
        f" New investment {p['capex_new_cny'] / 1e9:.1f} bn CNY, "
        f"{p['annual_cost_new_cny_per_yr'] / 1e9:.2f} bn CNY/yr."
    )
    return _prose(text)


def _new_max(r, row) -> float | None:
    """The most new capacity the scenario allowed for a build.csv row (results.nc's
    ``<family>_<capacity>_new_max_<unit>``; None when unknown or unlimited)."""
    if r is None:
        return None
    cap = row["capacity"]  # e.g. p_nom_mw, e_max_mwh
    base, _, unit = cap.rpartition("_")
    var = f"{row['family']}_{base}_new_max_{unit}"
    if var not in r:
        return None
    v = float(r[var].sel({row["family"]: row["asset"]}))
    return v if v == v and v < 1e12 else None


def render_plan_table(runs) -> str:
    """Dispatch as it is against planned (summary.json's plan.dispatch and the plan)."""
    s, _, _ = _plan(runs[0])
    d = s["plan"]["dispatch"]

    def parts(x: dict) -> str:
        return " / ".join(f"{x[k]:.3f}" for k in ("energy", "flexibility", "capacity", "network"))

    rows = [
        ("delivered price [CNY/kWh]", f"{d['delivered_price_cny_per_kwh']:.4f}",
         f"{s['delivered_price_cny_per_kwh']:.4f}"),
        ("cost-recovery price [CNY/MWh]", f"{d['cost_recovery_cny_per_mwh']:.1f}",
         f"{s['cost_recovery_cny_per_mwh']:.1f}"),
        ("of which energy / flexibility / capacity / network [CNY/kWh]",
         parts(d["price_decomposition"]), parts(s["price_decomposition"])),
        ("curtailment [GWh]", f"{d['curtailment_mwh'] / 1e3:,.0f}",
         f"{s['curtailment_mwh'] / 1e3:,.0f}"),
        ("CO2 [kt]", f"{d['emissions_t'] / 1e3:,.0f}", f"{s['emissions_t'] / 1e3:,.0f}"),
        ("operating cost [million CNY] (exports as revenue)", f"{d['objective_cny'] / 1e6:,.0f}",
         f"{s['objective_cny'] / 1e6:,.0f}"),
    ]  # fmt: skip
    lines = ["| | dispatch as it is | planned |", "|---|---|---|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]) + "\n"


def render_plan_why(runs) -> str:
    """The plan against the dispatch as it is, in one paragraph (curtailment, CO2, parts)."""
    s, _, _ = _plan(runs[0])
    d = s["plan"]["dispatch"]
    items = s["cost_recovery"]["items_cny"]
    load = s["cost_recovery"]["energy_delivered_mwh"]
    tie = items.get("tie_new_capital", 0.0) / load / KWH  # CNY/kWh of the new ties' capital
    return _prose(
        f"Against the dispatch as it is, the plan curtails "
        f"{(d['curtailment_mwh'] - s['curtailment_mwh']) / 1e6:.1f} TWh less and emits "
        f"{s['emissions_t'] / d['emissions_t']:.2f} times the CO2 ({d['emissions_t'] / 1e6:.1f} "
        f"-> {s['emissions_t'] / 1e6:.1f} Mt); the energy component goes from "
        f"{d['price_decomposition']['energy']:.3f} to {s['price_decomposition']['energy']:.3f} "
        f"CNY/kWh and the network component carries the new ties' capital ({tie:.3f} CNY/kWh, "
        f"item `tie_new_capital`). A CO2 cap at the dispatch's emissions is "
        f"`policy: {{co2_max_t: {d['emissions_t']:.0f}}}`."
    )


def render_plan_speed(runs) -> str:
    """LP size, phase times and peak memory from summary.json (a timing block: volatile)."""
    s, _, _ = _plan(runs[0])
    t, lp = s["timings_s"], s["lp_size"]
    total = sum(t.values())
    return _prose(
        f"Speed: LP {lp['rows']:,} rows × {lp['columns']:,} columns, "
        f"{lp['nonzeros'] / 1e6:.2f} M nonzeros; inputs {t['inputs']:.1f}, build "
        f"{t['build']:.1f}, hand-off {t['handoff']:.1f}, **solve {t['solve']:.0f} s**, "
        f"extraction {t['extract']:.1f} s; comparison dispatch {t.get('baseline', 0):.0f} s, "
        f"writing {t.get('write', 0):.0f} s; {total / 60:.0f} min {total % 60:.0f} s in these "
        f"phases; peak memory {s['peak_memory_mb'] / 1e3:.2f} GB."
    )


def render_weather_reading(runs) -> str:
    """How far the weather moves the delivered price (half the P10–P90 band of the weather
    sweep's sweep_bands.csv) against the export-capacity cases' range (their sweep.csv)."""
    (band,) = csv.DictReader(io.StringIO(runs[0].csv_files["sweep_bands.csv"]))
    cases = csv.DictReader(io.StringIO(runs[1].csv_files["sweep.csv"]))
    key = "delivered_price_cny_per_kwh"
    half = (float(band[f"{key}_p90"]) - float(band[f"{key}_p10"])) / 2
    prices = [float(c[key]) for c in cases]
    spread = max(prices) - min(prices)
    return _prose(
        f"The weather moves the delivered price by about ±{half:.3f} CNY/kWh (half the P10–P90 "
        f"band); the export limit (above) moves it by {spread:.3f}, "
        f"{spread / (2 * half):.0f} times the weather's band."
    )
