r"""Loads: fixed demand, flexible industrial load (aluminium potlines), interruptible load.

**Fixed load** :math:`D_{l,t}` [MW] enters the bus balance as demand.

**Flexible load** :math:`f` (``flex_p`` [MW]) around its nominal profile :math:`N_{f,t}`:

.. math::

    (1 - \beta^{dn}_f) N_{f,t} \le p_{f,t} \le (1 + \beta^{up}_f) N_{f,t}
    \\ \sum_{t \in w} p_{f,t} = \sum_{t \in w} N_{f,t} \quad \forall w \in W_f
       \quad (\text{flex\_energy}, \text{consecutive windows of } h_f \text{ hours})
    \\ -\rho_f \max_t N_{f,t} \le p_{f,t} - p_{f,t-1} \le \rho_f \max_t N_{f,t}  \quad (\text{flex\_ramp})

With a shift cost :math:`k_f` [CNY/MWh], a deficit :math:`\delta_{f,t} \ge N_{f,t} - p_{f,t}`,
:math:`\delta \ge 0` (``flex_deficit``, row ``flex_deficit_def``) is charged
:math:`k_f \delta_{f,t}`: the cost of running the potline below plan and making it up later.

**Interruptible load** :math:`i` with demand :math:`D_{i,t}`: interrupted power
:math:`x_{i,t} \in [0, \phi_i D_{i,t}]` (``intr_interrupted``), :math:`\sum_t x_{i,t} \le X_i`
(``intr_energy_cap``), cost :math:`\kappa_i x_{i,t}`; served = :math:`D_{i,t} - x_{i,t}`.

Declared as three families, one per dim: ``FIXED`` (``load``), ``FLEXIBLE`` (``flex``) and
``INTERRUPTIBLE`` (``intr``).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field

from gridopt.model.core import Build, Meaning, Rows, ramp_rows
from gridopt.model.family import (
    TOL_MW,
    CostItem,
    Derived,
    Energy,
    Family,
    InputVar,
    Output,
    PriceSetter,
    interior,
)
from gridopt.scenario.fields import CnyPerMWh, EnergyMWh, Fraction, Series, Strict


# Scenario entry ``loads.<name>``: its field docstrings are docs/scenario.md.
class Load(Strict):
    bus: str
    p_mw: Series
    """Demand each hour [MW]."""
    description: str = ""


# Scenario entry ``flexible_loads.<name>``: its field docstrings are docs/scenario.md.
class FlexibleLoad(Strict):
    bus: str
    p_nominal_mw: Series
    """Nominal (planned) consumption each hour [MW]."""
    band_down_fraction: Fraction = 0.2
    """Largest reduction below nominal, as a share of nominal [-]."""
    band_up_fraction: Annotated[float, Field(ge=0, le=10)] = 0.1
    """Largest increase above nominal, as a share of nominal [-]."""
    window_h: Annotated[int, Field(ge=1, le=8784)] = 24
    """Energy over each window of this many hours (from the start of the horizon) equals the
    nominal energy, so production is kept [h]."""
    ramp_fraction_per_h: Annotated[float, Field(gt=0, le=10)] | None = None
    """Largest change from one hour to the next, as a share of the peak nominal power [1/h]."""
    shift_cost_cny_per_mwh: CnyPerMWh = 0.0
    """Cost of each MWh consumed below nominal (and made up later) [CNY/MWh]."""
    description: str = ""


# Scenario entry ``interruptible_loads.<name>``: its field docstrings are docs/scenario.md.
class InterruptibleLoad(Strict):
    bus: str
    p_mw: Series
    """Demand each hour [MW]."""
    cost_cny_per_mwh: CnyPerMWh
    """Compensation paid per MWh interrupted [CNY/MWh]."""
    max_fraction: Fraction = 1.0
    """Largest share of the hour's demand that may be interrupted [-]."""
    max_energy_mwh: EnergyMWh | None = None
    """Cap on interrupted energy over the horizon [MWh]; none: no cap."""
    description: str = ""


def add_fixed(b: Build) -> None:
    ds = b.ds
    for j, bus in enumerate(ds["load_bus"].values):
        b.consume(str(bus), ds["load_p_mw"].values[:, j])


