"""The Pyomo model of the local grid: one module per component family.

:func:`build` is the recipe: variables and constraints family by family, then the bus
balance, then the objective. The model never reads files: it takes the input Dataset.
"""

from __future__ import annotations

import pyomo.environ as pyo
import xarray as xr

from gridopt.model import loads, network, renewables, storage, thermal, tie
from gridopt.model.core import Build, gc_paused

FAMILIES = (thermal, renewables, storage, loads, tie)


def build(ds: xr.Dataset) -> Build:
    """Build the dispatch LP for the input Dataset ``ds``.

    Objective (``objective``, CNY): fuel, variable O&M and carbon of thermal output, start-ups,
    renewable and storage variable costs, imports minus exports, flexible-load shift and
    interruption costs, unserved energy at VOLL and dumped excess at its penalty.
    """
    with gc_paused():
        b = Build(ds)
        for family in FAMILIES:
            family.add(b)
        network.add_lines(b)
        network.add_balance(b)
        b.m.objective = pyo.Objective(expr=b.objective_expression(), sense=pyo.minimize)
    return b
