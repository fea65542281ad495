"""Prices from a results Dataset: marginal-price statistics, the cost-recovery price, the
delivered industrial price and its decomposition, and revenue adequacy per asset.

Pure functions on the results Dataset written by ``gridopt run`` (no solver). Every hourly
step is one hour, so a power in MW summed over the steps is an energy in MWh.

Nomenclature
------------
t          hour of the horizon; H = number of hours
b          bus
p[t, b]    marginal price: dual of the energy balance of bus b in hour t [CNY/MWh]
c[t, b]    consumption of the loads at bus b: fixed + flexible + interruptible served [MW]
E          energy delivered to local load over the horizon, sum over t, b of c[t, b] [MWh]
f          share of a year the horizon covers: f = H / 8760 for H < 8760, else 1 [-]
CRF(r, L)  capital recovery factor r / (1 - (1 + r)^-L) [1/yr] (``gridopt.data.costs.crf``)
A_a        annual fixed cost of asset a: capex_a x CRF(r, L_a) + fixed O&M_a [CNY/yr]
C_op       operating cost of the horizon from :func:`gridopt.results.cost_breakdown`, without
           the slack penalties (unserved and dumped energy) [CNY]

Prices
------
cost-recovery price   P_cr = (f x sum_a A_a + C_op) / E                     [CNY/MWh]
delivered price       P_del = P_cr / 1000 + network charge + funds          [CNY/kWh]
decomposition         P_del = energy + flexibility + capacity + network + levies   [CNY/kWh]

with the cost items assigned to the components as in :data:`COMPONENT_OF`:

- energy: renewables (annuity, fixed O&M, variable O&M), thermal fuel, variable O&M and
  carbon, imports minus exports;
- flexibility (balancing): storage (annuity, fixed O&M, variable O&M), thermal start-ups,
  the shift cost of flexible loads and the compensation paid for interruptions;
- capacity: thermal annuity and fixed O&M (firm capacity kept whether it runs or not);
- network: the local lines (annuity and fixed O&M) and the network (T&D) charge;
- levies: government funds and surcharges.

The slack penalties (value of lost load, excess penalty) are not cash costs and are left out
of every price; :func:`cost_recovery` reports them, and any unserved energy makes the prices a
lower bound of what supplying all the load would cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.data.costs import crf
from gridopt.data.profiles import tou_period
from gridopt.results import consumption_by_bus, cost_breakdown

HOURS_PER_YEAR = 8760.0
KWH_PER_MWH = 1000.0
TOU_PERIODS = ("peak", "flat", "valley")
COMPONENTS = ("energy", "flexibility", "capacity", "network", "levies")
FAMILIES = ("renewable", "thermal", "storage", "line")

#: cost item -> component of the delivered price. Items named ``<family>_capital`` and
#: ``<family>_fixed_om`` are the pro-rated annuities and fixed O&M; the others are the keys of
#: :func:`gridopt.results.cost_breakdown`, plus the two tariff items.
COMPONENT_OF: dict[str, str] = {
    "renewable_capital": "energy",
    "renewable_fixed_om": "energy",
    "renewable_vom": "energy",
    "thermal_fuel": "energy",
    "thermal_vom": "energy",
    "carbon": "energy",
    "imports": "energy",
    "exports": "energy",
    "storage_capital": "flexibility",
    "storage_fixed_om": "flexibility",
    "storage_vom": "flexibility",
    "startup": "flexibility",
    "flexible_load_shift": "flexibility",
    "interruption": "flexibility",
    "thermal_capital": "capacity",
    "thermal_fixed_om": "capacity",
    "line_capital": "network",
    "line_fixed_om": "network",
    "network_charge": "network",
    "funds": "levies",
}
#: operating-cost items that are slack penalties, not cash costs: left out of every price
SLACK_ITEMS = ("unserved_energy", "excess_energy")


# --------------------------------------------------------------------------------------------
# Horizon and consumption
# --------------------------------------------------------------------------------------------


def hours(r: xr.Dataset) -> int:
    """Number of hourly steps H in the results."""
    return int(r.sizes["time"])


def year_fraction(r: xr.Dataset) -> float:
    """Share f of a year that the horizon covers [-]: H / 8760 for H < 8760, else 1.

    A horizon of 8760 to 8784 hours is one (possibly leap) year and carries one year of fixed
    costs; a shorter horizon carries the pro-rated share H / 8760.
    """
    return min(hours(r) / HOURS_PER_YEAR, 1.0)


def prorating_note(r: xr.Dataset) -> str | None:
    """English sentence saying that fixed costs were pro-rated, or None for a full year."""
    f = year_fraction(r)
    if f >= 1.0:
        return None
    return (
        f"horizon of {hours(r)} h: annual fixed costs (annuities and fixed O&M) are pro-rated by "
        f"{hours(r)}/8760 = {f:.4f}; annual figures are the horizon's scaled by 8760/{hours(r)}"
    )


def consumers(r: xr.Dataset) -> pd.DataFrame:
    """Every consumer with its kind and bus: index name, columns ``kind`` ('load' | 'flexible_load'
    | 'interruptible_load'), ``bus``, ``var`` (results variable), ``dim`` and ``pos``."""
    rows = []
    for kind, var, dim, busvar in (
        ("load", "load_served_mw", "load", "load_bus"),
        ("flexible_load", "flex_p_mw", "flex", "flex_bus"),
        ("interruptible_load", "intr_served_mw", "intr", "intr_bus"),
    ):
        for pos, name in enumerate(r[dim].values):
            rows.append(
                {
                    "name": str(name),
                    "kind": kind,
                    "bus": str(r[busvar].values[pos]),
                    "var": var,
                    "dim": dim,
                    "pos": pos,
                }
            )
    return pd.DataFrame(rows, columns=["name", "kind", "bus", "var", "dim", "pos"]).set_index(
        "name"
    )


def energy_delivered_mwh(r: xr.Dataset) -> float:
    """E: energy delivered to local load over the horizon [MWh] (fixed + flexible +
    interruptible served; storage charging, exports, losses and dumped energy are not load)."""
    return float(consumption_by_bus(r).sum())


# --------------------------------------------------------------------------------------------
# Marginal prices
# --------------------------------------------------------------------------------------------


def _wavg(values: np.ndarray, weights: np.ndarray) -> float:
    w = float(np.sum(weights))
    return float(np.sum(values * weights) / w) if w > 0 else math.nan


def price_statistics(r: xr.Dataset) -> pd.DataFrame:
    """Marginal-price statistics per bus [CNY/MWh], index bus.

    time_weighted = (1/H) sum_t p[t, b];  load_weighted = sum_t p[t, b] c[t, b] / sum_t c[t, b]
    (NaN at a bus without load); min, p10, median, p90, max, std over the hours; ``load_mwh``
    is sum_t c[t, b] [MWh]. A row ``system`` weights every bus-hour by its consumption
    (time-weighted: mean over all bus-hours).
    """
    p = r["price_cny_per_mwh"].values
    c = consumption_by_bus(r).transpose("time", "bus").values
    rows = {}
    for j, b in enumerate(r.bus.values):
        pb = p[:, j]
        rows[str(b)] = _stats(pb, c[:, j])
    rows["system"] = _stats(p.ravel(), c.ravel())
    return pd.DataFrame.from_dict(rows, orient="index")


def _stats(p: np.ndarray, c: np.ndarray) -> dict[str, float]:
    return {
        "time_weighted_cny_per_mwh": float(p.mean()),
        "load_weighted_cny_per_mwh": _wavg(p, c),
        "min_cny_per_mwh": float(p.min()),
        "p10_cny_per_mwh": float(np.percentile(p, 10)),
        "median_cny_per_mwh": float(np.median(p)),
        "p90_cny_per_mwh": float(np.percentile(p, 90)),
        "max_cny_per_mwh": float(p.max()),
        "std_cny_per_mwh": float(p.std()),
        "load_mwh": float(c.sum()),
    }


def load_prices(r: xr.Dataset) -> pd.DataFrame:
    """Price each consumer pays at its bus's marginal prices, index consumer name.

    energy_mwh = sum_t c_l[t];  cost_cny = sum_t p[t, b(l)] c_l[t];
    load_weighted_cny_per_mwh = cost / energy (NaN without consumption);
    time_weighted_cny_per_mwh = mean of the bus price (for comparison).
    """
    cons = consumers(r)
    bus_pos = {str(b): j for j, b in enumerate(r.bus.values)}
    p = r["price_cny_per_mwh"].values
    rows = []
    for name, row in cons.iterrows():
        c = r[row["var"]].values[:, row["pos"]]
        pb = p[:, bus_pos[row["bus"]]]
        e = float(c.sum())
        cost = float((pb * c).sum())
        rows.append(
            {
                "name": name,
                "kind": row["kind"],
                "bus": row["bus"],
                "energy_mwh": e,
                "cost_cny": cost,
                "load_weighted_cny_per_mwh": cost / e if e > 0 else math.nan,
                "time_weighted_cny_per_mwh": float(pb.mean()),
            }
        )
    cols = [
        "name",
        "kind",
        "bus",
        "energy_mwh",
        "cost_cny",
        "load_weighted_cny_per_mwh",
        "time_weighted_cny_per_mwh",
    ]
    return pd.DataFrame(rows, columns=cols).set_index("name")


def tou_periods(r: xr.Dataset) -> np.ndarray:
    """Gansu time-of-use period of each hour ('peak' | 'flat' | 'valley'), from the local clock
    hour (Gansu DRC 2024 No. 424: peak 06-08 and 18-23, valley 10-16, flat otherwise)."""
    return tou_period(pd.DatetimeIndex(r.time.values))


def tou_prices(r: xr.Dataset) -> pd.DataFrame:
    """Average marginal price in each Gansu time-of-use period [CNY/MWh], index period.

    Columns: ``hours`` (hours of the horizon in the period), one column per bus with the
    time-weighted mean (1/H_k) sum_{t in k} p[t, b], and ``system_load_weighted`` =
    sum_{t in k, b} p c / sum_{t in k, b} c. A period with no hours gives NaN.
    """
    period = tou_periods(r)
    p = r["price_cny_per_mwh"].values
    c = consumption_by_bus(r).transpose("time", "bus").values
    rows = {}
    for k in TOU_PERIODS:
        m = period == k
        row: dict[str, float] = {"hours": float(m.sum())}
        for j, b in enumerate(r.bus.values):
            row[str(b)] = float(p[m, j].mean()) if m.any() else math.nan
        row["system_load_weighted"] = _wavg(p[m].ravel(), c[m].ravel()) if m.any() else math.nan
        rows[k] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def duration_curve(r: xr.Dataset) -> xr.DataArray:
    """Price duration curve per bus [CNY/MWh]: the hourly prices sorted from highest to lowest.

    Dims (rank, bus); coordinate ``exceedance`` = (rank + 1) / H, the share of hours with a price
    at or above the value (for distinct prices).
    """
    p = np.sort(r["price_cny_per_mwh"].transpose("time", "bus").values, axis=0)[::-1]
    H = p.shape[0]
    return xr.DataArray(
        p,
        dims=("rank", "bus"),
        coords={
            "rank": np.arange(H),
            "bus": r.bus.values,
            "exceedance": ("rank", (np.arange(H) + 1) / H),
        },
        attrs={"units": "CNY/MWh", "description": "price duration curve"},
    )


def setter_technology(r: xr.Dataset) -> dict[str, str]:
    """Map each price-setter label to a technology: thermal -> its fuel ('coal'), renewable ->
    its carrier ('wind', 'solar', …), interruptible load -> 'interruptible_load',
    'storage:<name>' -> the storage kind ('battery', 'pumped_hydro', …), 'flexible_load:<name>'
    -> 'flexible_load'; 'import', 'export', 'unserved', 'excess' and 'mixed' stay as they are."""
    out = {
        "import": "import",
        "export": "export",
        "unserved": "unserved",
        "excess": "excess",
        "mixed": "mixed",
    }
    for name, fuel in zip(r.thermal.values, r["thermal_fuel"].values, strict=True):
        out[str(name)] = str(fuel)
    for name, carrier in zip(r.renewable.values, r["renewable_carrier"].values, strict=True):
        out[str(name)] = str(carrier)
    for name in r.intr.values:
        out[str(name)] = "interruptible_load"
    for name, kind in zip(r.storage.values, r["storage_kind"].values, strict=True):
        out[f"storage:{name}"] = str(kind)
    for name in r.flex.values:
        out[f"flexible_load:{name}"] = "flexible_load"
    return out


def setter_shares(r: xr.Dataset, by: str = "unit") -> pd.DataFrame:
    """Share of hours each unit (``by='unit'``) or technology (``by='technology'``) sets the
    price [-], index label, one column per bus and ``all`` (share of all bus-hours); sorted by
    ``all``, largest first. 'mixed' means no single marginal candidate was found (see
    :func:`gridopt.results.price_setters`)."""
    if by not in ("unit", "technology"):
        raise ValueError("by must be 'unit' or 'technology'")
    s = r["price_setter"].transpose("time", "bus").values.astype(str)
    if by == "technology":
        tech = setter_technology(r)
        s = np.vectorize(lambda x: tech.get(x, x), otypes=[str])(s) if s.size else s
    labels = sorted(set(s.ravel().tolist()))
    H = s.shape[0]
    data = {
        str(b): [float((s[:, j] == k).sum()) / H for k in labels]
        for j, b in enumerate(r.bus.values)
    }
    data["all"] = [float((s == k).sum()) / s.size for k in labels]
    df = pd.DataFrame(data, index=pd.Index(labels, name=by))
    return df.sort_values("all", ascending=False)


# --------------------------------------------------------------------------------------------
# Annual costs and the cost-recovery price
# --------------------------------------------------------------------------------------------


def _technology(r: xr.Dataset, family: str) -> list[str]:
    if family == "thermal":
        return [str(x) for x in r["thermal_fuel"].values]
    if family == "renewable":
        return [str(x) for x in r["renewable_carrier"].values]
    if family == "storage":
        return [str(x) for x in r["storage_kind"].values]
    return ["line"] * r.sizes["line"]


def asset_fixed_costs(r: xr.Dataset) -> pd.DataFrame:
    """Annual fixed cost of every asset with economics (lines, thermal, renewables, storage).

    Index ``asset`` (name); columns ``family``, ``technology``, ``capex_cny``, ``lifetime_yr``,
    ``crf_per_yr`` = CRF(r, L), ``annuity_cny_per_yr`` = capex x CRF, ``fixed_om_cny_per_yr``,
    ``annual_fixed_cny_per_yr`` = annuity + fixed O&M, ``horizon_fixed_cny`` = f x annual, and
    ``cost_source``. The discount rate r is the scenario's ``discount_rate``.
    """
    rate = float(r["discount_rate"])
    f = year_fraction(r)
    rows = []
    for fam in ("line", "thermal", "renewable", "storage"):
        techs = _technology(r, fam)
        for i, name in enumerate(r[fam].values):
            capex = float(r[f"{fam}_capex_cny"].values[i])
            life = float(r[f"{fam}_lifetime_yr"].values[i])
            k = crf(rate, life)
            fom = float(r[f"{fam}_fixed_om_cny_per_yr"].values[i])
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
                    "cost_source": str(r[f"{fam}_cost_source"].values[i]),
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

    @property
    def total_cost_cny(self) -> float:
        """f x sum_a A_a + C_op [CNY]."""
        return self.fixed_cost_cny + self.operating_cost_cny


def cost_items(r: xr.Dataset) -> dict[str, float]:
    """Cost of the horizon by item [CNY], the items of :data:`COMPONENT_OF` except the two
    tariff items: pro-rated annuity and fixed O&M per family, and the operating costs of
    :func:`gridopt.results.cost_breakdown` without the slack penalties (exports negative)."""
    fixed = asset_fixed_costs(r)
    f = year_fraction(r)
    items: dict[str, float] = {}
    for fam in FAMILIES:
        sel = fixed[fixed["family"] == fam]
        items[f"{fam}_capital"] = f * float(sel["annuity_cny_per_yr"].sum())
        items[f"{fam}_fixed_om"] = f * float(sel["fixed_om_cny_per_yr"].sum())
    ops = cost_breakdown(r)
    for k, v in ops.items():
        if k not in SLACK_ITEMS:
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
    items = cost_items(r)
    ops = cost_breakdown(r)
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


def cost_table(r: xr.Dataset) -> pd.DataFrame:
    """Every cost item with its component and its share of the delivered price.

    Index item; columns ``component``, ``cost_cny`` (over the horizon), ``cny_per_mwh`` =
    cost / E, ``cny_per_kwh`` = cost / E / 1000. The two tariff items are charges per kWh,
    shown as cost = charge x E x 1000. The ``cny_per_kwh`` column adds up to the delivered
    price.
    """
    cr = cost_recovery(r)
    e = cr.energy_delivered_mwh
    items = dict(cr.items_cny)
    items["network_charge"] = float(r["tariff_network_charge_cny_per_kwh"]) * e * KWH_PER_MWH
    items["funds"] = float(r["tariff_funds_cny_per_kwh"]) * e * KWH_PER_MWH
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


def decomposition(r: xr.Dataset) -> dict[str, float]:
    """The delivered price split into components [CNY/kWh], in the order of :data:`COMPONENTS`.

    component_k = sum of the items i with COMPONENT_OF[i] = k of cost_i / E / 1000, so
    energy + flexibility + capacity + network + levies = P_del exactly (up to rounding).
    """
    t = cost_table(r)
    return {k: float(t.loc[t["component"] == k, "cny_per_kwh"].sum()) for k in COMPONENTS}


def delivered_price(r: xr.Dataset, customer_load_mw: float = 100.0) -> dict[str, float | None]:
    """Delivered price for an industrial customer [CNY/kWh], beside the comparison tariffs.

    P_del = P_cr / 1000 + network charge + funds.
    saving_vs_provincial = provincial tariff - P_del [CNY/kWh];
    saving_per_year = saving_vs_provincial x customer_load_mw x 8760 h x 1000 kWh/MWh [CNY/yr]
    for a flat load of ``customer_load_mw`` [MW];
    cost_recovery_vs_benchmark = coal benchmark - P_cr / 1000 [CNY/kWh] (both are prices of
    energy before network charges and levies, so this is the like-for-like comparison with the
    0.3078 CNY/kWh benchmark).
    """
    cr = cost_recovery(r).price_cny_per_mwh / KWH_PER_MWH
    net = float(r["tariff_network_charge_cny_per_kwh"])
    funds = float(r["tariff_funds_cny_per_kwh"])
    bench = float(r["tariff_benchmark_cny_per_kwh"])
    prov = float(r["tariff_provincial_cny_per_kwh"])
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


# --------------------------------------------------------------------------------------------
# Revenue adequacy
# --------------------------------------------------------------------------------------------


def _bus_prices(r: xr.Dataset, busvar: str) -> np.ndarray:
    """(time, asset) array of the marginal price at each asset's bus."""
    pos = {str(b): j for j, b in enumerate(r.bus.values)}
    idx = [pos[str(b)] for b in r[busvar].values]
    return r["price_cny_per_mwh"].transpose("time", "bus").values[:, idx]


