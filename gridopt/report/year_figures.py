"""Readable charts of a long horizon (more than :data:`SHORT_DAYS` days): 8760 hourly points of
five buses on one axis are a blur, so the report draws daily bands instead, with the hours a
zoom away.

Definitions (from the hourly marginal prices p[t, b] [CNY/MWh] and a store's energy at the end
of each hour [MWh]; days and seasons in the local clock of the results):

- daily band: for each calendar day d, min_t p, (1/n_d) sum_t p and max_t p over its n_d hours
  (a first or last day of the horizon may have fewer than 24);
- default bus: the bus with the most load over the horizon (sum of its consumption,
  :func:`gridopt.results.consumption_by_bus`; the first bus when none has load): shown at
  first, the others a click on their legend entry away;
- typical day per season: for each season (DJF: December-February, MAM, JJA, SON) and clock
  hour h, the mean of p over the season's hours at h; a season without hours is left out;
- hourly on zoom: the hourly series is in the chart but hidden; when the x range is
  :data:`SHORT_DAYS` days or less, a small script of the page (:data:`ZOOM_JS`) shows the
  hourly series of every group whose daily mean is shown (and hides it again beyond);
- colours: each bus and each store its own colour of a qualitative palette by position
  (:func:`gridopt.report.charts.asset_colour`), so two batteries never share one.

Horizons of :data:`SHORT_DAYS` days or less keep the hourly charts of
:mod:`gridopt.report.plotly_figures` and :mod:`gridopt.report.png`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from gridopt.report.charts import asset_colour
from gridopt.report.common import esc
from gridopt.report.i18n import Translator
from gridopt.results import consumption_by_bus

SHORT_DAYS = 14
"""A horizon of at most this many days (336 h) is drawn hour by hour."""

SEASONS = {"DJF": (12, 1, 2), "MAM": (3, 4, 5), "JJA": (6, 7, 8), "SON": (9, 10, 11)}
SEASON_COLOURS = {"DJF": "#1f77b4", "MAM": "#2ca02c", "JJA": "#d62728", "SON": "#ff7f0e"}


def is_long(time: pd.DatetimeIndex) -> bool:
    """More than :data:`SHORT_DAYS` days of hours: drawn as daily bands."""
    return len(time) > SHORT_DAYS * 24


def default_bus(r) -> int:
    """Position of the bus with the most load (the first when none has any)."""
    c = consumption_by_bus(r).transpose("time", "bus").values.sum(axis=0)
    return int(np.argmax(c)) if c.size and c.max() > 0 else 0


def daily_bands(
    df: pd.DataFrame,
) -> tuple[pd.DatetimeIndex, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(days, min, mean, max) of each column of an hourly frame by calendar day."""
    g = df.groupby(df.index.normalize())
    lo, mean, hi = g.min(), g.mean(), g.max()
    return pd.DatetimeIndex(lo.index), lo, mean, hi


def season_of(months) -> np.ndarray:
    """The season (DJF, MAM, JJA, SON) of each month number."""
    lookup = {m: s for s, ms in SEASONS.items() for m in ms}
    return np.array([lookup[int(m)] for m in months])


