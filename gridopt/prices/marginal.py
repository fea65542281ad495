"""Marginal prices (the duals of the bus balances) summarised: averages, statistics, prices
per consumer and per time-of-use period, the duration curve and who sets the price
(nomenclature: :mod:`gridopt.prices`). Every average of a price is :func:`weighted_average`
(load-weighted) or the plain mean over the hours (time-weighted)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.data.profiles import tou_period
from gridopt.model import PRICE_SETTERS
from gridopt.prices.basis import consumers
from gridopt.results import consumption_by_bus, weighted_average

TOU_PERIODS = ("peak", "flat", "valley")


def price_statistics(r: xr.Dataset) -> pd.DataFrame:
    """Marginal-price statistics per bus [CNY/MWh], index bus.

    time_weighted = (1/H) sum_t p[t, b];  load_weighted = sum_t p[t, b] c[t, b] / sum_t c[t, b]
    (NaN at a bus without load); min, p10, median, p90, max, std over the hours; ``load_mwh``
    is sum_t c[t, b] [MWh]. A row ``system`` weights every bus-hour by its consumption
    (time-weighted: mean over all bus-hours).
    """
    p = r.variables["price_cny_per_mwh"].values
    c = consumption_by_bus(r).transpose("time", "bus").values
    rows = {}
    for j, b in enumerate(r.variables["bus"].values):
        pb = p[:, j]
        rows[str(b)] = _stats(pb, c[:, j])
    rows["system"] = _stats(p.ravel(), c.ravel())
    return pd.DataFrame.from_dict(rows, orient="index")


def average_marginal_price(r: xr.Dataset) -> float:
    """Load-weighted average marginal price over all buses and hours [CNY/MWh]:
    sum_{t,b} p[t, b] c[t, b] / sum_{t,b} c[t, b]; NaN without load. The ``system`` row's
    ``load_weighted_cny_per_mwh`` of :func:`price_statistics`, without the other statistics."""
    p = r.variables["price_cny_per_mwh"].values
    c = consumption_by_bus(r).transpose("time", "bus").values
    return weighted_average(p.ravel(), c.ravel())


def _stats(p: np.ndarray, c: np.ndarray) -> dict[str, float]:
    return {
        "time_weighted_cny_per_mwh": float(p.mean()),
        "load_weighted_cny_per_mwh": weighted_average(p, c),
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
    bus_pos = {str(b): j for j, b in enumerate(r.variables["bus"].values)}
    p = r.variables["price_cny_per_mwh"].values
    rows = []
    for name, row in cons.iterrows():
        c = r.variables[row["var"]].values[:, row["pos"]]
        pb = p[:, bus_pos[row["bus"]]]
        e = float(c.sum())
        cost = float((pb * c).sum())
        avg = weighted_average(pb, c)
        rows.append(
            {
                "name": name,
                "kind": row["kind"],
                "bus": row["bus"],
                "energy_mwh": e,
                "cost_cny": cost,
                "load_weighted_cny_per_mwh": avg,
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
    return tou_period(pd.DatetimeIndex(r.variables["time"].values))


def tou_prices(r: xr.Dataset) -> pd.DataFrame:
    """Average marginal price in each Gansu time-of-use period [CNY/MWh], index period.

    Columns: ``hours`` (hours of the horizon in the period), one column per bus with the
    time-weighted mean (1/H_k) sum_{t in k} p[t, b], and ``system_load_weighted`` =
    sum_{t in k, b} p c / sum_{t in k, b} c. A period with no hours gives NaN.
    """
    period = tou_periods(r)
    p = r.variables["price_cny_per_mwh"].values
    c = consumption_by_bus(r).transpose("time", "bus").values
    buses = r.variables["bus"].values
    rows = {}
    for k in TOU_PERIODS:
        m = period == k
        row: dict[str, float] = {"hours": float(m.sum())}
        for j, b in enumerate(buses):
            row[str(b)] = float(p[m, j].mean()) if m.any() else math.nan
        row["system_load_weighted"] = (
            weighted_average(p[m].ravel(), c[m].ravel()) if m.any() else math.nan
        )
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
    """Map each price-setter label to a technology, as each family declares it
    (:attr:`gridopt.model.family.PriceSetter.technology`): thermal -> its fuel ('coal'),
    renewable -> its carrier ('wind', 'solar', …), interruptible load -> 'interruptible_load',
    'storage:<name>' -> the storage kind ('battery', 'pumped_hydro', …), 'flexible_load:<name>'
    -> 'flexible_load'; 'import', 'export', 'unserved', 'excess' and 'mixed' stay as they are."""
    out = {"mixed": "mixed"}
    for fam in PRICE_SETTERS:
        if fam.dim not in r.sizes:  # results written before the family existed
            continue
        for ps in fam.price_setters:
            if "{name}" not in ps.label:
                out[ps.label] = ps.technology or ps.label
                continue
            per_asset = f"{fam.dim}_{ps.technology}"
            techs = r.variables[per_asset].values if per_asset in r else None
            for j, name in enumerate(r.variables[fam.dim].values):
                if techs is not None:
                    tech = str(techs[j])
                else:
                    tech = ps.technology or ps.label.format(name=name)
                out[ps.label.format(name=name)] = tech
    return out


def setter_shares(r: xr.Dataset, by: str = "unit") -> pd.DataFrame:
    """Share of hours each unit (``by='unit'``) or technology (``by='technology'``) sets the
    price [-], index label, one column per bus and ``all`` (share of all bus-hours); sorted by
    ``all``, largest first. 'mixed' means no single marginal candidate was found (see
    :func:`gridopt.results.price_setters`)."""
    if by not in ("unit", "technology"):
        raise ValueError("by must be 'unit' or 'technology'")
    s = r.variables["price_setter"].transpose("time", "bus").values.astype(str)
    if by == "technology":
        tech = setter_technology(r)
        s = np.vectorize(lambda x: tech.get(x, x), otypes=[str])(s) if s.size else s
    labels = sorted(set(s.ravel().tolist()))
    H = s.shape[0]
    data = {
        str(b): [float((s[:, j] == k).sum()) / H for k in labels]
        for j, b in enumerate(r.variables["bus"].values)
    }
    data["all"] = [float((s == k).sum()) / s.size for k in labels]
    df = pd.DataFrame(data, index=pd.Index(labels, name=by))
    return df.sort_values("all", ascending=False)