def line_rent(r: xr.Dataset) -> np.ndarray:
    """Congestion (and loss) rent of each line over the horizon [CNY], shape (line,).

    With F the net flow from bus0 to bus1 at the sending end and lf the loss factor, power
    F+ = max(F, 0) leaves bus0 and (1 - lf) F+ arrives at bus1, and F- = max(-F, 0) leaves bus1
    and (1 - lf) F- arrives at bus0 (a line carries power one way in an hour):
    rent = sum_t p1 (1 - lf) F+ - p0 F+ + p0 (1 - lf) F- - p1 F-.
    """
    if not r.sizes["line"]:
        return np.zeros(0)
    p0, p1 = _bus_prices(r, "line_bus0"), _bus_prices(r, "line_bus1")
    flow = r["line_flow_mw"].transpose("time", "line").values
    lf = r["line_loss_factor"].values
    fwd, rev = np.maximum(flow, 0), np.maximum(-flow, 0)
    return (p1 * (1 - lf) * fwd - p0 * fwd + p0 * (1 - lf) * rev - p1 * rev).sum(axis=0)


def revenue_adequacy(r: xr.Dataset) -> pd.DataFrame:
    """Market revenue of every asset at its bus's marginal prices against its annual cost.

    Per asset a at bus b (over the horizon, then scaled to a year by 1/f):
    - thermal:    revenue = sum_t p[t, b] P_a[t];  operating = (fuel + VOM + CO2 x carbon price) x
                  energy + start-up cost
    - renewable:  revenue = sum_t p[t, b] P_a[t] (output used);  operating = VOM x energy
    - storage:    revenue = sum_t p[t, b] (discharge - charge);  operating = VOM x discharge
    - line:       revenue = congestion rent (:func:`line_rent`);  operating = 0

    Columns: ``family``, ``technology``, ``bus``, ``energy_mwh_per_yr`` (net energy injected),
    ``revenue_cny_per_yr``, ``operating_cost_cny_per_yr``, ``margin_cny_per_yr`` = revenue -
    operating, ``annual_fixed_cny_per_yr`` = A_a, ``net_cny_per_yr`` = margin - A_a,
    ``recovery_ratio`` = margin / A_a (NaN without fixed cost), ``realised_price_cny_per_mwh`` =
    revenue / energy (generators only; NaN for storage and lines), ``status`` 'recovers' (net >= 0), 'gap' (net < 0) and ``gap_cny_per_yr`` =
    max(-net, 0), the money the asset needs beyond the market.
    """
    f = year_fraction(r)
    scale = 1.0 / f  # horizon -> year
    fixed = asset_fixed_costs(r)
    rows = []

    def add(name, fam, tech, bus, energy, revenue, operating):
        annual = float(fixed.loc[name, "annual_fixed_cny_per_yr"]) if name in fixed.index else 0.0
        rev, op, e = revenue * scale, operating * scale, energy * scale
        margin = rev - op
        net = margin - annual
        rows.append(
            {
                "asset": name,
                "family": fam,
                "technology": tech,
                "bus": bus,
                "energy_mwh_per_yr": e,
                "revenue_cny_per_yr": rev,
                "operating_cost_cny_per_yr": op,
                "margin_cny_per_yr": margin,
                "annual_fixed_cny_per_yr": annual,
                "net_cny_per_yr": net,
                "recovery_ratio": margin / annual if annual > 0 else math.nan,
                "realised_price_cny_per_mwh": rev / e
                if fam in ("thermal", "renewable") and e > 1e-9
                else math.nan,
                "status": "recovers" if net >= 0 else "gap",
                "gap_cny_per_yr": max(-net, 0.0),
            }
        )

    if r.sizes["thermal"]:
        pr = _bus_prices(r, "thermal_bus")
        p = r["thermal_p_mw"].transpose("time", "thermal").values
        start = (
            r["thermal_startup_mw"].transpose("time", "thermal").values
            * r["thermal_startup_cost_cny_per_mw"].values
        )
        mc = (
            r["thermal_fuel_cost_cny_per_mwh"].values
            + r["thermal_vom_cny_per_mwh"].values
            + r["thermal_co2_t_per_mwh"].values * float(r["carbon_price_cny_per_t"])
        )
        for g, name in enumerate(r.thermal.values):
            add(
                str(name),
                "thermal",
                str(r["thermal_fuel"].values[g]),
                str(r["thermal_bus"].values[g]),
                p[:, g].sum(),
                (pr[:, g] * p[:, g]).sum(),
                mc[g] * p[:, g].sum() + start[:, g].sum(),
            )
    if r.sizes["renewable"]:
        pr = _bus_prices(r, "renewable_bus")
        p = r["renewable_p_mw"].transpose("time", "renewable").values
        for j, name in enumerate(r.renewable.values):
            add(
                str(name),
                "renewable",
                str(r["renewable_carrier"].values[j]),
                str(r["renewable_bus"].values[j]),
                p[:, j].sum(),
                (pr[:, j] * p[:, j]).sum(),
                float(r["renewable_vom_cny_per_mwh"].values[j]) * p[:, j].sum(),
            )
    if r.sizes["storage"]:
        pr = _bus_prices(r, "storage_bus")
        d = r["storage_discharge_mw"].transpose("time", "storage").values
        c = r["storage_charge_mw"].transpose("time", "storage").values
        for s, name in enumerate(r.storage.values):
            add(
                str(name),
                "storage",
                str(r["storage_kind"].values[s]),
                str(r["storage_bus"].values[s]),
                (d[:, s] - c[:, s]).sum(),
                (pr[:, s] * (d[:, s] - c[:, s])).sum(),
                float(r["storage_vom_cny_per_mwh"].values[s]) * d[:, s].sum(),
            )
    rent = line_rent(r)
    for i, name in enumerate(r.line.values):
        bus = f"{r['line_bus0'].values[i]}-{r['line_bus1'].values[i]}"
        add(str(name), "line", "line", bus, 0.0, float(rent[i]), 0.0)
    cols = [
        "asset",
        "family",
        "technology",
        "bus",
        "energy_mwh_per_yr",
        "revenue_cny_per_yr",
        "operating_cost_cny_per_yr",
        "margin_cny_per_yr",
        "annual_fixed_cny_per_yr",
        "net_cny_per_yr",
        "recovery_ratio",
        "realised_price_cny_per_mwh",
        "status",
        "gap_cny_per_yr",
    ]
    return pd.DataFrame(rows, columns=cols).set_index("asset")


