"""What the local system costs and the price that recovers it: annual fixed costs per asset,
cost items by component, the cost-recovery price, the delivered industrial price and its
decomposition (formulas and nomenclature: :mod:`gridopt.prices`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import xarray as xr

from gridopt.data.clock import HOURS_PER_YEAR
from gridopt.data.costs import crf
from gridopt.model import DECLARATIONS, ordered
from gridopt.model.family import Family
from gridopt.prices.basis import (
    KWH_PER_MWH,
    energy_delivered_mwh,
    hours,
    prorating_note,
    year_fraction,
)
from gridopt.results import cost_breakdown

COMPONENTS = ("energy", "flexibility", "capacity", "network", "levies")

_BY_DIM = {f.dim: f for f in DECLARATIONS}
GRID: tuple[Family, ...] = tuple(
    f
    for f in ordered(tuple(_BY_DIM[d] for d in ("renewable", "thermal", "storage", "line")))
    if f.economics is not None and f.economics.component is not None
)
"""The families whose investment the grid's price recovers (:attr:`Economics.component` set),
in the order their fixed costs are summed; a customer's plant (hydrogen) is not among them."""
FAMILIES = tuple(f.dim for f in GRID)

#: cost item -> component of the delivered price. Items named ``<family>_capital`` and
#: ``<family>_fixed_om`` are the pro-rated annuities and fixed O&M of the families of
#: :data:`GRID` (:attr:`Economics.component`); the others are the keys of
#: :func:`gridopt.results.cost_breakdown` the families declare with a component
#: (:attr:`CostItem.component`), plus the two tariff items; listed by component.
COMPONENT_OF: dict[str, str] = {}
for _component in COMPONENTS:
    for _f in ordered(
        tuple(
            _BY_DIM[d]
            for d in ("renewable", "storage", "thermal", "tie", "load", "flex", "intr", "line")
        )
    ):
        if _f in GRID and _f.economics.component == _component:
            COMPONENT_OF[f"{_f.dim}_capital"] = _component
            COMPONENT_OF[f"{_f.dim}_fixed_om"] = _component
        COMPONENT_OF.update({c.key: _component for c in _f.costs if c.component == _component})
NEW_OUTSIDE: tuple[Family, ...] = tuple(
    f
    for f in DECLARATIONS
    if f.economics is not None
    and f.economics.component is None
    and f.economics.new_component is not None
)
"""Families whose existing capital is not the local grid's but whose capacity built by a plan
is (a tie): its annual cost is the item ``<dim>_new_capital`` of a planned year."""
PLAN_ITEMS = tuple(f"{f.dim}_new_capital" for f in NEW_OUTSIDE)
"""Cost items only a planned year has."""
COMPONENT_OF.update({f"{f.dim}_new_capital": f.economics.new_component for f in NEW_OUTSIDE})
COMPONENT_OF.update({"network_charge": "network", "funds": "levies"})
#: operating-cost items that are slack penalties, not cash costs: left out of every price
SLACK_ITEMS = tuple(c.key for f in DECLARATIONS for c in f.costs if c.slack)
#: operating-cost items an asset's owner bears, not the grid (declared without a component:
#: a hydrogen plant's water and sales): left out of every price
OWN_ITEMS = tuple(
    c.key for f in DECLARATIONS for c in f.costs if c.component is None and not c.slack
)
#: the flat load of the reference customer whose "saving per year" the summary and the report
#: show [MW]
CUSTOMER_LOAD_MW = 100.0


def technology_of(r: xr.Dataset, family: Family) -> list[str]:
    """Each asset's technology: its :attr:`Economics.technology` input, else the dim's name."""
    tech = family.economics.technology
    if tech is None:
        return [family.dim] * r.sizes[family.dim]
    return [str(x) for x in r.variables[f"{family.dim}_{tech}"].values]


