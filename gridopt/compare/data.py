"""What the comparison shows, read once from each results folder (no rendering here).

Every figure of a row is read from the folder's ``summary.json`` by its key (``Row.source``,
a dotted path), so the comparison shows exactly what each run reported; the few that
``summary.json`` does not hold are derived, each stated where it is made:

- delivered price minus the coal benchmark = ``delivered_price_cny_per_kwh`` −
  ``delivered_price.benchmark_cny_per_kwh`` [CNY/kWh];
- curtailment share = curtailed / available energy of the declared items
  (:func:`gridopt.report.data.energy_figures`, from ``results.nc``) [-];
- per year (only when the horizons differ): a horizon total × 8,760 h / H, H the horizon's
  hours (a horizon of 8,760 to 8,784 h is one year, as in :func:`gridopt.prices.year_fraction`);
- the price duration curve: in each hour the marginal price weighted by the load at each bus,
  p_t = sum_b p[t, b] c[t, b] / sum_b c[t, b] (the time-weighted mean over the buses in an
  hour without load), sorted from high to low; x = share of the horizon's hours, so
  horizons of different length overlay. ``Duration.at(s)``: the price exceeded in a share s
  of the hours (numpy's linear quantile at 1 − s).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from gridopt.compare.scenarios import Diff, Resolved, diff, resolve
from gridopt.errors import GridoptError
from gridopt.prices import COMPONENTS, HOURS_PER_YEAR

SUMMARY = "summary.json"
RESULTS = "results.nc"
DURATION_SHARES = tuple(range(0, 101, 5))
"""Shares of hours [%] at which the duration curve is tabulated (xlsx, csv)."""
CURVE_POINTS = 2000
"""Most points of one duration curve drawn in the page."""


class CompareError(GridoptError):
    """A comparison cannot be made (one clear line: the folder or option, and the fix)."""


@dataclass
class Folder:
    """One results folder: the name it is shown under, its summary and results, what it holds
    (``mode``: run, plan, tenant or sweep), the tenants of its ``tenant.json`` and its
    resolved scenario."""

    name: str
    path: Path
    summary: dict
    results: xr.Dataset
    mode: str
    tenants: list[dict]  # tenant.json's tenants (gridopt tenant), in rank order
    scenario: Resolved
    stale_tenants: str = ""  # why a tenant.json beside the results was left out

    @property
    def hours(self) -> int:
        return int(self.summary["hours"])

    @property
    def years(self) -> float:
        """Length of the horizon in years: H / 8760, one for 8,760 to 8,784 h."""
        h = self.hours
        return 1.0 if HOURS_PER_YEAR <= h <= HOURS_PER_YEAR + 24 else h / HOURS_PER_YEAR


@dataclass
class Row:
    """One figure, one value per folder (None where a folder has none).

    section : sec_headline | sec_decomposition | sec_energy | sec_annual | sec_duration
    key : the row's key (csv) ; label : (text key, fields) of its label
    unit : report unit key (``u_*``) or compare text key
    source : dotted path of the value in ``summary.json``, or None when derived
    decimals : shown decimals; percent : a share [-] shown in % ; alarm : shown loudly
    """

    section: str
    key: str
    label: tuple[str, dict]
    unit: str
    values: list[Any]
    source: str | None = None
    decimals: int = 1
    percent: bool = False
    alarm: bool = False


@dataclass
class Duration:
    """A folder's hourly load-weighted marginal price [CNY/MWh], sorted from high to low."""

    price: np.ndarray

    def share(self) -> np.ndarray:
        """x of each sorted hour: the middle of its share of the horizon [-]."""
        n = len(self.price)
        return (np.arange(n) + 0.5) / n

    def at(self, share: float) -> float:
        """Price exceeded in ``share`` of the hours (linear quantile at 1 − share)."""
        return float(np.quantile(self.price, 1.0 - share))


@dataclass
class CompareData:
    folders: list[Folder]
    rows: list[Row]
    diff: Diff
    durations: list[Duration]
    warnings: list[tuple[str, dict, bool]] = field(default_factory=list)  # key, fields, loud


def check_folder(path: Path) -> None:
    """CompareError unless ``path`` is a folder with ``summary.json`` and ``results.nc`` (the
    quick check made of every folder before any is read)."""
    path = Path(path)
    if not path.is_dir():
        raise CompareError(
            f"{path}: {'not a folder' if path.exists() else 'no such folder'}; give folders written by `gridopt run`, `plan` or `tenant`"
        )
    missing = [f for f in (SUMMARY, RESULTS) if not (path / f).is_file()]
    if missing:
        raise CompareError(
            f"{path}: not a results folder (no {' or '.join(missing)}); run `gridopt run SCENARIO --out {path}` first"
        )


