r"""Technology statistics of a results Dataset: what each asset and each technology produced,
earned and cost, and what each load pays (as PyPSA's ``statistics()``), from the family
declarations (:data:`gridopt.model.BALANCE`) without naming a family.

Pure functions on the results Dataset written by ``gridopt run`` (no solver); every step is one
hour, so MW summed over the hours is MWh. Money and energy are over the horizon, except the
columns named ``_per_yr``.

Nomenclature
------------
t            hour of the horizon, H hours in all; f = min(H / 8760, 1) the share of a year
a            an asset with a supply energy item of its own (``Energy.supply``, ``per_asset``,
             a ``kind``: today thermal units, wind and PV, stores, ties), at bus b(a)
s[a, t]      its supply: the sum of its supply items [MW] (a store: discharge; a tie: import)
u[a, t]      its use: the sum of its other items on the use side [MW] (a store: charge)
p[t, b]      marginal price at bus b [CNY/MWh] (dual of the bus balance)
C_a          capacity [MW] of its first supply item (:func:`gridopt.model.policy.firm_input`:
             ``p_nom_mw``, ``p_discharge_max_mw``, ``import_max_mw``)
K[a, t]      curtailed output, A[a, t] available output [MW] (items that declare them)
A_a          annual capital + fixed O&M [CNY/yr] (:func:`gridopt.prices.asset_fixed_costs`,
             the cost-recovery inputs; NaN for an asset whose capital the local price does not
             recover: a tie)
P_avg        load-weighted average marginal price over all buses and hours [CNY/MWh]

Columns (per asset; per technology the sums, and the ratios recomputed from the sums)
-------------------------------------------------------------------------------------
energy_mwh                   E_a = sum_t s[a, t]
capacity_mw                  C_a
capacity_factor              E_a / (C_a H)  (NaN for C_a = 0)
curtailment_mwh              sum_t K[a, t]
available_mwh                sum_t A[a, t]
curtailment_share            curtailment / available  (NaN without an available output)
capture_price_cny_per_mwh    sum_t p[t, b(a)] s[a, t] / E_a: the output-weighted marginal price
market_value_ratio           capture price / P_avg
revenue_cny                  sum_t p[t, b(a)] (s[a, t] - u[a, t]): the asset's market revenue
operating_cost_cny           its cost items with a price component, on the asset alone (fuel,
                             VOM, carbon, start-ups; a tie: imports paid minus exports sold)
annual_fixed_cny_per_yr      A_a
fixed_cny                    f A_a: the horizon's share
levelised_cost_cny_per_mwh   (f A_a + operating) / E_a: with all capital, sunk or new

Per technology (the supply item's ``tech`` input: fuel, carrier, store kind; else its kind)
the columns are summed over its assets, and capacity_factor, curtailment_share, capture price
(= sum of p s / sum of s), market_value_ratio and levelised cost are recomputed from the sums.

Per load (every asset of an item declared ``load``: fixed, flexible, interruptible loads,
electrolysers): energy_mwh = sum_t x[l, t] and the price it pays weighted by its own profile,
``load_weighted_price_cny_per_mwh`` = sum_t p[t, b(l)] x[l, t] / energy.

The network (:func:`branch_statistics`, :func:`tie_statistics`, :func:`network_table`)
----------------------------------------------------------------------------------------
Which families are branches and which are ties comes from their declaration
(:data:`gridopt.model.DECLARATIONS`), no family is named: a **branch** is a family whose
entries reference two buses (``references`` with two fields naming ``buses``: a line's
``bus0``, ``bus1``); a **tie** is a family with per-asset energy items of kind ``import``
(supply) and ``export`` (use): a bus's connection to the grid outside.

F[l, t]      a branch's flow from bus0 to bus1 [MW]: its result in MW that is not one of its
             energy items (a line's ``line_flow_mw``)
Fmax, Rmax   its limits from bus0 to bus1 (the input named by its capacity, ``p_max_mw``) and
             back (the capacity's first ``also`` input, ``p_max_reverse_mw``; else Fmax), plus
             the new and minus the retired capacity of a plan where the results have them
x_in, x_out  a tie's import and export [MW], limits ``<dim>_<what>_max_mw``, prices
             ``<dim>_<what>_price_cny_per_mwh``
loading      |F| / (Fmax when F >= 0, else Rmax); a tie: x_in / import limit when it imports,
             else x_out / export limit (0 where the limit is 0 and nothing flows)
at limit     |F| >= limit (1 - 1e-6), limit > 0, counted per direction (forward/reverse; a
             tie: import/export)

Columns: mean_loading (1/H sum_t loading), max_loading, hours_at_limit (and per direction),
energy per direction [MWh]; a branch's ``congestion_rent_cny`` is the family's declared
``revenue`` (:func:`gridopt.model.network.line_rent`: sum_t p1 (1 - lf) F+ - p0 F+ +
p0 (1 - lf) F- - p1 F-, which is sum_t |p1 - p0| |F| on a lossless line that flows from the
cheap to the dear bus); a tie's ``import_cost_cny`` = sum_t x_in p_in and
``export_revenue_cny`` = sum_t x_out p_out at its own import and export prices.
:func:`loading_curves` gives each asset's loading sorted from highest (the loading duration
curve, x = k / H).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.model import BALANCE
from gridopt.model import policy as _policy
from gridopt.model.family import TOL_MW
from gridopt.model.network import bus_prices
from gridopt.prices import asset_fixed_costs, average_marginal_price, year_fraction
from gridopt.results import assets_alone, weighted_average

ASSET_COLUMNS = (
    "family",
    "technology",
    "bus",
    "energy_mwh",
    "capacity_mw",
    "capacity_factor",
    "curtailment_mwh",
    "available_mwh",
    "curtailment_share",
    "capture_price_cny_per_mwh",
    "market_value_ratio",
    "revenue_cny",
    "operating_cost_cny",
    "annual_fixed_cny_per_yr",
    "fixed_cny",
    "levelised_cost_cny_per_mwh",
)
"""The columns of :func:`asset_statistics` (index ``asset``)."""

SUMMED = (
    "energy_mwh",
    "capacity_mw",
    "curtailment_mwh",
    "available_mwh",
    "revenue_cny",
    "operating_cost_cny",
    "annual_fixed_cny_per_yr",
    "fixed_cny",
)
"""Columns a technology sums over its assets."""

LOAD_COLUMNS = ("family", "bus", "energy_mwh", "load_weighted_price_cny_per_mwh")


def producers(r: xr.Dataset):
    """The families of the results with a per-asset supply item that has a kind, in the order of
    :data:`gridopt.model.BALANCE`: (family, its supply items, its other per-asset use items)."""
    for fam in BALANCE:
        if not r.sizes.get(fam.dim, 0):
            continue
        supply = [e for e in fam.energy if e.supply and e.per_asset and e.kind is not None]
        if not supply:
            continue
        use = [e for e in fam.energy if not e.supply and e.per_asset and e.kind is not None]
        yield fam, supply, use


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 else math.nan


def asset_statistics(r: xr.Dataset) -> pd.DataFrame:
    """Per asset: energy, capacity factor, curtailment, capture price, market value, revenue,
    costs and levelised cost (columns :data:`ASSET_COLUMNS`, index ``asset``; the module
    docstring defines each)."""
    H = int(r.sizes["time"])
    f = year_fraction(r)
    avg = average_marginal_price(r)
    fixed = asset_fixed_costs(r)
    rows = []
    for fam, supply, use in producers(r):
        n = r.sizes[fam.dim]
        p = bus_prices(r, f"{fam.dim}_bus")  # (T, n)
        v = r.variables  # arrays read without building a DataArray each time
        s = sum(v[e.result].transpose("time", fam.dim).values for e in supply)
        u = sum((v[e.result].transpose("time", fam.dim).values for e in use), np.zeros_like(s))
        curt = sum(
            (v[e.curtailed].transpose("time", fam.dim).values for e in supply if e.curtailed),
            np.zeros_like(s),
        )
        avail = sum(
            (v[e.available].transpose("time", fam.dim).values for e in supply if e.available),
            np.zeros_like(s),
        )
        cap_name = _policy.firm_input(r, fam, supply[0])
        caps = v[cap_name].values if cap_name in r else np.full(n, math.nan)
        techs = _policy.technologies(r, fam, supply[0])
        priced = [c for c in fam.costs if c.component is not None]
        own = fixed[fixed["family"] == fam.dim]
        alone, buses = assets_alone(r, fam.dim), v[f"{fam.dim}_bus"].values
        for a, name in enumerate(map(str, v[fam.dim].values)):
            e = float(s[:, a].sum())
            op = sum((c.cost_cny(alone[a]) for c in priced), 0.0)
            annual = (
                float(own.loc[name, "annual_fixed_cny_per_yr"]) if name in own.index else math.nan
            )
            capture = _ratio(float((p[:, a] * s[:, a]).sum()), e)
            cap = float(caps[a])
            rows.append(
                {
                    "asset": name,
                    "family": fam.dim,
                    "technology": techs[a],
                    "bus": str(buses[a]),
                    "energy_mwh": e,
                    "capacity_mw": cap,
                    "capacity_factor": _ratio(e, cap * H),
                    "curtailment_mwh": float(curt[:, a].sum()),
                    "available_mwh": float(avail[:, a].sum()),
                    "curtailment_share": _ratio(float(curt[:, a].sum()), float(avail[:, a].sum())),
                    "capture_price_cny_per_mwh": capture,
                    "market_value_ratio": capture / avg if avg else math.nan,
                    "revenue_cny": float((p[:, a] * (s[:, a] - u[:, a])).sum()),
                    "operating_cost_cny": float(op),
                    "annual_fixed_cny_per_yr": annual,
                    "fixed_cny": f * annual,
                    "levelised_cost_cny_per_mwh": _ratio(f * annual + float(op), e),
                }
            )
    return pd.DataFrame(rows, columns=["asset", *ASSET_COLUMNS]).set_index("asset")


def technology_statistics(r: xr.Dataset, assets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per technology (index ``technology``, columns :data:`ASSET_COLUMNS` but ``bus``): the
    columns of :data:`SUMMED` summed over its assets, the ratios recomputed from the sums (the
    capture price is the output-weighted price over all its assets). ``assets``:
    :func:`asset_statistics` of ``r`` when already computed."""
    a = asset_statistics(r) if assets is None else assets
    H = int(r.sizes["time"])
    avg = average_marginal_price(r)
    rows = []
    for (fam, tech), g in a.groupby(["family", "technology"], sort=False):
        row = {"technology": tech, "family": fam}
        row.update({c: float(g[c].sum(min_count=1)) for c in SUMMED})
        e = row["energy_mwh"]
        value = float((g["capture_price_cny_per_mwh"].fillna(0.0) * g["energy_mwh"]).sum())
        capture = _ratio(value, e)
        has_fixed = g["annual_fixed_cny_per_yr"].notna().all()
        row.update(
            {
                "capacity_factor": _ratio(e, row["capacity_mw"] * H),
                "curtailment_share": _ratio(row["curtailment_mwh"], row["available_mwh"]),
                "capture_price_cny_per_mwh": capture,
                "market_value_ratio": capture / avg if avg else math.nan,
                "levelised_cost_cny_per_mwh": (
                    _ratio(row["fixed_cny"] + row["operating_cost_cny"], e)
                    if has_fixed
                    else math.nan
                ),
            }
        )
        if not has_fixed:
            row["annual_fixed_cny_per_yr"] = row["fixed_cny"] = math.nan
        rows.append(row)
    cols = [c for c in ASSET_COLUMNS if c not in ("bus", "technology")]
    return pd.DataFrame(rows, columns=["technology", *cols]).set_index("technology")


