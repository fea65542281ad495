"""Formatting shared by the HTML, Excel and PNG writers (numbers, key figures, warnings)."""

from __future__ import annotations

import math

from gridopt.report.data import KeyFigure, ReportData
from gridopt.report.i18n import Translator
from gridopt.report.textfmt import esc as esc  # re-exported for the writers
from gridopt.report.textfmt import fmt as fmt

Table = tuple[list[str], list[list[object]], list[int | None]]


def key_figure_rows(d: ReportData, tr: Translator) -> list[tuple[str, str, str, KeyFigure]]:
    """(label, formatted value, unit, figure) for each key figure, in ``tr``'s language."""
    rows = []
    for k in d.key_figures:
        value = tr.money(k.value) if k.money and isinstance(k.value, (int, float)) else k.value
        rows.append((tr(k.key, **k.fields), fmt(value, figure_decimals(k, tr)), tr(k.unit), k))
    return rows


def figure_decimals(k: KeyFigure, tr: Translator) -> int:
    """Decimals a key figure is shown with: its own, money in the language's money unit with
    two for million CNY and none for 万元 (:func:`gridopt.report.plan.money_decimals`)."""
    from gridopt.report.plan import money_decimals

    return money_decimals(tr) if k.money else k.decimals


def key_figure_value(k: KeyFigure, tr: Translator) -> float | str | None:
    """The value of a key figure in the unit shown (money in the language's money unit)."""
    if k.money and isinstance(k.value, (int, float)):
        return tr.money(k.value)
    if isinstance(k.value, float) and not math.isfinite(k.value):
        return None
    return k.value


def warning_texts(d: ReportData, tr: Translator) -> list[tuple[str, bool]]:
    """(text, loud) for each warning; loud ones are unserved energy, dumped excess and a
    non-optimal solve."""
    out = []
    for key, fields in d.warnings:
        f = dict(fields)
        if "cny_value" in f:
            f["cny"] = f"{fmt(tr.money(f.pop('cny_value')), 0)} {tr('u_money')}"
        out.append(
            (
                tr(key, **f),
                key in ("warn_unserved", "warn_excess", "warn_solver", "warn_tenant_unfit"),
            )
        )
    return out


#: tenant table columns: (tenant.json key, header key, decimals, scale to the unit shown)
TENANT_COLUMNS: tuple[tuple[str, str, int, float], ...] = (
    ("rank", "h_rank", 0, 1.0),
    ("name", "h_tenant", 0, 1.0),
    ("bus", "h_bus", 0, 1.0),
    ("flex_band", "h_flex_band", 0, 100.0),
    ("mean_mw", "h_mean_mw", 1, 1.0),
    ("energy_mwh", "h_energy_mwh", 0, 1.0),
    ("short_run_incremental_cost_cny_per_mwh", "tenant_h_short_run_cost", 1, 1.0),
    ("marginal_weighted_price_cny_per_mwh", "h_marg_weighted", 1, 1.0),
    ("short_run_price_cny_per_kwh", "tenant_h_short_run_price", 4, 1.0),
    ("short_run_price_minus_provincial_cny_per_kwh", "tenant_h_short_run_minus_provincial", 4, 1.0),
    ("long_run_incremental_cost_cny_per_mwh", "tenant_h_long_run_cost", 1, 1.0),
    ("offer_price_cny_per_kwh", "tenant_h_offer_price", 4, 1.0),
    ("green_share", "h_green_share", 1, 100.0),
    ("absorbed_curtailment_mwh", "h_absorbed", 0, 1.0),
    ("delta_coal_mwh", "h_delta_coal", 0, 1.0),
    ("delta_emissions_t", "h_delta_co2", 0, 1.0),
    ("existing_loads_price_change_cny_per_mwh", "h_existing_price", 2, 1.0),
    ("peak_import_mw", "h_peak_import", 0, 1.0),
    ("delta_storage_throughput_mwh", "h_delta_storage", 0, 1.0),
    ("unserved_energy_mwh", "h_unserved_mwh", 1, 1.0),
    ("fits", "h_fits", 0, 1.0),
)


