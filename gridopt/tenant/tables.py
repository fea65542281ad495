"""The tenants as tables: the DataFrame behind ``tenant.csv`` and the report's tenant section
(:func:`tenant_frame`), and the table ``gridopt tenant`` prints (:func:`format_table`), with
their zh/en labels (:data:`LABELS`, from the ``tenant_*`` texts of :mod:`gridopt.report.i18n`)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pandas as pd

from gridopt.console import status
from gridopt.report import check_lang
from gridopt.report.i18n import LANGUAGES, TEXTS, Translator
from gridopt.tenant.study import TenantStudy

UNITS: dict[str, str] = {
    "flex_band": "u_percent",
    "mean_mw": "u_mw",
    "energy_mwh": "u_mwh",
    "short_run_incremental_cost_cny_per_mwh": "u_cny_per_mwh",
    "marginal_weighted_price_cny_per_mwh": "u_cny_per_mwh",
    "short_run_price_cny_per_kwh": "u_cny_per_kwh",
    "long_run_incremental_cost_cny_per_mwh": "u_cny_per_mwh",
    "offer_price_cny_per_kwh": "u_cny_per_kwh",
    "green_share": "u_percent",
    "absorbed_curtailment_mwh": "u_mwh",
    "unserved_energy_mwh": "u_mwh",
    "delta_coal_mwh": "u_mwh",
    "delta_emissions_t": "u_t",
    "existing_loads_price_change_cny_per_mwh": "u_cny_per_mwh",
    "peak_import_mw": "u_mw",
    "delta_storage_throughput_mwh": "u_mwh",
    "flexibility": "u_cny_per_mwh",
    "flexibility_long_run": "u_cny_per_mwh",
    "benchmark": "u_cny_per_kwh",
    "provincial": "u_cny_per_kwh",
    "network": "u_cny_per_kwh",
}
"""Unit of a labelled key: key -> the :mod:`gridopt.report.i18n` key of its unit (none: no unit)."""


def label(tr: Translator, key: str) -> tuple[str, str]:
    """(label, unit) of ``key`` in the language of ``tr``: the text ``tenant_<key>`` of
    :mod:`gridopt.report.i18n` and the text of its unit in :data:`UNITS` ('' for none)."""
    return tr(f"tenant_{key}"), (tr(UNITS[key]) if key in UNITS else "")


def _labels(lang: str) -> dict[str, tuple[str, str]]:
    tr = Translator(lang)
    keys = [k.removeprefix("tenant_") for k in TEXTS[lang] if k.startswith("tenant_")]
    return {k: label(tr, k) for k in keys}


LABELS: dict[str, dict[str, tuple[str, str]]] = {lang: _labels(lang) for lang in LANGUAGES}
"""Labels of the printed table and of :func:`tenant_frame` (``lang='zh'``): key -> (label, unit)
for every ``tenant_*`` text of :mod:`gridopt.report.i18n`."""

TABLE_COLUMNS = (
    "rank",
    "name",
    "bus",
    "flex_band",
    "mean_mw",
    "energy_mwh",
    "short_run_incremental_cost_cny_per_mwh",
    "marginal_weighted_price_cny_per_mwh",
    "short_run_price_cny_per_kwh",
    "long_run_incremental_cost_cny_per_mwh",
    "offer_price_cny_per_kwh",
    "green_share",
    "absorbed_curtailment_mwh",
    "fits",
)
"""Columns of the printed table (the long-run cost and the offer price only in plan mode)."""
LONG_RUN_COLUMNS = ("long_run_incremental_cost_cny_per_mwh", "offer_price_cny_per_kwh")

FRAME_COLUMNS = (
    "rank",
    "name",
    "bus",
    "source",
    "flex_band",
    "window_h",
    "mean_mw",
    "peak_mw",
    "energy_mwh",
    "annual_energy_mwh",
    "short_run_incremental_cost_cny_per_mwh",
    "marginal_weighted_price_cny_per_mwh",
    "marginal_weighted_price_base_cny_per_mwh",
    "short_run_price_cny_per_kwh",
    "marginal_weighted_price_with_charges_cny_per_kwh",
    "long_run_incremental_cost_cny_per_mwh",
    "offer_price_cny_per_kwh",
    "long_run_delta_capacity_cost_cny",
    "long_run_delta_operating_cost_cny",
    "benchmark_cny_per_kwh",
    "provincial_tariff_cny_per_kwh",
    "short_run_price_minus_provincial_cny_per_kwh",
    "offer_minus_benchmark_cny_per_kwh",
    "offer_minus_provincial_cny_per_kwh",
    "green_share",
    "green_share_grid_mix",
    "absorbed_curtailment_mwh",
    "unserved_energy_mwh",
    "peak_unserved_mw",
    "fits",
    "delta_cost_cny",
    "delta_coal_mwh",
    "delta_thermal_mwh",
    "delta_emissions_t",
    "emissions_intensity_t_per_mwh",
    "existing_loads_price_change_cny_per_mwh",
    "existing_loads_bill_change_cny",
    "peak_import_mw",
    "delta_peak_import_mw",
    "delta_import_mwh",
    "delta_export_mwh",
    "delta_storage_throughput_mwh",
    "delta_storage_cycles",
)
"""Columns of :func:`tenant_frame` (and ``tenant.csv``) before the flexibility-curve columns."""


def _load(source: TenantStudy | dict | str | Path) -> dict:
    if isinstance(source, TenantStudy):
        return source.to_dict()
    if isinstance(source, dict):
        return source

    p = Path(source)
    if p.is_dir():
        p = p / "tenant.json"
    return json.loads(p.read_text(encoding="utf-8"))


def tenant_frame(source: TenantStudy | dict | str | Path, lang: str | None = None) -> pd.DataFrame:
    """The tenants as a DataFrame, one row per tenant in rank order, for reports and workbooks.

    ``source``: a :class:`TenantStudy`, the ``tenant.json`` dict, or the path of ``tenant.json``
    (or of its folder). Columns: :data:`FRAME_COLUMNS` (the long-run ones empty without
    expansion options), then ``short_run_incremental_cost_band_<b>pct_cny_per_mwh`` per band (b
    in %) and, in plan mode, ``long_run_incremental_cost_band_<b>pct_cny_per_mwh``. Shares are fractions (0..1). ``lang='zh'`` or ``'en'`` renames the columns
    that have a label to ``label [unit]`` (shares then in %); None keeps the stable keys.
    """
    data = _load(source)
    rows = []
    for t in sorted(data["tenants"], key=lambda f: f.get("rank", 0)):
        row = {k: t.get(k) for k in FRAME_COLUMNS}
        for band, ic in t["flexibility_curve"].items():
            row[f"short_run_incremental_cost_band_{float(band) * 100:g}pct_cny_per_mwh"] = ic
        for band, ic in (t.get("long_run_flexibility_curve") or {}).items():
            row[f"long_run_incremental_cost_band_{float(band) * 100:g}pct_cny_per_mwh"] = ic
        rows.append(row)
    df = pd.DataFrame(rows)
    if lang is not None:
        lab = LABELS[check_lang(lang)]
        for k in df.columns:  # shares are fractions in the data, shown in % under a "%" label
            if k in lab and lab[k][1] == "%":
                df[k] = 100 * df[k]
        df = df.rename(
            columns={
                k: (f"{lab[k][0]} [{lab[k][1]}]" if lab[k][1] else lab[k][0])
                for k in df.columns
                if k in lab
            }
        )
    return df


def _width(s: str) -> int:
    """Display width in a terminal (CJK characters take two cells)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int, left: bool) -> str:
    fill = " " * max(w - _width(s), 0)
    return s + fill if left else fill + s


