"""Everything a report shows, computed once from a results Dataset (no rendering here).

The HTML, Excel and PNG writers all draw on one :class:`ReportData`, so the three formats
show the same numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import xarray as xr

import gridopt
from gridopt import prices as P
from gridopt import statistics as S
from gridopt.report.errors import ReportError
from gridopt.report.headline import Headline, build_headline
from gridopt.report.plan import PlanData, load_plan
from gridopt.report.textfmt import kind_label
from gridopt.results import consumption_by_bus, cost_breakdown, emissions_t, energy_items

WEEK_H = 168


@dataclass
class KeyFigure:
    """One row of the key-figure table: a label key, a value in ``unit``, how to show it."""

    key: str
    value: float | str | None
    unit: str  # i18n key of the unit
    decimals: int = 1
    alarm: bool = False  # shown loudly (unserved energy, dumped excess, non-optimal solve)
    fields: dict = field(default_factory=dict)  # format fields of the label
    money: bool = False  # value in CNY, shown in the language's money unit


@dataclass
class Week:
    """The hours shown in the dispatch chart: ``start`` and ``stop`` positions, and why."""

    start: int
    stop: int
    kind: str  # 'most_expensive' | 'chosen' | 'all'


@dataclass
class ReportData:
    r: xr.Dataset
    results_dir: Path
    meta: dict
    time: pd.DatetimeIndex
    prices: pd.DataFrame
    stats: pd.DataFrame
    tou: pd.DataFrame
    loads: pd.DataFrame
    setters_unit: pd.DataFrame
    setters_tech: pd.DataFrame
    fixed: pd.DataFrame
    costs: pd.DataFrame
    decomposition: dict[str, float]
    delivered: dict
    gap: dict
    revenue: pd.DataFrame
    cost_recovery: P.CostRecovery
    heatmap: dict[str, pd.DataFrame]
    heatmap_system: pd.DataFrame
    week: Week
    curtailment_monthly: pd.DataFrame
    key_figures: list[KeyFigure]
    warnings: list[tuple[str, dict]]
    energy: dict = field(default_factory=dict)
    tenants: list[dict] = field(default_factory=list)  # tenant.json entries, in rank order
    plan: PlanData | None = None  # build.csv and summary.json's plan (gridopt plan), or None
    headline: Headline | None = None  # the card at the top (gridopt.report.headline)
    stat_tech: pd.DataFrame = field(default_factory=pd.DataFrame)  # gridopt.statistics
    stat_assets: pd.DataFrame = field(default_factory=pd.DataFrame)
    stat_loads: pd.DataFrame = field(default_factory=pd.DataFrame)  # loads, then tenants
    net_branches: pd.DataFrame = field(default_factory=pd.DataFrame)  # gridopt.statistics
    net_ties: pd.DataFrame = field(default_factory=pd.DataFrame)
    net_curves: dict[str, np.ndarray] = field(default_factory=dict)  # sorted loading [-]


def select_week(r: xr.Dataset, week: str | int | None = None) -> Week:
    """The week of the dispatch chart.

    ``week`` None: the most expensive week, i.e. the 168 h window starting at a local midnight
    (or at the first hour) with the highest load-weighted average price over all buses
    (time-weighted when there is no load). An integer N: the N-th block of 168 h from the start
    of the horizon. A date ``YYYY-MM-DD``: 168 h from that day's 00:00. A horizon of at most
    168 h is shown whole.
    """
    H = r.sizes["time"]
    idx = pd.DatetimeIndex(r.time.values)
    if week is not None and str(week).strip().isdigit():
        n = int(str(week).strip())
        weeks = math.ceil(H / WEEK_H)
        if not 1 <= n <= weeks:
            raise ReportError(
                f"--week {n}: the horizon has {weeks} week(s) of 168 h; give 1 to {weeks} or a date YYYY-MM-DD"
            )
        start = (n - 1) * WEEK_H
        return Week(start, min(start + WEEK_H, H), "chosen")
    if week is not None:
        text = str(week).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ReportError(f"--week {text!r}: give a week number (1, 2, …) or a date YYYY-MM-DD")
        try:
            day = pd.Timestamp(text)
        except ValueError:
            raise ReportError(f"--week {text!r}: not a valid date") from None
        hits = np.flatnonzero(idx == day)
        if not hits.size:
            raise ReportError(
                f"--week {text}: not in the horizon ({idx[0]:%Y-%m-%d %H:%M} to {idx[-1]:%Y-%m-%d %H:%M})"
            )
        start = int(hits[0])
        return Week(start, min(start + WEEK_H, H), "chosen")
    if H <= WEEK_H:
        return Week(0, H, "all")
    p = r["price_cny_per_mwh"].transpose("time", "bus").values
    c = consumption_by_bus(r).transpose("time", "bus").values
    if c.sum() > 0:
        num, den = (p * c).sum(axis=1), c.sum(axis=1)
    else:
        num, den = p.sum(axis=1), np.full(H, float(p.shape[1]))
    cn, cd = np.concatenate([[0.0], np.cumsum(num)]), np.concatenate([[0.0], np.cumsum(den)])
    starts = sorted({0, *np.flatnonzero(idx.hour == 0).tolist()})
    starts = [s for s in starts if s + WEEK_H <= H]
    scores = [(cn[s + WEEK_H] - cn[s]) / max(cd[s + WEEK_H] - cd[s], 1e-12) for s in starts]
    best = starts[int(np.argmax(scores))]
    return Week(best, best + WEEK_H, "most_expensive")


def _month_labels(idx: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(idx.strftime("%Y-%m"))


def price_heatmap(r: xr.Dataset) -> dict[str, pd.DataFrame]:
    """Time-weighted average price per bus by month (rows, ``YYYY-MM``) and local clock hour of
    day (columns 0..23) [CNY/MWh]; a month-hour with no hours is NaN."""
    idx = pd.DatetimeIndex(r.time.values)
    months = _month_labels(idx)
    out = {}
    for b in r.bus.values:
        s = pd.Series(r["price_cny_per_mwh"].sel(bus=b).values, index=idx)
        df = s.groupby([months, idx.hour]).mean().unstack()
        out[str(b)] = df.reindex(columns=range(24))
    return out


def price_heatmap_system(r: xr.Dataset) -> pd.DataFrame:
    """Load-weighted average price over all buses by month (rows) and hour of day (columns)
    [CNY/MWh]: sum p c / sum c over the month-hour's bus-hours (time-weighted over buses and
    hours where there is no load)."""
    idx = pd.DatetimeIndex(r.time.values)
    p = r["price_cny_per_mwh"].transpose("time", "bus").values
    c = consumption_by_bus(r).transpose("time", "bus").values
    num, den = (p * c).sum(axis=1), c.sum(axis=1)
    keys = [_month_labels(idx), idx.hour]
    g_num = pd.Series(num, index=idx).groupby(keys).sum()
    g_den = pd.Series(den, index=idx).groupby(keys).sum()
    g_tw = pd.Series(p.mean(axis=1), index=idx).groupby(keys).mean()
    out = (g_num / g_den).where(g_den > 0, g_tw)
    return out.unstack().reindex(columns=range(24))


def curtailment_monthly(r: xr.Dataset) -> pd.DataFrame:
    """Curtailed energy by month (rows ``YYYY-MM``) and technology (columns: the carriers of
    the items that declare a ``curtailed`` result) [MWh]."""
    idx = pd.DatetimeIndex(r.time.values)
    frames = []
    for fam, e in energy_items(r, "curtailed"):
        if not r.sizes[fam.dim]:
            continue
        techs = r[f"{fam.dim}_{e.tech}"].values if e.tech else [fam.dim] * r.sizes[fam.dim]
        frames.append(
            pd.DataFrame(
                r[e.curtailed].transpose("time", fam.dim).values,
                index=idx,
                columns=[str(c) for c in techs],
            )
        )
    if not frames:
        return pd.DataFrame(index=pd.Index(sorted(set(_month_labels(idx)))))
    curt = pd.concat(frames, axis=1)
    curt = curt.T.groupby(level=0).sum().T  # sum the plants of one carrier
    return curt.groupby(_month_labels(idx)).sum()


def energy_figures(r: xr.Dataset) -> dict[str, float]:
    """Energy totals over the horizon [MWh] and shares [-] used by the key figures, from the
    declared energy items (:class:`gridopt.model.family.Energy`).

    renewable_share = green local generation used (kind ``renewable``) / (that + other local
    generation, kind ``thermal``): the share of local generation (imports and storage
    discharge are not generation); curtailment_share = curtailed / available energy of the
    items that declare them.
    """

    def total(items) -> float:
        return sum((float(r[name].sum()) for name in items), 0.0)

    re_used = total(e.result for _, e in energy_items(r, "kind") if e.kind == "renewable")
    thermal = total(e.result for _, e in energy_items(r, "kind") if e.kind == "thermal")
    avail = total(e.available for _, e in energy_items(r, "available"))
    curt = total(e.curtailed for _, e in energy_items(r, "curtailed"))
    return {
        "renewable_mwh": re_used,
        "thermal_mwh": thermal,
        "renewable_share": re_used / (re_used + thermal) if re_used + thermal > 0 else math.nan,
        "curtailment_mwh": curt,
        "curtailment_share": curt / avail if avail > 0 else math.nan,
        "emissions_t": emissions_t(r),
        "unserved_mwh": float(r["bus_unserved_mw"].sum()),
        "excess_mwh": float(r["bus_excess_mw"].sum()),
        "load_mwh": P.energy_delivered_mwh(r),
    }


def load_tenants(r: xr.Dataset, results_dir: Path) -> tuple[list[dict], list[tuple[str, dict]]]:
    """The tenants of ``results_dir/tenant.json`` (written by ``gridopt tenant``), in rank order,
    and the warnings about them.

    The file is used only when it was computed from the same inputs (scenario and the files it
    refers to, SHA-256) and the same hours as the results; otherwise it is left out with a warning, so a report never shows
    tenants evaluated against another grid.
    """
    import json

    path = Path(results_dir) / "tenant.json"
    if not path.is_file():
        return [], []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tenants = list(data["tenants"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ReportError(
            f"{path}: not a tenant.json written by `gridopt tenant` ({type(exc).__name__}: {exc}); "
            "delete it or run `gridopt tenant` again"
        ) from None
    why = []
    key = (
        "inputs_sha256"
        if data.get("inputs_sha256") and r.attrs.get("inputs_sha256")
        else "scenario_sha256"
    )
    sha = str(r.attrs.get(key, ""))
    if data.get(key) != sha:
        why.append(
            f"{'inputs' if key == 'inputs_sha256' else 'scenario'} SHA-256 {str(data.get(key))[:12]}… ≠ {sha[:12]}…"
        )
    if data.get("hours") != int(r.sizes["time"]):
        why.append(f"{data.get('hours')} h ≠ {int(r.sizes['time'])} h")
    if why:
        return [], [("warn_tenant_stale", {"why": "; ".join(why)})]
    tenants.sort(key=lambda t: t.get("rank", 0))
    warnings = [
        ("warn_tenant_unfit", {"name": t["name"], "mwh": t["unserved_energy_mwh"]})
        for t in tenants
        if not t.get("fits", True)
    ]
    return tenants, warnings


def build(r: xr.Dataset, results_dir: Path, week: str | int | None = None) -> ReportData:
    """Compute every table and series of the report from the results Dataset ``r``."""
    idx = pd.DatetimeIndex(r.time.values)
    tz = r.attrs.get("timezone") or r.time.attrs.get("timezone") or "Asia/Shanghai"
    meta = {
        "scenario": str(r.attrs.get("scenario", "")),
        "scenario_file": str(r.attrs.get("scenario_file", "")),
        "scenario_sha256": str(r.attrs.get("scenario_sha256", "")),
        "inputs_sha256": str(r.attrs.get("inputs_sha256", "")),
        "solver_status": str(r.attrs.get("solver_status", "")),
        "power_flow": str(r.attrs.get("power_flow", "")),
        "hours": int(r.sizes["time"]),
        "start": f"{idx[0]:%Y-%m-%d %H:%M}",
        "end": f"{idx[-1]:%Y-%m-%d %H:%M}",
        "timezone": str(tz),
        "version": gridopt.__version__,
        "results_dir": str(results_dir),
    }
    cr = P.cost_recovery(r)
    dp = P.delivered_price(r, P.CUSTOMER_LOAD_MW, cr)
    gap = P.market_gap(r, cr)
    en = energy_figures(r)
    ops = cost_breakdown(r)
    kf = [
        KeyFigure("kf_delivered", dp["delivered_cny_per_kwh"], "u_cny_per_kwh", 4),
        KeyFigure("kf_cost_recovery", cr.price_cny_per_mwh, "u_cny_per_mwh", 1),
        KeyFigure("kf_avg_marginal", gap["average_marginal_cny_per_mwh"], "u_cny_per_mwh", 1),
        KeyFigure("kf_gap", gap["gap_cny_per_mwh"], "u_cny_per_mwh", 1),
        KeyFigure("kf_benchmark", dp["benchmark_cny_per_kwh"], "u_cny_per_kwh", 4),
        KeyFigure("kf_provincial", dp["provincial_tariff_cny_per_kwh"], "u_cny_per_kwh", 4),
        KeyFigure("kf_saving", dp["saving_vs_provincial_cny_per_kwh"], "u_cny_per_kwh", 4),
        KeyFigure(
            "kf_saving_year",
            dp["saving_per_year_cny"],
            "u_money_yr",
            0,
            fields={"mw": P.CUSTOMER_LOAD_MW},
            money=True,
        ),
        KeyFigure("kf_renewable_share", 100 * en["renewable_share"], "u_percent", 1),
        KeyFigure("kf_curtailment", en["curtailment_mwh"] / 1e3, "u_gwh", 2),
        KeyFigure("kf_curtailment_share", 100 * en["curtailment_share"], "u_percent", 1),
        KeyFigure("kf_emissions", en["emissions_t"] / 1e3, "u_kt", 1),
        KeyFigure("kf_unserved", en["unserved_mwh"], "u_mwh", 1, alarm=en["unserved_mwh"] > 1e-6),
        KeyFigure("kf_excess", en["excess_mwh"], "u_mwh", 1, alarm=en["excess_mwh"] > 1e-6),
        KeyFigure("kf_load", en["load_mwh"] / 1e3, "u_gwh", 1),
        KeyFigure(
            "kf_operating_cost",
            float(r["objective_cny"]) - sum(ops[k] for k in P.SLACK_ITEMS),
            "u_money",
            0,
            money=True,
        ),
        KeyFigure(
            "kf_solver", meta["solver_status"], "u_none", alarm=meta["solver_status"] != "Optimal"
        ),
    ]
    warnings: list[tuple[str, dict]] = []
    if meta["solver_status"] != "Optimal":
        warnings.append(("warn_solver", {"status": meta["solver_status"]}))
    if en["unserved_mwh"] > 1e-6:
        warnings.append(("warn_unserved", {"mwh": en["unserved_mwh"]}))
    if en["excess_mwh"] > 1e-6:
        warnings.append(("warn_excess", {"mwh": en["excess_mwh"]}))
    if cr.slack_penalty_cny > 0:
        warnings.append(("warn_slack_excluded", {"cny_value": cr.slack_penalty_cny}))
    if cr.energy_delivered_mwh <= 0:
        warnings.append(("warn_no_load", {}))
    if cr.year_fraction < 1:
        warnings.append(("warn_prorated", {"hours": cr.hours, "f": cr.year_fraction}))
    tenants, tenant_warnings = load_tenants(r, results_dir)
    warnings += tenant_warnings
    plan, plan_warnings = load_plan(r, results_dir)
    warnings += plan_warnings
    prices = pd.DataFrame(
        r["price_cny_per_mwh"].transpose("time", "bus").values,
        index=idx,
        columns=[str(b) for b in r.bus.values],
    )
    decomposition = P.decomposition(r, cr)
    stat_assets = S.asset_statistics(r)
    return ReportData(
        r=r,
        results_dir=results_dir,
        meta=meta,
        time=idx,
        prices=prices,
        stats=P.price_statistics(r),
        tou=P.tou_prices(r),
        loads=P.load_prices(r),
        setters_unit=P.setter_shares(r, "unit"),
        setters_tech=P.setter_shares(r, "technology"),
        fixed=P.asset_fixed_costs(r),
        costs=P.cost_table(r, cr),
        decomposition=decomposition,
        delivered=dp,
        gap=gap,
        revenue=P.revenue_adequacy(r),
        cost_recovery=cr,
        heatmap=price_heatmap(r),
        heatmap_system=price_heatmap_system(r),
        week=select_week(r, week),
        curtailment_monthly=curtailment_monthly(r),
        key_figures=kf,
        warnings=warnings,
        energy=en,
        tenants=tenants,
        plan=plan,
        headline=build_headline(r, results_dir, dp, decomposition, ops, plan, tenants),
        stat_tech=S.technology_statistics(r, stat_assets),
        stat_assets=stat_assets,
        stat_loads=load_and_tenant_statistics(r, tenants),
        net_branches=S.branch_statistics(r),
        net_ties=S.tie_statistics(r),
        net_curves=S.loading_curves(r),
    )


def load_and_tenant_statistics(r: xr.Dataset, tenants: list[dict]) -> pd.DataFrame:
    """:func:`gridopt.statistics.load_statistics` of ``r``, then one row per tenant of
    tenant.json (family ``tenant``): its energy and the marginal price it would pay weighted by
    its own consumption (``marginal_weighted_price_cny_per_mwh``, at the with-tenant prices)."""
    loads = S.load_statistics(r)
    rows = [
        {
            "load": str(t.get("name")),
            "family": "tenant",
            "bus": str(t.get("bus", "")),
            "energy_mwh": t.get("energy_mwh"),
            "load_weighted_price_cny_per_mwh": t.get("marginal_weighted_price_cny_per_mwh"),
        }
        for t in tenants
    ]
    if not rows:
        return loads
    extra = (
        pd.DataFrame(rows)
        .set_index("load")
        .astype({"energy_mwh": float, "load_weighted_price_cny_per_mwh": float})
    )
    return pd.concat([loads, extra])


class Series(NamedTuple):
    """One series of the dispatch chart.

    kind : the energy item's declared kind (:data:`gridopt.model.family.KINDS`)
    name : the asset's name; "" for a series summed over the assets (a slack)
    tech : the asset's technology (colour and legend), or the kind
    mw : its power in each hour of the week [MW]: supply positive, use negative
    supply : on the supply side (stacked above zero) or the use side (below)
    """

    kind: str
    name: str
    tech: str
    mw: np.ndarray
    supply: bool


def dispatch_series(d: ReportData) -> tuple[pd.DatetimeIndex, list[Series], np.ndarray]:
    """The dispatch chart's series over the selected week.

    Returns (time, series, load): one series for each energy item with a ``kind`` that the
    families declare (:data:`gridopt.model.BALANCE`, its supply items first, then its use
    items, each in declaration order): one per asset, or one summed over the assets and left
    out when never used (``per_asset`` False: the slacks); supply positive (today 'thermal',
    'renewable', 'discharge', 'import', 'unserved') and use other than load negative ('charge',
    'export', 'excess'); ``load`` is the local load [MW] (the items declared ``load``). In
    every hour the series add up to the local load plus line losses.
    """
    from gridopt.model import BALANCE

    r, w = d.r, d.week
    sl = slice(w.start, w.stop)
    out: list[Series] = []
    for supply in (True, False):
        sign = 1.0 if supply else -1.0
        for fam in BALANCE:
            if fam.dim not in r.sizes:  # results written before the family existed
                continue
            for e in fam.energy:
                if e.supply != supply or e.kind is None:
                    continue
                values = r[e.result].transpose("time", fam.dim).values[sl]
                if not e.per_asset:
                    total = values.sum(axis=1)
                    if np.abs(total).max(initial=0) > 1e-6:
                        out.append(Series(e.kind, "", e.kind, sign * total, supply))
                    continue
                techs = r[f"{fam.dim}_{e.tech}"].values if e.tech else None
                for j, name in enumerate(r[fam.dim].values):
                    tech = str(techs[j]) if techs is not None else e.kind
                    out.append(Series(e.kind, str(name), tech, sign * values[:, j], supply))
    load = consumption_by_bus(r).transpose("time", "bus").values[sl].sum(axis=1)
    return d.time[sl], out, load


def series_label(kind: str, name: str, tech: str, tr) -> str:
    """Legend label of a dispatch series in ``tr``'s language.

    A store's series: "<name> charging"; an import or export: "<name> import"; another asset's
    series: "<name> (<technology>)"; a series summed over the assets: its kind. Technologies
    are shown as the scenario names them where they have no text; a kind with no text reads
    as its key with spaces (``green_hydrogen``: "green hydrogen"), never a missing-key error.
    """
    if kind in ("discharge", "charge"):
        return f"{name} {tr(kind)}"
    if not name:
        return kind_label(kind, tr)
    if kind in ("import", "export"):
        return f"{name} {kind_label(kind, tr)}"
    return f"{name} ({tr.tech(tech) if tech != kind else kind_label(kind, tr)})"