def read_folder(path: Path, name: str) -> Folder:
    """Read ``path/summary.json`` and ``path/results.nc``; CompareError when it is not a
    results folder."""
    from gridopt.io import read_results

    path = Path(path)
    check_folder(path)
    try:
        summary = json.loads((path / SUMMARY).read_text(encoding="utf-8"))
        summary["hours"], summary["delivered_price_cny_per_kwh"]  # noqa: B018 - required keys
    except (ValueError, KeyError, TypeError) as exc:
        raise CompareError(
            f"{path / SUMMARY}: not a summary written by gridopt ({type(exc).__name__}: {exc}); run the case again"
        ) from None
    try:
        r = read_results(path / RESULTS)
        r["price_cny_per_mwh"]  # noqa: B018
    except Exception as exc:  # netCDF4/xarray raise many kinds for a foreign file
        raise CompareError(
            f"{path / RESULTS}: not a gridopt results file ({type(exc).__name__}); run the case again"
        ) from None
    from gridopt.report.data import load_tenants

    try:  # used only when computed from the same inputs and hours as the results
        tenants, stale = load_tenants(r, path)
    except GridoptError as exc:
        raise CompareError(str(exc)) from None
    mode = (
        "mode_plan"
        if summary.get("plan")
        else "mode_tenant"
        if tenants
        else "mode_sweep"
        if (path / "case.json").is_file()
        else "mode_run"
    )
    folder = Folder(name, path, summary, r, mode, tenants, resolve(path, summary))
    folder.stale_tenants = "; ".join(f["why"] for _, f in stale)
    return folder


def get(summary: dict, source: str) -> Any:
    """The value at the dotted path ``source`` of ``summary`` (None when absent)."""
    node: Any = summary
    for part in source.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def duration(r: xr.Dataset) -> Duration:
    """The sorted hourly load-weighted marginal price (module docstring)."""
    from gridopt.results import consumption_by_bus

    p = r["price_cny_per_mwh"].transpose("time", "bus").values
    c = consumption_by_bus(r).transpose("time", "bus").values
    den = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        lw = np.where(den > 0, (p * c).sum(axis=1) / np.where(den > 0, den, 1.0), p.mean(axis=1))
    return Duration(np.sort(lw)[::-1])


def _union(lists: list[list[str]]) -> list[str]:
    out: list[str] = []
    for keys in lists:
        out += [k for k in keys if k not in out]
    return out


