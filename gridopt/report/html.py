"""The HTML report: one self-contained page (plotly.js and the data embedded; works offline).

Charts: hourly price per bus (zoomable, with a range slider), price duration curve,
month x hour-of-day price heatmap, dispatch stack of one week, storage state of charge,
curtailment by month and technology, the delivered-price waterfall, who sets the price,
revenue adequacy, and (when ``tenant.json`` is in the results folder) the tenants'
flexibility value; tables of the key figures and of every number behind the charts.

Size: plotly.js (about 4.8 MB) is embedded once; hourly series are embedded once each as
binary float32 arrays with a start and a step instead of timestamps (about 35 kB per bus-year).
"""

from __future__ import annotations

import html as _html
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from gridopt.io import atomic_write
from gridopt.prices import COMPONENTS
from gridopt.report import charts
from gridopt.report.common import fmt, key_figure_rows, tenant_table, warning_texts
from gridopt.report.data import ReportData, dispatch_series, series_label
from gridopt.report.fonts import figure_text, font_face_css
from gridopt.report.i18n import Translator

FONT_STACK = (
    '"gridopt CJK", system-ui, -apple-system, "Segoe UI", "Microsoft YaHei", "PingFang SC", '
    '"Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif'
)
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
DATE_FMT = "%Y-%m-%d %H:%M"
# numeric date ticks (no month names): hours within a day, then days, then months
DATE_TICKS = [
    {"dtickrange": [None, 86_400_000], "value": "%m-%d %H:%M"},
    {"dtickrange": [86_400_000, 28 * 86_400_000], "value": "%Y-%m-%d"},
    {"dtickrange": [28 * 86_400_000, None], "value": "%Y-%m"},
]

# plotly.js ships English texts only: month names for the date axes and the mode-bar tips in
# Chinese, registered as the 'zh-CN' locale.
ZH_LOCALE = {
    "moduleType": "locale",
    "name": "zh-CN",
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形框选",
        "Click to enter Colorscale title": "点击输入色标标题",
        "Compare data on hover": "悬停时比较数据",
        "Double-click to zoom back out": "双击返回缩小显示",
        "Download plot as a png": "下载图表为 PNG 格式",
        "Download plot": "下载图表",
        "Lasso Select": "套索选择",
        "Orbital rotation": "轨道旋转",
        "Pan": "平移",
        "Produced with Plotly": "由 Plotly 生成",
        "Reset": "重置",
        "Reset axes": "重置轴",
        "Reset view": "重置视图",
        "Show closest data on hover": "悬停时显示最近数据",
        "Snapshot succeeded": "截图成功",
        "Taking snapshot - this may take a few seconds": "正在截图，可能需要几秒钟",
        "Toggle Spike Lines": "切换辅助线",
        "Toggle show closest data on hover": "切换悬停显示最近数据",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Download plot as a PNG": "下载图表为 PNG 格式",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [
            "一月",
            "二月",
            "三月",
            "四月",
            "五月",
            "六月",
            "七月",
            "八月",
            "九月",
            "十月",
            "十一月",
            "十二月",
        ],
        "shortMonths": [
            "1月",
            "2月",
            "3月",
            "4月",
            "5月",
            "6月",
            "7月",
            "8月",
            "9月",
            "10月",
            "11月",
            "12月",
        ],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}

CSS = """
body{font-family:%(font)s;margin:0;color:#1a1a1a;background:#fff}
main{max-width:1320px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:26px;margin:8px 0 4px} h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid #ddd;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}
.sub{color:#555;margin:0 0 12px}
.warn{border:3px solid #d62728;background:#fde8e8;color:#8b0000;font-weight:700;font-size:17px;padding:10px 14px;margin:10px 0}
.note{border-left:4px solid #e6a100;background:#fff8e1;padding:8px 12px;margin:8px 0;color:#5c4600}
table{border-collapse:collapse;font-size:13px;margin:6px 0 14px}
th,td{border:1px solid #d0d0d0;padding:4px 8px} th{background:#f2f4f7;text-align:left;vertical-align:bottom;min-width:4em}
td{white-space:nowrap} td.wrap{white-space:normal;min-width:320px}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.kf td,table.kf th{font-size:15px;padding:6px 10px} table.kf td.v{font-weight:700;text-align:right}
tr.alarm td{background:#fde8e8;color:#b00000;font-weight:700}
.chart{width:100%%;height:460px;margin:4px 0 18px}
.chart.tall{height:560px}
footer{margin-top:40px;border-top:1px solid #ccc;padding-top:10px;color:#444;font-size:13px}
footer code{font-size:12px;word-break:break-all}
.scroll{overflow-x:auto}
"""