def load_statistics(r: xr.Dataset) -> pd.DataFrame:
    """Per load (index ``load``; columns :data:`LOAD_COLUMNS`): its energy [MWh] and the
    marginal price it pays weighted by its own consumption [CNY/MWh] (NaN without any)."""
    rows = []
    for fam in BALANCE:
        if not r.sizes.get(fam.dim, 0):
            continue
        for e in fam.energy:
            if not e.load:
                continue
            x = r[e.result].transpose("time", fam.dim).values
            p = bus_prices(r, f"{fam.dim}_bus")
            for a, name in enumerate(map(str, r[fam.dim].values)):
                rows.append(
                    {
                        "load": name,
                        "family": fam.dim,
                        "bus": str(r[f"{fam.dim}_bus"].values[a]),
                        "energy_mwh": float(x[:, a].sum()),
                        "load_weighted_price_cny_per_mwh": weighted_average(p[:, a], x[:, a]),
                    }
                )
    return pd.DataFrame(rows, columns=["load", *LOAD_COLUMNS]).set_index("load")


def statistics_table(r: xr.Dataset) -> pd.DataFrame:
    """The long table of ``statistics.csv``: one row per technology (``level`` 'technology'),
    asset ('asset') and load ('load'), columns ``level``, ``name`` then the union of the
    columns (empty where a level has none)."""
    a = asset_statistics(r)
    t = technology_statistics(r, a)
    loads = load_statistics(r)
    frames = [
        t.reset_index(names="name").assign(level="technology", technology=list(t.index)),
        a.reset_index(names="name").assign(level="asset"),
        loads.reset_index(names="name").assign(level="load"),
    ]
    cols = ["level", "name", *ASSET_COLUMNS, "load_weighted_price_cny_per_mwh"]
    return pd.concat(frames, ignore_index=True).reindex(columns=cols)


