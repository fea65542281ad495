"""The Excel workbook: one sheet per table, units in every column header.

Sheets (names translated): the headline (:mod:`gridopt.report.headline`), summary (key
figures, scenario, warnings), hourly prices per bus, hourly dispatch per unit, price
decomposition, cost items, fixed costs per asset, revenue adequacy, price statistics,
time-of-use averages, price setters, prices per load, then technology, asset and load
statistics (:mod:`gridopt.statistics`), the network's lines and ties
(:mod:`gridopt.report.network`); for the results of ``gridopt plan``, after the
summary, what to build, as it is and planned, and the policy
constraints (when the scenario sets any): :mod:`gridopt.report.plan`.

Timestamps are naive local clock times (Excel has no time zones); the zone is named in the
time column's header. Money is in CNY, energy in MWh, power in MW, prices in CNY/MWh or
CNY/kWh as the header says. Numbers are written unrounded, formatted with thousands separators
and the decimals of their unit (:data:`UNIT_DECIMALS`); columns are as wide as their widest
cell.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from gridopt.io import atomic_write
from gridopt.model.family import Derived, Family, Output
from gridopt.prices import COMPONENTS
from gridopt.report.common import (
    figure_decimals,
    key_figure_rows,
    key_figure_value,
    statistics_tables,
    tenant_table,
    warning_texts,
)
from gridopt.report.data import ReportData
from gridopt.report.fonts import _wide
from gridopt.report.headline import card_rows
from gridopt.report.i18n import Translator


def sheets(d: ReportData, lang: str) -> dict[str, pd.DataFrame]:
    """The workbook's tables by sheet name (in ``lang``), in sheet order."""
    tr = Translator(lang)
    r, m = d.r, d.meta
    tz = m["timezone"]
    t_col = tr("h_time", tz=tz)
    out: dict[str, pd.DataFrame] = {}

    card = card_rows(d.headline, tr)
    head = pd.DataFrame(
        [(c.label, c.value, c.unit, c.text, c.note) for c in card],
        columns=[tr("figure"), tr("value"), tr("unit"), tr("hl_words"), tr("note")],
    )
    head.attrs["row_decimals"] = ([c.decimals if c.value is not None else None for c in card], [1])
    out[tr("sheet_headline")] = head

    kfs = key_figure_rows(d, tr)
    rows = [(label, key_figure_value(k, tr), unit) for label, _, unit, k in kfs]
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
    summary = pd.DataFrame(rows, columns=[tr("figure"), tr("value"), tr("unit")])
    summary.attrs["row_decimals"] = (
        [figure_decimals(k, tr) for *_, k in kfs] + [None] * (len(rows) - len(kfs)),
        [1],
    )
    out[tr("sheet_summary")] = summary
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
    for name, (headers, rows, dec) in statistics_tables(d, tr).items():
        sheet = {"stat_tech": "sheet_stat_tech", "stat_assets": "sheet_stat_asset"}
        out[tr(sheet.get(name, "sheet_stat_load"))] = _table(headers, rows, dec)
    from gridopt.report.network import network_tables

    for name, (headers, rows, dec) in network_tables(d, tr).items():
        out[tr(f"sheet_{name}")] = _table(headers, rows, dec)
    if d.tenants:
        headers, rows, dec = tenant_table(d, tr)
        out[tr("sheet_tenants")] = _table(headers, rows, dec)
    return out


def _table(
    headers: list[str], rows: list[list[object]], decimals: list[int | None]
) -> pd.DataFrame:
    """A (headers, rows, decimals) table as a sheet, the decimals of each column kept for its
    number format (``attrs['decimals']``)."""
    df = pd.DataFrame(rows, columns=headers)
    df.attrs["decimals"] = dict(zip(headers, decimals))
    return df


def plan_sheets(d: ReportData, tr: Translator) -> dict[str, pd.DataFrame]:
    """A plan's sheets by name: what to build (the last row the total of the money columns),
    as it is and planned, and the policy constraints when the scenario sets any; numbers in
    the units of the headers (and of the unit column), unrounded."""
    from gridopt.report.plan import build_table, comparison_table, policy_table

    out = {}
    headers, rows, dec = build_table(d.plan, tr)
    out[tr("sheet_plan_build")] = _table(headers, rows, dec)
    headers, rows, row_dec = comparison_table(d.plan, d, tr)
    compare = pd.DataFrame(rows, columns=headers)
    compare.attrs["row_decimals"] = (row_dec, [2, 3, 4])
    out[tr("sheet_plan_compare")] = compare
    policy = policy_table(d.plan, tr)
    if policy is not None:
        out[tr("sheet_plan_policy")] = _table(*policy)
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


