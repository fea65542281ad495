"""The report's "what to build" section (建设方案): read a plan's files, lay out its tables.

``gridopt plan`` writes beside the planned year's ``results.nc``: ``build.csv`` (one row per
asset and capacity, columns :data:`gridopt.plan.BUILD_COLUMNS`) and ``summary.json`` with a
``plan`` block (:func:`gridopt.plan.plan_block`; its ``dispatch`` holds the key figures of the
same scenario dispatched with the fleet as it is, :data:`gridopt.run.BASELINE_KEYS`) and, when
the scenario sets one, a ``policy`` block (:func:`gridopt.plan.policy_block`).
:func:`load_plan` reads them (only when they belong to the results: same inputs, same hours,
the build table's investment equal to the plan block's); the functions below give each table
as (headers, rows, decimals) in a language, numbers in the unit their header names (money in
the language's money unit: million CNY, 万元), so the HTML page, the workbook and the figures
show the same numbers:

- :func:`build_table`: asset, family, bus, capacity, unit, existing, new, retired, total
  [MW or MWh], the new capacity's investment, its annual cost (annuity + fixed O&M) and the
  fixed O&M the retired capacity saves; a total row sums the money columns;
- :func:`comparison_table`: as it is against planned, each figure defined as in the rest of
  the report (docs/report.md): the five components of the delivered price, which add up to it
  [CNY/kWh], the delivered and the cost-recovery price, the average marginal price,
  curtailment, emissions, unserved energy, the plan's money (new investment, its annual
  cost, fixed O&M saved: 0 as it is) and the existing capacity's annuity, sunk apart from
  committed (the same in both: a plan changes neither); change = planned - as it is;
- :func:`policy_table`: per policy constraint its limit and what the plan achieves (one unit),
  its shadow price in its own unit and whether it binds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import xarray as xr

from gridopt.prices import COMPONENTS
from gridopt.report.errors import ReportError

CAPEX_RTOL = 1e-6
"""build.csv belongs to the plan block when their new investments agree to this (relative)."""


@dataclass
class PlanData:
    """A plan's files: ``build`` (build.csv as written), ``block`` (summary.json's ``plan``),
    ``before`` (its ``dispatch``: the fleet as it is; empty when not solved) and ``policy``
    (summary.json's ``policy``; empty when the scenario sets none)."""

    build: pd.DataFrame
    block: dict
    before: dict = field(default_factory=dict)
    policy: dict = field(default_factory=dict)


def _read_summary(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(
            f"{path}: not a summary.json written by gridopt ({type(exc).__name__}: {exc}); "
            "run `gridopt plan` (or `gridopt run`) again"
        ) from None
    if not isinstance(data, dict):
        raise ReportError(f"{path}: not a summary.json written by gridopt (not a JSON object)")
    return data


def _read_build(path: Path) -> pd.DataFrame:
    from gridopt.plan import BUILD_COLUMNS

    try:
        t = pd.read_csv(path, dtype={"asset": str, "bus": str})
    except (OSError, ValueError) as exc:
        raise ReportError(
            f"{path}: not a build.csv written by `gridopt plan` ({type(exc).__name__}); "
            "delete it or run `gridopt plan` again"
        ) from None
    missing = [c for c in BUILD_COLUMNS if c not in t.columns]
    if missing:
        raise ReportError(
            f"{path}: not a build.csv written by `gridopt plan` (no column {', '.join(missing)}); "
            "delete it or run `gridopt plan` again"
        )
    return t[BUILD_COLUMNS]


def load_plan(r: xr.Dataset, results_dir: Path) -> tuple[PlanData | None, list[tuple[str, dict]]]:
    """The plan of ``results_dir`` (``build.csv`` and summary.json's ``plan`` block) and the
    warnings about it; (None, []) for a folder without a plan.

    The plan is shown only when it belongs to the results: summary.json of the same inputs
    (SHA-256) and hours as ``results.nc``, and build.csv's investment equal to the plan
    block's; otherwise it is left out with a warning (e.g. a build.csv left by an earlier plan
    in a folder that ``gridopt run`` has since written). Raises ReportError for a build.csv or
    summary.json that cannot be read, when the folder has a build.csv.
    """
    d = Path(results_dir)
    build_path, summary_path = d / "build.csv", d / "summary.json"
    has_build = build_path.is_file()
    if not has_build and not summary_path.is_file():
        return None, []
    if not summary_path.is_file():
        return None, [("warn_plan_missing", {"file": "summary.json"})]
    try:
        summary = _read_summary(summary_path)
    except ReportError:
        if has_build:
            raise
        return None, []  # no plan: a report reads results.nc only, as before
    block = summary.get("plan")
    if not isinstance(block, dict):
        return (
            (None, [("warn_plan_missing", {"file": "summary.json: plan"})])
            if has_build
            else (
                None,
                [],
            )
        )
    if not has_build:
        return None, [("warn_plan_missing", {"file": "build.csv"})]
    build = _read_build(build_path)
    why = []
    key = (
        "inputs_sha256"
        if summary.get("inputs_sha256") and r.attrs.get("inputs_sha256")
        else "scenario_sha256"
    )
    sha = str(r.attrs.get(key, ""))
    if str(summary.get(key)) != sha:
        what = "inputs" if key == "inputs_sha256" else "scenario"
        why.append(f"{what} SHA-256 {str(summary.get(key))[:12]}… ≠ {sha[:12]}…")
    if summary.get("hours") != int(r.sizes["time"]):
        why.append(f"{summary.get('hours')} h ≠ {int(r.sizes['time'])} h")
    capex_csv = float(build["capex_new_cny"].sum())
    capex_block = float(block.get("capex_new_cny", math.nan))
    if not math.isclose(capex_csv, capex_block, rel_tol=CAPEX_RTOL, abs_tol=1.0):
        why.append(f"build.csv {capex_csv:,.0f} CNY ≠ summary.json {capex_block:,.0f} CNY")
    if why:
        return None, [("warn_plan_stale", {"why": "; ".join(why)})]
    before = block.get("dispatch") if isinstance(block.get("dispatch"), dict) else {}
    policy = summary.get("policy") if isinstance(summary.get("policy"), dict) else {}
    warnings = [] if before else [("warn_plan_no_before", {})]
    return PlanData(build, block, before, policy), warnings


# --------------------------------------------------------------------------------------------
# tables: (headers, rows of values in the unit each header names, decimals per column: None
# for text)
# --------------------------------------------------------------------------------------------

Table = tuple[list[str], list[list[object]], list[int | None]]


def money_decimals(tr) -> int:
    """Decimals of an amount in the language's money unit: 2 for million CNY, 0 for 万元."""
    return 2 if tr.money(1e6) == 1 else 0


def capacity_label(name: str, tr) -> str:
    """A capacity's name in ``tr``'s language (``cap_<name>``), else as written."""
    return tr.texts.get(f"cap_{name}", name)


def family_label(dim: str, tr) -> str:
    """A family's name in ``tr``'s language (``fam_<dim>``), else as written."""
    return tr.texts.get(f"fam_{dim}", dim)


def build_table(plan: PlanData, tr) -> Table:
    """The build table (see the module); the last row is the total of the money columns."""
    t = plan.build
    headers = [
        tr("h_asset"),
        tr("h_family"),
        tr("h_bus"),
        tr("h_capacity"),
        tr("unit"),
        tr("h_existing"),
        tr("h_new"),
        tr("h_retired"),
        tr("h_total_capacity"),
        tr("h_investment_new"),
        tr("h_annual_cost_new"),
        tr("h_fixed_om_saved"),
    ]
    decimals: list[int | None] = [None] * 5 + [1] * 4 + [money_decimals(tr)] * 3
    rows: list[list[object]] = []
    for row in t.itertuples(index=False):
        rows.append(
            [
                row.asset,
                family_label(row.family, tr),
                row.bus,
                capacity_label(row.capacity, tr),
                row.unit,
                float(row.existing),
                float(row.new),
                float(row.retired),
                float(row.total),
                tr.money(float(row.capex_new_cny)),
                tr.money(float(row.annual_cost_new_cny_per_yr)),
                tr.money(float(row.fixed_om_saved_cny_per_yr)),
            ]
        )
    rows.append(
        [tr("h_total_row"), "", "", "", "", None, None, None, None]
        + [
            tr.money(float(t[c].sum()))
            for c in ("capex_new_cny", "annual_cost_new_cny_per_yr", "fixed_om_saved_cny_per_yr")
        ]
    )
    return headers, rows, decimals


def comparison_rows(plan: PlanData, d) -> list[tuple[str, str, float, float, int]]:
    """(label key, unit key, as it is, planned, decimals) of the comparison, values in the unit
    (money in CNY: the caller converts). As it is: the plan block's ``dispatch``; planned: the
    report's own figures of the planned year (``d``: :class:`gridopt.report.data.ReportData`)."""
    b, block = plan.before, plan.block
    dec = b.get("price_decomposition") or {}
    en = d.energy

    def get(key: str, scale: float = 1.0) -> float:
        v = b.get(key)
        return float(v) * scale if isinstance(v, (int, float)) else math.nan

    rows = [
        (f"comp_{c}", "u_cny_per_kwh", float(dec.get(c, math.nan)), d.decomposition[c], 4)
        for c in COMPONENTS
    ]
    rows += [
        (
            "kf_delivered",
            "u_cny_per_kwh",
            get("delivered_price_cny_per_kwh"),
            d.delivered["delivered_cny_per_kwh"],
            4,
        ),
        (
            "kf_cost_recovery",
            "u_cny_per_mwh",
            get("cost_recovery_cny_per_mwh"),
            d.cost_recovery.price_cny_per_mwh,
            1,
        ),
        (
            "kf_avg_marginal",
            "u_cny_per_mwh",
            get("average_marginal_price_cny_per_mwh"),
            d.gap["average_marginal_cny_per_mwh"],
            1,
        ),
        ("kf_curtailment", "u_gwh", get("curtailment_mwh", 1e-3), en["curtailment_mwh"] / 1e3, 2),
        ("kf_emissions", "u_kt", get("emissions_t", 1e-3), en["emissions_t"] / 1e3, 1),
        ("kf_unserved", "u_mwh", get("unserved_energy_mwh"), en["unserved_mwh"], 1),
    ]
    money = [
        ("kf_investment_new", "u_money", "capex_new_cny"),
        ("kf_annual_cost_new", "u_money_yr", "annual_cost_new_cny_per_yr"),
        ("kf_fixed_om_saved", "u_money_yr", "fixed_om_saved_cny_per_yr"),
        ("kf_capacity_cost_horizon", "u_money", "capacity_cost_horizon_cny"),
    ]
    zero = 0.0 if b else math.nan  # nothing new as it is
    rows += [(k, u, zero, float(block.get(f, math.nan)), 2) for k, u, f in money]
    for key, f in (
        ("kf_existing_sunk", "existing_capital_sunk_cny_per_yr"),
        ("kf_existing_committed", "existing_capital_new_cny_per_yr"),
    ):  # the existing fleet's annuity: the same as it is and planned (a plan changes neither)
        if isinstance(block.get(f), (int, float)):
            rows.append((key, "u_money_yr", float(block[f]), float(block[f]), 2))
    return rows


def comparison_table(plan: PlanData, d, tr) -> tuple[list[str], list[list[object]], list[int]]:
    """As it is against planned, with the change (see the module): headers, rows (figure,
    unit, as it is, planned, change) and the decimals of each row's numbers."""
    headers = [tr("figure"), tr("unit"), tr("h_as_it_is"), tr("h_planned"), tr("h_change")]
    rows, decimals = [], []
    for key, unit, before, after, dec in comparison_rows(plan, d):
        if unit.startswith("u_money"):
            before, after, dec = tr.money(before), tr.money(after), money_decimals(tr)
        rows.append([tr(key), tr(unit), before, after, after - before])
        decimals.append(dec)
    return headers, rows, decimals


#: policy constraint -> (limit key, achieved key, scale to the unit shown, unit key); its
#: label is ``pol_<constraint>``, its shadow price the block's ``shadow_price_<unit>``
POLICY_ROWS: dict[str, tuple[str, str, float, str]] = {
    "green_share": ("min_fraction", "achieved_fraction", 100.0, "u_percent"),
    "co2": ("max_t", "emissions_t", 1.0, "u_t"),
    "curtailment": ("max_fraction", "achieved_fraction", 100.0, "u_percent"),
    "reserve_margin": ("required_mw", "firm_capacity_mw", 1.0, "u_mw"),
}


def policy_table(plan: PlanData, tr) -> Table | None:
    """The policy constraints (None when the scenario sets none): constraint, limit, achieved,
    their unit, shadow price, its unit, binding (yes/no). A constraint this table does not
    know is shown with its shadow price and its unit as the block names them."""
    if not plan.policy:
        return None
    headers = [
        tr("h_constraint"),
        tr("h_limit"),
        tr("h_achieved"),
        tr("unit"),
        tr("h_shadow_price"),
        tr("h_shadow_price_unit"),
        tr("h_binding"),
    ]
    rows: list[list[object]] = []
    for name, c in plan.policy.items():
        if not isinstance(c, dict):
            continue
        limit_key, achieved_key, scale, unit = POLICY_ROWS.get(name, ("", "", 1.0, "u_none"))
        price_key = next((k for k in c if k.startswith("shadow_price_")), "")
        sp_unit = price_key.removeprefix("shadow_price_")
        fields = {"pct": 100 * float(c.get("margin_fraction", math.nan))}

        rows.append(
            [
                tr(f"pol_{name}", **fields) if f"pol_{name}" in tr.texts else name,
                _number(c.get(limit_key), scale),
                _number(c.get(achieved_key), scale),
                tr(unit),
                _number(c.get(price_key)),
                tr.texts.get(f"u_sp_{name}", sp_unit.replace("_per_", "/").upper()),
                tr("binding_yes") if c.get("binding") else tr("binding_no"),
            ]
        )
    return headers, rows, [None, 2, 2, None, 2, None, None]


def _number(v: object, scale: float = 1.0) -> float | None:
    return float(v) * scale if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def lead_text(plan: PlanData, d, tr) -> str:
    """The section's first sentence: the delivered price planned against as it is, and the
    new investment."""
    after = d.delivered["delivered_cny_per_kwh"]
    fields = {
        "after": after,
        "cr_after": d.cost_recovery.price_cny_per_mwh,
        "capex": tr.money(float(plan.block.get("capex_new_cny", math.nan))),
    }
    before = plan.before.get("delivered_price_cny_per_kwh")
    if isinstance(before, (int, float)):
        cr = plan.before.get("cost_recovery_cny_per_mwh")
        return tr(
            "plan_lead",
            before=before,
            cr_before=cr if isinstance(cr, (int, float)) else math.nan,
            **fields,
        )
    return tr("plan_lead_no_before", **fields)


def price_bars(plan: PlanData, d, tr) -> tuple[list[str], list[float], list[float]]:
    """The grouped bar chart's data: labels (the five components, then the delivered price),
    as it is and planned [CNY/kWh] (NaN where the dispatch as it is was not solved)."""
    rows = comparison_rows(plan, d)[: len(COMPONENTS) + 1]
    labels = [tr(k) if k.startswith("comp_") else tr("total_line") for k, *_ in rows]
    return labels, [b for _, _, b, _, _ in rows], [a for _, _, _, a, _ in rows]