def write_csv(r: xr.Dataset, path) -> None:
    """Write :func:`statistics_table` of ``r`` to ``path`` atomically (UTF-8 CSV)."""
    from gridopt.io import atomic_write

    table = statistics_table(r)
    atomic_write(path, lambda p: table.to_csv(p, index=False, encoding="utf-8"))


# --------------------------------------------------------------------------------------------
# the network: branches between buses and ties to the grid outside
# --------------------------------------------------------------------------------------------

AT_LIMIT_REL = 1e-6
"""A flow is at its limit when |flow| >= limit (1 - AT_LIMIT_REL)."""

BRANCH_COLUMNS = (
    "family",
    "bus0",
    "bus1",
    "limit_forward_mw",
    "limit_reverse_mw",
    "mean_loading",
    "max_loading",
    "hours_at_limit",
    "hours_at_limit_forward",
    "hours_at_limit_reverse",
    "energy_forward_mwh",
    "energy_reverse_mwh",
    "congestion_rent_cny",
)
"""The columns of :func:`branch_statistics` (index ``name``)."""

TIE_COLUMNS = (
    "family",
    "bus",
    "import_limit_mw",
    "export_limit_mw",
    "mean_loading",
    "max_loading",
    "hours_at_limit",
    "hours_at_limit_import",
    "hours_at_limit_export",
    "import_mwh",
    "export_mwh",
    "import_cost_cny",
    "export_revenue_cny",
)
"""The columns of :func:`tie_statistics` (index ``name``)."""