def asset_fixed_costs(r: xr.Dataset) -> pd.DataFrame:
    """Annual fixed cost of every asset with economics (lines, thermal, renewables, storage).

    Index ``asset`` (name); columns ``family``, ``technology``, ``capex_cny``, ``lifetime_yr``,
    ``crf_per_yr`` = CRF(r, L), ``annuity_cny_per_yr`` = capex x CRF, ``fixed_om_cny_per_yr``,
    ``annual_fixed_cny_per_yr`` = annuity + fixed O&M, ``horizon_fixed_cny`` = f x annual, and
    ``cost_source``. The discount rate r is the scenario's ``discount_rate``.
    """
    rate = float(r.variables["discount_rate"])
    f = year_fraction(r)
    v = r.variables  # each array read once per family, without building a DataArray
    rows = []
    for family in ordered(tuple(_BY_DIM[d] for d in ("line", "thermal", "renewable", "storage"))):
        if family not in GRID or not r.sizes[family.dim]:  # no asset: no input to read
            continue
        fam = family.dim
        techs = technology_of(r, family)
        capexes, lives = v[f"{fam}_capex_cny"].values, v[f"{fam}_lifetime_yr"].values
        foms, sources = v[f"{fam}_fixed_om_cny_per_yr"].values, v[f"{fam}_cost_source"].values
        for i, name in enumerate(v[fam].values):
            capex = float(capexes[i])
            life = float(lives[i])
            k = crf(rate, life)
            fom = float(foms[i])
            annual = capex * k + fom
            rows.append(
                {
                    "asset": str(name),
                    "family": fam,
                    "technology": techs[i],
                    "capex_cny": capex,
                    "lifetime_yr": life,
                    "crf_per_yr": k,
                    "annuity_cny_per_yr": capex * k,
                    "fixed_om_cny_per_yr": fom,
                    "annual_fixed_cny_per_yr": annual,
                    "horizon_fixed_cny": f * annual,
                    "cost_source": str(sources[i]),
                }
            )
    cols = [
        "asset",
        "family",
        "technology",
        "capex_cny",
        "lifetime_yr",
        "crf_per_yr",
        "annuity_cny_per_yr",
        "fixed_om_cny_per_yr",
        "annual_fixed_cny_per_yr",
        "horizon_fixed_cny",
        "cost_source",
    ]
    return pd.DataFrame(rows, columns=cols).set_index("asset")


@dataclass
class CostRecovery:
    """The cost-recovery price and what it is made of (all money over the horizon, CNY)."""

    price_cny_per_mwh: float
    energy_delivered_mwh: float
    hours: int
    year_fraction: float
    fixed_cost_cny: float
    operating_cost_cny: float
    slack_penalty_cny: float
    items_cny: dict[str, float] = field(default_factory=dict)
    note: str | None = None


def cost_items(r: xr.Dataset, ops: dict[str, float] | None = None) -> dict[str, float]:
    """Cost of the horizon by item [CNY], the items of :data:`COMPONENT_OF` except the two
    tariff items: pro-rated annuity and fixed O&M per family, and the operating costs ``ops``
    of :func:`gridopt.results.cost_breakdown` (computed when not given) without the slack
    penalties (exports negative)."""
    fixed = asset_fixed_costs(r)
    f = year_fraction(r)
    items: dict[str, float] = {}
    for fam in FAMILIES:
        sel = fixed[fixed["family"] == fam]
        items[f"{fam}_capital"] = f * float(sel["annuity_cny_per_yr"].sum())
        items[f"{fam}_fixed_om"] = f * float(sel["fixed_om_cny_per_yr"].sum())
    for fam in NEW_OUTSIDE:  # capacity a plan built for the local grid (a tie)
        name = f"{fam.dim}_new_capital_cny_per_yr"
        if name in r:
            items[f"{fam.dim}_new_capital"] = f * float(r.variables[name].sum())
    ops = cost_breakdown(r) if ops is None else ops
    for k, v in ops.items():
        if k not in SLACK_ITEMS and k not in OWN_ITEMS:
            items[k] = v
    unknown = set(items) - set(COMPONENT_OF)
    if unknown:  # a new cost_breakdown item must be assigned a component before it is priced
        raise KeyError(f"cost items without a price component: {sorted(unknown)}")
    return items


def cost_recovery(r: xr.Dataset) -> CostRecovery:
    """Cost-recovery price of the local system [CNY/MWh].

    P_cr = (f x sum_a (capex_a x CRF(r, L_a) + FOM_a) + C_op) / E

    Worked example (the micro case of tests/test_prices.py): one 100 MW wind farm, capex
    400 million CNY, no fixed O&M, life 25 yr, r = 6 %: CRF = 0.06 / (1 - 1.06^-25) = 0.0782267,
    annuity 400e6 x 0.0782267 = 31,290,687 CNY/yr. A 48 h horizon carries f = 48/8760 of it,
    171,456 CNY; with no operating cost and a flat 110 MW load, E = 5,280 MWh and
    P_cr = 171,456 / 5,280 = 32.47 CNY/MWh.

    The slack penalties are reported in ``slack_penalty_cny`` and left out; with no load
    (E = 0) the price is NaN.
    """
    ops = cost_breakdown(r)
    items = cost_items(r, ops)
    fixed = sum(v for k, v in items.items() if k.endswith(("_capital", "_fixed_om")))
    operating = sum(v for k, v in items.items() if not k.endswith(("_capital", "_fixed_om")))
    e = energy_delivered_mwh(r)
    price = (fixed + operating) / e if e > 0 else math.nan
    return CostRecovery(
        price_cny_per_mwh=price,
        energy_delivered_mwh=e,
        hours=hours(r),
        year_fraction=year_fraction(r),
        fixed_cost_cny=fixed,
        operating_cost_cny=operating,
        slack_penalty_cny=sum(ops[k] for k in SLACK_ITEMS),
        items_cny=items,
        note=prorating_note(r),
    )