def tenant_table(
    d: ReportData, tr: Translator
) -> tuple[list[str], list[list[object]], list[int | None]]:
    """The tenant comparison in ``tr``'s language: headers, rows of values in the units the
    headers name (shares in %), and the decimals of each column (None: text). Then one column
    per flexibility band with the short-run incremental cost at that band, and, when a tenant
    has a ``long_run_flexibility_curve`` (plan mode), one per band with the long-run one."""
    bands = sorted({float(b) for t in d.tenants for b in t.get("flexibility_curve", {})})
    lr_bands = sorted(
        {float(b) for t in d.tenants for b in (t.get("long_run_flexibility_curve") or {})}
    )
    headers = (
        [tr(h) for _, h, _, _ in TENANT_COLUMNS]
        + [tr("h_incr_cost_band", band=100 * b) for b in bands]
        + [tr("h_lric_band", band=100 * b) for b in lr_bands]
    )
    decimals: list[int | None] = [
        None if k in ("name", "bus", "fits") else dec for k, _, dec, _ in TENANT_COLUMNS
    ] + [1] * (len(bands) + len(lr_bands))
    rows = []
    for t in d.tenants:
        row: list[object] = []
        for key, _, _, scale in TENANT_COLUMNS:
            v = t.get(key)
            if key == "fits":
                v = tr("yes") if v else tr("no")
            elif isinstance(v, (int, float)) and not isinstance(v, bool) and scale != 1.0:
                v = v * scale
            row.append(v)
        curve = {float(b): v for b, v in t.get("flexibility_curve", {}).items()}
        row += [curve.get(b) for b in bands]
        lr = {float(b): v for b, v in (t.get("long_run_flexibility_curve") or {}).items()}
        row += [lr.get(b) for b in lr_bands]
        rows.append(row)
    return headers, rows, decimals


#: technology statistics columns (gridopt.statistics): (column, header key, decimals, scale)
STAT_COLUMNS: tuple[tuple[str, str, int, float], ...] = (
    ("capacity_mw", "h_capacity_mw", 0, 1.0),
    ("energy_mwh", "h_energy_out_mwh", 0, 1.0),
    ("capacity_factor", "h_capacity_factor", 1, 100.0),
    ("curtailment_mwh", "h_curtailment_mwh", 0, 1.0),
    ("curtailment_share", "h_curtailment_share", 1, 100.0),
    ("capture_price_cny_per_mwh", "h_capture_price", 1, 1.0),
    ("market_value_ratio", "h_market_value", 3, 1.0),
    ("revenue_cny", "h_revenue_cny", 0, 1.0),
    ("operating_cost_cny", "h_opcost_cny", 0, 1.0),
    ("annual_fixed_cny_per_yr", "h_annual_fixed", 0, 1.0),
    ("fixed_cny", "h_horizon_fixed", 0, 1.0),
    ("levelised_cost_cny_per_mwh", "h_levelised", 1, 1.0),
)


def statistics_tables(d: ReportData, tr: Translator) -> dict[str, Table]:
    """The technology statistics (:mod:`gridopt.statistics`) as tables in ``tr``'s language:
    ``stat_tech`` (per technology), ``stat_assets`` (per asset) and ``stat_loads`` (per load,
    then per tenant): (headers, rows in the units the headers name, shares in %, decimals per
    column; None: text)."""
    from gridopt.report.plan import family_label

    def numbers(row) -> list[object]:
        return [
            None if row[c] is None or not math.isfinite(row[c]) else row[c] * s
            for c, _, _, s in STAT_COLUMNS
        ]

    heads = [tr(h) for _, h, _, _ in STAT_COLUMNS]
    decs: list[int | None] = [dec for _, _, dec, _ in STAT_COLUMNS]
    out: dict[str, Table] = {}
    t = d.stat_tech
    out["stat_tech"] = (
        [tr("h_technology"), tr("h_family"), *heads],
        [[tr.tech(k), family_label(row["family"], tr), *numbers(row)] for k, row in t.iterrows()],
        [None, None, *decs],
    )
    a = d.stat_assets
    out["stat_assets"] = (
        [tr("h_asset"), tr("h_family"), tr("h_technology"), tr("h_bus"), *heads],
        [
            [
                k,
                family_label(row["family"], tr),
                tr.tech(row["technology"]),
                row["bus"],
                *numbers(row),
            ]
            for k, row in a.iterrows()
        ],
        [None] * 4 + decs,
    )
    lo = d.stat_loads
    out["stat_loads"] = (
        [tr("h_load_name"), tr("h_kind"), tr("h_bus"), tr("h_energy_mwh"), tr("h_load_price")],
        [
            [
                k,
                tr("st_tenant") if row["family"] == "tenant" else family_label(row["family"], tr),
                row["bus"],
                row["energy_mwh"],
                row["load_weighted_price_cny_per_mwh"],
            ]
            for k, row in lo.iterrows()
        ],
        [None, None, None, 0, 1],
    )
    return out
