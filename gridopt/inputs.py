"""Scenario -> input Dataset: every hourly series resolved, every parameter in model units.

Series fields are resolved by :mod:`gridopt.data.series`, the horizon's hours laid out by
:mod:`gridopt.data.clock`; this module assembles the Dataset. The input Dataset is the single hand-off to the model builder (``gridopt.model`` never reads
files) and is stored inside the results, so a run can be audited from its results alone.

Dimensions: ``time`` (local clock time, naive; the zone is in ``attrs['timezone']``), ``bus``,
``line``, ``thermal``, ``renewable``, ``storage``, ``load``, ``flex``, ``intr``, ``tie``.
Variables are prefixed by their family (``thermal_p_nom_mw``); each has a ``units`` attribute.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

import gridopt.data  # noqa: F401  (registers the generators)
from gridopt.data.clock import clock_text, clock_zone, local_time_index, time_index
from gridopt.data.costs import TECH_DEFAULTS
from gridopt.data.series import Resolver
from gridopt.errors import InputError, Problem
from gridopt.scenario.check import check_scenario, check_supply
from gridopt.scenario.load import LoadedScenario
from gridopt.scenario.schema import MAX_CNY_PER_MWH as PRICE
from gridopt.scenario.schema import MAX_MW, Fuel

__all__ = [  # the horizon's clock is re-exported: run, tenant and tests import it from here
    "build_inputs",
    "clock_zone",
    "load_inputs",
    "local_time_index",
    "summary_line",
    "time_index",
]

STANDARD_COAL_KCAL_PER_KG = 7000.0


def _da(values, dims, units: str, **attrs) -> xr.DataArray:
    return xr.DataArray(values, dims=dims, attrs={"units": units, **attrs})


def build_inputs(
    ls: LoadedScenario, hours: int | None = None, *, supply_check: bool = True
) -> xr.Dataset:
    """Check the scenario and resolve it into the input Dataset.

    Raises :class:`InputError` with every problem found (cross-references and series, and,
    with ``supply_check``, buses with load that nothing can supply).
    """
    problems = check_scenario(ls)
    sc = ls.scenario
    index = time_index(ls, hours)
    res = Resolver(ls, index)
    res.problems.extend(problems)
    T = ("time",)
    ds = xr.Dataset(coords={"time": index.tz_localize(None), "bus": list(sc.buses)})
    clock = str(index.tz)
    ds["time"].attrs["timezone"] = clock

    # Lines
    lines = sc.lines
    ds = ds.assign_coords(line=list(lines))
    ds["line_bus0"] = _da([x.bus0 for x in lines.values()], ("line",), "")
    ds["line_bus1"] = _da([x.bus1 for x in lines.values()], ("line",), "")
    ds["line_p_max_mw"] = _da([x.p_max_mw for x in lines.values()], ("line",), "MW")
    ds["line_p_max_reverse_mw"] = _da(
        [x.p_max_mw if x.p_max_reverse_mw is None else x.p_max_reverse_mw for x in lines.values()],
        ("line",),
        "MW",
    )
    ds["line_loss_factor"] = _da([x.loss_factor for x in lines.values()], ("line",), "1")
    ds["line_x_pu"] = _da(
        [_x_pu(x, sc.buses) for x in lines.values()],
        ("line",),
        "1",
        description="series reactance, per unit on a 100 MVA base (NaN: none given)",
    )

    # Thermal clusters: marginal cost = fuel + VOM + CO2 x carbon price
    th = sc.thermal
    ds = ds.assign_coords(thermal=list(th))
    fuel_cost, co2 = [], []
    for t in th.values():
        f = sc.fuels.get(t.fuel) or Fuel(price_cny_per_t=0)  # unknown fuel: reported by the checks
        price_per_tce = f.price_cny_per_t * STANDARD_COAL_KCAL_PER_KG / f.heat_value_kcal_per_kg
        # gce/kWh == kg/MWh, so tce/MWh = heat_rate / 1000
        fuel_cost.append(t.heat_rate_gce_per_kwh / 1000 * price_per_tce)
        co2.append(
            t.co2_t_per_mwh
            if t.co2_t_per_mwh is not None
            else t.heat_rate_gce_per_kwh / 1000 * f.co2_t_per_tce
        )
    fuel_cost, co2 = np.array(fuel_cost, float), np.array(co2, float)
    vom = np.array([t.vom_cny_per_mwh for t in th.values()], float)
    cp = sc.settings.carbon_price_cny_per_t
    p_nom = np.array([t.n_units * t.p_unit_mw for t in th.values()], float)
    ds["thermal_bus"] = _da([t.bus for t in th.values()], ("thermal",), "")
    ds["thermal_fuel"] = _da([t.fuel for t in th.values()], ("thermal",), "")
    ds["thermal_n_units"] = _da([t.n_units for t in th.values()], ("thermal",), "1")
    ds["thermal_p_nom_mw"] = _da(p_nom, ("thermal",), "MW")
    ds["thermal_min_stable_fraction"] = _da(
        [t.min_stable_fraction for t in th.values()], ("thermal",), "1"
    )
    ds["thermal_ramp_up_fraction_per_h"] = _da(
        [
            np.nan if t.ramp_up_fraction_per_h is None else t.ramp_up_fraction_per_h
            for t in th.values()
        ],
        ("thermal",),
        "1/h",
    )
    ds["thermal_ramp_down_fraction_per_h"] = _da(
        [
            np.nan if t.ramp_down_fraction_per_h is None else t.ramp_down_fraction_per_h
            for t in th.values()
        ],
        ("thermal",),
        "1/h",
    )
    ds["thermal_heat_rate_gce_per_kwh"] = _da(
        [t.heat_rate_gce_per_kwh for t in th.values()], ("thermal",), "gce/kWh"
    )
    ds["thermal_fuel_cost_cny_per_mwh"] = _da(fuel_cost, ("thermal",), "CNY/MWh")
    ds["thermal_vom_cny_per_mwh"] = _da(vom, ("thermal",), "CNY/MWh")
    ds["thermal_co2_t_per_mwh"] = _da(co2, ("thermal",), "t/MWh")
    ds["thermal_marginal_cost_cny_per_mwh"] = _da(
        fuel_cost + vom + co2 * cp,
        ("thermal",),
        "CNY/MWh",
        description="fuel + variable O&M + CO2 x carbon price",
    )
    ds["thermal_startup_cost_cny_per_mw"] = _da(
        [t.startup_cost_cny_per_mw for t in th.values()], ("thermal",), "CNY/MW"
    )
    ds["thermal_availability_pu"] = _da(
        _stack(
            [
                res(t.availability, f"thermal.{n}.availability", 0, 1, default=1.0)
                for n, t in th.items()
            ],
            len(index),
        ),
        T + ("thermal",),
        "1",
    )
    ds["thermal_must_run_mw"] = _da(
        _stack(
            [
                res(t.must_run_mw, f"thermal.{n}.must_run_mw", 0, MAX_MW, default=0.0)
                for n, t in th.items()
            ],
            len(index),
        ),
        T + ("thermal",),
        "MW",
    )

    # Renewables
    rn = sc.renewables
    ds = ds.assign_coords(renewable=list(rn))
    ds["renewable_bus"] = _da([r.bus for r in rn.values()], ("renewable",), "")
    ds["renewable_carrier"] = _da([r.carrier for r in rn.values()], ("renewable",), "")
    ds["renewable_p_nom_mw"] = _da([r.p_nom_mw for r in rn.values()], ("renewable",), "MW")
    ds["renewable_vom_cny_per_mwh"] = _da(
        [r.vom_cny_per_mwh for r in rn.values()], ("renewable",), "CNY/MWh"
    )
    ds["renewable_availability_pu"] = _da(
        _stack(
            [res(r.availability, f"renewables.{n}.availability", 0, 1) for n, r in rn.items()],
            len(index),
        ),
        T + ("renewable",),
        "1",
    )

    # Storage
    st = sc.storage
    ds = ds.assign_coords(storage=list(st))
    ds["storage_bus"] = _da([s.bus for s in st.values()], ("storage",), "")
    ds["storage_kind"] = _da([s.kind for s in st.values()], ("storage",), "")
    ds["storage_p_charge_max_mw"] = _da(
        [s.p_charge_max_mw for s in st.values()], ("storage",), "MW"
    )
    ds["storage_p_discharge_max_mw"] = _da(
        [
            s.p_charge_max_mw if s.p_discharge_max_mw is None else s.p_discharge_max_mw
            for s in st.values()
        ],
        ("storage",),
        "MW",
    )
    ds["storage_e_max_mwh"] = _da([s.e_max_mwh for s in st.values()], ("storage",), "MWh")
    ds["storage_eff_charge"] = _da([s.eff_charge for s in st.values()], ("storage",), "1")
    ds["storage_eff_discharge"] = _da([s.eff_discharge for s in st.values()], ("storage",), "1")
    ds["storage_standing_loss_per_h"] = _da(
        [s.standing_loss_per_h for s in st.values()], ("storage",), "1/h"
    )
    ds["storage_soc_min_fraction"] = _da(
        [s.soc_min_fraction for s in st.values()], ("storage",), "1"
    )
    ds["storage_soc_max_fraction"] = _da(
        [s.soc_max_fraction for s in st.values()], ("storage",), "1"
    )
    ds["storage_soc_initial_fraction"] = _da(
        [np.nan if s.soc_initial_fraction is None else s.soc_initial_fraction for s in st.values()],
        ("storage",),
        "1",
    )
    ds["storage_cyclic"] = _da([s.cyclic for s in st.values()], ("storage",), "")
    ds["storage_vom_cny_per_mwh"] = _da(
        [s.vom_cny_per_mwh for s in st.values()], ("storage",), "CNY/MWh"
    )

    # Fixed loads
    ld = sc.loads
    ds = ds.assign_coords(load=list(ld))
    ds["load_bus"] = _da([x.bus for x in ld.values()], ("load",), "")
    ds["load_p_mw"] = _da(
        _stack([res(x.p_mw, f"loads.{n}.p_mw", 0, MAX_MW) for n, x in ld.items()], len(index)),
        T + ("load",),
        "MW",
    )

    # Flexible loads
    fl = sc.flexible_loads
    ds = ds.assign_coords(flex=list(fl))
    ds["flex_bus"] = _da([x.bus for x in fl.values()], ("flex",), "")
    ds["flex_p_nominal_mw"] = _da(
        _stack(
            [
                res(x.p_nominal_mw, f"flexible_loads.{n}.p_nominal_mw", 0, MAX_MW)
                for n, x in fl.items()
            ],
            len(index),
        ),
        T + ("flex",),
        "MW",
    )
    ds["flex_band_down_fraction"] = _da([x.band_down_fraction for x in fl.values()], ("flex",), "1")
    ds["flex_band_up_fraction"] = _da([x.band_up_fraction for x in fl.values()], ("flex",), "1")
    ds["flex_window_h"] = _da([x.window_h for x in fl.values()], ("flex",), "h")
    ds["flex_ramp_fraction_per_h"] = _da(
        [np.nan if x.ramp_fraction_per_h is None else x.ramp_fraction_per_h for x in fl.values()],
        ("flex",),
        "1/h",
    )
    ds["flex_shift_cost_cny_per_mwh"] = _da(
        [x.shift_cost_cny_per_mwh for x in fl.values()], ("flex",), "CNY/MWh"
    )

    # Interruptible loads
    il = sc.interruptible_loads
    ds = ds.assign_coords(intr=list(il))
    ds["intr_bus"] = _da([x.bus for x in il.values()], ("intr",), "")
    ds["intr_p_mw"] = _da(
        _stack(
            [res(x.p_mw, f"interruptible_loads.{n}.p_mw", 0, MAX_MW) for n, x in il.items()],
            len(index),
        ),
        T + ("intr",),
        "MW",
    )
    ds["intr_cost_cny_per_mwh"] = _da(
        [x.cost_cny_per_mwh for x in il.values()], ("intr",), "CNY/MWh"
    )
    ds["intr_max_fraction"] = _da([x.max_fraction for x in il.values()], ("intr",), "1")
    ds["intr_max_energy_mwh"] = _da(
        [np.nan if x.max_energy_mwh is None else x.max_energy_mwh for x in il.values()],
        ("intr",),
        "MWh",
    )

    # Ties to the provincial grid
    ti = sc.ties
    ds = ds.assign_coords(tie=list(ti))
    ds["tie_bus"] = _da([x.bus for x in ti.values()], ("tie",), "")
    ds["tie_import_max_mw"] = _da([x.import_max_mw for x in ti.values()], ("tie",), "MW")
    ds["tie_export_max_mw"] = _da([x.export_max_mw for x in ti.values()], ("tie",), "MW")
    imp = [
        res(x.import_price_cny_per_mwh, f"ties.{n}.import_price_cny_per_mwh", -PRICE, PRICE)
        for n, x in ti.items()
    ]
    exp = [
        res(x.export_price_cny_per_mwh, f"ties.{n}.export_price_cny_per_mwh", -PRICE, PRICE)
        for n, x in ti.items()
    ]
    for (n, _), pi, pe in zip(ti.items(), imp, exp):
        bad = pe > pi + 1e-9
        if bad.any():
            k = int(np.argmax(bad))
            res.problems.append(
                Problem(
                    f"{ls.path}: ties.{n}.export_price_cny_per_mwh",
                    f"export price above import price in {int(bad.sum())} hour(s), first at hour {k}",
                    float(pe[k]),
                    f"must not exceed the import price ({pi[k]:g}) or the model would trade with itself",
                )
            )
    ds["tie_import_price_cny_per_mwh"] = _da(_stack(imp, len(index)), T + ("tie",), "CNY/MWh")
    ds["tie_export_price_cny_per_mwh"] = _da(_stack(exp, len(index)), T + ("tie",), "CNY/MWh")

    # Thermal must-run within the available capacity
    for j, n in enumerate(th):
        over = (
            ds["thermal_must_run_mw"].values[:, j]
            > ds["thermal_availability_pu"].values[:, j] * p_nom[j] + 1e-6
        )
        if over.any():
            k = int(np.argmax(over))
            res.problems.append(
                Problem(
                    f"{ls.path}: thermal.{n}.must_run_mw",
                    f"above the available capacity in {int(over.sum())} hour(s), first at hour {k}",
                    float(ds["thermal_must_run_mw"].values[k, j]),
                    f"must not exceed n_units x p_unit_mw x availability ({p_nom[j]:g} MW at full availability)",
                )
            )

    for family, section, tech_of, kw_of, kwh_of in (
        ("line", lines, lambda a: "line", lambda a: 0.0, lambda a: 0.0),
        (
            "thermal",
            th,
            lambda a: a.fuel if a.fuel in TECH_DEFAULTS else "coal",
            lambda a: a.n_units * a.p_unit_mw * 1e3,
            lambda a: 0.0,
        ),
        ("renewable", rn, lambda a: a.carrier, lambda a: a.p_nom_mw * 1e3, lambda a: 0.0),
        (
            "storage",
            st,
            lambda a: "storage_other" if a.kind == "other" else a.kind,
            lambda a: a.p_charge_max_mw * 1e3 if a.e_max_mwh > 0 else 0.0,
            lambda a: a.e_max_mwh * 1e3,
        ),
    ):
        _economics(ds, family, section, tech_of, kw_of, kwh_of)

    if supply_check and not res.problems:
        res.problems.extend(check_supply(ls, ds))
    if res.problems:
        raise InputError(res.problems, title=f"{ls.path}: scenario is not valid")

    s = sc.settings
    mode = s.power_flow
    if mode == "auto":
        mode = (
            "dc"
            if lines and all(x.x_ohm is not None or x.x_pu is not None for x in lines.values())
            else "transport"
        )
    ds["voll_cny_per_mwh"] = _da(s.voll_cny_per_mwh, (), "CNY/MWh")
    ds["excess_penalty_cny_per_mwh"] = _da(s.excess_penalty_cny_per_mwh, (), "CNY/MWh")
    ds["carbon_price_cny_per_t"] = _da(cp, (), "CNY/t")
    ds["discount_rate"] = _da(s.discount_rate, (), "1/yr")
    tf = sc.tariffs
    ds["tariff_network_charge_cny_per_kwh"] = _da(tf.network_charge_cny_per_kwh, (), "CNY/kWh")
    ds["tariff_funds_cny_per_kwh"] = _da(tf.funds_cny_per_kwh, (), "CNY/kWh")
    ds["tariff_benchmark_cny_per_kwh"] = _da(tf.benchmark_cny_per_kwh, (), "CNY/kWh")
    ds["tariff_provincial_cny_per_kwh"] = _da(tf.provincial_tariff_cny_per_kwh, (), "CNY/kWh")
    ds.attrs.update(
        scenario=sc.name,
        scenario_file=str(ls.path),
        scenario_sha256=ls.sha256,
        inputs_sha256=ls.inputs_sha256,
        input_files=json.dumps(ls.input_files, sort_keys=True),
        power_flow=mode,
        timezone=clock,
        scenario_timezone=sc.time.timezone,
        clock=clock_text(sc.time.timezone, clock),
        hours=len(index),
    )
    return ds


BASE_MVA = 100.0


def _x_pu(line, buses) -> float:
    """Per-unit reactance on a 100 MVA base: x_pu, or x_ohm / (v_kv^2 / 100 MVA)."""
    if line.x_pu is not None:
        return line.x_pu
    if line.x_ohm is not None and line.bus0 in buses and buses[line.bus0].v_kv:
        return line.x_ohm / (buses[line.bus0].v_kv ** 2 / BASE_MVA)
    return np.nan


def _economics(ds: xr.Dataset, family: str, section: dict, tech_of, kw_of, kwh_of) -> None:
    """Resolve each asset's investment, fixed O&M and lifetime (technology defaults filled in).

    capex = capex_cny, or capex_cny_per_kw x kW + capex_cny_per_kwh x kWh;
    fixed O&M = fixed_om_cny_per_kw_yr x kW, or fixed_om_fraction_per_yr x capex.
    """
    capex, fom, life, src = [], [], [], []
    for a in section.values():
        e, d = a.economics, TECH_DEFAULTS[tech_of(a)]
        if e.capex_cny is not None:
            c = e.capex_cny
        else:
            per_kw = (
                e.capex_cny_per_kw
                if e.capex_cny_per_kw is not None
                else float(d.get("capex_cny_per_kw", 0.0))
            )
            per_kwh = (
                e.capex_cny_per_kwh
                if e.capex_cny_per_kwh is not None
                else float(d.get("capex_cny_per_kwh", 0.0))
            )
            c = per_kw * kw_of(a) + per_kwh * kwh_of(a)
        if e.fixed_om_cny_per_kw_yr is not None:
            f = e.fixed_om_cny_per_kw_yr * kw_of(a)
        elif e.fixed_om_fraction_per_yr is not None:
            f = e.fixed_om_fraction_per_yr * c
        elif "fixed_om_cny_per_kw_yr" in d:
            f = float(d["fixed_om_cny_per_kw_yr"]) * kw_of(a)
        else:
            f = float(d.get("fixed_om_fraction_per_yr", 0.0)) * c
        capex.append(c)
        fom.append(f)
        life.append(e.lifetime_yr if e.lifetime_yr is not None else float(d["lifetime_yr"]))
        src.append(e.source or f"default for {tech_of(a)}: {d['source']}")
    ds[f"{family}_capex_cny"] = _da(
        np.array(capex, float), (family,), "CNY", description="overnight investment"
    )
    ds[f"{family}_fixed_om_cny_per_yr"] = _da(
        np.array(fom, float), (family,), "CNY/yr", description="fixed operation and maintenance"
    )
    ds[f"{family}_lifetime_yr"] = _da(np.array(life, float), (family,), "yr")
    ds[f"{family}_cost_source"] = _da(
        np.array(src, dtype=str) if src else np.array([], dtype=str), (family,), ""
    )


def load_inputs(path: str | Path, hours: int | None = None) -> tuple[LoadedScenario, xr.Dataset]:
    """Load and check a scenario file and resolve its inputs, reporting every problem at once
    (schema problems together with the cross-reference and series problems of what remains)."""
    from gridopt.scenario.load import load_scenario

    try:
        ls = load_scenario(path)
    except InputError as exc:
        if exc.partial is not None:
            try:
                build_inputs(exc.partial, hours, supply_check=False)  # assets were pruned
            except InputError as more:
                raise InputError(exc.problems + more.problems, title=exc.title) from None
        raise
    return ls, build_inputs(ls, hours)


def _stack(columns: list[np.ndarray], n: int) -> np.ndarray:
    return np.stack(columns, axis=1) if columns else np.zeros((n, 0))


def summary_line(ds: xr.Dataset) -> str:
    """One line: buses, assets by type, hours."""
    parts = [f"{ds.sizes['bus']} buses", f"{ds.sizes['line']} lines"]
    for dim, label in [
        ("thermal", "thermal"),
        ("renewable", "renewable"),
        ("storage", "storage"),
        ("load", "loads"),
        ("flex", "flexible loads"),
        ("intr", "interruptible loads"),
        ("tie", "ties"),
    ]:
        if ds.sizes[dim]:
            parts.append(f"{ds.sizes[dim]} {label}")
    first = pd.Timestamp(ds.time.values[0])
    return (
        f"{ds.attrs['scenario']}: "
        + ", ".join(parts)
        + f"; {ds.attrs['hours']} hours from {first:%Y-%m-%d %H:%M} ({ds.attrs['timezone']}); power flow: {ds.attrs['power_flow']}"
    )
