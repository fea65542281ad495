"""The Excel workbook: one sheet per table, units in every column header.

Sheets (names translated): summary (key figures, scenario, warnings), hourly prices per bus,
hourly dispatch per unit, price decomposition, cost items, fixed costs per asset, revenue
adequacy, price statistics, time-of-use averages, price setters, prices per load; for the
results of ``gridopt plan``, after the summary, what to build, as it is and planned, and the policy
constraints (when the scenario sets any): :mod:`gridopt.report.plan`.

Timestamps are naive local clock times (Excel has no time zones); the zone is named in the
time column's header. Money is in CNY, energy in MWh, power in MW, prices in CNY/MWh or
CNY/kWh as the header says. Numbers are written unrounded.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from gridopt.io import atomic_write
from gridopt.model.family import Derived, Family, Output
from gridopt.prices import COMPONENTS
from gridopt.report.common import key_figure_rows, key_figure_value, tenant_table, warning_texts
from gridopt.report.data import ReportData
from gridopt.report.i18n import Translator


def sheets(d: ReportData, lang: str) -> dict[str, pd.DataFrame]:
    """The workbook's tables by sheet name (in ``lang``), in sheet order."""
    tr = Translator(lang)
    r, m = d.r, d.meta
    tz = m["timezone"]
    t_col = tr("h_time", tz=tz)
    out: dict[str, pd.DataFrame] = {}

    rows = [(label, key_figure_value(k, tr), unit) for label, _, unit, k in key_figure_rows(d, tr)]
    rows += [
        (tr("scenario"), m["scenario"], tr("u_none")),
        (tr("footer_scenario_file"), m["scenario_file"], tr("u_none")),
        (tr("footer_hash"), m["scenario_sha256"], tr("u_none")),
        (tr("footer_inputs_hash"), m.get("inputs_sha256", ""), tr("u_none")),
        (
            tr("horizon"),
            tr("horizon_text", hours=m["hours"], start=m["start"], end=m["end"], tz=tz),
            tr("u_none"),
        ),
    ]
    rows += [(tr("note"), text, tr("u_none")) for text, _ in warning_texts(d, tr)]
    out[tr("sheet_summary")] = pd.DataFrame(rows, columns=[tr("figure"), tr("value"), tr("unit")])
    if d.plan is not None:
        out.update(plan_sheets(d, tr))

    prices = pd.DataFrame({t_col: d.time, tr("h_tou"): [tr(f"tou_{k}") for k in _tou(d)]})
    for b in d.prices.columns:
        prices[tr("h_bus_price", bus=b)] = d.prices[b].values
    out[tr("sheet_prices")] = prices

    disp: dict[str, np.ndarray | pd.DatetimeIndex] = {t_col: d.time}
    for fam, o in dispatch_columns():
        values = r[o.result].transpose("time", fam.dim).values
        for j, name in enumerate(r[fam.dim].values):
            disp[result_header(o, str(name), tr)] = values[:, j]
    out[tr("sheet_dispatch")] = pd.DataFrame(disp)

    total = d.delivered["delivered_cny_per_kwh"]
    dec = [
        (tr(f"comp_{c}"), d.decomposition[c], 100 * d.decomposition[c] / total if total else np.nan)
        for c in COMPONENTS
    ]
    dec.append((tr("h_total"), total, 100.0 if total else np.nan))
    out[tr("sheet_decomposition")] = pd.DataFrame(
        dec, columns=[tr("h_component"), tr("h_cny_per_kwh"), tr("h_share")]
    )

    ct = d.costs
    out[tr("sheet_costs")] = pd.DataFrame(
        {
            tr("item"): [tr(f"ci_{i}") for i in ct.index],
            tr("h_component"): [tr(f"comp_{c}") for c in ct["component"]],
            tr("h_cost_cny"): ct["cost_cny"].values,
            tr("h_cny_per_mwh"): ct["cny_per_mwh"].values,
            tr("h_cny_per_kwh"): ct["cny_per_kwh"].values,
        }
    )

    fx = d.fixed
    out[tr("sheet_fixed")] = pd.DataFrame(
        {
            tr("h_asset"): list(fx.index),
            tr("h_family"): [tr(f"fam_{f}") for f in fx["family"]],
            tr("h_technology"): [tr.tech(t) for t in fx["technology"]],
            tr("h_capex"): fx["capex_cny"].values,
            tr("h_lifetime"): fx["lifetime_yr"].values,
            tr("h_crf"): fx["crf_per_yr"].values,
            tr("h_annuity"): fx["annuity_cny_per_yr"].values,
            tr("h_fixed_om"): fx["fixed_om_cny_per_yr"].values,
            tr("h_annual_fixed"): fx["annual_fixed_cny_per_yr"].values,
            tr("h_horizon_fixed"): fx["horizon_fixed_cny"].values,
            tr("h_cost_source"): fx["cost_source"].values,
        }
    )

    ra = d.revenue
    out[tr("sheet_revenue")] = pd.DataFrame(
        {
            tr("h_asset"): list(ra.index),
            tr("h_family"): [tr(f"fam_{f}") for f in ra["family"]],
            tr("h_technology"): [tr.tech(t) for t in ra["technology"]],
            tr("h_bus"): ra["bus"].values,
            tr("h_energy_yr"): ra["energy_mwh_per_yr"].values,
            tr("h_revenue_yr"): ra["revenue_cny_per_yr"].values,
            tr("h_opcost_yr"): ra["operating_cost_cny_per_yr"].values,
            tr("h_margin_yr"): ra["margin_cny_per_yr"].values,
            tr("h_annual_fixed"): ra["annual_fixed_cny_per_yr"].values,
            tr("h_net_yr"): ra["net_cny_per_yr"].values,
            tr("h_recovery_ratio"): ra["recovery_ratio"].values,
            tr("h_realised_price"): ra["realised_price_cny_per_mwh"].values,
            tr("h_status"): [tr(f"status_{s}") for s in ra["status"]],
            tr("h_gap_yr"): ra["gap_cny_per_yr"].values,
        }
    )

    st = d.stats
    stat_cols = [
        ("time_weighted_cny_per_mwh", "h_time_weighted"),
        ("load_weighted_cny_per_mwh", "h_load_weighted"),
        ("min_cny_per_mwh", "h_min"),
        ("p10_cny_per_mwh", "h_p10"),
        ("median_cny_per_mwh", "h_median"),
        ("p90_cny_per_mwh", "h_p90"),
        ("max_cny_per_mwh", "h_max"),
        ("std_cny_per_mwh", "h_std"),
        ("load_mwh", "h_load_mwh"),
    ]
    stats = pd.DataFrame(
        {tr("h_stat_bus"): [b if b != "system" else tr("system") for b in st.index]}
    )
    for c, h in stat_cols:
        stats[tr(h)] = st[c].values
    out[tr("sheet_statistics")] = stats

    tou = d.tou
    buses = [c for c in tou.columns if c not in ("hours", "system_load_weighted")]
    t = pd.DataFrame(
        {tr("h_period"): [tr(f"tou_{k}") for k in tou.index], tr("h_hours"): tou["hours"].values}
    )
    for b in buses:
        t[tr("h_tou_bus", bus=b)] = tou[b].values
    t[tr("h_tou_system")] = tou["system_load_weighted"].values
    out[tr("sheet_tou")] = t

    su = d.setters_unit
    s = pd.DataFrame({tr("h_setter"): [tr.tech(k) for k in su.index]})
    for c in su.columns:
        s[tr("h_setter_share_all") if c == "all" else tr("h_setter_share_bus", bus=c)] = su[
            c
        ].values
    out[tr("sheet_setters")] = s

    lp = d.loads
    out[tr("sheet_loads")] = pd.DataFrame(
        {
            tr("h_consumer"): list(lp.index),
            tr("h_kind"): [tr.tech(k) for k in lp["kind"]],
            tr("h_bus"): lp["bus"].values,
            tr("h_energy_mwh"): lp["energy_mwh"].values,
            tr("h_cost_at_marginal"): lp["cost_cny"].values,
            tr("h_load_weighted"): lp["load_weighted_cny_per_mwh"].values,
            tr("h_time_weighted"): lp["time_weighted_cny_per_mwh"].values,
        }
    )
    if d.tenants:
        headers, rows, _ = tenant_table(d, tr)
        out[tr("sheet_tenants")] = pd.DataFrame(rows, columns=headers)
    return out


