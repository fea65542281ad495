"""The sweep's tables, read back from the case folders: ``sweep.csv``, ``sweep_bands.csv``,
``sweep.nc`` and ``sweep.html``.

Every number comes from a case's ``summary.json`` (written by ``gridopt run``'s code, with the
price fields of :mod:`gridopt.prices`) or its ``case.json`` (the average marginal price). The
tables are rebuilt from the folders every time, so a resumed sweep gives the same tables as an
uninterrupted one.

Price band: for every combination of the swept parameters, the 10th, 50th and 90th percentile
across weather years (numpy's default linear interpolation between the sorted values, failed
cases left out) of the delivered price and of the average marginal price.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.io import NETCDF_ENGINE, atomic_write, write_netcdf
from gridopt.report.i18n import Translator
from gridopt.sweep.cases import CASE_FILE, DONE_FILE, ERROR_FILE, case_dir
from gridopt.sweep.plan import SweepPlan

#: numbers of a case: column -> (units, description, source file)
METRICS: dict[str, tuple[str, str]] = {
    "delivered_price_cny_per_kwh": (
        "CNY/kWh",
        "delivered industrial price (gridopt.prices): cost-recovery price + network charge + funds",
    ),
    "cost_recovery_cny_per_mwh": (
        "CNY/MWh",
        "cost-recovery price of the local system (gridopt.prices)",
    ),
    "avg_marginal_price_cny_per_mwh": (
        "CNY/MWh",
        "marginal price averaged over all buses and hours, weighted by the load at each bus-hour",
    ),
    "curtailment_mwh": ("MWh", "wind and PV available but not used"),
    "emissions_t": ("t", "thermal CO2 emissions"),
    "unserved_energy_mwh": ("MWh", "demand not served (priced at the value of lost load)"),
    "objective_cny": ("CNY", "operating cost of the horizon (the objective)"),
}
#: metrics read from summary.json that other modules add (NaN when a case has none)
PRICE_KEYS = ("delivered_price_cny_per_kwh", "cost_recovery_cny_per_mwh")
BAND_METRICS = ("delivered_price_cny_per_kwh", "avg_marginal_price_cny_per_mwh")
QUANTILES = (0.1, 0.5, 0.9)


def _num(x: Any) -> float:
    try:
        return float(x) if x is not None else math.nan
    except (TypeError, ValueError):
        return math.nan


def sweep_table(plan: SweepPlan, out_dir: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """One row per case, in plan order: ``case_id``, one column per swept path,
    ``weather_year``, ``status`` (ok | failed | not run), the metrics of :data:`METRICS` and
    ``error`` (first line). Returns the table and notes (e.g. price keys missing)."""
    rows, missing = [], {k: 0 for k in PRICE_KEYS}
    for c in plan.cases:
        d = case_dir(Path(out_dir), c)
        row: dict[str, Any] = {
            "case_id": c.case_id,
            **c.params,
            "weather_year": c.weather_year if c.weather_year is not None else pd.NA,
        }
        metrics = {k: math.nan for k in METRICS}
        error = ""
        if (d / DONE_FILE).exists():
            status = "ok"
            s = json.loads((d / DONE_FILE).read_text(encoding="utf-8"))
            for k in METRICS:
                if k in s:
                    metrics[k] = _num(s[k])
                elif k in PRICE_KEYS:
                    missing[k] += 1
            rec = (
                json.loads((d / CASE_FILE).read_text(encoding="utf-8"))
                if (d / CASE_FILE).exists()
                else {}
            )
            metrics["avg_marginal_price_cny_per_mwh"] = _num(
                rec.get("avg_marginal_price_cny_per_mwh")
            )
        elif (d / ERROR_FILE).exists():
            status = "failed"
            lines = (d / ERROR_FILE).read_text(encoding="utf-8").splitlines()
            error = lines[1] if len(lines) > 1 else "failed"
        else:
            status = "not run"
        row["status"] = status
        row.update(metrics)
        row["error"] = error
        rows.append(row)
    cols = ["case_id", *plan.params, "weather_year", "status", *METRICS, "error"]
    table = pd.DataFrame(rows, columns=cols)
    notes = [
        f"{n} ok case(s) have no {k} in summary.json (gridopt.prices not applied when they ran): NaN in the tables"
        for k, n in missing.items()
        if n
    ]
    return table, notes


def price_bands(table: pd.DataFrame, params: list[str]) -> pd.DataFrame:
    """P10/P50/P90 across weather years of the delivered and average marginal price, one row
    per combination of the swept parameters (in the order of the table).

    Columns: the swept paths, ``n_weather_years`` (ok cases behind the band), then
    ``<metric>_p10``, ``<metric>_p50``, ``<metric>_p90`` for ``delivered_price_cny_per_kwh``
    and ``avg_marginal_price_cny_per_mwh``. A band over no ok case is NaN.
    """
    rows_of = (
        list(table[params].itertuples(index=False, name=None)) if params else [()] * len(table)
    )
    order: dict[str, list[int]] = {}
    for i, values in enumerate(rows_of):
        order.setdefault(json.dumps(values, sort_keys=True, default=str), []).append(i)
    rows = []
    for idx in order.values():
        sub = table.iloc[idx]
        ok = sub[sub["status"] == "ok"]
        row: dict[str, Any] = dict(zip(params, rows_of[idx[0]]))
        row["n_weather_years"] = len(ok)
        for m in BAND_METRICS:
            vals = ok[m].to_numpy(dtype=float)
            vals = vals[np.isfinite(vals)]
            for q in QUANTILES:
                row[f"{m}_p{round(q * 100)}"] = (
                    float(np.quantile(vals, q)) if len(vals) else math.nan
                )
        rows.append(row)
    return pd.DataFrame(
        rows,
        columns=[
            *params,
            "n_weather_years",
            *[f"{m}_p{round(q * 100)}" for m in BAND_METRICS for q in QUANTILES],
        ],
    )


def read_price_bands(out_dir: str | Path) -> pd.DataFrame:
    """The price-band table of a finished sweep (``DIR/sweep_bands.csv``) as a DataFrame; the
    swept paths are in ``df.attrs['parameters']`` (for reports)."""
    out_dir = Path(out_dir)
    df = pd.read_csv(out_dir / "sweep_bands.csv")
    ds = xr.open_dataset(out_dir / "sweep.nc", engine=NETCDF_ENGINE)
    try:
        df.attrs["parameters"] = json.loads(ds.attrs.get("parameters", "[]"))
    finally:
        ds.close()
    return df


def _coord(values: list[Any]) -> np.ndarray:
    """Grid coordinate of a swept path: numbers as numbers, anything else as its JSON text."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=int if all(isinstance(v, int) for v in values) else float)
    return np.array(
        [v if isinstance(v, str) else json.dumps(v, sort_keys=True) for v in values], dtype=str
    )


