"""Solution -> results Dataset (with the resolved inputs), price setters and the summary.

Results dims are those of the input Dataset (``time``, ``bus``, ``thermal``, …). Result
variables carry ``units`` and ``role='result'``; the merged inputs carry ``role='input'``.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.model import BALANCE, DECLARATIONS, PRICE_SETTERS
from gridopt.model.family import TOL_MW, Energy, Family, Output
from gridopt.model.network import lossy_flow_cost_cny_per_mwh
from gridopt.solve import Solution


def _res(values, dims, units: str, description: str) -> xr.DataArray:
    return xr.DataArray(
        values, dims=dims, attrs={"units": units, "role": "result", "description": description}
    )


def _values(sol: Solution, name: str, n: int, T: int) -> np.ndarray:
    """Values of the model's Var ``name[j, t]`` as (T, n); zeros when the family or subset is
    empty (the model then has no such component: see each ``gridopt.model`` family's ``add``)."""
    return np.zeros((T, n)) if n == 0 else sol.value(name, (n, T)).T


def _read(ds: xr.Dataset, sol: Solution, dim: str, o: Output) -> tuple[np.ndarray, np.ndarray]:
    """Output ``o`` of a family along ``dim``: its values as the model has them, (T, assets
    with the variable), and over every asset of ``dim``, (T, n), ``o.absent`` (or 0) where an
    asset has no variable."""
    T, n = ds.sizes["time"], ds.sizes[dim]
    if o.assets is None:
        raw = _values(sol, o.component, n, T)
        return raw, raw
    pos = list(o.assets(ds))
    raw = _values(sol, o.component, len(pos), T)
    full = np.zeros((T, n)) if o.absent is None else np.array(o.absent(ds), float, order="C")
    full[:, pos] = raw
    return raw, full


def operating_cost_cny(ds: xr.Dataset, sol: Solution) -> float:
    """Operating cost of a solved case [CNY]: the solver's objective without the tie-break cost
    on lossy line flows (:func:`gridopt.model.network.lossy_flow_cost_cny_per_mwh` x the MWh
    sent both ways on lossy lines): the tie-break only makes losses unique, nobody pays it."""
    n = int((ds["line_loss_factor"].values > 0).sum())
    if n == 0:
        return float(sol.objective)
    T = ds.sizes["time"]
    sent = sol.value("line_flow_fwd", (n, T)).sum() + sol.value("line_flow_rev", (n, T)).sum()
    return float(sol.objective) - lossy_flow_cost_cny_per_mwh(ds) * float(sent)


def extract(ds: xr.Dataset, sol: Solution) -> xr.Dataset:
    """Build the results Dataset from the input Dataset ``ds`` and the solution ``sol``.

    Each family's declared outputs (:data:`gridopt.model.DECLARATIONS`) are read or computed
    in turn; then the price (the dual of the bus balance), who sets it and the objective.
    ``objective_cny`` is the operating cost: the solver's objective without the tie-break cost
    on lossy line flows (:func:`gridopt.model.network.lossy_flow_cost_cny_per_mwh`), which is not
    a cost anyone pays.
    """
    T = ds.sizes["time"]
    out = ds.copy()
    for name in out.data_vars:  # each Variable's attrs, not a DataArray built per input
        out.variables[name].attrs.setdefault("role", "input")
    raw: dict[str, np.ndarray] = {}
    results: dict[str, xr.DataArray] = {}  # added at once: one merge, not one per result
    for fam in DECLARATIONS:
        dims = ("time", fam.dim)
        values: dict[str, np.ndarray] = {}
        for o in fam.outputs:
            if isinstance(o, Output):
                raw[o.component], values[o.component] = _read(ds, sol, fam.dim, o)
                x = values[o.component]
            else:
                x = o.compute(ds, values)
            if o.result is not None:
                values[o.result] = x
                results[o.result] = _res(x, dims, o.units, o.description)
    nb = ds.sizes["bus"]
    price = sol.dual("bus_balance", (nb, T)).T
    results["price_cny_per_mwh"] = _res(
        price, ("time", "bus"), "CNY/MWh", "marginal price: dual of the bus energy balance"
    )
    out = out.assign(results)  # who sets the price reads the results and the price
    setter = _res(
        price_setters(out),
        ("time", "bus"),
        "",
        "unit or kind that sets the price: a thermal/renewable/interruptible name, 'import', 'export', 'storage:<name>', 'flexible_load:<name>', 'unserved', 'excess' or 'mixed'",
    )
    objective = _res(
        operating_cost_cny(ds, sol),
        (),
        "CNY",
        "objective: operating cost of the horizon (without the tie-break on lossy line flows)",
    )
    out = out.assign(price_setter=setter, objective_cny=objective)
    out.attrs["solver_status"] = sol.status
    return out


def price_setters(r: xr.Dataset) -> np.ndarray:
    """Who sets the price at each bus-hour.

    1. At the bus itself: the first candidate, in the order unserved energy, excess, thermal
       units, ties (import/export), renewables (curtailed), interruptible loads, whose
       marginal cost equals the bus price and which is dispatched strictly between its limits;
       failing that, a store or flexible load strictly between its limits (they are
       intertemporal: their price is set by another hour). The candidates are each family's
       declared :class:`~gridopt.model.family.PriceSetter` declarations, family by family in the order
       of :data:`gridopt.model.PRICE_SETTERS`, asset by asset.
    2. A bus with no local setter takes the setter of a bus it is joined to by a line that is
       not at its limit and whose end prices are tied by it (equal, or apart by the loss
       factor); under DC power flow a free line in a congested cycle does not tie them.
    3. Otherwise 'mixed' (e.g. a price set jointly by several constraints).
    """
    v = r.variables  # arrays read without building a DataArray each time
    price = v["price_cny_per_mwh"].values
    T, nb = price.shape
    bus_pos = {str(b): i for i, b in enumerate(v["bus"].values)}
    cands: list[tuple[str, int, np.ndarray | None, np.ndarray]] = []  # label, bus, mc, marginal
    for fam in PRICE_SETTERS:
        if not _has_assets(r, fam):
            continue
        buses = _bus_positions(r, fam.dim, bus_pos)
        setters = [
            (s.label, s.marginal(r), None if s.cost_cny_per_mwh is None else s.cost_cny_per_mwh(r))
            for s in fam.price_setters
        ]
        for j, name in enumerate(v[fam.dim].values):
            for label, marginal, cost in setters:
                cmc = None if cost is None else cost[:, j]
                cands.append((label.format(name=str(name)), buses[j], cmc, marginal[:, j]))

    out = np.full((T, nb), "mixed", dtype=object)
    found = np.zeros((T, nb), bool)
    tol = 1e-3 + 1e-6 * np.abs(price)
    for label, b, cmc, marginal in cands:
        ok = marginal & ~found[:, b]
        if cmc is not None:
            ok &= np.abs(cmc - price[:, b]) <= tol[:, b]
        out[ok, b] = label
        found[ok, b] = True

    # Propagate along uncongested lines whose end prices the line ties together (a few passes
    # reach every bus of a zone). Under DC power flow a line below its limit does not tie its
    # end prices when another line of the same cycle is congested, so the prices are compared:
    # the receiving end's price is the sending end's (plus the lossy-line tie-break) divided by
    # (1 - loss factor).
    flow = v["line_flow_mw"].values
    free = (flow < v["line_p_max_mw"].values - TOL_MW) & (
        flow > -v["line_p_max_reverse_mw"].values + TOL_MW
    )
    loss = v["line_loss_factor"].values
    eps = lossy_flow_cost_cny_per_mwh(r)
    ends = [
        (bus_pos[str(a)], bus_pos[str(b)])
        for a, b in zip(v["line_bus0"].values, v["line_bus1"].values)
    ]
    for line_pos, (a, b) in enumerate(ends):
        lam = loss[line_pos]
        pa, pb = price[:, a], price[:, b]
        if lam > 0:
            tied = (np.abs(pb * (1 - lam) - pa - eps) <= tol[:, b] + eps) | (
                np.abs(pa * (1 - lam) - pb - eps) <= tol[:, a] + eps
            )
            tied |= np.abs(pa - pb) <= np.maximum(tol[:, a], tol[:, b])  # no flow, equal prices
        else:
            tied = np.abs(pa - pb) <= np.maximum(tol[:, a], tol[:, b])
        free[:, line_pos] &= tied
    for _ in range(nb - 1):
        changed = False
        for line_pos, (a, b) in enumerate(ends):
            for src, dst in ((a, b), (b, a)):
                take = free[:, line_pos] & found[:, src] & ~found[:, dst]
                if take.any():
                    out[take, dst] = out[take, src]
                    found[take, dst] = True
                    changed = True
        if not changed:
            break
    return out.astype(str)


def _bus_positions(r: xr.Dataset, dim: str, bus_pos: dict[str, int]) -> list[int]:
    """Position along ``bus`` of each asset of ``dim`` (its ``<dim>_bus``; a bus is its own)."""
    if dim == "bus":
        return list(range(r.sizes["bus"]))
    return [bus_pos[str(b)] for b in r.variables[f"{dim}_bus"].values]


def cost_breakdown(r: xr.Dataset) -> dict[str, float]:
    """Operating cost of the horizon by component [CNY]; the parts add up to the objective.

    The items each family declares (:data:`gridopt.model.DECLARATIONS`), in that order; a
    family without an asset in the scenario has none (a scenario without hydrogen plants has
    no hydrogen items)."""
    return {c.key: c.cost_cny(r) for fam in DECLARATIONS if _has_assets(r, fam) for c in fam.costs}


def assets_alone(r: xr.Dataset, dim: str) -> list[xr.Dataset]:
    """The results of each asset of ``dim`` alone, in order, to evaluate a family's cost items
    asset by asset (``sum(c.cost_cny(alone) for alone in assets_alone(r, dim))`` is the
    family's item ``c.cost_cny(r)``, up to rounding).

    Asset a's Dataset has every variable along ``dim`` cut to position a (the dim kept, of
    length 1) and the variables along ``time`` only or no dim (hourly inputs such as a tie's
    prices, scalars such as the carbon price); the variables along another asset dim (a bus's
    price, another family's results) are left out, so a cost item that read one would fail,
    not mix in another asset. On these values it equals ``r.isel({dim: [a]})``, which indexes
    all ~180 variables and took twice as long."""
    own = r.drop_dims([d for d in r.dims if d not in ("time", dim)])
    return [own.isel({dim: slice(a, a + 1)}) for a in range(r.sizes[dim])]


def _has_assets(r: xr.Dataset, fam) -> bool:
    """Whether the scenario has an asset of the family (results written before the family
    existed have no dim of it)."""
    return bool(r.sizes.get(fam.dim, 0))


def energy_balance(r: xr.Dataset) -> dict[str, float]:
    """Energy over the horizon by type [MWh]; supply and use are equal (``residual_mwh`` ~ 0).

    The items each family declares (:class:`~gridopt.model.family.Energy`), in the order of
    :data:`gridopt.model.BALANCE`; a family without an asset in the scenario has none."""
    sides: dict[bool, dict[str, float]] = {True: {}, False: {}}
    for fam in BALANCE:
        if not _has_assets(r, fam):
            continue
        for e in fam.energy:
            x = r.variables[e.result]
            if e.by is None:
                sides[e.supply][e.key] = float(x.sum())
                continue
            # per value k of the input <dim>_<by>, sorted: the assets' sum in each hour, then
            # over the hours, NaN as 0 (the sums a groupby over <dim>_<by> makes, in numpy)
            x, keys = x.transpose("time", fam.dim).values, r.variables[f"{fam.dim}_{e.by}"].values
            for k in np.unique(keys):
                by_hour = np.nansum(x[:, keys == k], axis=1)
                sides[e.supply][e.key.format(k)] = float(np.nansum(by_hour))
    supply, use = sides[True], sides[False]
    return {
        "supply_mwh": supply,
        "use_mwh": use,
        "residual_mwh": sum(supply.values()) - sum(use.values()),
    }


def energy_items(r: xr.Dataset, attribute: str) -> list[tuple[Family, Energy]]:
    """The energy items that declare ``attribute`` (``curtailed``, ``co2``, ``available``), with
    their families, for the families the results hold (:data:`gridopt.model.BALANCE` order)."""
    return [
        (fam, e)
        for fam in BALANCE
        if fam.dim in r.sizes
        for e in fam.energy
        if getattr(e, attribute) is not None
    ]


def emissions_t(r: xr.Dataset) -> float:
    """CO2 emitted over the horizon [t]: each item with a declared emission factor (``co2``),
    its result [MW] x the factor [t/MWh] summed over assets and hours."""
    return sum(
        (
            float((r.variables[e.result] * r.variables[f"{fam.dim}_{e.co2}"]).sum())
            for fam, e in energy_items(r, "co2")
        ),
        0.0,
    )


def weighted_average(values: np.ndarray, weights: np.ndarray) -> float:
    """sum v w / sum w: the one weighted average of the package (a load-weighted price, with
    ``values`` prices [CNY/MWh] and ``weights`` consumption [MW] at the same bus-hours); NaN
    when the weights sum to zero or less."""
    w = float(np.sum(weights))
    return float(np.sum(values * weights) / w) if w > 0 else math.nan


def consumption_by_bus(r: xr.Dataset) -> xr.DataArray:
    """Energy consumed by loads at each bus-hour [MW]: the results the families declare as
    consumption by loads (fixed + flexible + interruptible served), summed per bus
    (``c[t, b] = sum over assets j at bus b of x[t, j]``, NaN counted as 0), with the dims and
    coordinates of ``price_cny_per_mwh``. In numpy: a groupby per family took ~0.1 s, and the
    summary and the prices ask for it five times."""
    price = r["price_cny_per_mwh"]
    v = r.variables
    c = np.zeros((r.sizes["time"], r.sizes["bus"]))
    buses = pd.Index(v["bus"].values)
    for fam in BALANCE:
        if not _has_assets(r, fam):
            continue
        for e in fam.energy:
            if e.load and v[e.result].shape[1]:
                at = buses.get_indexer(v[f"{fam.dim}_bus"].values)
                x = v[e.result].transpose("time", fam.dim).values
                by_bus = np.zeros_like(c)
                for j, b in enumerate(at):  # assets in order: the sum of a groupby, exactly
                    if b >= 0:
                        by_bus[:, b] += np.nan_to_num(x[:, j], nan=0.0)
                c = c + by_bus
    out = price.copy(data=c.T if price.dims[0] == "bus" else c)  # its dims and coordinates
    out.name = None
    out.attrs = {"units": "MW", "role": "result"}
    return out


def _hour(r: xr.Dataset, t: int) -> str:
    return np.datetime_as_string(r.variables["time"].values[t], unit="m").replace("T", " ")


def unserved_by_bus(r: xr.Dataset) -> dict[str, dict]:
    """Where demand was not served: per bus with any, its energy [MWh], number of hours, first
    and last hour, peak [MW] and its hour, and whether the bus has any supply at all (a
    generator, store, tie or line); largest first."""
    v = r.variables
    u = v["bus_unserved_mw"].values
    linked = set()  # buses with an asset that supplies (not a slack), or a line's end
    for fam in DECLARATIONS:
        if fam.dim not in r.sizes:
            continue
        supplies = any(e.supply for e in fam.energy)
        ends = [f for f, section in fam.references.items() if section == "buses"]
        if supplies or len(ends) > 1:
            for end in ends:
                linked |= {str(b) for b in v[f"{fam.dim}_{end}"].values}
    out = {}
    for i in np.argsort(-u.sum(axis=0), kind="stable"):
        hours = np.flatnonzero(u[:, i] > TOL_MW)
        if not len(hours):
            continue
        bus = str(v["bus"].values[i])
        peak = int(np.argmax(u[:, i]))
        out[bus] = {
            "mwh": float(u[:, i].sum()),
            "hours": int(len(hours)),
            "first_hour": _hour(r, int(hours[0])),
            "last_hour": _hour(r, int(hours[-1])),
            "peak_mw": float(u[peak, i]),
            "peak_hour": _hour(r, peak),
            "has_supply": bus in linked,
        }
    return out


def summary(r: xr.Dataset, timings_s: dict[str, float], peak_memory_mb: float) -> dict:
    """The run summary written to ``summary.json``; top-level keys are stable for scripts."""
    v = r.variables  # Variables: the same reductions as a DataArray's, without building one
    price = v["price_cny_per_mwh"]
    cons = consumption_by_bus(r)
    prices = {}
    for j, b in enumerate(v["bus"].values):
        pb, cb = price.isel(bus=j), cons.variable.isel(bus=j)
        avg = weighted_average(pb.values, cb.values)
        prices[str(b)] = {
            "time_weighted_cny_per_mwh": float(pb.mean()),
            "load_weighted_cny_per_mwh": None if math.isnan(avg) else avg,
            "min_cny_per_mwh": float(pb.min()),
            "max_cny_per_mwh": float(pb.max()),
        }
    total_load = float(cons.sum())
    curtailment_mwh = 0.0
    curt_by: dict[str, float] = {}
    carrier_curt: dict[str, float] = {}
    carrier_avail: dict[str, float] = {}
    for fam, e in energy_items(r, "curtailed"):
        curt = v[e.curtailed]
        curtailment_mwh += float(curt.sum())
        curt_by.update(
            {str(k): float(x) for k, x in zip(v[fam.dim].values, curt.sum("time").values)}
        )
        techs = v[f"{fam.dim}_{e.tech}"].values if e.tech else [fam.dim] * r.sizes[fam.dim]
        for j, c in enumerate(techs):
            carrier_curt[str(c)] = carrier_curt.get(str(c), 0.0) + float(curt.values[:, j].sum())
            carrier_avail[str(c)] = carrier_avail.get(str(c), 0.0) + float(
                v[e.available].values[:, j].sum()
            )
    setter_share = {}
    for j, b in enumerate(v["bus"].values):
        vals, counts = np.unique(v["price_setter"].isel(bus=j).values, return_counts=True)
        setter_share[str(b)] = {
            str(v): float(c) / r.sizes["time"]
            for v, c in sorted(zip(vals, counts), key=lambda x: -x[1])
        }
    costs = cost_breakdown(r)
    bal = energy_balance(r)
    return {
        "scenario": r.attrs.get("scenario"),
        "scenario_file": r.attrs.get("scenario_file"),
        "scenario_sha256": r.attrs.get("scenario_sha256"),
        "inputs_sha256": r.attrs.get("inputs_sha256"),
        "input_files": json.loads(r.attrs.get("input_files") or "{}"),
        "hours": int(r.sizes["time"]),
        "start": str(pd.Timestamp(v["time"].values[0])),
        "timezone": r.attrs.get("timezone"),
        "power_flow": r.attrs.get("power_flow"),
        "solver_status": r.attrs.get("solver_status"),
        "objective_cny": float(v["objective_cny"]),
        "cost_by_component_cny": costs,
        "energy_balance": bal,
        "load_mwh": total_load,
        "unserved_energy_mwh": float(v["bus_unserved_mw"].sum()),
        "unserved_energy_by_bus": unserved_by_bus(r),
        "excess_energy_mwh": float(v["bus_excess_mw"].sum()),
        "curtailment_mwh": curtailment_mwh,
        "curtailment_by_asset_mwh": curt_by,
        "curtailment_share_by_carrier": {
            k: (carrier_curt[k] / carrier_avail[k] if carrier_avail[k] > 0 else 0.0)
            for k in carrier_curt
        },
        "emissions_t": emissions_t(r),
        "prices": prices,
        "price_setter_share": setter_share,
        "timings_s": timings_s,
        "peak_memory_mb": peak_memory_mb,
    }