def _esc(x: object) -> str:
    return _html.escape(str(x))


def _table(
    headers: list[str],
    rows: list[list[object]],
    numeric: list[bool | str] | None = None,
    cls: str = "",
    row_classes: list[str] | None = None,
) -> str:
    """An HTML table; cells are escaped; ``numeric`` columns (True) are right-aligned, columns
    marked ``"wrap"`` hold long text that may wrap; other cells stay on one line."""
    numeric = numeric or [False] * len(headers)
    kind = {True: ' class="n"', False: "", "wrap": ' class="wrap"'}
    out = [
        f'<div class="scroll"><table class="{cls}"><thead><tr>'
        + "".join(f"<th>{_esc(h)}</th>" for h in headers)
        + "</tr></thead><tbody>"
    ]
    for i, row in enumerate(rows):
        rc = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        out.append(
            f"<tr{rc}>"
            + "".join(f"<td{kind[numeric[j]]}>{_esc(c)}</td>" for j, c in enumerate(row))
            + "</tr>"
        )
    out.append("</tbody></table></div>")
    return "".join(out)


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
    fig.update_xaxes(
        showgrid=True, gridcolor="#e5e5e5", zeroline=False, linecolor="#888", showline=True
    )
    fig.update_yaxes(
        showgrid=True, gridcolor="#e5e5e5", zerolinecolor="#999", linecolor="#888", showline=True
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
                line={"width": 1, "color": charts.bus_colour(i)},
                hovertemplate=f"{_esc(b)}: %{{y:.1f}}<extra></extra>",
                **_x(d.time),
            )
        )
    _layout(
        fig,
        tr("ch_price_hourly"),
        yaxis_title=tr("ax_price"),
        xaxis_title=tr("ax_time", tz=d.meta["timezone"]),
    )
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
                line={"width": 1.5, "color": charts.bus_colour(i)},
                hovertemplate=f"{_esc(b)}: %{{y:.1f}}<extra></extra>",
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
                hovertemplate=f"{_esc(b)} %{{y}} %{{x}}:00 — %{{z:.1f}}<extra></extra>",
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
    by_tech: dict[str, int] = {}
    for _, _, tech, _ in series:
        by_tech[tech] = by_tech.get(tech, 0) + 1
    seen: dict[str, int] = {}
    for kind, name, tech, y in series:
        k = seen.get(tech + kind, 0)
        seen[tech + kind] = k + 1
        col = charts.shade(charts.colour(tech), k, by_tech[tech])
        group = "neg" if kind in ("charge", "export", "excess") else "pos"
        label = series_label(kind, name, tech, tr)
        fig.add_trace(
            go.Scatter(
                name=label,
                y=_f32(y),
                stackgroup=group,
                mode="lines",
                line={"width": 0.5, "color": col},
                fillcolor=col,
                hovertemplate=f"{_esc(label)}: %{{y:,.0f}} MW<extra></extra>",
                **_x(t),
            )
        )
    fig.add_trace(
        go.Scatter(
            name=tr("load_line"),
            y=_f32(load),
            mode="lines",
            line={"width": 2.5, "color": "#000"},
            hovertemplate=f"{_esc(tr('load_line'))}: %{{y:,.0f}} MW<extra></extra>",
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
                line={
                    "width": 1.2,
                    "color": charts.shade(charts.colour(kind), j, r.sizes["storage"] + 1),
                },
                hovertemplate=f"{_esc(label)}: %{{y:,.0f}} MWh<extra></extra>",
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
                marker_color=charts.colour(carrier),
                hovertemplate=f"{_esc(tr.tech(carrier))}: %{{y:,.1f}} MWh<extra></extra>",
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
            increasing={"marker": {"color": charts.COMPONENT_COLOURS["energy"]}},
            decreasing={"marker": {"color": "#d35400"}},
            totals={"marker": {"color": charts.COMPONENT_COLOURS["total"]}},
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
        )
    )
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
                marker_color=charts.colour(tech),
                hovertemplate=f"{_esc(tr.tech(tech))}: %{{x:.1f}} %<extra></extra>",
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
            hovertemplate=f"{_esc(tr('revenue_margin'))}: %{{y:,.1f}}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            name=tr("revenue_fixed"),
            x=names,
            y=np.round(tr.money(ra["annual_fixed_cny_per_yr"].values), 3),
            marker_color="#4d4d4d",
            hovertemplate=f"{_esc(tr('revenue_fixed'))}: %{{y:,.1f}}<extra></extra>",
        )
    )
    _layout(
        fig, tr("ch_revenue"), barmode="group", yaxis_title=tr("ax_money_yr"), hovermode="x unified"
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=",.0f")
    return fig