def sweep_dataset(plan: SweepPlan, table: pd.DataFrame, bands: pd.DataFrame) -> xr.Dataset:
    """The sweep as one xarray Dataset (the layout of ``sweep.nc``, docs/sweep.md):

    - grid: dims = the swept paths (in order) and ``weather_year``; every metric, ``status`` and
      ``case_id`` on the grid (one cell per case: the sweep is a cartesian product);
    - bands: ``<metric>_band`` on (``quantile``, swept paths) with quantile 0.1, 0.5, 0.9, and
      ``n_weather_years``;
    - cases: dim ``case`` (case ids, in ``sweep.csv`` order) with ``case_weather_year``,
      ``case_status``, ``case_error`` and ``case_<path>`` (the value of each swept path).
    """
    params = plan.params
    wy = [(-1 if w is None else int(w)) for w in plan.weather_coords]
    coords: dict[str, Any] = {p: _coord(v) for p, v in plan.sets}
    coords["weather_year"] = np.array(wy, dtype=int)
    shape = tuple(len(v) for _, v in plan.sets) + (len(wy),)
    dims = (*params, "weather_year")
    ds = xr.Dataset(coords=coords)
    ds["weather_year"].attrs["description"] = "seed of the synthetic weather of the case" + (
        ""
        if plan.weather_years
        else " (weather not swept: the scenario's own seed; -1: none or several)"
    )
    grids: dict[str, np.ndarray] = {m: np.full(shape, np.nan) for m in METRICS}
    status = np.full(shape, "not run", dtype=object)
    ids = np.full(shape, "", dtype=object)
    for c, (_, row) in zip(plan.cases, table.iterrows()):
        for m in METRICS:
            grids[m][c.position] = row[m]
        status[c.position] = row["status"]
        ids[c.position] = c.case_id
    for m, (units, desc) in METRICS.items():
        ds[m] = xr.DataArray(grids[m], dims=dims, attrs={"units": units, "description": desc})
    ds["status"] = xr.DataArray(
        status.astype(str), dims=dims, attrs={"description": "ok | failed | not run"}
    )
    ds["case_id"] = xr.DataArray(
        ids.astype(str), dims=dims, attrs={"description": "folder of the case under cases/"}
    )

    ds = ds.assign_coords(quantile=np.array(QUANTILES))
    bshape = tuple(len(v) for _, v in plan.sets)
    n_ok = np.zeros(bshape, dtype=int)
    band = {m: np.full((len(QUANTILES),) + bshape, np.nan) for m in BAND_METRICS}
    positions = list(np.ndindex(*bshape)) if bshape else [()]
    for pos, (_, row) in zip(positions, bands.iterrows()):
        n_ok[pos] = row["n_weather_years"]
        for m in BAND_METRICS:
            for i, q in enumerate(QUANTILES):
                band[m][(i,) + pos] = row[f"{m}_p{round(q * 100)}"]
    ds["n_weather_years"] = xr.DataArray(
        n_ok, dims=tuple(params), attrs={"description": "ok weather years behind each band"}
    )
    for m in BAND_METRICS:
        ds[f"{m}_band"] = xr.DataArray(
            band[m],
            dims=("quantile", *params),
            attrs={
                "units": METRICS[m][0],
                "description": f"P10/P50/P90 of {m} across weather years",
            },
        )

    ds = ds.assign_coords(case=np.array([c.case_id for c in plan.cases], dtype=str))
    ds["case_weather_year"] = xr.DataArray(
        np.array([-1 if c.weather_year is None else c.weather_year for c in plan.cases], dtype=int),
        dims=("case",),
    )
    ds["case_status"] = xr.DataArray(table["status"].to_numpy(dtype=str), dims=("case",))
    ds["case_error"] = xr.DataArray(table["error"].to_numpy(dtype=str), dims=("case",))
    for i, p in enumerate(params):
        ds[f"case_{p}"] = xr.DataArray(
            np.array([ds[p].values[c.position[i]] for c in plan.cases]),
            dims=("case",),
            attrs={"description": f"value of {p} in each case"},
        )
    ds.attrs.update(
        scenario_file=str(plan.scenario_path),
        parameters=json.dumps(params),
        weather_years_swept=int(bool(plan.weather_years)),
        quantile_method="numpy linear interpolation, failed cases left out",
        avg_marginal_price_definition="sum over buses and hours of price x load / total load",
    )
    return ds


PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def sweep_figure(
    bands: pd.DataFrame,
    table: pd.DataFrame,
    params: list[str],
    metric: str = "delivered_price_cny_per_kwh",
    lang: str = "en",
):
    """A plotly figure of ``metric``: the P50 line against the first swept parameter with the
    P10-P90 band shaded, one line per combination of the other parameters (weather years only:
    the value of each weather year, with the band)."""
    import plotly.graph_objects as go

    tr = Translator(lang)
    fig = go.Figure()
    if not params:
        ok = table[table["status"] == "ok"]
        row = bands.iloc[0]
        fig.add_hrect(
            y0=row[f"{metric}_p10"],
            y1=row[f"{metric}_p90"],
            fillcolor=PALETTE[0],
            opacity=0.2,
            line_width=0,
            annotation_text="P10-P90",
        )
        fig.add_trace(
            go.Scatter(
                x=ok["weather_year"].astype(str),
                y=ok[metric],
                mode="markers",
                name=tr("sweep_weather_year"),
            )
        )
        fig.update_layout(xaxis_title=tr("sweep_weather_year"))
    else:
        x, others = params[0], params[1:]
        keyed = bands.assign(**{f"_{p}": bands[p].astype(str) for p in others})
        groups = keyed.groupby([f"_{p}" for p in others], sort=False) if others else [((), bands)]
        for i, (key, g) in enumerate(groups):
            key = key if isinstance(key, tuple) else (key,)
            name = ", ".join(f"{p}={v}" for p, v in zip(others, key)) or tr(f"sweep_{metric}")
            color = PALETTE[i % len(PALETTE)]
            xs = list(g[x])
            lo, mid, hi = (g[f"{metric}_p{q}"].to_numpy(dtype=float) for q in (10, 50, 90))
            fig.add_trace(
                go.Scatter(
                    x=xs + xs[::-1],
                    y=list(hi) + list(lo[::-1]),
                    mode="lines",
                    fill="toself",
                    fillcolor=color,
                    opacity=0.2,
                    line={"width": 0},
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=name,
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=mid,
                    mode="lines+markers",
                    name=f"{name} ({tr('sweep_band')})",
                    line={"color": color},
                    legendgroup=name,
                )
            )
        fig.update_layout(xaxis_title=x)
    fig.update_layout(
        title=tr("sweep_chart", metric=tr(f"sweep_{metric}")),
        yaxis_title=tr(f"sweep_{metric}"),
        template="plotly_white",
        font={"family": "'gridopt CJK', Arial, 'Microsoft YaHei', 'PingFang SC', sans-serif"},
        height=480,
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 70, "r": 30, "t": 70, "b": 60},
    )
    return fig


def _html_table(df: pd.DataFrame) -> str:
    import html

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return "-" if not math.isfinite(v) else f"{v:,.4f}" if abs(v) < 10 else f"{v:,.1f}"
    return "" if v is None else str(v)