def branch_families(r: xr.Dataset):
    """Families of the results whose entries reference two buses (a line's ``bus0``, ``bus1``),
    with assets: (family, its two bus fields, its flow result)."""
    from gridopt.model import DECLARATIONS

    for fam in DECLARATIONS:
        ends = [f for f, sec in fam.references.items() if sec == "buses"]
        if len(ends) != 2 or not r.sizes.get(fam.dim, 0):
            continue
        own = {e.result for e in fam.energy}
        flow = next(
            (o.result for o in fam.results if o.units == "MW" and o.result not in own), None
        )
        if flow is not None and flow in r:
            yield fam, ends, flow


def tie_families(r: xr.Dataset):
    """Families of the results with per-asset energy items of kind ``import`` and ``export``:
    (family, the import item, the export item)."""
    from gridopt.model import DECLARATIONS

    for fam in DECLARATIONS:
        if not r.sizes.get(fam.dim, 0):
            continue
        kinds = {e.kind: e for e in fam.energy if e.per_asset}
        if "import" in kinds and "export" in kinds:
            yield fam, kinds["import"], kinds["export"]


def _input(r: xr.Dataset, name: str, n: int, T: int) -> np.ndarray:
    """(T, n) values of input ``name`` (static or hourly); NaN where missing."""
    if name not in r:
        return np.full((T, n), math.nan)
    v = r.variables[name]
    return np.broadcast_to(
        v.transpose("time", ...).values if "time" in v.dims else v.values[None, :], (T, n)
    ).astype(float)


def _planned(r: xr.Dataset, fam, name: str, n: int, T: int) -> np.ndarray:
    """Input ``<dim>_<name>`` plus the new and minus the retired capacity of a plan when the
    results have them (for the capacity that is ``name`` or lists it in ``also``)."""
    x = _input(r, f"{fam.dim}_{name}", n, T).copy()
    for cap in fam.capacities:
        if name != cap.name and name not in cap.also:
            continue
        for what, sign in (("new", 1.0), ("retired", -1.0)):
            var = cap.input(fam.dim, what)
            if var in r:
                x += sign * np.nan_to_num(r[var].values.astype(float))[None, :]
    return x