def build(folders: list[Folder]) -> CompareData:
    """Every row, the input diff, the duration curves and the warnings of ``folders``."""
    from gridopt.report.data import energy_figures

    S = [f.summary for f in folders]

    def row(section, key, label, unit, source=None, values=None, **kw) -> Row:
        vals = values if values is not None else [get(s, source) for s in S]
        return Row(section, key, label, unit, vals, source, **kw)

    delivered = [get(s, "delivered_price_cny_per_kwh") for s in S]
    bench = [get(s, "delivered_price.benchmark_cny_per_kwh") for s in S]
    H = "sec_headline"
    rows = [
        row(
            H,
            "delivered",
            ("row_delivered", {}),
            "u_cny_per_kwh",
            "delivered_price_cny_per_kwh",
            decimals=4,
        ),
        row(
            H,
            "cost_recovery",
            ("row_cost_recovery", {}),
            "u_cny_per_mwh",
            "cost_recovery_cny_per_mwh",
        ),
        row(
            H,
            "marginal",
            ("row_marginal", {}),
            "u_cny_per_mwh",
            "average_marginal_price_cny_per_mwh",
        ),
        row(
            H,
            "provincial",
            ("row_provincial", {}),
            "u_cny_per_kwh",
            "delivered_price.provincial_tariff_cny_per_kwh",
            decimals=4,
        ),
        row(
            H,
            "benchmark",
            ("row_benchmark", {}),
            "u_cny_per_kwh",
            "delivered_price.benchmark_cny_per_kwh",
            decimals=4,
        ),
        row(
            H,
            "delivered_minus_benchmark",
            ("row_vs_benchmark", {}),
            "u_cny_per_kwh",
            values=[
                d - b if d is not None and b is not None else None for d, b in zip(delivered, bench)
            ],
            decimals=4,
        ),
        row(
            H,
            "saving_vs_provincial",
            ("row_saving", {}),
            "u_cny_per_kwh",
            "delivered_price.saving_vs_provincial_cny_per_kwh",
            decimals=4,
        ),
    ]
    rows += tenant_rows(folders)
    rows += [
        row(
            "sec_decomposition",
            f"component_{c}",
            ("row_component", {"component": c}),
            "u_cny_per_kwh",
            f"price_decomposition.{c}",
            decimals=4,
        )
        for c in COMPONENTS
    ]
    E = "sec_energy"
    en = [energy_figures(f.results) for f in folders]
    unserved = [get(s, "unserved_energy_mwh") or 0.0 for s in S]
    excess = [get(s, "excess_energy_mwh") or 0.0 for s in S]
    status = [str(get(s, "solver_status")) for s in S]
    rows += [
        row(E, "hours", ("row_hours", {}), "u_h", "hours", decimals=0),
        row(E, "start", ("row_start", {}), "u_none", "start"),
        row(E, "mode", ("row_mode", {}), "u_none", values=[f.mode for f in folders]),
        row(
            E,
            "solver_status",
            ("row_solver", {}),
            "u_none",
            "solver_status",
            alarm=any(x != "Optimal" for x in status),
        ),
        row(E, "load", ("row_load", {}), "u_mwh", "load_mwh", decimals=0),
    ]
    for side, label in (("supply_mwh", "row_supply"), ("use_mwh", "row_use")):
        items = _union([list((get(s, f"energy_balance.{side}") or {}).keys()) for s in S])
        rows += [
            row(
                E,
                f"{side}.{k}",
                (label, {"item": k}),
                "u_mwh",
                f"energy_balance.{side}.{k}",
                decimals=0,
            )
            for k in items
        ]
    rows += [
        row(E, "curtailment", ("row_curtailment", {}), "u_mwh", "curtailment_mwh", decimals=0),
        row(
            E,
            "curtailment_share",
            ("row_curtailment_share", {}),
            "u_percent",
            values=[e["curtailment_share"] for e in en],
            percent=True,
        ),
        row(E, "emissions", ("row_emissions", {}), "u_t_co2", "emissions_t", decimals=0),
        row(
            E,
            "unserved",
            ("row_unserved", {}),
            "u_mwh",
            "unserved_energy_mwh",
            alarm=any(u > 1e-6 for u in unserved),
        ),
        row(
            E,
            "excess",
            ("row_excess", {}),
            "u_mwh",
            "excess_energy_mwh",
            alarm=any(x > 1e-6 for x in excess),
        ),
        row(E, "objective", ("row_objective", {}), "u_cny", "objective_cny", decimals=0),
    ]
    warnings: list[tuple[str, dict, bool]] = []
    hours = [f.hours for f in folders]
    if len({f.years for f in folders}) > 1:
        warnings.append(
            (
                "warn_horizons",
                {"hours": ", ".join(f"{f.name} {f.hours:,} h" for f in folders)},
                False,
            )
        )
        totals = [r for r in rows if r.unit == "u_mwh" or r.key == "emissions"]
        rows += [
            Row(
                "sec_annual",
                f"{r.key}_per_yr",
                ("row_per_year", {"row": r.label}),
                "u_t_yr" if r.key == "emissions" else "u_mwh_yr",
                [
                    v / f.years if isinstance(v, (int, float)) else None
                    for v, f in zip(r.values, folders)
                ],
                None,
                r.decimals,
                alarm=r.alarm,
            )
            for r in totals
        ]
    for f, u, x, st in zip(folders, unserved, excess, status):
        if st != "Optimal":
            warnings.append(("warn_solver", {"name": f.name, "status": st}, True))
        if u > 1e-6:
            warnings.append(("warn_unserved", {"name": f.name, "mwh": f"{u:,.1f}"}, True))
        if x > 1e-6:
            warnings.append(("warn_excess", {"name": f.name, "mwh": f"{x:,.1f}"}, True))
    for f in folders:
        if f.stale_tenants:
            warnings.append(("warn_tenant_stale", {"name": f.name, "why": f.stale_tenants}, False))
    for f, h in zip(folders, hours):
        frac = min(h / HOURS_PER_YEAR, 1.0)
        if frac < 1.0:
            warnings.append(
                ("warn_prorated", {"name": f.name, "hours": f"{h:,}", "f": f"{frac:.4f}"}, False)
            )
    durations = [duration(f.results) for f in folders]
    rows += [
        Row(
            "sec_duration",
            f"duration_{pct:03d}",
            ("dur_share", {"pct": pct}),
            "u_cny_per_mwh",
            [d.at(pct / 100) for d in durations],
        )
        for pct in DURATION_SHARES
    ]
    return CompareData(folders, rows, diff([f.scenario for f in folders], S), durations, warnings)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


TENANT_PRICES = (
    ("short_run_price_cny_per_kwh", "row_tenant_short_run"),
    ("offer_price_cny_per_kwh", "row_tenant_offer"),
)
"""The prices of a tenant shown beside the headline (``tenant.json`` keys, label keys)."""


def tenant_rows(folders: list[Folder]) -> list[Row]:
    """Per tenant of any folder's ``tenant.json`` (by name, in rank order), its short-run price
    and, when the study had expansion options, its offer price [CNY/kWh], as ``tenant.json``
    holds them (``source`` None: not in summary.json); None for a folder without it."""
    names = _union([[str(t.get("name")) for t in f.tenants] for f in folders])
    rows = []
    for name in names:
        found = [next((t for t in f.tenants if str(t.get("name")) == name), {}) for f in folders]
        for key, label in TENANT_PRICES:
            values = [t.get(key) for t in found]
            if any(is_number(v) for v in values):
                rows.append(
                    Row(
                        "sec_headline",
                        f"tenant.{name}.{key}",
                        (label, {"tenant": name}),
                        "u_cny_per_kwh",
                        values,
                        decimals=4,
                    )
                )
    return rows