def plan_sheets(d: ReportData, tr: Translator) -> dict[str, pd.DataFrame]:
    """A plan's sheets by name: what to build (the last row the total of the money columns),
    as it is and planned, and the policy constraints when the scenario sets any; numbers in
    the units of the headers (and of the unit column), unrounded."""
    from gridopt.report.plan import build_table, comparison_table, policy_table

    out = {}
    headers, rows, _ = build_table(d.plan, tr)
    out[tr("sheet_plan_build")] = pd.DataFrame(rows, columns=headers)
    headers, rows, _ = comparison_table(d.plan, d, tr)
    out[tr("sheet_plan_compare")] = pd.DataFrame(rows, columns=headers)
    policy = policy_table(d.plan, tr)
    if policy is not None:
        out[tr("sheet_plan_policy")] = pd.DataFrame(policy[1], columns=policy[0])
    return out


def dispatch_columns() -> list[tuple[Family, Output | Derived]]:
    """The results of the hourly dispatch sheet, each a column per asset: every result a family
    declares with ``sheet`` (:data:`gridopt.model.DECLARATIONS`), families that supply or
    store first, then the loads (families with an energy item declared ``load``), then the
    network (:data:`gridopt.model.NETWORK`: lines, buses), each group in declaration order."""
    from gridopt.model import DECLARATIONS, NETWORK

    network = [f for f in DECLARATIONS if any(f is n for n in NETWORK)]
    assets = [f for f in DECLARATIONS if not any(f is n for n in network)]
    loads = [f for f in assets if any(e.load for e in f.energy)]
    others = [f for f in assets if not any(f is n for n in loads)]
    return [(f, o) for f in others + loads + network for o in f.results if o.sheet]


