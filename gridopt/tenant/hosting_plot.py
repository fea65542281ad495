"""The load-hosting curve as charts: ``hosting.png`` (matplotlib, the report's fonts:
:func:`gridopt.report.png._rc`) and a plotly figure / HTML fragment for the report
(:func:`hosting_figure`, :func:`hosting_html`). Both draw the price of the hosted block
against its mean load [MW] (the offer price in plan mode, the short-run price with charges,
labelled as not an offer, otherwise), the price of each step, the system delivered price for
all loads, and the coal benchmark and provincial tariff as horizontal lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from gridopt.io import atomic_write
from gridopt.report.i18n import Translator


def _series(hosting: dict[str, Any], tr: Translator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(label, MW, CNY/kWh) of each drawn curve, steps above 0 MW."""
    steps = [s for s in hosting["steps"] if s["added_mean_mw"] > 0]
    mw = np.array([s["added_mean_mw"] for s in steps], float)
    net = float(hosting["network_and_funds_cny_per_kwh"])
    price = np.array([s[hosting["price_key"]] for s in steps], float)
    step = np.array([s["step_incremental_cost_cny_per_mwh"] for s in steps], float) / 1000 + net
    system = np.array([s["system_delivered_price_cny_per_kwh"] for s in steps], float)
    main = tr("hosting_offer" if hosting["mode"] == "plan" else "hosting_short_run")
    return [
        (main, mw, price),
        (tr("hosting_step_price"), mw, step),
        (tr("hosting_system"), mw, system),
    ]


def write_png(hosting: dict[str, Any], path: Path, lang: str = "zh") -> Path:
    """``hosting.png``: the curves against the added mean load, with the tariff lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gridopt.report.png import _rc

    tr = Translator(lang)
    with plt.rc_context(_rc(lang)):
        fig, ax = plt.subplots(figsize=(16, 9))
        for (label, x, y), style in zip(_series(hosting, tr), ("-o", "--s", ":^")):
            ax.plot(x, y, style, label=label)
        for key, value, ls in (
            ("hosting_benchmark", hosting["benchmark_cny_per_kwh"], "-."),
            ("hosting_provincial", hosting["provincial_tariff_cny_per_kwh"], "--"),
        ):
            ax.axhline(value, color="grey", ls=ls, lw=1.2, label=f"{tr(key)} {value:.4f}")
        ax.set(
            xlabel=tr("hosting_x"),
            ylabel=tr("hosting_y"),
            title=tr("hosting_title", name=hosting["name"], bus=hosting["bus"]),
        )
        ax.legend(loc="upper left")
        fig.tight_layout()
        try:
            atomic_write(path, lambda p: fig.savefig(p, format="png"))
        finally:
            plt.close(fig)
    return path


def hosting_figure(hosting: dict[str, Any], tr: Translator):
    """The same chart as a plotly figure (for the HTML report)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for label, x, y in _series(hosting, tr):
        fig.add_trace(
            go.Scatter(
                x=x.tolist(),
                y=[round(float(v), 4) for v in y],
                mode="lines+markers",
                name=label,
                hovertemplate="%{x:,.0f} MW: %{y:.4f}<extra></extra>",
            )
        )
    for key, value, dash in (
        ("hosting_benchmark", hosting["benchmark_cny_per_kwh"], "dashdot"),
        ("hosting_provincial", hosting["provincial_tariff_cny_per_kwh"], "dash"),
    ):
        fig.add_hline(
            y=value,
            line={"color": "grey", "dash": dash, "width": 1.2},
            annotation_text=f"{tr(key)} {value:.4f}",
            annotation_position="top left",
        )
    fig.update_layout(
        template="none",
        title={"text": tr("hosting_title", name=hosting["name"], bus=hosting["bus"])},
        xaxis_title=tr("hosting_x"),
        yaxis_title=tr("hosting_y"),
        legend={"orientation": "h", "y": -0.15},
        hovermode="x unified",
    )
    return fig


def hosting_html(hosting: dict[str, Any], lang: str = "zh") -> str:
    """An HTML fragment (a ``<div>`` with the plotly figure, plotly.js not included: the
    report page loads it once) for the report's tenant section."""
    fig = hosting_figure(hosting, Translator(lang))
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id="fig-tenant-hosting")


def load_hosting(results_dir: str | Path) -> dict[str, Any] | None:
    """The ``hosting`` block of ``results_dir/tenant.json``, or None (no file or no curve)."""
    path = Path(results_dir) / "tenant.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get("hosting")
