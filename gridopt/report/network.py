"""The report's network section: per line and per tie, the loading duration curve, hours at the
limit, mean loading, congestion rent (lines) and import cost / export revenue (ties), as tables
and charts, and a diagram of the buses and lines coloured by mean loading.

The figures are :mod:`gridopt.statistics` (``branch_statistics``, ``tie_statistics``,
``loading_curves``); which families are lines and which are ties comes from their declarations
there. The diagram needs no map and no network: bus positions come from a deterministic
spring layout (:func:`spring_layout`, numpy only) of the graph of buses and lines, each tie
drawn to a node of its own outside the grid ("provincial grid"), so a report opens offline and
draws the same picture every time.

Layout (Fruchterman-Reingold, fixed starts and schedule): nodes start evenly on a unit circle,
in the order of the buses (then the outside nodes) or in :data:`STARTS` - 1 shuffled orders
(numpy's generator seeded 1, 2, ...), and the run with the fewest crossing lines, then the
widest spacing of nodes and line midpoints (where the labels are), is kept; for ``ITERATIONS`` steps, every pair of nodes
repels with force k^2 / d and every edge attracts with d^2 / k (k = 1 / sqrt(n)), each node
moving at most a temperature that falls linearly from 0.1 to 0; positions are then centred and
stretched to fill [-1, 1] on each axis (a schematic: distances mean nothing).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from gridopt.report.common import esc, fmt
from gridopt.report.i18n import Translator

ITERATIONS = 300

LOADING_SCALE = [
    [0.0, "#4575b4"],
    [0.5, "#91bfdb"],
    [0.7, "#fdae61"],
    [0.9, "#f46d43"],
    [1.0, "#a50026"],
]
"""Colour of a line by its mean loading, 0 to 100 % of its limit (blue: idle; red: at its
limit)."""


def crossings(pos: np.ndarray, edges: list[tuple[int, int]]) -> int:
    """Number of pairs of edges without a common node whose segments cross."""

    def orient(a, b, c) -> float:
        return float((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))

    out = 0
    for x, (i, j) in enumerate(edges):
        for k, m in edges[x + 1 :]:
            if len({i, j, k, m}) < 4:
                continue
            p, q, r, t = pos[i], pos[j], pos[k], pos[m]
            if orient(p, q, r) * orient(p, q, t) < 0 and orient(r, t, p) * orient(r, t, q) < 0:
                out += 1
    return out


def _spread(pos: np.ndarray, edges: list[tuple[int, int]]) -> float:
    """The smallest distance between two of the nodes and edge midpoints (where labels go)."""
    pts = np.concatenate([pos, [(pos[i] + pos[j]) / 2 for i, j in edges]]) if edges else pos
    d = np.linalg.norm(pts[:, None] - pts[None, :], axis=2) + np.eye(len(pts)) * 1e9
    return float(d.min())


def spring_layout(n: int, edges: list[tuple[int, int]]) -> np.ndarray:
    """(n, 2) positions in [-1, 1] of a graph of ``n`` nodes and ``edges`` (pairs of node
    positions); deterministic (module docstring): of :data:`STARTS` runs, the one with the
    fewest crossing edges, then the widest spacing of nodes and edge midpoints."""
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    runs = [_spring(n, edges, start) for start in range(STARTS)]
    return min(runs, key=lambda pos: (crossings(pos, edges), -_spread(pos, edges)))


STARTS = 12
"""Spring-layout runs tried: the first from the circle, the others from the circle with its
nodes in a shuffled order (numpy's generator seeded with the run's number)."""


def _spring(n: int, edges: list[tuple[int, int]], start: int) -> np.ndarray:
    order = np.arange(n) if start == 0 else np.random.default_rng(start).permutation(n)
    ang = 2 * math.pi * order / n + math.pi / 2
    pos = np.stack([np.cos(ang), np.sin(ang)], axis=1)
    k = 1 / math.sqrt(n)
    for it in range(ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 1e-6)
        np.fill_diagonal(dist, 1.0)
        force = k * k / dist**2
        np.fill_diagonal(force, 0.0)
        disp = (delta * force[:, :, None]).sum(axis=1)
        for i, j in edges:
            if i == j:
                continue
            d = pos[i] - pos[j]
            dn = max(float(np.linalg.norm(d)), 1e-6)
            pull = d * dn / k
            disp[i] -= pull
            disp[j] += pull
        temp = 0.1 * (1 - it / ITERATIONS)
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
    pos -= (pos.max(axis=0) + pos.min(axis=0)) / 2
    span = np.abs(pos).max(axis=0)
    return pos / np.where(span > 0, span, 1.0)


def loading_colour(loading: float) -> str:
    """The colour of a mean loading [-] on :data:`LOADING_SCALE` (grey when unknown)."""
    from plotly.colors import sample_colorscale

    if loading is None or not math.isfinite(loading):
        return "#999999"
    return sample_colorscale(LOADING_SCALE, [min(max(loading, 0.0), 1.0)])[0]


def _pct(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else 100 * float(x)


def network_tables(d, tr: Translator) -> dict[str, tuple[list[str], list[list], list]]:
    """``net_lines`` and ``net_ties`` as (headers, rows, decimals per column; None: text), in
    the units the headers name (loadings in %, money in CNY); a table without rows is left
    out."""
    out = {}
    b = d.net_branches
    if len(b):
        out["net_lines"] = (
            [
                tr("nw_line"),
                tr("nw_bus0"),
                tr("nw_bus1"),
                tr("nw_limit_fwd"),
                tr("nw_limit_rev"),
                tr("nw_mean_loading"),
                tr("nw_max_loading"),
                tr("nw_hours_limit"),
                tr("nw_hours_limit_fwd"),
                tr("nw_hours_limit_rev"),
                tr("nw_energy_fwd"),
                tr("nw_energy_rev"),
                tr("nw_rent"),
            ],
            [
                [
                    name,
                    row["bus0"],
                    row["bus1"],
                    row["limit_forward_mw"],
                    row["limit_reverse_mw"],
                    _pct(row["mean_loading"]),
                    _pct(row["max_loading"]),
                    row["hours_at_limit"],
                    row["hours_at_limit_forward"],
                    row["hours_at_limit_reverse"],
                    row["energy_forward_mwh"],
                    row["energy_reverse_mwh"],
                    row["congestion_rent_cny"],
                ]
                for name, row in b.iterrows()
            ],
            [None, None, None, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
        )
    t = d.net_ties
    if len(t):
        out["net_ties"] = (
            [
                tr("nw_tie"),
                tr("h_bus"),
                tr("nw_import_limit"),
                tr("nw_export_limit"),
                tr("nw_mean_loading"),
                tr("nw_max_loading"),
                tr("nw_hours_limit"),
                tr("nw_hours_limit_import"),
                tr("nw_hours_limit_export"),
                tr("nw_import_mwh"),
                tr("nw_export_mwh"),
                tr("nw_import_cost"),
                tr("nw_export_revenue"),
            ],
            [
                [
                    name,
                    row["bus"],
                    row["import_limit_mw"],
                    row["export_limit_mw"],
                    _pct(row["mean_loading"]),
                    _pct(row["max_loading"]),
                    row["hours_at_limit"],
                    row["hours_at_limit_import"],
                    row["hours_at_limit_export"],
                    row["import_mwh"],
                    row["export_mwh"],
                    row["import_cost_cny"],
                    row["export_revenue_cny"],
                ]
                for name, row in t.iterrows()
            ],
            [None, None, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
        )
    return out


def fig_loading_duration(d, tr: Translator) -> go.Figure | None:
    """Each line's and tie's loading sorted from highest [% of its limit] as steps: the k-th
    value held over x in [(k - 1) / H, k / H] (share of hours, %);
    one line per asset in its own colour (None without lines or ties)."""
    from gridopt.report.charts import asset_colour
    from gridopt.report.plotly_figures import _f32, _layout

    curves = {k: y for k, y in d.net_curves.items() if not np.isnan(y).all()}  # no limit: none
    if not curves:
        return None
    fig = go.Figure()
    H = len(d.time)
    ties = set(d.net_ties.index)
    for i, (name, y) in enumerate(curves.items()):
        label = f"{name} ({tr('nw_tie')})" if name in ties else name
        fig.add_trace(
            go.Scatter(
                name=label,
                y=_f32(100 * np.nan_to_num(np.append(y, y[-1:]), nan=0.0, posinf=100.0)),
                x0=0.0,
                dx=100.0 / H,
                mode="lines",
                line={"width": 2, "color": asset_colour(i), "shape": "hv"},
                hovertemplate=f"{esc(label)}: %{{y:.1f}} %<extra></extra>",
            )
        )
    _layout(
        fig,
        tr("ch_net_duration"),
        yaxis_title=tr("nw_ax_loading"),
        xaxis_title=tr("ax_share_hours"),
    )
    fig.update_xaxes(range=[0, 100], hoverformat=".1f", ticksuffix=" %")
    fig.update_yaxes(rangemode="tozero", ticksuffix=" %")
    fig.update_layout(legend={"y": -0.25})
    return fig


def _hover(name: str, row, tr: Translator, tie: bool) -> str:
    c = tr("colon")
    parts = [f"<b>{esc(name)}</b>"]
    parts.append(f"{esc(tr('nw_mean_loading'))}{c}{fmt(_pct(row['mean_loading']), 1)}")
    parts.append(f"{esc(tr('nw_hours_limit'))}{c}{fmt(row['hours_at_limit'], 0)}")
    if tie:
        parts.append(f"{esc(tr('nw_import_mwh'))}{c}{fmt(row['import_mwh'], 0)}")
        parts.append(f"{esc(tr('nw_export_mwh'))}{c}{fmt(row['export_mwh'], 0)}")
        parts.append(f"{esc(tr('nw_export_revenue'))}{c}{fmt(row['export_revenue_cny'], 0)}")
        parts.append(f"{esc(tr('nw_import_cost'))}{c}{fmt(row['import_cost_cny'], 0)}")
    else:
        parts.append(
            f"{esc(row['bus0'])} → {esc(row['bus1'])}{c}{fmt(row['energy_forward_mwh'], 0)} MWh"
        )
        parts.append(
            f"{esc(row['bus1'])} → {esc(row['bus0'])}{c}{fmt(row['energy_reverse_mwh'], 0)} MWh"
        )
        parts.append(f"{esc(tr('nw_rent'))}{c}{fmt(row['congestion_rent_cny'], 0)}")
    return "<br>".join(parts)


def diagram_layout(d) -> tuple[list[str], list[tuple], np.ndarray]:
    """The diagram's buses, links and node positions: (bus names, [(name, its statistics row,
    whether a tie, (node, node))] for each line and then each tie, (nodes, 2) positions of the
    buses then one outside node per tie) from :func:`spring_layout`."""
    b, t = d.net_branches, d.net_ties
    buses = [str(x) for x in d.r.bus.values]
    pos_of = {name: i for i, name in enumerate(buses)}
    links = [(n, row, False, (pos_of[row["bus0"]], pos_of[row["bus1"]])) for n, row in b.iterrows()]
    links += [
        (n, row, True, (pos_of[row["bus"]], len(buses) + k))
        for k, (n, row) in enumerate(t.iterrows())
    ]
    xy = spring_layout(len(buses) + len(t), [e for *_, e in links])
    return buses, links, xy


def fig_network(d, tr: Translator) -> go.Figure | None:
    """The diagram: buses (circles, named) and lines between them, each tie to a square node
    outside the grid; a line's colour and width give its mean loading, its hover the figures
    of the tables. None without lines and ties."""
    from gridopt.report.plotly_figures import _layout

    b, t = d.net_branches, d.net_ties
    if not len(b) and not len(t):
        return None
    buses, links, xy = diagram_layout(d)
    fig = go.Figure()
    mids, texts, loads = [], [], []
    for name, row, tie, (i, j) in links:
        m = row["mean_loading"]
        fig.add_trace(
            go.Scatter(
                x=[xy[i, 0], xy[j, 0]],
                y=[xy[i, 1], xy[j, 1]],
                mode="lines",
                line={
                    "color": loading_colour(m),
                    "width": 2 + 10 * (min(m, 1.0) if math.isfinite(m) else 0.0),
                    "dash": "dot" if tie else "solid",
                },
                hoverinfo="skip",
                showlegend=False,
            )
        )
        mids.append((xy[i] + xy[j]) / 2)
        texts.append(_hover(name, row, tr, tie))
        loads.append(_pct(m))
    mids = np.array(mids)
    fig.add_trace(
        go.Scatter(
            x=mids[:, 0],
            y=mids[:, 1],
            mode="markers+text",
            text=[name for name, *_ in links],
            textposition="bottom center",
            textfont={"size": 11, "color": "#444"},
            hovertext=texts,
            hoverinfo="text",
            marker={
                "size": 13,
                "color": [0.0 if v is None else v for v in loads],
                "colorscale": LOADING_SCALE,
                "cmin": 0,
                "cmax": 100,
                "line": {"color": "#333", "width": 1},
                "colorbar": {"title": {"text": tr("nw_ax_loading")}, "ticksuffix": " %"},
            },
            cliponaxis=False,
            showlegend=False,
            name=tr("nw_line"),
        )
    )
    nb = len(buses)
    fig.add_trace(
        go.Scatter(
            x=xy[:nb, 0],
            y=xy[:nb, 1],
            mode="markers+text",
            text=buses,
            textposition="top center",
            textfont={"size": 14},
            marker={"size": 22, "color": "#ffffff", "line": {"color": "#222", "width": 2}},
            hovertext=[esc(x) for x in buses],
            hoverinfo="text",
            cliponaxis=False,
            name=tr("h_bus"),
            showlegend=False,
        )
    )
    if len(t):
        outside = tr("nw_outside")
        fig.add_trace(
            go.Scatter(
                x=xy[nb:, 0],
                y=xy[nb:, 1],
                mode="markers+text",
                text=[outside] * len(t),
                textposition="top center",
                textfont={"size": 13, "color": "#555"},
                marker={
                    "size": 20,
                    "symbol": "square",
                    "color": "#dddddd",
                    "line": {"color": "#555", "width": 2},
                },
                hovertext=[f"{esc(name)}: {esc(outside)}" for name in t.index],
                hoverinfo="text",
                cliponaxis=False,
                showlegend=False,
            )
        )
    _layout(fig, tr("ch_net_diagram"), hovermode="closest", showlegend=False)
    fig.update_xaxes(visible=False, range=[-1.3, 1.3], showline=False, showgrid=False)
    fig.update_yaxes(visible=False, range=[-1.3, 1.3], showline=False, showgrid=False)
    return fig
