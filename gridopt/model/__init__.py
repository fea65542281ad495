"""The Pyomo model of the local grid: one module per component family.

:func:`build` is the recipe: variables and constraints family by family, then the lines and
the bus balance, then the objective. The model never reads files: it takes the input Dataset.
Each family is declared once (:class:`gridopt.model.family.Family`, next to its ``add``);
the input builder loops over :data:`INPUTS`, results extraction and the cost breakdown over
:data:`DECLARATIONS` (the price setters over :data:`PRICE_SETTERS`, the energy balance over
:data:`BALANCE`), the scenario schema over :data:`SECTIONS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridopt.model import hydrogen, loads, network, policy, renewables, storage, thermal, tie
from gridopt.model.core import Build, gc_paused
from gridopt.model.family import Family

if TYPE_CHECKING:
    import xarray as xr  # annotations only


FAMILIES: tuple[Family, ...] = (
    thermal.FAMILY,
    renewables.FAMILY,
    storage.FAMILY,
    *loads.FAMILIES,
    tie.FAMILY,
    hydrogen.FAMILY,
)
"""The asset families in build order (the order fixes the LP's columns and rows). A new family
is registered here, once: every other list below takes it from this one."""

NETWORK: tuple[Family, ...] = (network.LINES, network.BUSES)
"""The lines, then the bus balance: added after every asset family has recorded its
injections."""


def ordered(first: tuple[Family, ...], last: tuple[Family, ...] = ()) -> tuple[Family, ...]:
    """``first``, then every family of :data:`FAMILIES` not named in ``first`` or ``last`` (in
    build order), then ``last``: a list with a fixed order for the families that have one,
    which a newly registered family joins without being named."""
    named = set(map(id, first + last))
    return first + tuple(f for f in FAMILIES if id(f) not in named) + last


INPUTS: tuple[Family, ...] = (network.LINES, *FAMILIES)
"""The families with inputs, in the order the input Dataset lists their dims and variables
(:func:`gridopt.inputs.build_inputs` loops over their :attr:`Family.inputs`); the buses are
the Dataset's common ``bus`` coordinate."""

SECTIONS: tuple[Family, ...] = (network.BUSES, network.LINES, *FAMILIES)
"""The families with a section of the scenario file (:attr:`Family.entry`), in the order the
scenario lists them after its common sections (:func:`gridopt.scenario.schema.scenario_model`):
a family appended to :data:`FAMILIES` gets its section, its reference checks and its rows of
``docs/scenario.md`` with no edit in :mod:`gridopt.scenario`."""

DECLARATIONS: tuple[Family, ...] = ordered(
    (
        thermal.FAMILY,
        renewables.FAMILY,
        storage.FAMILY,
        network.LINES,
        tie.FAMILY,
        *loads.FAMILIES,
    ),
    (network.BUSES,),
)
"""Every family, in the order ``results.nc`` lists their results and the cost breakdown their
items (the breakdown's order is kept: its items are summed in order)."""

PRICE_SETTERS: tuple[Family, ...] = tuple(
    f
    for f in ordered(
        (
            network.BUSES,
            thermal.FAMILY,
            tie.FAMILY,
            renewables.FAMILY,
            loads.INTERRUPTIBLE,
            storage.FAMILY,
            loads.FLEXIBLE,
        )
    )
    if f.sets_price
)
"""The families that can set the price, in the order :func:`gridopt.results.price_setters`
tries them at a bus (the first that fits names the setter): the slacks, then the assets with
a marginal cost, then those whose price is set by another hour (stores, flexible loads, then
any other family that declares a price setter)."""

BALANCE: tuple[Family, ...] = ordered(
    (
        *loads.FAMILIES,
        thermal.FAMILY,
        renewables.FAMILY,
        storage.FAMILY,
        tie.FAMILY,
    ),
    (network.LINES, network.BUSES),
)
"""The families in the order the energy balance lists their items on each side (the loads
first among the uses, any other family after the ties); :func:`gridopt.results.energy_balance`
sums the items in order."""


def build(ds: xr.Dataset, plan: bool = False) -> Build:
    """Build the dispatch LP for the input Dataset ``ds``; with ``plan``, the planning LP: the
    capacities the scenario lets expand or retire (:attr:`Family.capacities`) are decisions
    too, at their annualised cost pro-rated to the horizon (:meth:`Build.capacity`).

    Objective (``objective``, CNY): fuel, variable O&M and carbon of thermal output, start-ups,
    renewable and storage variable costs, imports minus exports, flexible-load shift and
    interruption costs, unserved energy at VOLL and dumped excess at its penalty. Then the
    policy rows the scenario sets (:mod:`gridopt.model.policy`: green share, CO2 cap,
    curtailment share, reserve margin).
    """
    with gc_paused():
        b = Build(ds, plan=plan)
        for family in FAMILIES + NETWORK:
            family.add(b)
        policy.add(b, BALANCE)  # the scenario's policy rows over the whole horizon
        b.objective()
    return b