def cost_table(r: xr.Dataset, cr: CostRecovery | None = None) -> pd.DataFrame:
    """Every cost item with its component and its share of the delivered price.

    Index item; columns ``component``, ``cost_cny`` (over the horizon), ``cny_per_mwh`` =
    cost / E, ``cny_per_kwh`` = cost / E / 1000. The two tariff items are charges per kWh,
    shown as cost = charge x E x 1000. The ``cny_per_kwh`` column adds up to the delivered
    price. ``cr``: :func:`cost_recovery` of ``r`` when already computed.
    """
    cr = cost_recovery(r) if cr is None else cr
    e = cr.energy_delivered_mwh
    items = dict(cr.items_cny)
    v = r.variables
    items["network_charge"] = float(v["tariff_network_charge_cny_per_kwh"]) * e * KWH_PER_MWH
    items["funds"] = float(v["tariff_funds_cny_per_kwh"]) * e * KWH_PER_MWH
    rows = []
    for k, v in items.items():
        per_mwh = v / e if e > 0 else math.nan
        rows.append(
            {
                "item": k,
                "component": COMPONENT_OF[k],
                "cost_cny": v,
                "cny_per_mwh": per_mwh,
                "cny_per_kwh": per_mwh / KWH_PER_MWH,
            }
        )
    df = pd.DataFrame(rows).set_index("item")
    order = {c: i for i, c in enumerate(COMPONENTS)}
    return df.sort_values("component", key=lambda s: s.map(order), kind="stable")


def decomposition(r: xr.Dataset, cr: CostRecovery | None = None) -> dict[str, float]:
    """The delivered price split into components [CNY/kWh], in the order of :data:`COMPONENTS`.

    component_k = sum of the items i with COMPONENT_OF[i] = k of cost_i / E / 1000, so
    energy + flexibility + capacity + network + levies = P_del exactly (up to rounding).
    ``cr``: :func:`cost_recovery` of ``r`` when already computed.
    """
    t = cost_table(r, cr)
    return {k: float(t.loc[t["component"] == k, "cny_per_kwh"].sum()) for k in COMPONENTS}


def delivered_price(
    r: xr.Dataset, customer_load_mw: float = CUSTOMER_LOAD_MW, cr: CostRecovery | None = None
) -> dict[str, float | None]:
    """Delivered price for an industrial customer [CNY/kWh], beside the comparison tariffs.

    P_del = P_cr / 1000 + network charge + funds.
    saving_vs_provincial = provincial tariff - P_del [CNY/kWh];
    saving_per_year = saving_vs_provincial x customer_load_mw x 8760 h x 1000 kWh/MWh [CNY/yr]
    for a flat load of ``customer_load_mw`` [MW];
    cost_recovery_vs_benchmark = coal benchmark - P_cr / 1000 [CNY/kWh] (both are prices of
    energy before network charges and levies, so this is the like-for-like comparison with the
    0.3078 CNY/kWh benchmark). ``cr``: :func:`cost_recovery` of ``r`` when already computed.
    """
    cr = (cost_recovery(r) if cr is None else cr).price_cny_per_mwh / KWH_PER_MWH
    v = r.variables
    net = float(v["tariff_network_charge_cny_per_kwh"])
    funds = float(v["tariff_funds_cny_per_kwh"])
    bench = float(v["tariff_benchmark_cny_per_kwh"])
    prov = float(v["tariff_provincial_cny_per_kwh"])
    d = cr + net + funds
    saving = prov - d
    energy_yr = customer_load_mw * HOURS_PER_YEAR
    return {
        "delivered_cny_per_kwh": d,
        "cost_recovery_cny_per_kwh": cr,
        "network_charge_cny_per_kwh": net,
        "funds_cny_per_kwh": funds,
        "benchmark_cny_per_kwh": bench,
        "provincial_tariff_cny_per_kwh": prov,
        "saving_vs_provincial_cny_per_kwh": saving,
        "cost_recovery_vs_benchmark_cny_per_kwh": bench - cr,
        "customer_load_mw": customer_load_mw,
        "customer_energy_mwh_per_yr": energy_yr,
        "saving_per_year_cny": saving * energy_yr * KWH_PER_MWH,
    }