def _limit_name(fam, reverse: bool) -> str | None:
    """The input that limits a branch forward (its capacity) or back (the capacity's first
    ``also``; else the forward one)."""
    if not fam.capacities:
        return fam.expandable
    cap = fam.capacities[0]
    return (cap.also[0] if cap.also else cap.name) if reverse else cap.name


def _loading(flow: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """|flow| / limit; 0 where the limit is 0 and nothing flows, inf where something does."""
    a = np.abs(flow)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(
            limit > TOL_MW,
            a / np.where(limit > TOL_MW, limit, 1.0),
            np.where(a > TOL_MW, np.inf, 0.0),
        )
    return np.where(np.isnan(limit), math.nan, out)


def _at_limit(x: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Where x >= limit (1 - AT_LIMIT_REL) > 0 (x >= 0)."""
    return (limit > TOL_MW) & (x >= limit * (1 - AT_LIMIT_REL)) & (x > TOL_MW)


def _branch_hourly(r: xr.Dataset, fam, flow: str):
    n, T = r.sizes[fam.dim], r.sizes["time"]
    F = r[flow].transpose("time", fam.dim).values.astype(float)
    fmax = _planned(r, fam, _limit_name(fam, False) or "", n, T)
    rmax = _planned(r, fam, _limit_name(fam, True) or "", n, T)
    load = np.where(F >= 0, _loading(F, fmax), _loading(F, rmax))
    return F, fmax, rmax, load


def _tie_hourly(r: xr.Dataset, fam, imp, exp):
    n, T = r.sizes[fam.dim], r.sizes["time"]
    xi = r[imp.result].transpose("time", fam.dim).values.astype(float)
    xo = r[exp.result].transpose("time", fam.dim).values.astype(float)
    lim = {}
    for e in (imp, exp):
        what = e.result.removeprefix(f"{fam.dim}_").removesuffix("_mw")
        lim[e.kind] = _planned(r, fam, f"{what}_max_mw", n, T)
    load = np.where(xi > TOL_MW, _loading(xi, lim["import"]), _loading(xo, lim["export"]))
    return xi, xo, lim["import"], lim["export"], load


def _price_of(r: xr.Dataset, fam, e) -> np.ndarray | None:
    what = e.result.removeprefix(f"{fam.dim}_").removesuffix("_mw")
    name = f"{fam.dim}_{what}_price_cny_per_mwh"
    return _input(r, name, r.sizes[fam.dim], r.sizes["time"]) if name in r else None


def _mean(x: np.ndarray) -> float:
    return float(np.mean(x)) if x.size and not np.isnan(x).all() else math.nan


def branch_statistics(r: xr.Dataset) -> pd.DataFrame:
    """Per branch (a line): its limits, mean and maximum loading, hours at its limit (in all and
    per direction), energy per direction and congestion rent (columns :data:`BRANCH_COLUMNS`,
    index ``name``; the module docstring defines them)."""
    rows = []
    for fam, ends, flow in branch_families(r):
        F, fmax, rmax, load = _branch_hourly(r, fam, flow)
        rent = np.asarray(fam.revenue(r), float) if fam.revenue is not None else None
        bus0, bus1 = (r.variables[f"{fam.dim}_{end}"].values for end in ends[:2])
        for a, name in enumerate(map(str, r.variables[fam.dim].values)):
            fwd = _at_limit(F[:, a], fmax[:, a])
            rev = _at_limit(-F[:, a], rmax[:, a])
            rows.append(
                {
                    "name": name,
                    "family": fam.dim,
                    "bus0": str(bus0[a]),
                    "bus1": str(bus1[a]),
                    "limit_forward_mw": float(np.max(fmax[:, a])),
                    "limit_reverse_mw": float(np.max(rmax[:, a])),
                    "mean_loading": _mean(load[:, a]),
                    "max_loading": float(np.max(load[:, a])) if len(load) else math.nan,
                    "hours_at_limit": int((fwd | rev).sum()),
                    "hours_at_limit_forward": int(fwd.sum()),
                    "hours_at_limit_reverse": int(rev.sum()),
                    "energy_forward_mwh": float(np.maximum(F[:, a], 0).sum()),
                    "energy_reverse_mwh": float(np.maximum(-F[:, a], 0).sum()),
                    "congestion_rent_cny": float(rent[a]) if rent is not None else math.nan,
                }
            )
    return pd.DataFrame(rows, columns=["name", *BRANCH_COLUMNS]).set_index("name")


def tie_statistics(r: xr.Dataset) -> pd.DataFrame:
    """Per tie: its import and export limits, mean and maximum loading, hours at a limit (in
    all, importing, exporting), energy each way, import cost and export revenue at its own
    prices (columns :data:`TIE_COLUMNS`, index ``name``)."""
    rows = []
    for fam, imp, exp in tie_families(r):
        xi, xo, li, lo, load = _tie_hourly(r, fam, imp, exp)
        pi, po = _price_of(r, fam, imp), _price_of(r, fam, exp)
        bus = f"{fam.dim}_bus"
        buses = r.variables[bus].values if bus in r else None
        for a, name in enumerate(map(str, r.variables[fam.dim].values)):
            at_i, at_o = _at_limit(xi[:, a], li[:, a]), _at_limit(xo[:, a], lo[:, a])
            rows.append(
                {
                    "name": name,
                    "family": fam.dim,
                    "bus": str(buses[a]) if buses is not None else "",
                    "import_limit_mw": float(np.max(li[:, a])),
                    "export_limit_mw": float(np.max(lo[:, a])),
                    "mean_loading": _mean(load[:, a]),
                    "max_loading": float(np.max(load[:, a])) if len(load) else math.nan,
                    "hours_at_limit": int((at_i | at_o).sum()),
                    "hours_at_limit_import": int(at_i.sum()),
                    "hours_at_limit_export": int(at_o.sum()),
                    "import_mwh": float(xi[:, a].sum()),
                    "export_mwh": float(xo[:, a].sum()),
                    "import_cost_cny": float((xi[:, a] * pi[:, a]).sum())
                    if pi is not None
                    else math.nan,
                    "export_revenue_cny": float((xo[:, a] * po[:, a]).sum())
                    if po is not None
                    else math.nan,
                }
            )
    return pd.DataFrame(rows, columns=["name", *TIE_COLUMNS]).set_index("name")


def loading_curves(r: xr.Dataset) -> dict[str, np.ndarray]:
    """Each branch's and tie's hourly loading sorted from highest to lowest (the loading duration
    curve: the k-th value, k = 1..H, is reached or exceeded in k / H of the hours), by name."""
    out = {}
    for fam, _, flow in branch_families(r):
        load = _branch_hourly(r, fam, flow)[3]
        for a, name in enumerate(map(str, r[fam.dim].values)):
            out[name] = np.sort(load[:, a])[::-1]
    for fam, imp, exp in tie_families(r):
        load = _tie_hourly(r, fam, imp, exp)[4]
        for a, name in enumerate(map(str, r[fam.dim].values)):
            out[name] = np.sort(load[:, a])[::-1]
    return out


def network_table(r: xr.Dataset) -> pd.DataFrame:
    """The long table of ``network.csv``: one row per branch (``level`` 'branch') and tie
    ('tie'), columns ``level``, ``name`` then the union of the columns (empty where a level has
    none)."""
    b, t = branch_statistics(r), tie_statistics(r)
    cols = ["level", "name", *dict.fromkeys([*BRANCH_COLUMNS, *TIE_COLUMNS])]
    frames = [
        b.reset_index().assign(level="branch"),
        t.reset_index().assign(level="tie"),
    ]
    out = pd.concat(frames, ignore_index=True).reindex(columns=cols)
    hours = [c for c in cols if c.startswith("hours_at_limit")]
    return out.astype({c: "Int64" for c in hours})


def write_network_csv(r: xr.Dataset, path) -> None:
    """Write :func:`network_table` of ``r`` to ``path`` atomically (UTF-8 CSV)."""
    from gridopt.io import atomic_write

    table = network_table(r)
    atomic_write(path, lambda p: table.to_csv(p, index=False, encoding="utf-8"))


__all__ = [
    "ASSET_COLUMNS",
    "BRANCH_COLUMNS",
    "LOAD_COLUMNS",
    "TIE_COLUMNS",
    "asset_statistics",
    "branch_families",
    "branch_statistics",
    "loading_curves",
    "network_table",
    "load_statistics",
    "producers",
    "statistics_table",
    "technology_statistics",
    "tie_families",
    "tie_statistics",
    "write_csv",
    "write_network_csv",
]
