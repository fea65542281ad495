"""``compare.html``: one self-contained page (plotly.js embedded, works offline).

Sections: the folders compared; warnings (unserved energy, dumped energy and a non-optimal
solve loud, different horizons and pro-rated fixed costs as notes); headline prices (chart:
the delivered price of each folder with its coal benchmark and provincial tariff); the
delivered-price decomposition (stacked bars side by side); energy mix (stacked supply by source),
curtailment, CO2, unserved energy and solver status; per-year figures when the horizons
differ; the price-duration overlay; what differs in the inputs (last: it may be long). A Chinese page embeds the
glyphs it draws (:func:`gridopt.report.fonts.font_face_css`), as the report does.
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

import gridopt
from gridopt.compare.data import CURVE_POINTS, CompareData, Row, is_number
from gridopt.compare.files import diff_value, scenario_notes, shown_value
from gridopt.compare.labels import item_labels, mode_text, row_label, unit_text
from gridopt.compare.texts import Texts
from gridopt.io import atomic_write
from gridopt.prices import COMPONENTS
from gridopt.report.charts import BUS_COLOURS, COMPONENT_COLOURS, TECH_COLOURS
from gridopt.report.common import esc
from gridopt.report.fonts import figure_text, font_face_css
from gridopt.report.html import (
    CSS,
    ZH_LOCALE,
    _div,  # one plotly chart as a <div> (no plotly.js)
)
from gridopt.report.plotly_figures import FONT_STACK

MAX_DIFF_ROWS = 60
"""Most differing fields listed on the page (all are in compare.xlsx)."""

CHART_IDS = (
    "fig-compare-headline",
    "fig-compare-decomposition",
    "fig-compare-energy",
    "fig-compare-duration",
)


def _layout(fig: go.Figure, title: str, **kw) -> go.Figure:
    """Title, fonts and margins; a horizontal legend whose entries are as wide as the longest
    name (7.5 px per character, CJK counted twice, + 50 px for the symbol) instead of the
    width plotly measures, which is too short for a Chinese name measured before its font
    was drawn."""
    from gridopt.compare.files import text_width

    names = [str(tr.name) for tr in fig.data if tr.name]
    wide = 7.5 * max((text_width(n) for n in names), default=10) + 50
    kw.setdefault(
        "legend", {"orientation": "h", "y": -0.15, "entrywidth": wide, "entrywidthmode": "pixels"}
    )
    # folder names such as "2025" and "2030" would make plotly draw a numeric axis
    kw.setdefault("xaxis", {"type": "category"})
    fig.update_layout(
        template="none",
        title={"text": title, "x": 0.01, "y": 0.98, "yanchor": "top", "font": {"size": 17}},
        font={"family": FONT_STACK, "size": 13},
        margin={"l": 70, "r": 30, "t": 80, "b": 60},
        **kw,
    )
    return fig


def folder_colour(i: int) -> str:
    return BUS_COLOURS[i % len(BUS_COLOURS)]


def _row(d: CompareData, key: str) -> Row:
    return next(r for r in d.rows if r.key == key)


MARK_HALF_WIDTH = 0.45
"""Half the length of a tariff mark, in category widths (a bar is 0.8 wide: the mark overhangs
it a little on each side)."""

TARIFF_MARKS = (
    # key of the row, its label, colour, dash
    ("benchmark", "row_benchmark", "#000000", "solid"),
    ("provincial", "row_provincial", "#d62728", "dash"),
)


def _tariff_marks(fig: go.Figure, d: CompareData, t: Texts) -> None:
    """The coal benchmark and the provincial tariff of each folder, as a short horizontal line
    across its bar. The lines are layout shapes with ``layer="above"``, drawn over every bar
    (a taller bar, or a bar of the mark's own colour, never hides them), each on a wider white
    line (a halo) so it reads over any colour; each has a legend entry (a trace with no points)
    and a hover (the same values as transparent markers)."""
    x = [f.name for f in d.folders]
    for key, label, colour, dash in TARIFF_MARKS:
        values = _row(d, key).values
        for i, v in enumerate(values):
            if not is_number(v):
                continue
            for suffix, width, col, dsh in (("halo", 7, "#ffffff", "solid"), ("", 3, colour, dash)):
                fig.add_shape(
                    type="line",
                    name=f"{key} {x[i]} {suffix}".strip(),
                    xref="x",
                    yref="y",
                    x0=i - MARK_HALF_WIDTH,
                    x1=i + MARK_HALF_WIDTH,
                    y0=v,
                    y1=v,
                    layer="above",
                    line={"width": width, "color": col, "dash": dsh},
                )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=values,
                mode="markers",
                name=t(label),
                legendgroup=key,
                showlegend=False,
                marker={"symbol": "line-ew-open", "size": 44, "color": colour, "opacity": 0},
                hovertemplate="%{y:.4f} "
                + t("y_cny_per_kwh")
                + "<extra>"
                + esc(t(label))
                + "</extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=t(label),
                legendgroup=key,
                line={"width": 3, "color": colour, "dash": dash},
                hoverinfo="skip",
            )
        )


def fig_headline(d: CompareData, t: Texts) -> go.Figure:
    """The delivered price of each folder [CNY/kWh], with its benchmark and tariff."""
    x = [f.name for f in d.folders]
    y = _row(d, "delivered").values
    fig = go.Figure(
        go.Bar(
            x=x,
            y=y,
            name=t("row_delivered"),
            marker_color=[folder_colour(i) for i in range(len(x))],
            text=[f"{v:.4f}" if is_number(v) else "" for v in y],
            # at the foot of the bar: the tariff marks (near its top) never cover its value
            textposition="inside",
            insidetextanchor="start",
            hovertemplate="%{y:.4f} " + t("y_cny_per_kwh") + "<extra></extra>",
        )
    )
    _tariff_marks(fig, d, t)
    return _layout(
        fig, t("fig_headline"), yaxis={"title": t("y_cny_per_kwh"), "rangemode": "tozero"}
    )


def fig_decomposition(d: CompareData, t: Texts) -> go.Figure:
    """The delivered price by component, stacked, one bar per folder [CNY/kWh]."""
    x = [f.name for f in d.folders]
    fig = go.Figure()
    for c in COMPONENTS:
        name = t.report(f"comp_{c}")
        fig.add_trace(
            go.Bar(
                x=x,
                y=_row(d, f"component_{c}").values,
                name=name,
                marker_color=COMPONENT_COLOURS[c],
                hovertemplate="%{y:.4f} " + t("y_cny_per_kwh") + "<extra>" + esc(name) + "</extra>",
            )
        )
    _tariff_marks(fig, d, t)
    return _layout(
        fig, t("fig_decomposition"), barmode="relative", yaxis={"title": t("y_cny_per_kwh")}
    )


def fig_energy(d: CompareData, t: Texts, items: dict[str, str]) -> go.Figure:
    """Supply over the horizon by source, stacked, one bar per folder [GWh]; per year
    [GWh/yr] when the horizons differ."""
    x = [f.name for f in d.folders]
    fig = go.Figure()
    annual = any(r.section == "sec_annual" for r in d.rows)  # horizons differ: per year
    section = "sec_annual" if annual else "sec_energy"
    title, unit = ("fig_energy_yr", "y_gwh_yr") if annual else ("fig_energy", "y_gwh")
    rows = [r for r in d.rows if r.section == section and r.key.startswith("supply_mwh.")]
    for k, r in enumerate(rows):
        item = r.key.split(".", 1)[1].removesuffix("_per_yr")
        if not any(is_number(v) and abs(v) > 1e-6 for v in r.values):
            continue
        tech = item.removeprefix("thermal_")
        colour = (
            TECH_COLOURS.get(tech)
            or TECH_COLOURS.get(item.removesuffix("s"))
            or BUS_COLOURS[k % len(BUS_COLOURS)]
        )
        fig.add_trace(
            go.Bar(
                x=x,
                y=[v / 1e3 if is_number(v) else None for v in r.values],
                name=items.get(item, item),
                marker_color=colour,
                hovertemplate="%{y:,.1f} "
                + t(unit)
                + "<extra>"
                + esc(items.get(item, item))
                + "</extra>",
            )
        )
    return _layout(fig, t(title), barmode="stack", yaxis={"title": t(unit)})


def fig_duration(d: CompareData, t: Texts) -> go.Figure:
    """Each folder's sorted hourly load-weighted marginal price against the share of its
    hours [%] (at most :data:`CURVE_POINTS` points a line)."""
    fig = go.Figure()
    for i, (f, dur) in enumerate(zip(d.folders, d.durations)):
        x, y = 100 * dur.share(), dur.price
        if len(y) > CURVE_POINTS:
            import numpy as np

            pick = np.unique(np.linspace(0, len(y) - 1, CURVE_POINTS).round().astype(int))
            x, y = x[pick], y[pick]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                name=f"{f.name} ({f.hours:,} h)",
                line={"color": folder_colour(i), "width": 2},
                hovertemplate="%{x:.1f} %: %{y:,.1f} "
                + t.report("u_cny_per_mwh")
                + "<extra>"
                + esc(f.name)
                + "</extra>",
            )
        )
    return _layout(
        fig,
        t("dur_title"),
        xaxis={"title": t("dur_x"), "range": [0, 100]},
        yaxis={"title": t("dur_y")},
        hovermode="closest",
    )


def _table(
    headers: list[str], rows: list[list[str]], numeric: list[bool], classes: list[str] | None = None
) -> str:
    out = [
        '<div class="scroll"><table><thead><tr>'
        + "".join(f"<th>{esc(h)}</th>" for h in headers)
        + "</tr></thead><tbody>"
    ]
    td = ['<td class="n">' if n else "<td>" for n in numeric]
    for i, row in enumerate(rows):
        rc = f' class="{classes[i]}"' if classes and classes[i] else ""
        out.append(
            f"<tr{rc}>" + "".join(f"{td[j]}{esc(c)}</td>" for j, c in enumerate(row)) + "</tr>"
        )
    return "".join(out) + "</tbody></table></div>"


def figure_table(d: CompareData, t: Texts, section: str, items: dict[str, str]) -> str:
    """The rows of ``section``: label, unit, one value per folder; an alarm row in red."""
    rows, classes = [], []
    for r in d.rows:
        if r.section != section:
            continue
        cells = [row_label(r, t, items), unit_text(r.unit, t) if not r.percent else "%"]
        for v, f in zip(r.values, d.folders):
            cells.append(
                mode_text(f, t) if r.key == "mode" else shown_value(r, v).removesuffix("%")
            )
        rows.append(cells)
        loud = r.alarm and any(
            (is_number(v) and v > 1e-6)
            or (isinstance(v, str) and r.key == "solver_status" and v != "Optimal")
            for v in r.values
        )
        classes.append("alarm" if loud else "")
    names = [f.name for f in d.folders]
    return _table(
        [t("h_figure"), t("h_unit"), *names], rows, [False, False] + [True] * len(names), classes
    )


def diff_section(d: CompareData, t: Texts) -> str:
    """The differing input fields (at most :data:`MAX_DIFF_ROWS`) and where each scenario
    came from."""
    notes = "".join(f'<div class="note">{esc(n)}</div>' for n in scenario_notes(d, t))
    rows = d.diff.rows
    if len(d.diff.compared) >= 2 and not rows:
        return notes + f"<p>{esc(t('diff_none'))}</p>"
    if not rows:
        return notes
    shown = [[path, *[diff_value(v, t) for v in values]] for path, values in rows[:MAX_DIFF_ROWS]]
    more = (
        f"<p>{esc(t('diff_more', n=len(rows) - MAX_DIFF_ROWS, total=len(rows)))}</p>"
        if len(rows) > MAX_DIFF_ROWS
        else ""
    )
    table = _table(
        [t("h_path"), *[f.name for f in d.folders]], shown, [False] * (len(d.folders) + 1)
    )
    return notes + f'<p class="sub">{esc(t("diff_count", n=len(rows)))}</p>' + table + more


_CJK = "/*CJK-FONT*/"
_JS = "/*PLOTLY-JS*/"


def render(d: CompareData, t: Texts) -> str:
    """The page as text (a Chinese page with the ``@font-face`` of the glyphs it draws)."""
    items = item_labels(d, t)
    figs = {
        "fig-compare-headline": fig_headline(d, t),
        "fig-compare-decomposition": fig_decomposition(d, t),
        "fig-compare-energy": fig_energy(d, t, items),
        "fig-compare-duration": fig_duration(d, t),
    }
    folders = _table(
        [t("h_name"), t("h_folder"), t("h_scenario"), t("row_hours"), t("row_mode")],
        [
            [
                f.name,
                str(f.path),
                str(f.summary.get("scenario", "")),
                f"{f.hours:,} {t('u_h')}",
                mode_text(f, t),
            ]
            for f in d.folders
        ],
        [False, False, False, True, False],
    )
    warn = "".join(
        f'<div class="{"warn" if loud else "note"}">{esc(t(key, **fields))}</div>'
        for key, fields, loud in d.warnings
    )
    sections = [
        ("sec_headline", ["fig-compare-headline"], figure_table(d, t, "sec_headline", items)),
        (
            "sec_decomposition",
            ["fig-compare-decomposition"],
            figure_table(d, t, "sec_decomposition", items),
        ),
        ("sec_energy", ["fig-compare-energy"], figure_table(d, t, "sec_energy", items)),
    ]
    if any(r.section == "sec_annual" for r in d.rows):
        sections.append(("sec_annual", [], figure_table(d, t, "sec_annual", items)))
    sections += [
        ("sec_duration", ["fig-compare-duration"], figure_table(d, t, "sec_duration", items)),
        ("sec_inputs", [], diff_section(d, t)),  # last: it may be long
    ]
    body = "".join(
        f"<section><h2>{esc(t(key))}</h2>"
        + "".join(_div(figs[i], i) for i in ids)
        + html
        + "</section>"
        for key, ids, html in sections
    )
    locale = ""
    if t.lang == "zh":
        locale = (
            f"<script>Plotly.register({json.dumps(ZH_LOCALE, ensure_ascii=False)});"
            "Plotly.setPlotConfig({locale:'zh-CN'});</script>"
        )
    title = t("title", n=len(d.folders))
    page = (
        f'<!DOCTYPE html>\n<html lang="{t.report("lang_attr")}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CJK}{CSS % {'font': FONT_STACK}}</style>"
        f'<script type="text/javascript">{_JS}</script>{locale}</head>'
        f"<body><main><h1>{esc(title)}</h1><h2>{esc(t('folders'))}</h2>{folders}{warn}{body}"
        f"<footer><div>{esc(t('footer', version=gridopt.__version__))}</div></footer></main></body></html>\n"
    )
    font = (
        font_face_css(page + "\n".join(figure_text(f) for f in figs.values()))
        if t.lang == "zh"
        else ""
    )
    return page.replace(_CJK, font, 1).replace(_JS, get_plotlyjs(), 1)


def write(d: CompareData, path: Path, t: Texts) -> Path:
    """Write the page to ``path`` atomically; returns ``path``."""
    text = render(d, t)
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path
