"""What every price is divided by: the horizon (hours, share of a year) and the energy
delivered to local load, consumer by consumer (nomenclature: :mod:`gridopt.prices`)."""

from __future__ import annotations

import pandas as pd
import xarray as xr

from gridopt.data.clock import HOURS_PER_YEAR
from gridopt.results import consumption_by_bus

KWH_PER_MWH = 1000.0


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