def _cell(key: str, f: dict, lab: dict) -> str:
    v = f.get(key)
    if v is None:
        return "-"
    if key == "fits":
        return lab["yes"][0] if v else lab["no"][0]
    if key in ("rank",):
        return str(v)
    if key in ("name", "bus"):
        return str(v)
    if key in ("green_share", "flex_band"):
        return f"{100 * v:.0f}"
    if key in ("short_run_price_cny_per_kwh", "offer_price_cny_per_kwh"):
        return f"{v:.4f}"
    if key in ("energy_mwh", "absorbed_curtailment_mwh"):
        return f"{v:,.0f}"
    return f"{v:,.1f}"


def format_table(source: TenantStudy | dict, lang: str = "en") -> str:
    """The comparison table (tenants ranked: fitting first, then by offer price, or short-run
    price without expansion options, and green share), the tariffs to compare with, what the
    short-run figure is (and, in plan mode, each tenant's offer price and what is built for
    it), and one block per tenant with its grid changes and its flexibility value curve(s);
    headers in ``lang`` ('en' or 'zh')."""
    lang = check_lang(lang)
    tr = Translator(lang)
    lab = LABELS[lang]
    data = _load(source)
    ranked = sorted(data["tenants"], key=lambda f: f["rank"])
    tf = data["tariffs_cny_per_kwh"]
    start = str(data["start"])[:16]
    lines = [
        tr(
            "tenant_title",
            scenario=data["scenario"],
            hours=data["hours"],
            start=start,
            timezone=data["timezone"],
            status=status(lang, data["solver_status"]),
        )
    ]
    plan = data.get("mode") == "plan"
    columns = [k for k in TABLE_COLUMNS if plan or k not in LONG_RUN_COLUMNS]
    heads = [(lab[k][0], lab[k][1]) for k in columns]
    cells = [[_cell(k, f, lab) for k in columns] for f in ranked]
    widths = [
        max([_width(h[0]), _width(h[1])] + [_width(r[j]) for r in cells])
        for j, h in enumerate(heads)
    ]
    left = [k in ("name", "bus") for k in columns]
    for row in ([h[0] for h in heads], [h[1] for h in heads]):
        lines.append("  ".join(_pad(c, w, lf) for c, w, lf in zip(row, widths, left)).rstrip())
    for r in cells:
        lines.append("  ".join(_pad(c, w, lf) for c, w, lf in zip(r, widths, left)).rstrip())
    lines.append(
        f"{lab['benchmark'][0]} {tf['benchmark']:.4f} {lab['benchmark'][1]} · "
        f"{lab['provincial'][0]} {tf['provincial']:.4f} {lab['provincial'][1]} · "
        f"{lab['network'][0]} {tf['network_charge']:.4f} + {tf['funds']:.4f} {lab['network'][1]}"
    )
    lines.append(tr("tenant_short_run_note"))
    if plan:
        for f in ranked:
            lines.append(_offer_line(f, tr, lab))
    sep = tr("tenant_sep")
    for f in ranked:
        lines.append("")
        head = f"{f['name']} ({f['bus']}, {lab['flex_band'][0]} {100 * f['flex_band']:.0f} %)"
        if not f["fits"]:
            head += " — " + tr(
                "tenant_not_fit", mwh=f["unserved_energy_mwh"], mw=f["peak_unserved_mw"]
            )
        lines.append(head)
        ch = [
            (k, f[k])
            for k in (
                "delta_coal_mwh",
                "delta_emissions_t",
                "existing_loads_price_change_cny_per_mwh",
                "delta_storage_throughput_mwh",
            )
        ]
        parts = [f"{lab[k][0]} {v:+,.1f} {lab[k][1]}" for k, v in ch]
        parts.insert(
            3,
            f"{lab['peak_import_mw'][0]} {f['peak_import_mw']:,.0f} MW ({f['delta_peak_import_mw']:+,.0f})",
        )
        lines.append(f"  {lab['changes'][0]}: " + sep.join(parts))
        for run, key in (("short_run", "flexibility"), ("long_run", "flexibility_long_run")):
            if not plan and run == "long_run":
                continue
            curve = []
            for v in f["flexibility_value"]:
                s = f"{100 * v['band']:g} % {v[f'{run}_incremental_cost_cny_per_mwh']:,.1f}"
                if v["band"] > 0:
                    s += (
                        " ("
                        + tr(
                            "tenant_saves",
                            per_mwh=v[f"{run}_saving_cny_per_mwh"],
                            per_yr=tr.money(v[f"{run}_saving_cny_per_yr"]),  # M CNY or 万元 /yr
                        )
                        + ")"
                    )
                curve.append(s)
            lines.append(f"  {lab[key][0]} [{lab[key][1]}]: " + " | ".join(curve))
    return "\n".join(lines)


def _offer_line(f: dict, tr: Translator, lab: dict) -> str:
    """One tenant's offer price, what it is made of, its distance to the tariffs, and what the
    plan builds for it (plan mode)."""
    built = [
        f"{b['asset']}.{b['capacity']} {b['delta_new'] - b['delta_retired']:+,.1f} {b['unit']}"
        for b in f.get("build_for_tenant") or []
    ]
    return tr(
        "tenant_offer_line",
        name=f["name"],
        offer=f["offer_price_cny_per_kwh"],
        lric=f["long_run_incremental_cost_cny_per_mwh"],
        net=f["offer_price_cny_per_kwh"] - f["long_run_incremental_cost_cny_per_mwh"] / 1000,
        vs_benchmark=f["offer_minus_benchmark_cny_per_kwh"],
        vs_provincial=f["offer_minus_provincial_cny_per_kwh"],
        built=tr("tenant_sep").join(built) if built else tr("tenant_built_nothing"),
    )