def add_flexible(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["flex"]
    if n == 0:
        return
    T = b.T
    nom = ds["flex_p_nominal_mw"].values.T
    bd, bu = ds["flex_band_down_fraction"].values, ds["flex_band_up_fraction"].values
    p = b.var(
        "flex_p",
        (1 - bd)[:, None] * nom,
        (1 + bu)[:, None] * nom,
        meaning=Meaning(
            "flexible_loads",
            "flex",
            lower="consumption >= {v:g} MW ((1 - band_down_fraction) x p_nominal_mw)",
            upper="consumption <= {v:g} MW ((1 + band_up_fraction) x p_nominal_mw)",
        ),
    )
    window = ds["flex_window_h"].values.astype(int)
    energy = Rows()
    for f, bus in enumerate(ds["flex_bus"].values):
        b.inject(str(bus), -1.0, p[f])
        for start in range(0, T, window[f]):
            stop = min(start + window[f], T)
            rhs = float(nom[f, start:stop].sum())
            energy.add((f, start), rhs, [1.0] * (stop - start), p[f][start:stop], rhs)
    kept = "energy over the window_h window from this hour = {v:g} MWh (sum of p_nominal_mw)"
    b.rows("flex_energy", energy, Meaning("flexible_loads", "flex", kept, kept))

    ramp_frac = ds["flex_ramp_fraction_per_h"].values
    step = ramp_frac * nom.max(axis=1)
    b.rows(
        "flex_ramp",
        ramp_rows(p, T, step, step),
        Meaning(
            "flexible_loads",
            "flex",
            lower="consumption may fall at most {a:g} MW from the hour before "
            "(ramp_fraction_per_h x peak p_nominal_mw)",
            upper="consumption may rise at most {v:g} MW from the hour before "
            "(ramp_fraction_per_h x peak p_nominal_mw)",
        ),
    )

    cost = ds["flex_shift_cost_cny_per_mwh"].values
    costly = [f for f in range(n) if cost[f] > 0]
    if costly:
        dfc = b.var(
            "flex_deficit",
            0.0,
            bd[costly][:, None] * nom[costly],
            meaning=Meaning("flexible_loads", "flex", assets=tuple(costly)),
        )
        deficit = Rows()
        for k, f in enumerate(costly):
            b.cost(cost[f], dfc[k])
            for t in range(T):
                deficit.add((f, t), float(nom[f, t]), (1.0, 1.0), (p[f][t], dfc[k][t]), None)
        b.rows("flex_deficit_def", deficit)


def add_interruptible(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["intr"]
    if n == 0:
        return
    demand = ds["intr_p_mw"].values.T
    x = b.var(
        "intr_interrupted",
        0.0,
        ds["intr_max_fraction"].values[:, None] * demand,
        meaning=Meaning(
            "interruptible_loads", "intr", upper="interrupted <= {v:g} MW (max_fraction x p_mw)"
        ),
    )
    cost, cap = ds["intr_cost_cny_per_mwh"].values, ds["intr_max_energy_mwh"].values
    energy_cap = Rows()
    for i, bus in enumerate(ds["intr_bus"].values):
        b.consume(str(bus), demand[i])
        b.inject(str(bus), 1.0, x[i])
        b.cost(cost[i], x[i])
        if not np.isnan(cap[i]):
            energy_cap.add(i, None, [1.0] * b.T, x[i], float(cap[i]))
    b.rows(
        "intr_energy_cap",
        energy_cap,
        Meaning(
            "interruptible_loads",
            "intr",
            upper="interrupted energy over the horizon <= {v:g} MWh (max_energy_mwh)",
        ),
    )


def flexible_marginal(r) -> np.ndarray:
    """Where a flexible load is marginal, (time, flex): consumption strictly inside its band
    (its price is set by another hour of its window)."""
    v = r.variables
    nom = v["flex_p_nominal_mw"].values
    return interior(
        v["flex_p_mw"].values,
        (1 - v["flex_band_down_fraction"].values) * nom,
        (1 + v["flex_band_up_fraction"].values) * nom,
    )


def interruptible_marginal(r) -> np.ndarray:
    """Where an interruptible load is marginal, (time, intr): interrupted power below its
    limit (max_fraction x p_mw) and not clearly zero."""
    v = r.variables
    cap = v["intr_max_fraction"].values * v["intr_p_mw"].values
    return interior(v["intr_interrupted_mw"].values, -TOL_MW, cap)


FIXED = Family(
    dim="load",
    section="loads",
    entry=Load,
    doc="Fixed demand.",
    references={"bus": "buses"},
    add=add_fixed,
    outputs=(
        Derived(
            "load_served_mw",
            "MW",
            "fixed load served (unserved energy is per bus)",
            lambda ds, v: ds["load_p_mw"].values.copy(),
        ),
    ),
    energy=(Energy("fixed_load", "load_served_mw", supply=False, load=True),),
    inputs=(InputVar("bus", ""), InputVar("p_mw", "MW", hourly=True)),
    demand=("p_mw",),
    label="loads",
)

FLEXIBLE = Family(
    dim="flex",
    section="flexible_loads",
    entry=FlexibleLoad,
    doc="Industrial load that may shift within a band (aluminium potlines).",
    references={"bus": "buses"},
    add=add_flexible,
    outputs=(Output("flex_p", "flex_p_mw", "MW", "flexible-load consumption schedule"),),
    costs=(
        CostItem(
            "flexible_load_shift",
            lambda r: float(
                (
                    np.maximum(r.variables["flex_p_nominal_mw"] - r.variables["flex_p_mw"], 0)
                    * r.variables["flex_shift_cost_cny_per_mwh"]
                ).sum()
            ),
            component="flexibility",
        ),
    ),
    price_setters=(
        PriceSetter("flexible_load:{name}", flexible_marginal, technology="flexible_load"),
    ),
    energy=(Energy("flexible_load", "flex_p_mw", supply=False, load=True),),
    inputs=(
        InputVar("bus", ""),
        InputVar("p_nominal_mw", "MW", hourly=True),
        InputVar("band_down_fraction", "1"),
        InputVar("band_up_fraction", "1"),
        InputVar("window_h", "h"),
        InputVar("ramp_fraction_per_h", "1/h", default=np.nan),
        InputVar("shift_cost_cny_per_mwh", "CNY/MWh"),
    ),
    demand=("p_nominal_mw",),
    label="flexible loads",
)

INTERRUPTIBLE = Family(
    dim="intr",
    section="interruptible_loads",
    entry=InterruptibleLoad,
    doc="Load that may be interrupted for a payment.",
    references={"bus": "buses"},
    add=add_interruptible,
    outputs=(
        Output("intr_interrupted", "intr_interrupted_mw", "MW", "interrupted demand", sheet=False),
        Derived(
            "intr_served_mw",
            "MW",
            "interruptible demand served",
            lambda ds, v: ds["intr_p_mw"].values - v["intr_interrupted"],
        ),
    ),
    costs=(
        CostItem(
            "interruption",
            lambda r: float(
                (r.variables["intr_interrupted_mw"] * r.variables["intr_cost_cny_per_mwh"]).sum()
            ),
            component="flexibility",
        ),
    ),
    price_setters=(
        PriceSetter(
            "{name}",
            interruptible_marginal,
            lambda r: np.broadcast_to(
                r.variables["intr_cost_cny_per_mwh"].values,
                r.variables["intr_interrupted_mw"].shape,
            ),
            technology="interruptible_load",
        ),
    ),
    energy=(Energy("interruptible_load_served", "intr_served_mw", supply=False, load=True),),
    inputs=(
        InputVar("bus", ""),
        InputVar("p_mw", "MW", hourly=True),
        InputVar("cost_cny_per_mwh", "CNY/MWh"),
        InputVar("max_fraction", "1"),
        InputVar("max_energy_mwh", "MWh", default=np.nan),
    ),
    demand=("p_mw",),
    label="interruptible loads",
)

FAMILIES = (FIXED, FLEXIBLE, INTERRUPTIBLE)
"""The three load families, in build order."""