def market_gap(r: xr.Dataset) -> dict[str, float]:
    """Gap between what load pays at marginal prices and what the system costs.

    average_marginal = sum_{t,b} p c / E (load-weighted over all buses) [CNY/MWh];
    gap = P_cr - average_marginal [CNY/MWh] (positive: marginal prices alone do not recover
    the system's cost); missing_money = gap x E / f [CNY/yr].
    """
    cr = cost_recovery(r)
    avg = float(price_statistics(r).loc["system", "load_weighted_cny_per_mwh"])
    gap = cr.price_cny_per_mwh - avg
    return {
        "average_marginal_cny_per_mwh": avg,
        "cost_recovery_cny_per_mwh": cr.price_cny_per_mwh,
        "gap_cny_per_mwh": gap,
        "missing_money_cny_per_yr": gap * cr.energy_delivered_mwh / year_fraction(r),
    }


# --------------------------------------------------------------------------------------------
# summary.json
# --------------------------------------------------------------------------------------------


def json_safe(x):
    """JSON-friendly: NaN/inf -> None, numpy scalars -> Python, recursively."""
    if isinstance(x, dict):
        return {str(k): json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def summary_fields(r: xr.Dataset, customer_load_mw: float = 100.0) -> dict:
    """Price fields added to ``summary.json`` (stable keys for scripts).

    ``cost_recovery_cny_per_mwh`` (P_cr), ``delivered_price_cny_per_kwh`` (P_del),
    ``price_decomposition`` (component -> CNY/kWh; the parts add up to P_del),
    ``average_marginal_price_cny_per_mwh`` (load-weighted over all buses),
    ``price_gap_cny_per_mwh`` (P_cr - average marginal), ``cost_recovery`` (basis: energy,
    fixed and operating cost, pro-rating, excluded slack penalties), ``delivered_price``
    (comparison with the benchmark and provincial tariff, saving for a flat
    ``customer_load_mw`` load), ``tou_average_prices_cny_per_mwh`` (period -> bus -> price),
    ``price_setter_share_by_technology`` (technology -> share of all bus-hours) and
    ``revenue_adequacy`` (asset -> status, recovery ratio, gap per year). Prices that cannot be
    computed (no load) are null.
    """
    cr = cost_recovery(r)
    dp = delivered_price(r, customer_load_mw)
    gap = market_gap(r)
    tou = tou_prices(r)
    setters = setter_shares(r, "technology")
    ra = revenue_adequacy(r)
    out = {
        "cost_recovery_cny_per_mwh": cr.price_cny_per_mwh,
        "delivered_price_cny_per_kwh": dp["delivered_cny_per_kwh"],
        "price_decomposition": decomposition(r),
        "average_marginal_price_cny_per_mwh": gap["average_marginal_cny_per_mwh"],
        "price_gap_cny_per_mwh": gap["gap_cny_per_mwh"],
        "cost_recovery": {
            "energy_delivered_mwh": cr.energy_delivered_mwh,
            "fixed_cost_cny": cr.fixed_cost_cny,
            "operating_cost_cny": cr.operating_cost_cny,
            "excluded_slack_penalty_cny": cr.slack_penalty_cny,
            "year_fraction": cr.year_fraction,
            "fixed_costs_prorated": cr.year_fraction < 1.0,
            "note": cr.note,
            "items_cny": cr.items_cny,
        },
        "delivered_price": dp,
        "tou_average_prices_cny_per_mwh": {
            k: {c: tou.loc[k, c] for c in tou.columns} for k in tou.index
        },
        "price_setter_share_by_technology": {str(k): float(v) for k, v in setters["all"].items()},
        "revenue_adequacy": {
            str(a): {
                "status": row["status"],
                "recovery_ratio": row["recovery_ratio"],
                "gap_cny_per_yr": row["gap_cny_per_yr"],
            }
            for a, row in ra.iterrows()
        },
    }
    return json_safe(out)


__all__ = [
    "COMPONENTS",
    "COMPONENT_OF",
    "CostRecovery",
    "asset_fixed_costs",
    "consumers",
    "cost_items",
    "cost_recovery",
    "cost_table",
    "decomposition",
    "delivered_price",
    "duration_curve",
    "energy_delivered_mwh",
    "line_rent",
    "load_prices",
    "market_gap",
    "price_statistics",
    "revenue_adequacy",
    "setter_shares",
    "setter_technology",
    "summary_fields",
    "tou_prices",
    "year_fraction",
]