UNIT_DECIMALS: dict[str, int] = {
    "CNY/kWh": 4,
    "元/kWh": 4,
    "CNY/MWh": 1,
    "元/MWh": 1,
    "CNY": 0,
    "元": 0,
    "CNY/yr": 0,
    "元/年": 0,
    "million CNY": 2,
    "million CNY/yr": 2,
    "万元": 0,
    "万元/年": 0,
    "%": 1,
    "MW": 1,
    "MWh": 0,
    "MWh/yr": 0,
    "MWh/年": 0,
    "MW or MWh": 1,
    "MW 或 MWh": 1,
    "GWh": 2,
    "h": 0,
    "t": 0,
    "kt": 1,
    "kg": 1,
    "kg/h": 1,
    "yr": 0,
    "年": 0,
    "1/yr": 6,
    "1/年": 6,
    "-": 3,
}
"""Decimals of a number by the unit its header names in brackets (``… [CNY/MWh]``): money in
CNY without decimals, CNY/MWh one, CNY/kWh four, shares in % one, MW one, MWh none."""

MAX_WIDTH = 120


def header_unit(header: str) -> str | None:
    """The unit in the last brackets of a column header (``"Energy [MWh]"`` -> ``"MWh"``)."""
    m = re.search(r"\[([^\[\]]+)\]\s*$", str(header))
    return m.group(1).strip() if m else None


def number_format(decimals: int | None) -> str:
    """The Excel number format of ``decimals`` decimals with thousands separators."""
    return "#,##0" if not decimals else "#,##0." + "0" * decimals


def text_width(text: str) -> int:
    """Width of ``text`` in Excel's character units: CJK and full-width characters count two."""
    return sum(2 if _wide(c) else 1 for c in text)


def _shown(v: object, decimals: int | None) -> str:
    """A cell as Excel shows it with :func:`number_format` (for the column width)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return "" if v is None else str(v)
    if not math.isfinite(v):
        return ""
    return f"{v:,.{decimals}f}" if decimals is not None else f"{v:,.6g}"


def column_decimals(df: pd.DataFrame, col: str) -> int | None:
    """Decimals of a column's numbers: the table's own (``attrs['decimals']``), else by the unit
    its header names (:data:`UNIT_DECIMALS`); None: text, or a number shown as it is."""
    own = df.attrs.get("decimals", {})
    if col in own:
        return own[col]
    unit = header_unit(col)
    return UNIT_DECIMALS.get(unit) if unit is not None else None


def column_width(values: list, decimals: int | list, header: str) -> int:
    """Width fitted to the widest cell as shown (a header wraps, so it counts up to 30), at
    least 8 and at most :data:`MAX_WIDTH`."""
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if isinstance(decimals, list):
        widest = max((text_width(_shown(v, dec)) for v, dec in zip(values, decimals)), default=0)
    else:
        texts = [v for v in values if not (isinstance(v, (int, float)) and not isinstance(v, bool))]
        finite = [v for v in nums if math.isfinite(v)]
        ends = [min(finite), max(finite)] if finite else []
        widest = max(
            [text_width(_shown(v, decimals)) for v in ends]
            + [text_width(str(v)) for v in texts if v is not None],
            default=0,
        )
    return min(max(widest, min(text_width(str(header)), 30), 8) + 2, MAX_WIDTH)


def write(d: ReportData, path: Path, lang: str) -> Path:
    """Write the workbook to ``path`` atomically; returns ``path``.

    Written cell by cell with xlsxwriter directly (a year of hourly dispatch is about half a
    million cells; pandas' ``to_excel`` takes several times longer for the same file). Every
    number has a format with thousands separators and the decimals of its unit
    (:func:`column_decimals`; the value column of the headline, summary and comparison sheets
    row by row, ``attrs['row_decimals']``), every column the width of its widest cell
    (:func:`column_width`), the header row frozen."""
    import xlsxwriter

    tables = sheets(d, lang)

    def _write(p: Path) -> None:
        wb = xlsxwriter.Workbook(str(p))
        head = wb.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2F2F2", "border": 1}
        )
        when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        formats: dict[int, object] = {}

        def fmt_of(dec: int | None):
            if dec is None:
                return None
            if dec not in formats:
                formats[dec] = wb.add_format({"num_format": number_format(dec)})
            return formats[dec]

        try:
            for name, df in tables.items():
                ws = wb.add_worksheet(name)
                ws.write_row(0, 0, [str(c) for c in df.columns], head)
                row_dec, row_cols = df.attrs.get("row_decimals", ([], []))
                for j, col in enumerate(df.columns):
                    values = _column_values(df.iloc[:, j])
                    if pd.api.types.is_datetime64_any_dtype(df.iloc[:, j]):
                        ws.write_column(1, j, values, when)
                        ws.set_column(j, j, 18)
                        continue
                    if j in row_cols:
                        for i, (v, dec) in enumerate(zip(values, row_dec)):
                            ws.write(
                                i + 1, j, v, fmt_of(dec) if isinstance(v, (int, float)) else None
                            )
                        ws.set_column(j, j, column_width(values, list(row_dec), str(col)))
                        continue
                    dec = column_decimals(df, col)
                    ws.write_column(1, j, values, fmt_of(dec))
                    ws.set_column(j, j, column_width(values, dec, str(col)))
                ws.freeze_panes(1, 1)
        finally:
            wb.close()

    atomic_write(path, _write)
    return path
