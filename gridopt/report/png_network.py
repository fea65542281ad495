"""The network's slide figures (1920 x 1080 px, matplotlib; drawn inside the rc context of
:func:`gridopt.report.png.write_all`): ``network_diagram.png``, the buses and lines coloured
by mean loading on the same layout as the page (:func:`gridopt.report.network.spring_layout`),
and ``network_loading.png``, each line's and tie's loading duration curve. Written when the
results have lines or ties with limits (:data:`NETWORK_CHARTS`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, Normalize

from gridopt.report.charts import asset_colour
from gridopt.report.i18n import Translator
from gridopt.report.network import LOADING_SCALE, diagram_layout
from gridopt.report.png_base import FIGSIZE, legend, save


def has_network(d) -> bool:
    """Lines or ties with a loading to draw (their limits are in the results)."""
    return any(not np.isnan(y).all() for y in d.net_curves.values())


def network_loading(d, tr: Translator, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    H = len(d.time)
    ties = set(d.net_ties.index)
    x = 100 * np.arange(H + 1) / H
    for i, (name, y) in enumerate(d.net_curves.items()):
        if np.isnan(y).all():
            continue
        y = 100 * np.nan_to_num(np.append(y, y[-1:]), nan=0.0, posinf=100.0)
        label = f"{name} ({tr('nw_tie')})" if name in ties else name
        ax.step(x, y, where="post", lw=2.2, color=asset_colour(i), label=label)
    ax.set_xlim(0, 100)
    ax.set_ylim(bottom=0)
    ax.set(title=tr("ch_net_duration"), xlabel=tr("ax_share_hours"), ylabel=tr("nw_ax_loading"))
    legend(ax, 4)
    return save(fig, path)


def network_diagram(d, tr: Translator, path: Path) -> Path:
    buses, links, xy = diagram_layout(d)
    nodes = buses + [tr("nw_outside")] * (len(xy) - len(buses))
    cmap = LinearSegmentedColormap.from_list("loading", [(p, c) for p, c in LOADING_SCALE])
    norm = Normalize(0, 100)
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    for name, row, tie, (i, j) in links:
        m = row["mean_loading"]
        ok = m is not None and math.isfinite(m)
        colour = cmap(norm(100 * min(m, 1.0))) if ok else "#999999"
        ax.plot(
            xy[[i, j], 0],
            xy[[i, j], 1],
            color=colour,
            lw=2 + 10 * (min(m, 1.0) if ok else 0.0),
            ls=":" if tie else "-",
            zorder=1,
            solid_capstyle="round",
        )
        mx, my = (xy[i] + xy[j]) / 2
        pct = f"{100 * m:.0f} %" if ok else "–"
        ax.text(mx, my - 0.06, f"{name}\n{pct}", ha="center", va="top", fontsize=12, color="#333")
    nb = len(buses)
    ax.scatter(xy[:nb, 0], xy[:nb, 1], s=500, c="white", edgecolors="#222", linewidths=2, zorder=2)
    if len(xy) > nb:
        ax.scatter(
            xy[nb:, 0], xy[nb:, 1], s=500, marker="s", c="#dddddd", edgecolors="#555", zorder=2
        )
    for k, label in enumerate(nodes):
        ax.text(xy[k, 0], xy[k, 1] + 0.08, label, ha="center", va="bottom", fontsize=15)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, shrink=0.7).set_label(tr("nw_ax_loading"))
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.axis("off")
    ax.set_title(tr("ch_net_diagram"))
    return save(fig, path)


#: the network's figures, written after :data:`gridopt.report.png.CHARTS` when
#: :func:`has_network`
NETWORK_CHARTS: dict[str, Callable] = {
    "network_diagram": network_diagram,
    "network_loading": network_loading,
}
