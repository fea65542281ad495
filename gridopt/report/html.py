"""The HTML report: one self-contained page (plotly.js and the data embedded; works offline).

The page: the headline card (:mod:`gridopt.report.headline`), warnings, key figures, sections
of charts (a horizon longer than 14 days draws its prices and stores as daily bands with the
hours on zoom, and typical days per season: :mod:`gridopt.report.year_figures`; drawn by
:mod:`gridopt.report.plotly_figures`: hourly price per bus, price duration curve, month x
hour-of-day price heatmap, dispatch stack of one week, storage state of charge, curtailment by
month and technology, the delivered-price waterfall, who sets the price, technology statistics (:mod:`gridopt.statistics`), revenue adequacy, and
(when ``tenant.json`` is in the results folder) the tenants' flexibility value), tables of
every number behind the charts, and a Chinese font subset for a Chinese page. The results of
``gridopt plan`` open with a "what to build" section (:mod:`gridopt.report.plan`): the build
table, the delivered price as it is and planned (chart and table) and the policy constraints.

Size: plotly.js (about 4.8 MB) is embedded once; hourly series are embedded once each as
binary float32 arrays with a start and a step instead of timestamps (about 35 kB per bus-year).
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from gridopt.io import atomic_write
from gridopt.report.common import (
    esc,
    fmt,
    key_figure_rows,
    statistics_tables,
    tenant_table,
    warning_texts,
)
from gridopt.report.data import ReportData
from gridopt.report.fonts import figure_text, font_face_css
from gridopt.report.headline import CARD_CSS, card_html
from gridopt.report.i18n import Translator
from gridopt.report.locale_zh import ZH_LOCALE
from gridopt.report.network import fig_loading_duration, fig_network
from gridopt.report.plotly_figures import (
    FONT_STACK,
    fig_curtailment,
    fig_decomposition,
    fig_dispatch,
    fig_duration,
    fig_heatmap,
    fig_plan_prices,
    fig_price_hourly,
    fig_revenue,
    fig_setters,
    fig_statistics,
    fig_storage,
    fig_tenant_flex,
)
from gridopt.report.year_figures import (
    ZOOM_JS,
    fig_price_daily,
    fig_price_seasons,
    fig_storage_daily,
    is_long,
)

CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "toImageButtonOptions": {"format": "png", "scale": 2},
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
        + "".join(f"<th>{esc(h)}</th>" for h in headers)
        + "</tr></thead><tbody>"
    ]
    for i, row in enumerate(rows):
        rc = f' class="{row_classes[i]}"' if row_classes and row_classes[i] else ""
        out.append(
            f"<tr{rc}>"
            + "".join(f"<td{kind[numeric[j]]}>{esc(c)}</td>" for j, c in enumerate(row))
            + "</tr>"
        )
    out.append("</tbody></table></div>")
    return "".join(out)


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
    for name, (headers, rows, dec) in statistics_tables(d, tr).items():
        out[name] = (
            "" if name != "stat_tech" else f'<p class="sub">{esc(statistics_note(d, tr))}</p>'
        ) + _table(
            headers,
            [[c if dec[j] is None else fmt(c, dec[j]) for j, c in enumerate(row)] for row in rows],
            [x is not None for x in dec],
        )
    from gridopt.report.network import network_tables

    for name, (headers, rows, dec) in network_tables(d, tr).items():
        out[name] = _table(
            headers,
            [[c if dec[j] is None else fmt(c, dec[j]) for j, c in enumerate(row)] for row in rows],
            [x is not None for x in dec],
        )
    if d.plan is not None:
        out.update(plan_tables(d, tr))
    return out


def statistics_note(d: ReportData, tr: Translator) -> str:
    """What the statistics' columns mean, with the horizon, the average price and the year
    share their levelised costs use."""
    return tr(
        "st_note",
        hours=d.meta["hours"],
        avg=fmt(d.gap["average_marginal_cny_per_mwh"], 1),
        f=fmt(d.cost_recovery.year_fraction, 4),
    )


def plan_tables(d: ReportData, tr: Translator) -> dict[str, str]:
    """The HTML tables of a plan's section: ``plan_build``, ``plan_compare`` and, when the
    scenario sets a policy, ``plan_policy``."""
    from gridopt.report.plan import build_table, comparison_table, policy_table

    out = {}
    headers, rows, dec = build_table(d.plan, tr)
    out["plan_build"] = _table(
        headers,
        [[c if dec[j] is None else fmt(c, dec[j]) for j, c in enumerate(row)] for row in rows],
        [x is not None for x in dec],
        row_classes=[""] * (len(rows) - 1) + ["total"],
    )
    headers, rows, row_dec = comparison_table(d.plan, d, tr)
    out["plan_compare"] = _table(
        headers,
        [row[:2] + [fmt(v, row_dec[i]) for v in row[2:]] for i, row in enumerate(rows)],
        [False, False, True, True, True],
    )
    policy = policy_table(d.plan, tr)
    if policy is not None:
        headers, rows, dec = policy
        out["plan_policy"] = _table(
            headers,
            [[c if dec[j] is None else fmt(c, dec[j]) for j, c in enumerate(row)] for row in rows],
            [x is not None for x in dec],
        )
    return out


def plan_section(d: ReportData, tr: Translator, t: dict[str, str]) -> tuple[str, list[str]]:
    """The "what to build" section (HTML) and the text its figure draws: the lead sentence,
    the build table, the delivered price as it is and planned (chart and table), the policy
    constraints."""
    from gridopt.report.plan import lead_text

    fig = fig_plan_prices(d, tr)
    parts = [
        f"<h2>{esc(tr('sec_plan'))}</h2>",
        f'<p class="sub">{esc(lead_text(d.plan, d, tr))}</p>',
        f"<h3>{esc(tr('plan_build_table'))}</h3>{t['plan_build']}",
        _div(fig, "fig-plan-prices"),
        f"<h3>{esc(tr('sheet_plan_compare'))}</h3>{t['plan_compare']}",
    ]
    if "plan_policy" in t:
        parts.append(f"<h3>{esc(tr('sheet_plan_policy'))}</h3>{t['plan_policy']}")
    return "<section>" + "".join(parts) + "</section>", [figure_text(fig)] if fig else []


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
        f'<div class="{"warn" if loud else "note"}">{esc(text)}</div>'
        for text, loud in warning_texts(d, tr)
    )
    long = is_long(d.time)  # daily bands, typical days and hours on zoom (year_figures)
    figs = [
        (
            "sec_prices",
            [
                ("fig-price-hourly", (fig_price_daily if long else fig_price_hourly)(d, tr), True),
                ("fig-price-duration", fig_duration(d, tr), False),
                ("fig-price-heatmap", fig_heatmap(d, tr), True),
                ("fig-price-seasons", fig_price_seasons(d, tr) if long else None, False),
            ],
            [("h_period", t["tou"]), ("h_stat_bus", t["stats"])],
        ),
        (
            "sec_dispatch",
            [
                ("fig-dispatch", fig_dispatch(d, tr), True),
                ("fig-storage", (fig_storage_daily if long else fig_storage)(d, tr), True),
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
            "sec_statistics",
            [("fig-statistics", fig_statistics(d, tr), False)],
            [
                ("sheet_stat_tech", t["stat_tech"]),
                ("sheet_stat_asset", t["stat_assets"]),
                ("sheet_stat_load", t["stat_loads"]),
            ],
        ),
        (
            "sec_revenue",
            [("fig-revenue", fig_revenue(d, tr), False)],
            [("sheet_revenue", t["revenue"]), ("sheet_fixed", t["fixed"])],
        ),
    ]
    net_figs = [
        ("fig-network", fig_network(d, tr), True),
        ("fig-net-duration", fig_loading_duration(d, tr), False),
    ]
    if any(f is not None for _, f, _ in net_figs):
        net_tables = [
            (k, t[n])
            for k, n in (("sheet_net_lines", "net_lines"), ("sheet_net_ties", "net_ties"))
            if n in t
        ]
        note = f'<p class="sub">{esc(tr("nw_note", hours=d.meta["hours"]))}</p>'
        figs.insert(
            4,
            (
                "sec_network",
                net_figs,
                [(k, (note if i == 0 else "") + v) for i, (k, v) in enumerate(net_tables)],
            ),
        )
    if d.tenants:
        from gridopt.tenant.hosting_plot import hosting_figure, load_hosting

        tenant_figs = [("fig-tenant-flex", fig_tenant_flex(d, tr), False)]
        h = load_hosting(d.results_dir)
        if h is not None:
            tenant_figs.append(("fig-tenant-hosting", hosting_figure(h, tr), False))
        figs.insert(0, ("sec_tenants", tenant_figs, [("sheet_tenants", t["tenants"])]))
    sections, drawn = [], []
    for title_key, fig_list, table_list in figs:
        parts = [f"<h2>{esc(tr(title_key))}</h2>"]
        for div_id, fig, tall in fig_list:
            parts.append(_div(fig, div_id, tall))
            if fig is not None:
                drawn.append(figure_text(fig))
        for head_key, tbl in table_list:
            parts.append(f"<h3>{esc(tr(head_key))}</h3>{tbl}")
        sections.append("<section>" + "".join(parts) + "</section>")
    if d.plan is not None:
        section, texts = plan_section(d, tr, t)
        sections.insert(0, section)
        drawn += texts
    title = f"{tr('report_title')} — {m['scenario']}"
    horizon = tr("horizon_text", hours=m["hours"], start=m["start"], end=m["end"], tz=m["timezone"])
    c = tr("colon")
    footer = (
        f"<footer><div>{esc(tr('footer_solver'))}{c}<b>{esc(m['solver_status'])}</b> · {esc(tr('scenario'))}{c}<b>{esc(m['scenario'])}</b>"
        f" · {esc(tr('footer_scenario_file'))}{c}{esc(m['scenario_file'])}</div>"
        f"<div>{esc(tr('footer_hash'))}{c}<code>{esc(m['scenario_sha256'])}</code></div>"
        + (
            f"<div>{esc(tr('footer_inputs_hash'))}{c}<code>{esc(m['inputs_sha256'])}</code></div>"
            if m.get("inputs_sha256")
            else ""
        )
        + f"<div>{esc(tr('footer_generated', version=m['version'], path=m['results_dir']))}</div>"
        f"<div>{esc(tr('footer_definitions'))}</div></footer>"
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{tr("lang_attr")}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CJK_FONT}{CSS % {'font': FONT_STACK}}{CARD_CSS}</style>"
        f'<script type="text/javascript">{_PLOTLY_JS}</script>{locale}</head>'
        f'<body><main><h1>{esc(title)}</h1><p class="sub">{esc(tr("horizon"))}{tr("colon")}{esc(horizon)}</p>'
        f"{card_html(d.headline, tr)}{warn_html}"
        f"<h2>{esc(tr('key_figures'))}</h2>{t['key_figures']}"
        + "".join(sections)
        + footer
        + "</main>"
        + (ZOOM_JS if long else "")
        + "</body></html>\n"
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