_PLOTLY_JS = "<!--PLOTLY-JS-->"


def sweep_page(
    bands: pd.DataFrame, table: pd.DataFrame, params: list[str], lang: str = "en"
) -> str:
    """``sweep.html``: one offline page (plotly.js embedded once) with the band chart of the
    delivered price and of the average marginal price, the band table, failed cases (loudly)
    and every case."""
    import html

    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    from gridopt.report.fonts import figure_text, font_face_css

    tr = Translator(lang)
    n, failed = len(table), table[table["status"] != "ok"]
    years = int(bands["n_weather_years"].max()) if len(bands) and "n_weather_years" in bands else 0
    charts, drawn = [], []
    for metric in BAND_METRICS:
        if not np.isfinite(bands[f"{metric}_p50"].to_numpy(dtype=float)).any():
            continue
        fig = sweep_figure(bands, table, params, metric, lang)
        charts.append(
            pio.to_html(fig, full_html=False, include_plotlyjs=False, default_width="100%")
        )
        drawn.append(figure_text(fig))
    fail_html = ""
    if len(failed):
        items = "".join(
            f"<li><code>{html.escape(str(r.case_id))}</code>: {html.escape(str(r.error))}</li>"
            for r in failed.itertuples()
        )
        fail_html = f'<div class="warn">{html.escape(tr("sweep_failed", n=len(failed)))}<ul>{items}</ul></div>'
    band_cols = {c: c for c in bands.columns}
    for metric in BAND_METRICS:
        for q in (10, 50, 90):
            band_cols[f"{metric}_p{q}"] = tr(f"sweep_{metric}") + " " + tr("sweep_p", q=q)
    band_cols["n_weather_years"] = tr("sweep_n_weather_years")
    css = (
        "body{font-family:'gridopt CJK',Arial,'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;margin:24px;color:#222}"
        "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}"
        "th{background:#f3f3f3}.scroll{overflow-x:auto;margin-bottom:18px}"
        ".warn{background:#fde8e8;color:#b00000;font-weight:700;padding:8px 12px;border-left:4px solid #b00000}"
    )
    summary = tr("sweep_summary", n=n, ok=n - len(failed), failed=len(failed), years=years)
    lang_attr = tr("lang_attr")
    body = (
        f"<body>{_PLOTLY_JS if charts else ''}<h1>{html.escape(tr('sweep_title'))}</h1>"
        f"<p>{html.escape(summary)}</p>{fail_html}"
        + "".join(charts)
        + f"<h2>{html.escape(tr('sweep_bands'))}</h2>{_html_table(bands.rename(columns=band_cols))}"
        + f"<h2>{html.escape(tr('sweep_cases'))}</h2>{_html_table(table)}</body></html>\n"
    )
    # the glyphs the page draws: its text (without plotly.js) and every string of its charts,
    # read from the figures (plotly may have written them as \uXXXX)
    font = font_face_css(tr("sweep_title") + body + "\n".join(drawn)) if lang == "zh" else ""
    script = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    return (
        f'<!DOCTYPE html>\n<html lang="{lang_attr}"><head><meta charset="utf-8"><title>{html.escape(tr("sweep_title"))}</title>'
        f"<style>{font}{css}</style></head>" + body.replace(_PLOTLY_JS, script, 1)
    )


def write_tables(
    plan: SweepPlan, out_dir: str | Path, lang: str = "en", *, frames: bool = False
) -> tuple:
    """Write ``sweep.csv``, ``sweep_bands.csv``, ``sweep.nc`` and (if plotly is installed)
    ``sweep.html``, each atomically. Returns the files and notes for the planner (and with
    ``frames`` the case table and the band table too, for the console)."""
    out_dir = Path(out_dir)
    table, notes = sweep_table(plan, out_dir)
    bands = price_bands(table, plan.params)
    files = {
        "csv": out_dir / "sweep.csv",
        "bands": out_dir / "sweep_bands.csv",
        "nc": out_dir / "sweep.nc",
    }
    atomic_write(files["csv"], lambda p: table.to_csv(p, index=False))
    atomic_write(files["bands"], lambda p: bands.to_csv(p, index=False))
    write_netcdf(files["nc"], sweep_dataset(plan, table, bands))
    try:
        import plotly  # noqa: F401
    except ImportError:
        notes.append("plotly is not installed: no sweep.html")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            page = sweep_page(bands, table, plan.params, lang)
        files["html"] = out_dir / "sweep.html"
        atomic_write(files["html"], lambda p: p.write_text(page, encoding="utf-8"))
    return (files, notes, table, bands) if frames else (files, notes)