def fig_tenant_flex(d: ReportData, tr: Translator) -> go.Figure | None:
    """Incremental cost of each tenant against its flexibility band (never rising, by construction)."""
    if not d.tenants:
        return None
    fig = go.Figure()
    for t in d.tenants:
        curve = sorted(
            (100 * float(b), v) for b, v in t.get("flexibility_curve", {}).items() if v is not None
        )
        fig.add_trace(
            go.Scatter(
                x=[b for b, _ in curve],
                y=[round(v, 2) for _, v in curve],
                mode="lines+markers",
                name=str(t["name"]),
                hovertemplate=f"{_esc(t['name'])}: %{{y:,.1f}}<extra></extra>",
            )
        )
    _layout(
        fig, tr("ch_tenant_flex"), xaxis_title=tr("ax_flex_band"), yaxis_title=tr("ax_incr_cost")
    )
    return fig


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------


def tables(d: ReportData, tr: Translator) -> dict[str, str]:
    """The HTML tables, by name."""
    out: dict[str, str] = {}
    rows, classes = [], []
    for label, value, unit, k in key_figure_rows(d, tr):
        rows.append([label, value, unit])
        classes.append("alarm" if k.alarm else "")
    out["key_figures"] = _table(
        [tr("figure"), tr("value"), tr("unit")], rows, [False, True, False], "kf", classes
    )

    tou = d.tou
    buses = [c for c in tou.columns if c not in ("hours", "system_load_weighted")]
    out["tou"] = _table(
        [tr("h_period"), tr("h_hours")]
        + [tr("h_tou_bus", bus=b) for b in buses]
        + [tr("h_tou_system")],
        [
            [tr(f"tou_{k}"), fmt(tou.loc[k, "hours"], 0)]
            + [fmt(tou.loc[k, b], 1) for b in buses]
            + [fmt(tou.loc[k, "system_load_weighted"], 1)]
            for k in tou.index
        ],
        [False] + [True] * (len(buses) + 2),
    )
    st = d.stats
    cols = [
        ("time_weighted_cny_per_mwh", "h_time_weighted"),
        ("load_weighted_cny_per_mwh", "h_load_weighted"),
        ("min_cny_per_mwh", "h_min"),
        ("p10_cny_per_mwh", "h_p10"),
        ("median_cny_per_mwh", "h_median"),
        ("p90_cny_per_mwh", "h_p90"),
        ("max_cny_per_mwh", "h_max"),
        ("std_cny_per_mwh", "h_std"),
    ]
    out["stats"] = _table(
        [tr("h_stat_bus")] + [tr(h) for _, h in cols] + [tr("h_load_mwh")],
        [
            [b if b != "system" else tr("system")]
            + [fmt(st.loc[b, c], 1) for c, _ in cols]
            + [fmt(st.loc[b, "load_mwh"], 0)]
            for b in st.index
        ],
        [False] + [True] * (len(cols) + 1),
    )
    su = d.setters_unit
    out["setters"] = _table(
        [tr("h_setter")]
        + [tr("h_setter_share_bus", bus=b) for b in su.columns if b != "all"]
        + [tr("h_setter_share_all")],
        [[tr.tech(k)] + [fmt(su.loc[k, c], 3) for c in su.columns] for k in su.index],
        [False] + [True] * len(su.columns),
    )
    lp = d.loads
    out["loads"] = _table(
        [
            tr("h_consumer"),
            tr("h_kind"),
            tr("h_bus"),
            tr("h_energy_mwh"),
            tr("h_cost_at_marginal"),
            tr("h_load_weighted"),
            tr("h_time_weighted"),
        ],
        [
            [
                n,
                tr.tech(row["kind"]),
                row["bus"],
                fmt(row["energy_mwh"], 0),
                fmt(row["cost_cny"], 0),
                fmt(row["load_weighted_cny_per_mwh"], 1),
                fmt(row["time_weighted_cny_per_mwh"], 1),
            ]
            for n, row in lp.iterrows()
        ],
        [False, False, False, True, True, True, True],
    )
    ct = d.costs
    total_kwh = d.delivered["delivered_cny_per_kwh"]
    rows = [
        [
            tr(f"ci_{i}"),
            tr(f"comp_{row['component']}"),
            fmt(row["cost_cny"], 0),
            fmt(row["cny_per_mwh"], 2),
            fmt(row["cny_per_kwh"], 4),
        ]
        for i, row in ct.iterrows()
    ]
    rows.append(
        [
            tr("h_total"),
            "",
            fmt(float(ct["cost_cny"].sum()), 0),
            fmt(1000 * total_kwh, 2),
            fmt(total_kwh, 4),
        ]
    )
    out["costs"] = _table(
        [tr("item"), tr("h_component"), tr("h_cost_cny"), tr("h_cny_per_mwh"), tr("h_cny_per_kwh")],
        rows,
        [False, False, True, True, True],
        row_classes=[""] * (len(rows) - 1) + ["total"],
    )
    fx = d.fixed
    out["fixed"] = _table(
        [
            tr("h_asset"),
            tr("h_family"),
            tr("h_technology"),
            tr("h_capex"),
            tr("h_lifetime"),
            tr("h_crf"),
            tr("h_annuity"),
            tr("h_fixed_om"),
            tr("h_annual_fixed"),
            tr("h_horizon_fixed"),
            tr("h_cost_source"),
        ],
        [
            [
                a,
                tr(f"fam_{row['family']}"),
                tr.tech(row["technology"]),
                fmt(row["capex_cny"], 0),
                fmt(row["lifetime_yr"], 0),
                fmt(row["crf_per_yr"], 6),
                fmt(row["annuity_cny_per_yr"], 0),
                fmt(row["fixed_om_cny_per_yr"], 0),
                fmt(row["annual_fixed_cny_per_yr"], 0),
                fmt(row["horizon_fixed_cny"], 0),
                row["cost_source"],
            ]
            for a, row in fx.iterrows()
        ],
        [False, False, False] + [True] * 7 + ["wrap"],
    )
    ra = d.revenue
    out["revenue"] = _table(
        [
            tr("h_asset"),
            tr("h_family"),
            tr("h_technology"),
            tr("h_bus"),
            tr("h_energy_yr"),
            tr("h_revenue_yr"),
            tr("h_opcost_yr"),
            tr("h_margin_yr"),
            tr("h_annual_fixed"),
            tr("h_net_yr"),
            tr("h_recovery_ratio"),
            tr("h_realised_price"),
            tr("h_status"),
            tr("h_gap_yr"),
        ],
        [
            [
                a,
                tr(f"fam_{row['family']}"),
                tr.tech(row["technology"]),
                row["bus"],
                fmt(row["energy_mwh_per_yr"], 0),
                fmt(row["revenue_cny_per_yr"], 0),
                fmt(row["operating_cost_cny_per_yr"], 0),
                fmt(row["margin_cny_per_yr"], 0),
                fmt(row["annual_fixed_cny_per_yr"], 0),
                fmt(row["net_cny_per_yr"], 0),
                fmt(row["recovery_ratio"], 3),
                fmt(row["realised_price_cny_per_mwh"], 1),
                tr(f"status_{row['status']}"),
                fmt(row["gap_cny_per_yr"], 0),
            ]
            for a, row in ra.iterrows()
        ],
        [False] * 4 + [True] * 8 + [False, True],
    )
    if d.tenants:
        headers, rows, dec = tenant_table(d, tr)
        out["tenants"] = _table(
            headers,
            [[c if dec[j] is None else fmt(c, dec[j]) for j, c in enumerate(row)] for row in rows],
            [x is not None for x in dec],
            row_classes=["" if t.get("fits", True) else "alarm" for t in d.tenants],
        )
    return out


