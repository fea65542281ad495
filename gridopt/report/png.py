"""The main figures as PNG at slide resolution (1920 x 1080 px), with matplotlib.

Chinese text needs a CJK font, found by :func:`gridopt.report.fonts.cjk_font` (the file
named by ``GRIDOPT_CJK_FONT``, the Noto Sans CJK collection of the ``noto-cjk-sans-otc``
dependency, Debian's fonts-noto-cjk or fonts-wqy-microhei; in a collection its Simplified
Chinese face, which matplotlib 3.11 and later can pick; older ones draw the collection's first
face). Without one, a ``zh`` report stops with a clear message before anything is written.
The font is used through a local rc context, so the caller's matplotlib settings are left
alone. Over more than 14 days the price and storage charts are daily bands and the typical
days per season are added (:mod:`gridopt.report.year_figures`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: render to files only

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from gridopt.prices import COMPONENTS  # noqa: E402
from gridopt.report.charts import (  # noqa: E402
    COMPONENT_COLOURS,
    asset_colour,
    asset_palette,
    bus_colour,
    colour,
)
from gridopt.report.common import fmt  # noqa: E402
from gridopt.report.data import ReportData, dispatch_series, series_label  # noqa: E402
from gridopt.report.errors import ReportError  # noqa: E402
from gridopt.report.fonts import FONT_ENV, CjkFont, cjk_font  # noqa: E402
from gridopt.report.i18n import Translator  # noqa: E402
from gridopt.report.png_base import DPI, FIGSIZE, legend, save  # noqa: E402
from gridopt.report.year_figures import (  # noqa: E402
    SEASON_COLOURS,
    daily_bands,
    default_bus,
    is_long,
    typical_days,
)

THOUSANDS = mticker.StrMethodFormatter("{x:,.0f}")


def check_font(lang: str) -> CjkFont | None:
    """The CJK font for ``lang`` ('zh'), None for 'en'; ReportError if none is installed."""
    if lang != "zh":
        return None
    p = cjk_font()
    if p is None:
        env = os.environ.get(FONT_ENV)
        where = f"{FONT_ENV}={env} is not a file" if env else "no CJK font found"
        raise ReportError(
            f"Chinese PNG figures need a CJK font ({where}): run `pip install -e .` "
            f"(installs noto-cjk-sans-otc), or `apt-get install fonts-noto-cjk`, or set {FONT_ENV} to a .otf/.ttf/.ttc "
            "file; or use --lang en or --format html,xlsx"
        )
    return p


def _rc(lang: str) -> dict:
    families = ["DejaVu Sans"]
    face = check_font(lang)
    if face is not None:
        font_manager.fontManager.addfont(str(face.path))
        registered = {e.name for e in font_manager.fontManager.ttflist}
        name = (
            face.family
            if face.family in registered  # every face of a collection (matplotlib >= 3.11)
            else font_manager.FontProperties(fname=str(face.path)).get_name()
        )
        families = [name, "DejaVu Sans"]
    return {
        "font.family": families,
        "axes.unicode_minus": False,
        "font.size": 15,
        "axes.titlesize": 20,
        "axes.labelsize": 16,
        "legend.fontsize": 13,
        "xtick.labelsize": 13,
        "ytick.labelsize": 13,
        "axes.grid": True,
        "axes.axisbelow": True,
        "grid.color": "#e0e0e0",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": DPI,
        "savefig.dpi": DPI,
    }


def _tariff_lines(ax, d: ReportData, tr: Translator, x_text: float) -> None:
    """The coal benchmark and the provincial tariff as labelled horizontal lines [CNY/kWh]."""
    for key, value, ls in (
        ("kf_benchmark", d.delivered["benchmark_cny_per_kwh"], ":"),
        ("kf_provincial", d.delivered["provincial_tariff_cny_per_kwh"], "--"),
    ):
        ax.axhline(value, color="#444", ls=ls, lw=1.5)
        ax.text(x_text, value + 0.003, f"{tr(key)} {value:.4f}", fontsize=13, color="#333")


def _date_axis(ax, idx) -> None:
    span_days = (idx[-1] - idx[0]).days if len(idx) > 1 else 0
    if span_days > 60:
        ax.xaxis.set_major_locator(mdates.MonthLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    elif span_days > 10:
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, span_days // 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
    else:
        ax.xaxis.set_major_locator(mdates.DayLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
    ax.set_xlim(idx[0], idx[-1])


def _bands(ax, df, shown: list[bool], tr: Translator) -> None:
    """Daily min-max band and mean of the columns of the hourly frame ``df`` that are
    ``shown``, the daily mean only of the others (:mod:`gridopt.report.year_figures`)."""
    days, lo, mean, hi = daily_bands(df)
    mid = days + pd.Timedelta(hours=12)
    for i, name in enumerate(df.columns):
        col = asset_colour(i)
        if shown[i]:
            ax.fill_between(
                mid, lo[name], hi[name], color=col, alpha=0.22, lw=0, label=tr("yr_band", name=name)
            )
        ax.plot(
            mid, mean[name], color=col, lw=2.2 if shown[i] else 1.0, label=tr("yr_mean", name=name)
        )


def price_hourly(d: ReportData, tr: Translator, path: Path) -> Path:
    """The hourly price per bus; over more than 14 days, the daily band of the bus with the most
    load and the daily means of the others."""
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    title = tr("ch_price_hourly")
    if is_long(d.time):
        k = default_bus(d.r)
        _bands(ax, d.prices, [i == k for i in range(d.prices.shape[1])], tr)
        title = tr("ch_price_daily")
    else:
        for i, b in enumerate(d.prices.columns):
            ax.plot(d.time, d.prices[b].values, lw=0.8, color=bus_colour(i), label=b)
    _date_axis(ax, d.time)
    ax.set(
        title=title,
        ylabel=tr("ax_price"),
        xlabel=tr("ax_time", tz=d.meta["timezone"]),
    )
    legend(ax, min(len(d.prices.columns), 6))
    return save(fig, path)


def price_duration(d: ReportData, tr: Translator, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    H = len(d.time)
    x = 100 * (np.arange(H) + 1) / H
    for i, b in enumerate(d.prices.columns):
        ax.plot(x, np.sort(d.prices[b].values)[::-1], lw=1.8, color=bus_colour(i), label=b)
    ax.set_xlim(0, 100)
    ax.set(title=tr("ch_price_duration"), ylabel=tr("ax_price"), xlabel=tr("ax_share_hours"))
    legend(ax, min(len(d.prices.columns), 6))
    return save(fig, path)


def price_heatmap(d: ReportData, tr: Translator, path: Path) -> Path:
    m = d.heatmap_system
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    im = ax.imshow(m.values, aspect="auto", cmap="RdYlBu_r", interpolation="nearest")
    ax.set_xticks(range(24), [str(h) for h in range(24)])
    ax.set_yticks(range(len(m.index)), list(m.index))
    ax.grid(False)
    if m.size <= 12 * 24:
        for (i, j), v in np.ndenumerate(m.values):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=9, color="#222")
    cb = fig.colorbar(im, ax=ax)
    cb.set_label(tr("ax_price"))
    ax.set(
        title=f"{tr('ch_price_heatmap')} — {tr('heatmap_system')}",
        xlabel=tr("ax_hour"),
        ylabel=tr("ax_month"),
    )
    return save(fig, path)


def dispatch_week(d: ReportData, tr: Translator, path: Path) -> Path:
    t, series, load = dispatch_series(d)
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    # one colour per asset (its charging side the same colour, hatched: one asset, two sides)
    colours = asset_palette([(s.tech, s.name) for s in series])
    pos_b, neg_b = np.zeros(len(t)), np.zeros(len(t))
    for kind, name, tech, y, supply in series:
        base = pos_b if supply else neg_b
        top = base + y
        ax.fill_between(
            t,
            base,
            top,
            step="post",
            facecolor=colours[(tech, name)],
            edgecolor="#ffffff" if not supply else "none",
            hatch=None if supply else "///",
            lw=0,
            label=series_label(kind, name, tech, tr),
        )
        base[:] = top
    ax.step(t, load, where="post", color="black", lw=2.2, label=tr("load_line"))
    ax.axhline(0, color="#555", lw=0.8)
    ax.yaxis.set_major_formatter(THOUSANDS)
    _date_axis(ax, t)
    ax.set(
        title=tr("ch_dispatch", label=_week_label(d, tr)),
        ylabel=tr("ax_power"),
        xlabel=tr("ax_time", tz=d.meta["timezone"]),
    )
    legend(ax, 4)
    return save(fig, path)


def _week_label(d: ReportData, tr: Translator) -> str:
    w = d.week
    key = {"most_expensive": "week_most_expensive", "chosen": "week_chosen", "all": "week_all"}[
        w.kind
    ]
    return tr(
        key, start=f"{d.time[w.start]:%Y-%m-%d %H:%M}", end=f"{d.time[w.stop - 1]:%Y-%m-%d %H:%M}"
    )


def storage_soc(d: ReportData, tr: Translator, path: Path) -> Path:
    r = d.r
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    title = tr("ch_storage")
    if r.sizes["storage"]:
        soc = r["storage_soc_mwh"].transpose("time", "storage").values
        names = [
            f"{name} ({tr.tech(str(kind))})"
            for name, kind in zip(r.storage.values, r["storage_kind"].values, strict=True)
        ]
        if is_long(d.time):
            _bands(ax, pd.DataFrame(soc, index=d.time, columns=names), [True] * len(names), tr)
            title = tr("ch_storage_daily")
        else:
            for j, label in enumerate(names):
                ax.plot(d.time, soc[:, j], lw=0.9, color=asset_colour(j), label=label)
        legend(ax, 4)
        _date_axis(ax, d.time)
    else:
        ax.text(
            0.5,
            0.5,
            tr("no_storage"),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=20,
        )
    ax.set(title=title, ylabel=tr("ax_soc"), xlabel=tr("ax_time", tz=d.meta["timezone"]))
    return save(fig, path)


def curtailment_monthly(d: ReportData, tr: Translator, path: Path) -> Path:
    cm = d.curtailment_monthly
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    x = np.arange(len(cm.index))
    bottom = np.zeros(len(x))
    for carrier in cm.columns:
        ax.bar(
            x,
            cm[carrier].values,
            bottom=bottom,
            color=colour(carrier),
            label=tr.tech(carrier),
        )
        bottom += cm[carrier].values
    ax.set_xticks(x, list(cm.index))
    if cm.shape[1] == 0:
        ax.text(
            0.5,
            0.5,
            tr("no_renewables"),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontsize=20,
        )
    else:
        legend(ax, 4)
        if float(cm.to_numpy().sum()) <= 1e-6:
            ax.text(
                0.5,
                0.5,
                tr("no_curtailment"),
                ha="center",
                va="center",
                transform=ax.transAxes,
                fontsize=20,
            )
            ax.set_ylim(0, 1)
    share = d.energy.get("curtailment_share", float("nan"))
    ax.set(
        title=f"{tr('ch_curtailment')} — {tr('kf_curtailment_share')}: {fmt(100 * share, 1)} %",
        ylabel=tr("ax_energy_mwh"),
        xlabel=tr("ax_month"),
    )
    return save(fig, path)


def price_decomposition(d: ReportData, tr: Translator, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    vals = [d.decomposition[c] for c in COMPONENTS]
    total = d.delivered["delivered_cny_per_kwh"]
    labels = [tr(f"comp_{c}") for c in COMPONENTS] + [tr("total_line")]
    base = 0.0
    for i, (c, v) in enumerate(zip(COMPONENTS, vals, strict=True)):
        v = 0.0 if not np.isfinite(v) else v
        ax.bar(i, v, bottom=base, color=COMPONENT_COLOURS[c], width=0.6)
        ax.text(i, base + max(v, 0) + 0.004, fmt(v, 4), ha="center", va="bottom", fontsize=14)
        base += v
    ax.bar(
        len(vals),
        total if np.isfinite(total) else 0,
        color=COMPONENT_COLOURS["total"],
        width=0.6,
    )
    ax.text(
        len(vals),
        (total if np.isfinite(total) else 0) + 0.004,
        fmt(total, 4),
        ha="center",
        va="bottom",
        fontsize=15,
    )
    _tariff_lines(ax, d, tr, -0.4)
    ax.set_xticks(range(len(labels)), labels)
    ax.set(title=tr("ch_decomposition"), ylabel=tr("ax_price_kwh"))
    return save(fig, path)


def price_setters(d: ReportData, tr: Translator, path: Path) -> Path:
    st = d.setters_tech
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    labels = [c if c != "all" else tr("all_buses") for c in st.columns]
    y = np.arange(len(labels))
    left = np.zeros(len(labels))
    for tech in st.index:
        v = 100 * st.loc[tech].values
        ax.barh(y, v, left=left, color=colour(tech), label=tr.tech(tech))
        left += v
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set(title=tr("ch_setters"), xlabel=tr("ax_share_hours"))
    legend(ax, 4)
    return save(fig, path)


def revenue_adequacy(d: ReportData, tr: Translator, path: Path) -> Path:
    ra = d.revenue
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    x = np.arange(len(ra.index))
    ax.bar(
        x - 0.2,
        tr.money(ra["margin_cny_per_yr"].values),
        width=0.4,
        color="#2f7fc1",
        label=tr("revenue_margin"),
    )
    ax.bar(
        x + 0.2,
        tr.money(ra["annual_fixed_cny_per_yr"].values),
        width=0.4,
        color="#4d4d4d",
        label=tr("revenue_fixed"),
    )
    ax.set_xticks(x, list(ra.index), rotation=20 if len(x) > 6 else 0)
    ax.axhline(0, color="#555", lw=0.8)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set(title=tr("ch_revenue"), ylabel=tr("ax_money_yr"))
    legend(ax, 2)
    return save(fig, path)


def technology_statistics(d: ReportData, tr: Translator, path: Path) -> Path:
    """Capture price and levelised cost per technology [CNY/MWh] (:mod:`gridopt.statistics`),
    the load-weighted average marginal price as a dashed line."""
    t = d.stat_tech
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    x = np.arange(len(t.index))
    for dx, col, key, colour_ in (
        (-0.2, "capture_price_cny_per_mwh", "st_capture", "#2f7fc1"),
        (0.2, "levelised_cost_cny_per_mwh", "st_levelised", "#4d4d4d"),
    ):
        ax.bar(
            x + dx, np.nan_to_num(t[col].values, nan=0.0), width=0.4, color=colour_, label=tr(key)
        )
    avg = d.gap["average_marginal_cny_per_mwh"]
    if np.isfinite(avg):
        ax.axhline(avg, color="#d35400", ls="--", lw=1.5, label=f"{tr('st_average')} {avg:,.1f}")
    ax.set_xticks(x, [tr.tech(k) for k in t.index], rotation=20 if len(x) > 6 else 0)
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set(title=tr("ch_statistics"), ylabel=tr("u_cny_per_mwh"))
    legend(ax, 3)
    return save(fig, path)


#: every figure, in the order written: file name (without .png) -> the function drawing it
CHARTS: dict[str, Callable[[ReportData, Translator, Path], Path]] = {
    "price_hourly": price_hourly,
    "price_duration": price_duration,
    "price_heatmap": price_heatmap,
    "dispatch_week": dispatch_week,
    "storage_soc": storage_soc,
    "curtailment_monthly": curtailment_monthly,
    "price_decomposition": price_decomposition,
    "price_setters": price_setters,
    "revenue_adequacy": revenue_adequacy,
    "technology_statistics": technology_statistics,
}
FIGURES = tuple(CHARTS)


def plan_prices(d: ReportData, tr: Translator, path: Path) -> Path:
    """A plan's delivered price by component, as it is against planned (grouped bars), with
    the benchmark and provincial tariff as reference lines."""
    from gridopt.report.plan import price_bars

    labels, before, after = price_bars(d.plan, d, tr)
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    x = np.arange(len(labels))
    for k, (name, values, col) in enumerate(
        (
            (tr("h_as_it_is"), before, "#9e9e9e"),
            (tr("h_planned"), after, COMPONENT_COLOURS["energy"]),
        )
    ):
        v = np.array([0.0 if not np.isfinite(y) else y for y in values])
        ax.bar(x + (k - 0.5) * 0.38, v, width=0.38, color=col, label=name)
        for xi, yi, raw in zip(x, v, values, strict=True):
            ax.text(
                xi + (k - 0.5) * 0.38,
                max(yi, 0) + 0.003,
                fmt(raw, 4),
                ha="center",
                va="bottom",
                fontsize=12,
            )
    _tariff_lines(ax, d, tr, -0.45)
    ax.set_xticks(x, labels)
    ax.set(title=tr("ch_plan_prices"), ylabel=tr("ax_price_kwh"))
    legend(ax, 2)
    return save(fig, path)


#: the figures of a plan's results (``gridopt plan``), written after :data:`CHARTS`
PLAN_CHARTS: dict[str, Callable[[ReportData, Translator, Path], Path]] = {
    "plan_prices": plan_prices,
}


def price_seasons(d: ReportData, tr: Translator, path: Path) -> Path:
    """Typical day per season of the bus with the most load: mean price by clock hour."""
    k = default_bus(d.r)
    bus = str(d.prices.columns[k])
    t = typical_days(d.prices)[bus]
    fig, ax = plt.subplots(figsize=FIGSIZE, layout="constrained")
    for s in t.columns:
        ax.plot(
            t.index,
            t[s].values,
            "-o",
            ms=4,
            lw=2.5,
            color=SEASON_COLOURS[s],
            label=tr(f"season_{s}"),
        )
    ax.set_xticks(range(24), [str(h) for h in range(24)])
    ax.set(title=f"{tr('ch_price_seasons')} — {bus}", xlabel=tr("ax_hour"), ylabel=tr("ax_price"))
    legend(ax, 4)
    return save(fig, path)


#: the figures of a horizon longer than 14 days, written after :data:`CHARTS`
YEAR_CHARTS: dict[str, Callable[[ReportData, Translator, Path], Path]] = {
    "price_seasons": price_seasons,
}


def write_all(d: ReportData, folder: Path, lang: str) -> list[Path]:
    """Write every figure into ``folder`` (created if needed), the typical days per season
    (:data:`YEAR_CHARTS`) over more than 14 days, the network's figures when it has lines or
    ties with limits (:mod:`gridopt.report.png_network`), a plan's too (:data:`PLAN_CHARTS`) when the
    results are a plan's; returns the files."""
    tr = Translator(lang)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    from gridopt.report.png_network import NETWORK_CHARTS, has_network

    charts = {
        **CHARTS,
        **(YEAR_CHARTS if is_long(d.time) else {}),
        **(NETWORK_CHARTS if has_network(d) else {}),
        **(PLAN_CHARTS if d.plan is not None else {}),
    }
    with plt.rc_context(_rc(lang)):
        for name, chart in charts.items():
            out.append(chart(d, tr, folder / f"{name}.png"))
    return out
