r"""Wind, solar and other variable renewables.

For plant :math:`r` with capacity :math:`P_r` [MW] and availability :math:`a_{r,t}` [-]:

.. math::

    0 \le p_{r,t} \le a_{r,t} P_r, \qquad \text{curtailment}_{r,t} = a_{r,t} P_r - p_{r,t}

Variable ``renewable_p`` [MW]; cost :math:`\sum_t c_r p_{r,t}` with :math:`c_r` the variable
cost [CNY/MWh]. Curtailment is a result of the dispatch, never an input.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import model_validator

from gridopt.model.core import Build, Meaning
from gridopt.model.family import (
    TOL_MW,
    Capacity,
    CostItem,
    Derived,
    Economics,
    Energy,
    Family,
    InputVar,
    Output,
    PriceSetter,
)
from gridopt.scenario.fields import CnyPerMWh, PowerMW, Series, Strict, new_capacity_in_order
from gridopt.scenario.fields import Economics as AssetEconomics


# Scenario entry ``renewables.<name>``: its field docstrings are docs/scenario.md.
class Renewable(Strict):
    bus: str
    carrier: Literal["wind", "solar", "hydro", "other"]
    p_nom_mw: PowerMW
    """Installed capacity [MW]."""
    availability: Series
    """Available output per MW installed, each hour [-], in [0, 1]."""
    vom_cny_per_mwh: CnyPerMWh = 0.0
    """Variable cost [CNY/MWh]."""
    new_min_mw: PowerMW = 0.0
    """Least new capacity a plan must build here [MW] (``gridopt plan``; ``gridopt run``
    dispatches ``p_nom_mw`` as it is)."""
    new_max_mw: PowerMW | None = 0.0
    """Most new capacity a plan may build here [MW]; 0: none (not expandable); ``null``: no
    limit. New capacity has this plant's availability profile and economics."""
    economics: AssetEconomics = AssetEconomics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""

    @model_validator(mode="after")
    def _new_capacity_in_order(self) -> Renewable:
        new_capacity_in_order(self, "new_min_mw", "new_max_mw")
        return self


def available_mw(ds) -> np.ndarray:
    """Available output :math:`a_{r,t} P_r` as (time, plant) [MW]."""
    return ds["renewable_availability_pu"].values * ds["renewable_p_nom_mw"].values


CAPACITY = Capacity("p_nom_mw", "new_min_mw", "new_max_mw")
"""A plant's installed capacity, expandable in a plan (``new_min_mw``, ``new_max_mw``)."""


def add(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["renewable"]
    if n == 0:
        return
    cap = b.capacity("renewable", CAPACITY, "renewables")
    avail = ds["renewable_availability_pu"].values.T
    p = b.var(
        "renewable_p",
        0.0,
        cap.bound(avail),
        meaning=Meaning(
            "renewables",
            "renewable",
            upper="output <= {v:g} MW available (p_nom_mw x availability)",
        ),
    )
    cap.limit(
        b,
        "renewable_p_available",
        p,
        avail,
        Meaning(
            "renewables",
            "renewable",
            upper="output <= availability x (p_nom_mw + new capacity): {v:g} MW from p_nom_mw",
        ),
    )
    vom = ds["renewable_vom_cny_per_mwh"].values
    for r, bus in enumerate(ds["renewable_bus"].values):
        b.inject(str(bus), 1.0, p[r])
        b.cost(vom[r], p[r])


FAMILY = Family(
    dim="renewable",
    section="renewables",
    entry=Renewable,
    doc="Wind, solar and other variable plants.",
    references={"bus": "buses"},
    add=add,
    outputs=(
        Output("renewable_p", "renewable_p_mw", "MW", "renewable output used"),
        Derived(
            "renewable_available_mw",
            "MW",
            "renewable output available",
            lambda ds, v: available_mw(ds),
            sheet=False,
        ),
        Derived(
            "renewable_curtailment_mw",
            "MW",
            "available minus used",
            lambda ds, v: np.maximum(v["renewable_available_mw"] - v["renewable_p"], 0.0),
        ),
    ),
    costs=(
        CostItem(
            "renewable_vom",
            lambda r: float(
                (r.variables["renewable_p_mw"] * r.variables["renewable_vom_cny_per_mwh"]).sum()
            ),
            component="energy",
        ),
    ),
    price_setters=(
        PriceSetter(
            "{name}",
            lambda r: r.variables["renewable_curtailment_mw"].values > TOL_MW,
            lambda r: np.broadcast_to(
                r.variables["renewable_vom_cny_per_mwh"].values,
                r.variables["renewable_curtailment_mw"].shape,
            ),
            technology="carrier",
        ),
    ),
    energy=(
        Energy(
            "{}",
            "renewable_p_mw",
            supply=True,
            by="carrier",
            kind="renewable",
            tech="carrier",
            curtailed="renewable_curtailment_mw",
            available="renewable_available_mw",
        ),
    ),
    expandable="p_nom_mw",
    capacities=(CAPACITY,),
    supplies=("p_nom_mw",),
    inputs=(
        InputVar("bus", ""),
        InputVar("carrier", ""),
        InputVar("p_nom_mw", "MW"),
        InputVar("vom_cny_per_mwh", "CNY/MWh"),
        InputVar("availability_pu", "1", field="availability", hourly=True),
    ),
    economics=Economics(
        tech=lambda r: r.carrier,
        kw=lambda r: r.p_nom_mw * 1e3,
        component="energy",
        technology="carrier",
    ),
    label="renewable",
)