# ---------------------------------------------------------------------------------------------
# the page
# ---------------------------------------------------------------------------------------------


def _div(fig: go.Figure | None, div_id: str, tall: bool = False) -> str:
    if fig is None:
        return ""
    body = pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config=CONFIG,
        default_width="100%",
        default_height="100%",
    )
    return f'<div class="chart{" tall" if tall else ""}">{body}</div>'


_CJK_FONT = "/*CJK-FONT*/"
_PLOTLY_JS = "/*PLOTLY-JS*/"


def render(d: ReportData, lang: str) -> str:
    """The whole HTML page as text; a Chinese page with the ``@font-face`` of the glyphs it
    draws."""
    tr = Translator(lang)
    m = d.meta
    t = tables(d, tr)
    locale = ""
    if lang == "zh":
        locale = (
            f"<script>Plotly.register({json.dumps(ZH_LOCALE, ensure_ascii=False)});"
            "Plotly.setPlotConfig({locale:'zh-CN'});</script>"
        )
    warn_html = "".join(
        f'<div class="{"warn" if loud else "note"}">{_esc(text)}</div>'
        for text, loud in warning_texts(d, tr)
    )
    figs = [
        (
            "sec_prices",
            [
                ("fig-price-hourly", fig_price_hourly(d, tr), True),
                ("fig-price-duration", fig_duration(d, tr), False),
                ("fig-price-heatmap", fig_heatmap(d, tr), True),
            ],
            [("h_period", t["tou"]), ("h_stat_bus", t["stats"])],
        ),
        (
            "sec_dispatch",
            [
                ("fig-dispatch", fig_dispatch(d, tr), True),
                ("fig-storage", fig_storage(d, tr), True),
                ("fig-curtailment", fig_curtailment(d, tr), False),
            ],
            [],
        ),
        (
            "sec_price_build",
            [
                ("fig-decomposition", fig_decomposition(d, tr), False),
                ("fig-setters", fig_setters(d, tr), False),
            ],
            [
                ("sheet_costs", t["costs"]),
                ("sheet_setters", t["setters"]),
                ("sheet_loads", t["loads"]),
            ],
        ),
        (
            "sec_revenue",
            [("fig-revenue", fig_revenue(d, tr), False)],
            [("sheet_revenue", t["revenue"]), ("sheet_fixed", t["fixed"])],
        ),
    ]
    if d.tenants:
        figs.insert(
            0,
            (
                "sec_tenants",
                [("fig-tenant-flex", fig_tenant_flex(d, tr), False)],
                [("sheet_tenants", t["tenants"])],
            ),
        )
    sections, drawn = [], []
    for title_key, fig_list, table_list in figs:
        parts = [f"<h2>{_esc(tr(title_key))}</h2>"]
        for div_id, fig, tall in fig_list:
            parts.append(_div(fig, div_id, tall))
            if fig is not None:
                drawn.append(figure_text(fig))
        for head_key, tbl in table_list:
            parts.append(f"<h3>{_esc(tr(head_key))}</h3>{tbl}")
        sections.append("<section>" + "".join(parts) + "</section>")
    title = f"{tr('report_title')} — {m['scenario']}"
    horizon = tr("horizon_text", hours=m["hours"], start=m["start"], end=m["end"], tz=m["timezone"])
    c = tr("colon")
    footer = (
        f"<footer><div>{_esc(tr('footer_solver'))}{c}<b>{_esc(m['solver_status'])}</b> · {_esc(tr('scenario'))}{c}<b>{_esc(m['scenario'])}</b>"
        f" · {_esc(tr('footer_scenario_file'))}{c}{_esc(m['scenario_file'])}</div>"
        f"<div>{_esc(tr('footer_hash'))}{c}<code>{_esc(m['scenario_sha256'])}</code></div>"
        + (
            f"<div>{_esc(tr('footer_inputs_hash'))}{c}<code>{_esc(m['inputs_sha256'])}</code></div>"
            if m.get("inputs_sha256")
            else ""
        )
        + f"<div>{_esc(tr('footer_generated', version=m['version'], path=m['results_dir']))}</div>"
        f"<div>{_esc(tr('footer_definitions'))}</div></footer>"
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{tr("lang_attr")}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{_CJK_FONT}{CSS % {'font': FONT_STACK}}</style>"
        f'<script type="text/javascript">{_PLOTLY_JS}</script>{locale}</head>'
        f'<body><main><h1>{_esc(title)}</h1><p class="sub">{_esc(tr("horizon"))}{tr("colon")}{_esc(horizon)}</p>'
        f"{warn_html}<h2>{_esc(tr('key_figures'))}</h2>{t['key_figures']}"
        + "".join(sections)
        + footer
        + "</main></body></html>\n"
    )
    # a Chinese page embeds the glyphs it draws: its own text (without plotly.js) and every
    # string of its figures, read from the figures (plotly may have written them as \uXXXX)
    font = font_face_css(page + "\n".join(drawn)) if lang == "zh" else ""
    return page.replace(_CJK_FONT, font, 1).replace(_PLOTLY_JS, get_plotlyjs(), 1)


def write(d: ReportData, path: Path, lang: str) -> Path:
    """Write the page to ``path`` atomically; returns ``path``. A Chinese page embeds the
    glyphs it draws (:func:`gridopt.report.fonts.font_face_css`), so it shows Chinese on any
    computer."""
    text = render(d, lang)
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path