def typical_days(prices: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per bus: the mean price by clock hour (rows 0..23) and season (columns, in DJF, MAM,
    JJA, SON order; only seasons with hours)."""
    idx = pd.DatetimeIndex(prices.index)
    season = season_of(idx.month)
    out = {}
    for b in prices.columns:
        t = pd.Series(prices[b].values, index=idx).groupby([season, idx.hour]).mean().unstack(0)
        cols = [s for s in SEASONS if s in t.columns]
        out[str(b)] = t.reindex(index=range(24), columns=cols)
    return out


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _banded(
    fig: go.Figure,
    df: pd.DataFrame,
    shown: list[bool],
    tr: Translator,
    fmt_y: str,
    unit: str,
) -> None:
    """Add, per column of the hourly frame ``df``: its daily min-max band, its daily mean and
    its hourly series (hidden; shown on zoom by :data:`ZOOM_JS`), in one legend group."""
    from gridopt.report.plotly_figures import _f32, _x

    days, lo, mean, hi = daily_bands(df)
    day_x = {"x0": f"{days[0]:%Y-%m-%d} 12:00", "dx": 86_400_000}
    for i, name in enumerate(df.columns):
        col = asset_colour(i)
        vis = True if shown[i] else "legendonly"
        group = f"g{i}"
        band = tr("yr_band", name=name)
        fig.add_trace(
            go.Scatter(
                y=_f32(lo[name].values),
                mode="lines",
                line={"width": 0, "color": col},
                legendgroup=group,
                showlegend=False,
                hoverinfo="skip",
                visible=vis,
                meta={"group": group, "role": "low"},
                **day_x,
            )
        )
        fig.add_trace(
            go.Scatter(
                name=band,
                y=_f32(hi[name].values),
                mode="lines",
                line={"width": 0, "color": col},
                fill="tonexty",
                fillcolor=_rgba(col, 0.22),
                legendgroup=group,
                visible=vis,
                hoverinfo="skip",
                meta={"group": group, "role": "band"},
                **day_x,
            )
        )
        label = tr("yr_mean", name=name)
        fig.add_trace(
            go.Scatter(
                name=label,
                y=_f32(mean[name].values),
                mode="lines",
                line={"width": 2, "color": col},
                legendgroup=group,
                visible=vis,
                customdata=np.stack([lo[name].values, hi[name].values], axis=1).astype(np.float32),
                hovertemplate=(
                    f"{esc(name)}: %{{y:{fmt_y}}} (%{{customdata[0]:{fmt_y}}}–"
                    f"%{{customdata[1]:{fmt_y}}}) {unit}<extra></extra>"
                ),
                meta={"group": group, "role": "mean"},
                **day_x,
            )
        )
        hourly = tr("yr_hourly", name=name)
        fig.add_trace(
            go.Scatter(
                name=hourly,
                y=_f32(df[name].values),
                mode="lines",
                line={"width": 1, "color": col, "dash": "dot"},
                legendgroup=f"{group}h",
                visible="legendonly",
                hovertemplate=f"{esc(hourly)}: %{{y:{fmt_y}}} {unit}<extra></extra>",
                meta={"group": group, "role": "hourly"},
                **_x(pd.DatetimeIndex(df.index)),
            )
        )


def _time_axis(fig: go.Figure, d, tr: Translator) -> None:
    from gridopt.report.plotly_figures import date_axis

    date_axis(fig, tr)
    from gridopt.report.fonts import _wide

    labels = [t.name for t in fig.data if t.name and t.showlegend is not False]
    width = max((sum(13 if _wide(c) else 7.5 for c in x) for x in labels), default=100)
    fig.update_layout(
        legend={
            "y": -0.6,
            "yanchor": "top",
            "entrywidth": int(width) + 45,
            "entrywidthmode": "pixels",
        },
        meta={"hourly_zoom_days": SHORT_DAYS},
        margin={"t": 105},
        title={"y": 0.97},
    )


def fig_price_daily(d, tr: Translator) -> go.Figure:
    """Daily min-max band and mean of the marginal price per bus, the bus with the most load
    shown, the others in the legend; hourly prices on zoom."""
    from gridopt.report.plotly_figures import _layout

    k = default_bus(d.r)
    fig = go.Figure()
    _banded(fig, d.prices, [i == k for i in range(d.prices.shape[1])], tr, ".1f", "")
    hint = tr("yr_hint", bus=d.prices.columns[k])
    _layout(
        fig,
        f"{tr('ch_price_daily')}<br><sub>{esc(hint)}</sub>",
        yaxis_title=tr("ax_price"),
        xaxis_title=tr("ax_time", tz=d.meta["timezone"]),
        hovermode="x unified",
    )
    _time_axis(fig, d, tr)
    return fig


def fig_storage_daily(d, tr: Translator) -> go.Figure | None:
    """Each store's daily min-max band and mean of its energy stored [MWh], each in its own
    colour; hourly on zoom."""
    from gridopt.report.plotly_figures import _layout

    r = d.r
    if not r.sizes.get("storage", 0):
        return None
    names = [f"{n} ({tr.tech(str(k))})" for n, k in zip(r.storage.values, r["storage_kind"].values)]
    soc = pd.DataFrame(
        r["storage_soc_mwh"].transpose("time", "storage").values, index=d.time, columns=names
    )
    fig = go.Figure()
    _banded(fig, soc, [True] * len(names), tr, ",.0f", "MWh")
    _layout(
        fig,
        f"{tr('ch_storage_daily')}<br><sub>{esc(tr('yr_storage_hint'))}</sub>",
        yaxis_title=tr("ax_soc"),
        xaxis_title=tr("ax_time", tz=d.meta["timezone"]),
        hovermode="x unified",
    )
    _time_axis(fig, d, tr)
    return fig


def fig_price_seasons(d, tr: Translator) -> go.Figure:
    """Typical day per season: mean price by clock hour, four lines per bus; the bus with the
    most load shown, the others in a drop-down."""
    from gridopt.report.plotly_figures import _layout

    k = default_bus(d.r)
    days = typical_days(d.prices)
    buses = list(days)
    fig = go.Figure()
    owner = []
    for i, b in enumerate(buses):
        t = days[b]
        for s in t.columns:
            label = tr(f"season_{s}")
            fig.add_trace(
                go.Scatter(
                    name=label,
                    x=list(range(24)),
                    y=np.round(t[s].values, 2),
                    mode="lines+markers",
                    line={"width": 2.5, "color": SEASON_COLOURS[s]},
                    marker={"size": 5},
                    visible=i == k,
                    hovertemplate=f"{esc(b)} {esc(label)} %{{x}}:00 — %{{y:.1f}}<extra></extra>",
                )
            )
            owner.append(i)
    _layout(
        fig,
        tr("ch_price_seasons"),
        xaxis_title=tr("ax_hour"),
        yaxis_title=tr("ax_price"),
        hovermode="x unified",
    )
    fig.update_xaxes(dtick=1, range=[-0.5, 23.5])
    order = [k] + [i for i in range(len(buses)) if i != k]
    fig.update_layout(
        updatemenus=[
            {
                "type": "dropdown",
                "x": 1.0,
                "xanchor": "right",
                "y": 1.12,
                "yanchor": "bottom",
                "buttons": [
                    {
                        "label": buses[i],
                        "method": "update",
                        "args": [{"visible": [o == i for o in owner]}],
                    }
                    for i in order
                ],
            }
        ]
    )
    return fig


ZOOM_JS = """<script>
(function () {
  function span(gd) {
    var r = gd.layout.xaxis && gd.layout.xaxis.range;
    if (!r) return Infinity;
    return (new Date(String(r[1]).replace(' ', 'T')) - new Date(String(r[0]).replace(' ', 'T'))) / 864e5;
  }
  function apply(gd) {
    var days = gd.layout.meta.hourly_zoom_days, near = span(gd) <= days;
    var shown = {}, idx = [], vis = [];
    gd.data.forEach(function (t) {
      if (t.meta && t.meta.role === 'mean') shown[t.meta.group] = t.visible === true || t.visible === undefined;
    });
    gd.data.forEach(function (t, i) {
      if (!t.meta || t.meta.role !== 'hourly') return;
      var want = near && shown[t.meta.group] ? true : 'legendonly';
      if (t.visible !== want) { idx.push(i); vis.push(want); }
    });
    if (idx.length) Plotly.restyle(gd, {visible: vis}, idx);
  }
  window.addEventListener('load', function () {
    document.querySelectorAll('.js-plotly-plot').forEach(function (gd) {
      if (!gd.layout || !gd.layout.meta || !gd.layout.meta.hourly_zoom_days) return;
      gd.on('plotly_relayout', function () { apply(gd); });
    });
  });
})();
</script>"""
"""The page's script that shows a chart's hourly series when its x range is at most
``layout.meta.hourly_zoom_days`` days (for the groups whose daily mean is shown) and hides
them beyond."""