def result_header(o: Output | Derived, asset: str, tr: Translator) -> str:
    """The column header of result ``o`` of one asset: the text ``h_<result>`` (fields
    ``name`` and ``bus``: the asset), or where there is none, "<asset> <description>
    [<units>]" from the declaration, so a new family's results read well untranslated."""
    key = f"h_{o.result}"
    if key in tr.texts:
        return tr(key, name=asset, bus=asset)
    return f"{asset} {o.description} [{o.units}]"


def _tou(d: ReportData) -> np.ndarray:
    from gridopt.prices import tou_periods

    return tou_periods(d.r)


def _column_values(s: pd.Series) -> list:
    """The cells of one column as Python values for xlsxwriter: floats, text, datetimes (local
    clock time, no zone: Excel has none), None (an empty cell) for NaN and missing."""
    if pd.api.types.is_datetime64_any_dtype(s):
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        return [None if pd.isna(v) else v.to_pydatetime() for v in s]
    if pd.api.types.is_bool_dtype(s):
        return s.tolist()
    if pd.api.types.is_numeric_dtype(s):
        return [v if math.isfinite(v) else None for v in s.to_numpy(dtype=float).tolist()]
    return [
        None if v is None or (isinstance(v, float) and not math.isfinite(v)) else v
        for v in s.tolist()
    ]


def write(d: ReportData, path: Path, lang: str) -> Path:
    """Write the workbook to ``path`` atomically; returns ``path``.

    Written cell by cell with xlsxwriter directly (a year of hourly dispatch is about half a
    million cells; pandas' ``to_excel`` takes several times longer for the same file)."""
    import xlsxwriter

    tables = sheets(d, lang)

    def _write(p: Path) -> None:
        wb = xlsxwriter.Workbook(str(p))
        head = wb.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2F2F2", "border": 1}
        )
        when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        try:
            for name, df in tables.items():
                ws = wb.add_worksheet(name)
                ws.write_row(0, 0, [str(c) for c in df.columns], head)
                for j, col in enumerate(df.columns):
                    is_time = pd.api.types.is_datetime64_any_dtype(df[col])
                    ws.write_column(1, j, _column_values(df[col]), when if is_time else None)
                    width = 17 if is_time else max(len(str(col)) * (2 if lang == "zh" else 1), 10)
                    ws.set_column(j, j, min(width + 2, 60))
                ws.freeze_panes(1, 1)
        finally:
            wb.close()

    atomic_write(path, _write)
    return path
