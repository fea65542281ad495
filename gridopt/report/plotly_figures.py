"""The interactive (plotly) figures of the HTML report, one function per chart: hourly price
per bus, duration curve, month x hour heatmap, dispatch week, storage state of charge,
curtailment, the delivered-price waterfall, who sets the price, revenue adequacy and the
tenants' flexibility value, and a plan's delivered price as it is and planned. Each takes the report's data and a translator and returns a
figure (None when there is nothing to draw).

Hourly series go in as binary float32 arrays with a start and a step instead of timestamps
(about 35 kB per bus-year).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from gridopt.prices import COMPONENTS
from gridopt.report.charts import (
    COMPONENT_COLOURS,
    asset_colour,
    asset_palette,
    bus_colour,
    colour,
)
from gridopt.report.common import esc, fmt
from gridopt.report.data import ReportData, dispatch_series, series_label
from gridopt.report.i18n import Translator

FONT_STACK = (
    '"gridopt CJK", system-ui, -apple-system, "Segoe UI", "Microsoft YaHei", "PingFang SC", '
    '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
DATE_FMT = "%Y-%m-%d %H:%M"
# the use side of the dispatch stack (charging, export, dumped energy): hatched over its colour
USE_PATTERN = {"shape": "/", "fgcolor": "#ffffff", "fgopacity": 0.55, "size": 8, "solidity": 0.25}
# numeric date ticks (no month names): hours within a day, then days, then months
DATE_TICKS = [
    {"dtickrange": [None, 86_400_000], "value": "%m-%d %H:%M"},
    {"dtickrange": [86_400_000, 28 * 86_400_000], "value": "%Y-%m-%d"},
    {"dtickrange": [28 * 86_400_000, None], "value": "%Y-%m"},
]


def date_axis(fig: go.Figure, tr: Translator) -> None:
    """A time x axis with a range slider and week / month / all buttons (hourly charts)."""
    buttons = [
        {"count": 7, "label": tr("btn_week"), "step": "day", "stepmode": "backward"},
        {"count": 1, "label": tr("btn_month"), "step": "month", "stepmode": "backward"},
        {"label": tr("btn_all"), "step": "all"},
    ]
    fig.update_xaxes(
        type="date",
        tickformatstops=DATE_TICKS,
        hoverformat=DATE_FMT,
        rangeslider={"visible": True, "thickness": 0.08},
        rangeselector={"buttons": buttons},
    )


def _tariff_lines(fig: go.Figure, d: ReportData, tr: Translator) -> None:
    """The coal benchmark and the provincial tariff as labelled horizontal lines [CNY/kWh]."""
    for key, value, dash in (
        ("kf_benchmark", d.delivered["benchmark_cny_per_kwh"], "dot"),
        ("kf_provincial", d.delivered["provincial_tariff_cny_per_kwh"], "dash"),
    ):
        fig.add_hline(
            y=value,
            line={"color": "#555", "dash": dash, "width": 1.5},
            annotation_text=f"{tr(key)} {value:.4f}",
            annotation_position="top left",
        )


def _layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    kw.setdefault("hovermode", "x unified")
    kw.setdefault("legend", {"orientation": "h", "y": -0.15})
    fig.update_layout(
        template="none",
        title={"text": title, "x": 0.01, "y": 0.98, "yanchor": "top", "font": {"size": 17}},
        font={"family": FONT_STACK, "size": 13},
        margin={"l": 70, "r": 30, "t": 90, "b": 50},
        **kw,
    )
    # automargin: long category labels (asset names) push the margin out instead of being cut
    fig.update_xaxes(
        showgrid=True,
        gridcolor="#e5e5e5",
        zeroline=False,
        linecolor="#888",
        showline=True,
        automargin=True,
    )
    fig.update_yaxes(
        showgrid=True,
        gridcolor="#e5e5e5",
        zerolinecolor="#999",
        linecolor="#888",
        showline=True,
        automargin=True,
    )
    return fig


def _regular(idx: pd.DatetimeIndex) -> bool:
    return len(idx) < 2 or bool((np.diff(idx.asi8) == 3_600_000_000_000).all())


def _x(idx: pd.DatetimeIndex) -> dict:
    """Trace keywords for an hourly time axis: start + step when regular (no timestamps)."""
    if _regular(idx):
        return {"x0": f"{idx[0]:%Y-%m-%d %H:%M}", "dx": 3_600_000}
    return {"x": [f"{t:%Y-%m-%d %H:%M}" for t in idx]}


def _f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def fig_price_hourly(d: ReportData, tr: Translator) -> go.Figure:
    fig = go.Figure()
    for i, b in enumerate(d.prices.columns):
        fig.add_trace(
            go.Scatter(
                name=b,
                y=_f32(d.prices[b].values),
                mode="lines",
                line={"width": 1, "color": bus_colour(i)},
                hovertemplate=f"{esc(b)}: %{{y:.1f}}<extra></extra>",
                **_x(d.time),
            )
        )
    _layout(
        fig,
        tr("ch_price_hourly"),
        yaxis_title=tr("ax_price"),
        xaxis_title=tr("ax_time", tz=d.meta["timezone"]),
    )
    date_axis(fig, tr)
    fig.update_layout(legend={"y": -0.45})
    return fig


def fig_duration(d: ReportData, tr: Translator) -> go.Figure:
    fig = go.Figure()
    H = len(d.time)
    for i, b in enumerate(d.prices.columns):
        y = np.sort(d.prices[b].values)[::-1]
        fig.add_trace(
            go.Scatter(
                name=b,
                y=_f32(y),
                x0=100.0 / H,
                dx=100.0 / H,
                mode="lines",
                line={"width": 1.5, "color": bus_colour(i)},
                hovertemplate=f"{esc(b)}: %{{y:.1f}}<extra></extra>",
            )
        )
    _layout(
        fig, tr("ch_price_duration"), yaxis_title=tr("ax_price"), xaxis_title=tr("ax_share_hours")
    )
    fig.update_xaxes(range=[0, 100], hoverformat=".1f", ticksuffix=" %")
    return fig


def fig_heatmap(d: ReportData, tr: Translator) -> go.Figure:
    fig = go.Figure()
    maps = [(tr("heatmap_system"), d.heatmap_system)] + [
        (tr("heatmap_bus", bus=b), m) for b, m in d.heatmap.items()
    ]
    allv = np.concatenate([m.values.ravel() for _, m in maps])
    allv = allv[np.isfinite(allv)]
    zmin, zmax = (float(allv.min()), float(allv.max())) if allv.size else (0.0, 1.0)
    for i, (b, m) in enumerate(maps):
        fig.add_trace(
            go.Heatmap(
                z=np.round(m.values, 2),
                x=list(range(24)),
                y=list(m.index),
                visible=i == 0,
                colorscale="RdYlBu_r",
                zmin=zmin,
                zmax=zmax,
                name=b,
                colorbar={"title": {"text": tr("ax_price")}},
                hovertemplate=f"{esc(b)} %{{y}} %{{x}}:00 — %{{z:.1f}}<extra></extra>",
            )
        )
    _layout(
        fig,
        tr("ch_price_heatmap"),
        xaxis_title=tr("ax_hour"),
        yaxis_title=tr("ax_month"),
        hovermode="closest",
    )
    fig.update_xaxes(dtick=1, showgrid=False)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False)
    fig.update_layout(
        margin={"l": 90},
        updatemenus=[
            {
                "type": "dropdown",
                "x": 1.0,
                "xanchor": "right",
                "y": 1.12,
                "yanchor": "bottom",
                "buttons": [
                    {
                        "label": b,
                        "method": "update",
                        "args": [{"visible": [j == i for j in range(len(maps))]}],
                    }
                    for i, (b, _) in enumerate(maps)
                ],
            }
        ],
    )
    return fig


def fig_dispatch(d: ReportData, tr: Translator) -> go.Figure:
    t, series, load = dispatch_series(d)
    fig = go.Figure()
    # one colour per asset (its charging side the same colour, hatched: one asset, two sides)
    colours = asset_palette([(s.tech, s.name) for s in series])
    for kind, name, tech, y, supply in series:
        col = colours[(tech, name)]
        group = "pos" if supply else "neg"
        label = series_label(kind, name, tech, tr)
        fig.add_trace(
            go.Scatter(
                name=label,
                y=_f32(y),
                stackgroup=group,
                mode="lines",
                line={"width": 0.5, "color": col},
                fillcolor=col,
                fillpattern=None if supply else USE_PATTERN,
                hovertemplate=f"{esc(label)}: %{{y:,.0f}} MW<extra></extra>",
                **_x(t),
            )
        )
    fig.add_trace(
        go.Scatter(
            name=tr("load_line"),
            y=_f32(load),
            mode="lines",
            line={"width": 2.5, "color": "#000"},
            hovertemplate=f"{esc(tr('load_line'))}: %{{y:,.0f}} MW<extra></extra>",
            **_x(t),
        )
    )
    _layout(
        fig,
        tr("ch_dispatch", label=_week_label(d, tr)),
        yaxis_title=tr("ax_power"),
        xaxis_title=tr("ax_time", tz=d.meta["timezone"]),
    )
    fig.update_xaxes(type="date", tickformatstops=DATE_TICKS, hoverformat=DATE_FMT)
    return fig


def _week_label(d: ReportData, tr: Translator) -> str:
    w = d.week
    start, end = d.time[w.start], d.time[w.stop - 1]
    key = {"most_expensive": "week_most_expensive", "chosen": "week_chosen", "all": "week_all"}[
        w.kind
    ]
    return tr(key, start=f"{start:%Y-%m-%d %H:%M}", end=f"{end:%Y-%m-%d %H:%M}")


def fig_storage(d: ReportData, tr: Translator) -> go.Figure | None:
    r = d.r
    if not r.sizes["storage"]:
        return None
    fig = go.Figure()
    soc = r["storage_soc_mwh"].transpose("time", "storage").values
    for j, name in enumerate(r.storage.values):
        kind = str(r["storage_kind"].values[j])
        label = f"{name} ({tr.tech(kind)})"
        fig.add_trace(
            go.Scatter(
                name=label,
                y=_f32(soc[:, j]),
                mode="lines",
                line={"width": 1.2, "color": asset_colour(j)},
                hovertemplate=f"{esc(label)}: %{{y:,.0f}} MWh<extra></extra>",
                **_x(d.time),
            )
        )
    _layout(
        fig,
        tr("ch_storage"),
        yaxis_title=tr("ax_soc"),
        xaxis_title=tr("ax_time", tz=d.meta["timezone"]),
    )
    fig.update_xaxes(
        type="date",
        tickformatstops=DATE_TICKS,
        hoverformat=DATE_FMT,
        rangeslider={"visible": True, "thickness": 0.08},
    )
    fig.update_layout(legend={"y": -0.45})
    return fig


def fig_curtailment(d: ReportData, tr: Translator) -> go.Figure | None:
    cm = d.curtailment_monthly
    if cm.shape[1] == 0:
        return None
    fig = go.Figure()
    for carrier in cm.columns:
        fig.add_trace(
            go.Bar(
                name=tr.tech(carrier),
                x=list(cm.index),
                y=np.round(cm[carrier].values, 3),
                marker_color=colour(carrier),
                hovertemplate=f"{esc(tr.tech(carrier))}: %{{y:,.1f}} MWh<extra></extra>",
            )
        )
    _layout(
        fig,
        tr("ch_curtailment"),
        barmode="stack",
        yaxis_title=tr("ax_energy_mwh"),
        xaxis_title=tr("ax_month"),
    )
    fig.update_xaxes(type="category")
    if float(cm.to_numpy().sum()) <= 1e-6:
        fig.add_annotation(
            text=tr("no_curtailment"),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 18, "color": "#555"},
        )
        fig.update_yaxes(range=[0, 1])
    return fig


def fig_decomposition(d: ReportData, tr: Translator) -> go.Figure:
    comps = list(COMPONENTS)
    vals = [d.decomposition[c] for c in comps]
    total = d.delivered["delivered_cny_per_kwh"]
    labels = [tr(f"comp_{c}") for c in comps] + [tr("total_line")]
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=[_nz(v) for v in vals] + [0.0],
            measure=["relative"] * len(comps) + ["total"],
            text=[fmt(v, 4) for v in vals] + [fmt(total, 4)],
            textposition="outside",
            connector={"line": {"color": "#999"}},
            increasing={"marker": {"color": COMPONENT_COLOURS["energy"]}},
            decreasing={"marker": {"color": "#d35400"}},
            totals={"marker": {"color": COMPONENT_COLOURS["total"]}},
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
        )
    )
    _tariff_lines(fig, d, tr)
    _layout(
        fig,
        tr("ch_decomposition"),
        yaxis_title=tr("ax_price_kwh"),
        showlegend=False,
        hovermode="closest",
    )
    return fig


def _nz(v: float) -> float:
    return 0.0 if v is None or not math.isfinite(v) else float(v)


def fig_setters(d: ReportData, tr: Translator) -> go.Figure:
    st = d.setters_tech
    cols = list(st.columns)  # buses, then 'all'
    ylabels = [c if c != "all" else tr("all_buses") for c in cols]
    fig = go.Figure()
    for tech in st.index:
        fig.add_trace(
            go.Bar(
                name=tr.tech(tech),
                y=ylabels,
                x=np.round(100 * st.loc[tech].values, 2),
                orientation="h",
                marker_color=colour(tech),
                hovertemplate=f"{esc(tr.tech(tech))}: %{{x:.1f}} %<extra></extra>",
            )
        )
    _layout(
        fig,
        tr("ch_setters"),
        barmode="stack",
        xaxis_title=tr("ax_share_hours"),
        hovermode="closest",
        legend={"orientation": "h", "y": -0.3},
    )
    fig.update_xaxes(range=[0, 100], ticksuffix=" %")
    fig.update_yaxes(type="category", autorange="reversed")
    return fig


def fig_revenue(d: ReportData, tr: Translator) -> go.Figure | None:
    ra = d.revenue
    if ra.empty:
        return None
    fig = go.Figure()
    names = list(ra.index)
    fig.add_trace(
        go.Bar(
            name=tr("revenue_margin"),
            x=names,
            y=np.round(tr.money(ra["margin_cny_per_yr"].values), 3),
            marker_color="#2f7fc1",
            hovertemplate=f"{esc(tr('revenue_margin'))}: %{{y:,.1f}}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            name=tr("revenue_fixed"),
            x=names,
            y=np.round(tr.money(ra["annual_fixed_cny_per_yr"].values), 3),
            marker_color="#4d4d4d",
            hovertemplate=f"{esc(tr('revenue_fixed'))}: %{{y:,.1f}}<extra></extra>",
        )
    )
    _layout(
        fig, tr("ch_revenue"), barmode="group", yaxis_title=tr("ax_money_yr"), hovermode="x unified"
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=",.0f")
    return fig


def fig_tenant_flex(d: ReportData, tr: Translator) -> go.Figure | None:
    """Short-run incremental cost of each tenant against its flexibility band (never rising, by
    construction), and its long-run incremental cost (dashed, same colour) when tenant.json
    has a ``long_run_flexibility_curve`` (plan mode)."""
    if not d.tenants:
        return None
    from gridopt.report.charts import asset_colour

    fig = go.Figure()
    both = any(t.get("long_run_flexibility_curve") for t in d.tenants)
    for i, t in enumerate(d.tenants):
        for key, label, dash in (
            ("flexibility_curve", "tf_short_run", "solid"),
            ("long_run_flexibility_curve", "tf_long_run", "dash"),
        ):
            curve = sorted(
                (100 * float(b), v) for b, v in (t.get(key) or {}).items() if v is not None
            )
            if not curve:
                continue
            name = tr(label, name=t["name"]) if both else str(t["name"])
            fig.add_trace(
                go.Scatter(
                    x=[b for b, _ in curve],
                    y=[round(v, 2) for _, v in curve],
                    mode="lines+markers",
                    name=name,
                    line={"color": asset_colour(i), "dash": dash},
                    hovertemplate=f"{esc(name)}: %{{y:,.1f}}<extra></extra>",
                )
            )
    _layout(
        fig,
        tr("ch_tenant_flex_both" if both else "ch_tenant_flex"),
        xaxis_title=tr("ax_flex_band"),
        yaxis_title=tr("ax_incr_cost_both" if both else "ax_incr_cost"),
    )
    return fig


def fig_plan_prices(d: ReportData, tr: Translator) -> go.Figure | None:
    """A plan's delivered price by component, as it is against planned (grouped bars), with
    the benchmark and provincial tariff as reference lines; None without a plan."""
    if d.plan is None:
        return None
    from gridopt.report.plan import price_bars

    labels, before, after = price_bars(d.plan, d, tr)
    fig = go.Figure()
    for name, values, colour_ in (
        (tr("h_as_it_is"), before, "#9e9e9e"),
        (tr("h_planned"), after, COMPONENT_COLOURS["energy"]),
    ):
        if all(not math.isfinite(v) for v in values):
            continue
        fig.add_trace(
            go.Bar(
                name=name,
                x=labels,
                y=[_nz(v) for v in values],
                text=[fmt(v, 4) for v in values],
                textposition="outside",
                marker_color=colour_,
                hovertemplate=f"{esc(name)} %{{x}}: %{{y:.4f}}<extra></extra>",
            )
        )
    _tariff_lines(fig, d, tr)
    _layout(
        fig,
        tr("ch_plan_prices"),
        barmode="group",
        yaxis_title=tr("ax_price_kwh"),
        hovermode="closest",
    )
    fig.update_xaxes(type="category")
    return fig


def fig_statistics(d: ReportData, tr: Translator) -> go.Figure | None:
    """Capture price and levelised cost per technology [CNY/MWh] (:mod:`gridopt.statistics`),
    with the load-weighted average marginal price as a line: a technology whose capture price
    is below its levelised cost does not earn its cost at marginal prices."""
    t = d.stat_tech
    if t.empty:
        return None
    names = [tr.tech(k) for k in t.index]
    fig = go.Figure()
    for col, key, colour_ in (
        ("capture_price_cny_per_mwh", "st_capture", "#2f7fc1"),
        ("levelised_cost_cny_per_mwh", "st_levelised", "#4d4d4d"),
    ):
        fig.add_trace(
            go.Bar(
                name=tr(key),
                x=names,
                y=[None if not math.isfinite(v) else round(float(v), 2) for v in t[col].values],
                marker_color=colour_,
                hovertemplate=f"{esc(tr(key))}: %{{y:,.1f}}<extra></extra>",
            )
        )
    avg = d.gap["average_marginal_cny_per_mwh"]
    if math.isfinite(avg):
        fig.add_hline(
            y=avg,
            line={"color": "#d35400", "dash": "dash", "width": 1.5},
            annotation_text=f"{tr('st_average')} {avg:,.1f}",
            annotation_position="top left",
        )
    _layout(
        fig,
        tr("ch_statistics"),
        barmode="group",
        yaxis_title=tr("u_cny_per_mwh"),
        hovermode="x unified",
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=",.0f")
    return fig
