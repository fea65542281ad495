"""The headline card at the top of the report and on the workbook's first sheet: the delivered
price against the provincial tariff and the coal benchmark, what that means a year for a flat
load, the green share, what drives the price and what limits it, the operating cost split into
cost and revenue; for a plan the price as it is, for a sweep case its P10-P90 band.

Definitions (every figure from the results, :mod:`gridopt.prices` and the folder's files):

- delivered price P_del [CNY/kWh]: :func:`gridopt.prices.delivered_price` (summary.json's
  ``delivered_price_cny_per_kwh``);
- against a reference price R (provincial tariff, coal benchmark): P_del - R, "above" when
  positive, "below" when negative;
- saving per year for a flat load of M MW (100 MW): (provincial tariff - P_del) x M x 8760 h x
  1000 kWh/MWh [CNY/yr]; a premium when negative;
- green share, hour-matched (the card's green figure, at most 1): sum_t min(G_t, L_t) /
  sum_t L_t, with G_t the green energy used in hour t (energy items of kind ``renewable``:
  local wind and PV, exported or not) and L_t the energy delivered to local load (items
  declared ``load``): the local load met by local green energy in the same hour;
- green energy / local load (annual matching, exports count): sum_t G_t / sum_t L_t, the same
  sums as the ``policy.green_share_min_fraction`` row (:mod:`gridopt.model.policy`); above 1
  when the grid exports more green energy than its loads use;
- drivers: the largest positive components of the decomposition (:data:`gridopt.prices.
  COMPONENTS`), at most three, with their share of P_del;
- limits: each policy row of summary.json's ``policy`` block that binds (shadow price and unit),
  and each per-asset energy item with a kind whose own limit input (``<dim>_<what>_max_mw``,
  e.g. a tie's export limit) it meets in at least :data:`AT_LIMIT_SHARE` of the hours;
- operating cost: the operating items of :func:`gridopt.results.cost_breakdown` without the
  slack penalties, split into costs (the positive items: fuel, imports, O&M, …) and revenue
  (the negative ones: exports, sales); the total is negative when the revenue is larger;
- plan: summary.json's ``plan.dispatch.delivered_price_cny_per_kwh`` (the fleet as it is);
- tenant study (the folder has a matching ``tenant.json``, :func:`gridopt.report.data.load_tenants`):
  the results are the grid without the tenants; a tenant's offer price, when there is one, leads
  the card (:mod:`gridopt.report.headline_tenant`);
- sweep band: for a case folder ``DIR/cases/<id>/`` of ``gridopt sweep``, the row of
  ``DIR/sweep_bands.csv`` of the case's swept values (from ``DIR/sweep.csv``): P10, P50, P90 of
  the delivered price across weather years (shown only from two years on).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.model.family import TOL_MW
from gridopt.report.headline_types import CardRow, Headline, Limit, compare_text

AT_LIMIT_SHARE = 0.5
"""An item at its limit in at least this share of the hours is named as a binding limit."""

MAX_DRIVERS = 3


def load_summary(r: xr.Dataset, results_dir: Path) -> dict:
    """``results_dir/summary.json`` when it belongs to the results (same inputs SHA-256, or
    scenario SHA-256, and hours); {} otherwise or when missing or unreadable."""
    path = Path(results_dir) / "summary.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    key = (
        "inputs_sha256"
        if data.get("inputs_sha256") and r.attrs.get("inputs_sha256")
        else "scenario_sha256"
    )
    if str(data.get(key)) != str(r.attrs.get(key, "")) or data.get("hours") != int(r.sizes["time"]):
        return {}
    return data


def items_at_limit(r: xr.Dataset) -> list[Limit]:
    """Per-asset energy items with a kind at their own limit input in at least
    :data:`AT_LIMIT_SHARE` of the hours (a tie's export at ``tie_export_max_mw``), most hours
    first."""
    from gridopt.model import BALANCE

    out = []
    for fam in BALANCE:
        if not r.sizes.get(fam.dim, 0):
            continue
        for e in fam.energy:
            if not e.per_asset or e.kind is None:
                continue
            what = e.result.removeprefix(f"{fam.dim}_").removesuffix("_mw")
            cap_name = next(
                (
                    f"{fam.dim}_{n}"
                    for n in (f"{what}_max_mw", f"p_{what}_max_mw")
                    if f"{fam.dim}_{n}" in r
                ),
                None,
            )
            if cap_name is None:
                continue
            x = r[e.result].transpose("time", fam.dim).values
            cap = r[cap_name]
            cap = (
                cap.transpose("time", fam.dim).values if "time" in cap.dims else cap.values[None, :]
            )
            cap = np.broadcast_to(cap, x.shape)
            at = (cap > TOL_MW) & (x >= cap - 1e-6 * np.maximum(1.0, np.abs(cap)) - TOL_MW)
            share = at.mean(axis=0)
            for a, name in enumerate(map(str, r[fam.dim].values)):
                if share[a] >= AT_LIMIT_SHARE:
                    out.append(
                        Limit(e.kind, name, float(share[a]), cap_mw=float(np.max(cap[:, a])))
                    )
    return sorted(out, key=lambda lim: -lim.value)


POLICY_UNITS = {
    "green_share": "cny_per_mwh",
    "co2": "cny_per_t",
    "curtailment": "cny_per_mwh",
    "reserve_margin": "cny_per_kw_yr",
}


def policy_limits(policy: dict) -> list[Limit]:
    """The binding rows of summary.json's ``policy`` block, in its order."""
    out = []
    for name, row in (policy or {}).items():
        if not isinstance(row, dict) or not row.get("binding"):
            continue
        unit = POLICY_UNITS.get(name, "")
        fields = {"pct": 100 * float(row["margin_fraction"])} if "margin_fraction" in row else {}
        out.append(
            Limit(
                "policy",
                name,
                float(row.get(f"shadow_price_{unit}", math.nan)),
                unit,
                fields=fields,
            )
        )
    return out


def sweep_band(results_dir: Path) -> dict | None:
    """The P10/P50/P90 of the delivered price of the sweep a case folder ``DIR/cases/<id>``
    belongs to (its swept values' row of ``DIR/sweep_bands.csv``), with ``n`` the weather years
    behind it; None for another folder, a band of fewer than two years or unreadable files."""
    d = Path(results_dir).resolve()
    root = d.parent.parent
    if d.parent.name != "cases" or not (root / "sweep_bands.csv").is_file():
        return None
    try:
        cases = pd.read_csv(root / "sweep.csv", dtype=str, keep_default_na=False)
        bands = pd.read_csv(root / "sweep_bands.csv", dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return None
    if "case_id" not in cases or "weather_year" not in cases:
        return None
    cols = list(cases.columns)
    params = cols[cols.index("case_id") + 1 : cols.index("weather_year")]
    mine = cases[cases["case_id"] == d.name]
    if mine.empty or any(p not in bands for p in params):
        return None
    sel = bands
    for p in params:
        sel = sel[sel[p] == mine.iloc[0][p]]
    if len(sel) != 1:
        return None
    row = sel.iloc[0]
    try:
        n = int(float(row["n_weather_years"]))
        out = {q: float(row[f"delivered_price_cny_per_kwh_{q}"]) for q in ("p10", "p50", "p90")}
    except (KeyError, ValueError):
        return None
    if n < 2 or not all(math.isfinite(v) for v in out.values()):
        return None
    return {**out, "n": n}


def build_headline(
    r: xr.Dataset,
    results_dir: Path,
    dp: dict,
    decomposition: dict,
    ops: dict,
    plan=None,
    tenants: list[dict] | None = None,
) -> Headline:
    """The card's figures from the results ``r`` (``dp``: :func:`gridopt.prices.delivered_price`,
    ``decomposition``: its components, ``ops``: :func:`gridopt.results.cost_breakdown`) and the
    folder's summary.json (policy, plan) and sweep files; ``plan``: the report's
    :class:`gridopt.report.plan.PlanData` or None; ``tenants``: the folder's tenant.json
    tenants (:func:`gridopt.report.data.load_tenants`) or None."""
    from gridopt import prices as P
    from gridopt.model import BALANCE
    from gridopt.model import policy as pol
    from gridopt.report.headline_tenant import tenant_offers

    total = dp["delivered_cny_per_kwh"]
    parts = sorted(((c, v) for c, v in decomposition.items() if v > 0), key=lambda cv: -cv[1])
    drivers = [(c, v, v / total if total else math.nan) for c, v in parts[:MAX_DRIVERS]]
    T = r.sizes["time"]

    def hourly(keep) -> np.ndarray:
        """(T,) sum over the items ``keep`` selects and their assets [MW]."""
        return sum(
            (
                r[e.result].sum([d for d in r[e.result].dims if d != "time"]).values
                for _, e in pol.items(r, keep, BALANCE)
            ),
            np.zeros(T),
        )

    green_t, load_t = hourly(pol.is_green), hourly(pol.is_load)
    green, load = float(green_t.sum()), float(load_t.sum())
    op = [v for k, v in ops.items() if k not in P.SLACK_ITEMS]
    summary = load_summary(r, results_dir)
    policy = plan.policy if plan is not None and plan.policy else summary.get("policy", {})
    as_is = None
    if plan is not None and plan.before.get("delivered_price_cny_per_kwh") is not None:
        as_is = float(plan.before["delivered_price_cny_per_kwh"])
    return Headline(
        delivered_cny_per_kwh=total,
        provincial_cny_per_kwh=dp["provincial_tariff_cny_per_kwh"],
        benchmark_cny_per_kwh=dp["benchmark_cny_per_kwh"],
        customer_load_mw=dp["customer_load_mw"],
        saving_per_year_cny=dp["saving_per_year_cny"],
        green_mwh=green,
        load_mwh=load,
        green_matched_mwh=float(np.minimum(green_t, load_t).sum()),
        drivers=drivers,
        limits=policy_limits(policy if isinstance(policy, dict) else {}) + items_at_limit(r),
        operating_costs_cny=float(sum(v for v in op if v > 0)),
        operating_revenue_cny=float(-sum(v for v in op if v < 0)),
        plan_as_is_cny_per_kwh=as_is,
        band=sweep_band(results_dir),
        tenants=[str(t.get("name")) for t in tenants or []],
        offers=tenant_offers(tenants or []),
    )


# --------------------------------------------------------------------------------------------
# the card in a language: rows shared by the HTML page and the workbook
# --------------------------------------------------------------------------------------------


def card_rows(h: Headline, tr) -> list[CardRow]:
    """The card's lines in ``tr``'s language (money in its money unit); the first is the one
    shown large: a tenant's offer price when there is one, else the delivered price."""
    from gridopt.report.headline_tenant import offer_rows
    from gridopt.report.plan import money_decimals
    from gridopt.report.textfmt import fmt, kind_label

    kwh = tr("hl_kwh")
    md = money_decimals(tr)
    rows = offer_rows(h, tr) + [
        CardRow(
            "delivered-cny-per-kwh",
            tr("hl_delivered_without_tenants" if h.tenants else "hl_delivered"),
            h.delivered_cny_per_kwh,
            kwh,
            4,
            tr("hl_sep").join(
                [
                    compare_text(
                        h.vs_benchmark_cny_per_kwh, "hl_benchmark", h.benchmark_cny_per_kwh, tr
                    ),
                    compare_text(
                        h.vs_provincial_cny_per_kwh, "hl_provincial", h.provincial_cny_per_kwh, tr
                    ),
                ]
            ),
        ),
        CardRow("benchmark-cny-per-kwh", tr("kf_benchmark"), h.benchmark_cny_per_kwh, kwh, 4),
        CardRow("provincial-cny-per-kwh", tr("kf_provincial"), h.provincial_cny_per_kwh, kwh, 4),
    ]
    if h.plan_as_is_cny_per_kwh is not None:
        change = h.delivered_cny_per_kwh - h.plan_as_is_cny_per_kwh
        rows.append(
            CardRow(
                "plan-as-is-cny-per-kwh",
                tr("hl_plan"),
                h.plan_as_is_cny_per_kwh,
                kwh,
                4,
                tr(
                    "hl_plan_text",
                    planned=f"{h.delivered_cny_per_kwh:.4f}",
                    before=f"{h.plan_as_is_cny_per_kwh:.4f}",
                    change=f"{change:+.4f}",
                ),
            )
        )
    if h.band is not None:
        b = h.band
        rows.append(
            CardRow(
                "band-p10-cny-per-kwh",
                tr("hl_band"),
                b["p10"],
                kwh,
                4,
                tr(
                    "hl_band_text",
                    p10=f"{b['p10']:.4f}",
                    p90=f"{b['p90']:.4f}",
                    p50=f"{b['p50']:.4f}",
                    n=b["n"],
                ),
            )
        )
    saving = h.saving_per_year_cny
    label = tr("hl_saving_year" if saving >= 0 else "hl_premium_year", mw=h.customer_load_mw)
    if h.offers:  # the card leads with an offer: say which price this tile is computed at
        label += tr("hl_at_delivered")
    rows.append(
        CardRow(
            "saving-per-year-cny",
            label,
            tr.money(abs(saving)),
            tr("u_money_yr"),
            md,
            note=tr(
                "hl_saving_formula",
                mw=h.customer_load_mw,
                diff=f"{abs(h.vs_provincial_cny_per_kwh):.4f}",
                total=fmt(tr.money(abs(saving)), md),
                unit=tr("u_money_yr"),
            ),
        )
    )
    rows.append(
        CardRow(
            "green-share",
            tr("hl_green"),
            100 * h.green_share,
            tr("u_percent"),
            1,
            note=tr(
                "hl_green_def",
                matched=fmt(h.green_matched_mwh / 1e3, 1),
                load=fmt(h.load_mwh / 1e3, 1),
            ),
        )
    )
    rows.append(
        CardRow(
            "green-policy-share",
            tr("hl_green_policy"),
            100 * h.green_policy_share,
            tr("u_percent"),
            1,
            note=tr(
                "hl_green_policy_def",
                green=fmt(h.green_mwh / 1e3, 1),
                load=fmt(h.load_mwh / 1e3, 1),
            ),
        )
    )
    money = tr("u_money")
    rows.append(
        CardRow(
            "operating-cost-cny",
            tr("hl_opcost"),
            tr.money(h.operating_cost_cny),
            money,
            md,
            tr(
                "hl_opcost_split",
                cost=fmt(tr.money(h.operating_costs_cny), md),
                revenue=fmt(tr.money(h.operating_revenue_cny), md),
                total=fmt(tr.money(h.operating_cost_cny), md),
                unit=money,
            ),
            tr("hl_opcost_note"),
        )
    )
    drivers = tr("hl_sep").join(
        tr("hl_driver", name=tr(f"comp_{c}"), value=f"{v:.4f}", share=fmt(100 * s, 0))
        for c, v, s in h.drivers
    )
    rows.append(CardRow("drivers", tr("hl_drivers"), None, "", 0, drivers))
    limits = []
    for lim in h.limits:
        if lim.kind == "policy":
            limits.append(
                tr(
                    "hl_limit_policy",
                    what=tr(f"pol_{lim.name}", **lim.fields),
                    price=fmt(lim.value, 1),
                    unit=tr(f"u_sp_{lim.name}"),
                )
            )
        else:
            limits.append(
                tr(
                    "hl_limit_item",
                    name=lim.name,
                    kind=kind_label(lim.kind, tr),
                    cap=fmt(lim.cap_mw, 0),
                    share=fmt(100 * lim.value, 0),
                )
            )
    rows.append(
        CardRow(
            "limits", tr("hl_limits"), None, "", 0, tr("hl_sep").join(limits) or tr("hl_no_limit")
        )
    )
    return rows


CARD_CSS = """
.headline{border:2px solid #2f7fc1;border-radius:8px;padding:14px 18px;margin:14px 0 20px;background:#f5f9fd}
.headline h2{margin:0 0 6px;border:0;padding:0}
.hl-label{color:#444;font-size:15px}
.hl-price{font-size:40px;font-weight:700;line-height:1.15;font-variant-numeric:tabular-nums}
.hl-price small{font-size:18px;font-weight:400;margin-left:6px}
.hl-cmp{font-size:17px;margin:2px 0}
.hl-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:10px;margin-top:12px}
.hl-tile{background:#fff;border:1px solid #d0d8e0;border-radius:6px;padding:8px 10px}
.hl-tile .l{color:#555;font-size:13px}
.hl-tile .v{font-size:22px;font-weight:700;font-variant-numeric:tabular-nums}
.hl-tile .v small{font-size:13px;font-weight:400;margin-left:4px}
.hl-tile .t{font-size:13px;margin-top:2px}
.hl-words{font-size:15px;margin:10px 0 0}
.hl-foot{font-size:12px;color:#555;margin:8px 0 0;padding-left:18px}
"""


def _attr(x: float | None) -> str:
    return "" if x is None or not math.isfinite(x) else repr(float(x))


def card_html(h: Headline, tr) -> str:
    """The card as HTML: the delivered price large with its comparisons, tiles for the other
    figures (a footnote and a tooltip with each formula or definition), the drivers and limits
    in words. The figures are also in ``data-*`` attributes of the card, unrounded (CNY, CNY/kWh,
    shares as fractions), so a test can read them back."""
    from gridopt.report.textfmt import esc, fmt

    rows = card_rows(h, tr)
    by_key = {row.key: row for row in rows}
    data = {
        "delivered-cny-per-kwh": h.delivered_cny_per_kwh,
        "benchmark-cny-per-kwh": h.benchmark_cny_per_kwh,
        "provincial-cny-per-kwh": h.provincial_cny_per_kwh,
        "vs-benchmark-cny-per-kwh": h.vs_benchmark_cny_per_kwh,
        "saving-per-year-cny": h.saving_per_year_cny,
        "green-share": h.green_share,
        "green-policy-share": h.green_policy_share,
        "operating-cost-cny": h.operating_cost_cny,
        "operating-costs-cny": h.operating_costs_cny,
        "operating-revenue-cny": h.operating_revenue_cny,
        "plan-as-is-cny-per-kwh": h.plan_as_is_cny_per_kwh,
        "band-p10-cny-per-kwh": h.band["p10"] if h.band else None,
        "band-p90-cny-per-kwh": h.band["p90"] if h.band else None,
    }
    if h.offers:
        data["offer-cny-per-kwh"] = h.offers[0][1]
    attrs = " ".join(f'data-{k}="{_attr(v)}"' for k, v in data.items() if _attr(v))
    main = rows[0]  # a tenant's offer price, or the delivered price
    main_id = "hl-offer" if main.key != "delivered-cny-per-kwh" else "hl-delivered"
    cmp_html = "".join(
        f'<div class="hl-cmp">{esc(part)}</div>' for part in main.text.split(tr("hl_sep"))
    )
    notes: list[str] = []

    def mark(note: str) -> str:
        """The footnote number of ``note`` (one number for one text), as a superscript."""
        if not note:
            return ""
        if note not in notes:
            notes.append(note)
        return f"<sup>{notes.index(note) + 1}</sup>"

    main_mark = mark(main.note)
    tiles = []
    for row in rows:
        if row.value is None or row.key in (
            main.key,
            "benchmark-cny-per-kwh",
            "provincial-cny-per-kwh",
        ):
            continue
        title = f' title="{esc(row.note)}"' if row.note else ""
        tiles.append(
            f'<div class="hl-tile" id="hl-{row.key}"{title}><div class="l">{esc(row.label)}{mark(row.note)}</div>'
            f'<div class="v">{esc(fmt(row.value, row.decimals))}<small>{esc(row.unit)}</small></div>'
            + (f'<div class="t">{esc(row.text)}</div>' if row.text else "")
            + "</div>"
        )
    c = tr("colon")
    words = "".join(
        f'<p class="hl-words" id="hl-{k}"><b>{esc(by_key[k].label)}</b>{c}{esc(by_key[k].text)}</p>'
        for k in ("drivers", "limits")
    )
    foot = "".join(f"<li>{esc(n)}</li>" for n in notes)
    return (
        f'<section class="headline" id="headline" {attrs}><h2>{esc(tr("hl_title"))}</h2>'
        f'<div class="hl-label">{esc(main.label)}{main_mark}</div>'
        f'<div class="hl-price" id="{main_id}">{esc(fmt(main.value, 4))}<small>{esc(main.unit)}</small></div>'
        f'{cmp_html}<div class="hl-grid">{"".join(tiles)}</div>{words}'
        f'<ol class="hl-foot">{foot}</ol></section>'
    )
