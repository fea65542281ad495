"""The declaration of a component family: what the rest of the package loops over.

Each family module (``thermal``, ``renewables``, ``storage``, ``loads``, ``tie``, ``network``)
declares, next to its ``add``, one :class:`Family` per dim of the input Dataset it adds assets
of: its scenario section, the decision variables it writes to ``results.nc`` (each under its
result name, unit and description, and for the assets that have it), the results computed
from those, its items of the cost breakdown, whether it can set the price and which input is
its expandable capacity. :func:`gridopt.model.build` calls the ``add`` of each family;
:func:`gridopt.results.extract` and :func:`gridopt.results.cost_breakdown` loop over the
declarations (:data:`gridopt.model.DECLARATIONS`) instead of naming the families.

A subset of assets (thermal clusters with unit commitment, lossy lines) is given by one
function of the input Dataset that both ``add`` and the declaration use, so it is defined once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr

from gridopt.model.core import Build

Assets = Callable[[xr.Dataset], Sequence[int]]
"""Positions along the family's dim of the assets that have a variable, from the input
Dataset (the function the family's ``add`` uses to create it)."""


@dataclass(frozen=True)
class Output:
    """A decision variable read back from the solved model, shaped (time, asset).

    component : the Pyomo Var ``<family>_<what>[asset, hour]``
    result : its name in ``results.nc``, or None for a variable only read for
        :class:`Derived` results (e.g. the one-way flows of lossy lines)
    units, description : the ``units`` and ``description`` attributes of the result
    assets : which assets of the dim have the variable; None: all
    absent : the value [``units``] of the assets without the variable, as (time, asset) from
        the input Dataset; None: 0
    """

    component: str
    result: str | None
    units: str
    description: str
    assets: Assets | None = None
    absent: Callable[[xr.Dataset], np.ndarray] | None = None


@dataclass(frozen=True)
class Derived:
    """A result computed from the inputs and the family's other outputs, shaped (time, asset).

    compute : ``(ds, values) -> array``; ``values`` maps each :class:`Output`'s component and
        each result name read or computed before it (in declaration order) to its
        (time, asset) array over every asset of the dim
    """

    result: str
    units: str
    description: str
    compute: Callable[[xr.Dataset, Mapping[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True)
class CostItem:
    """One item of the cost breakdown (``summary.json``: ``cost_by_component_cny``).

    key : the item's key
    cost_cny : its cost over the horizon from the results Dataset [CNY] (exports negative)
    """

    key: str
    cost_cny: Callable[[xr.Dataset], float]


@dataclass(frozen=True)
class Family:
    """Everything the package needs to know about one component family, declared once.

    dim : input Dataset dim the family's assets are counted along (``thermal``, ``line`` …);
        every output is shaped (time, dim)
    section : scenario section of the assets (``thermal``, ``ties`` …)
    add : adds the family's variables, constraints, injections and costs to a :class:`Build`
    outputs : decision variables and derived results, in the order written to ``results.nc``
    costs : the family's items of the cost breakdown, in the order listed
    sets_price : whether an asset of the family can set the marginal price at its bus
    expandable : the input ``<dim>_<expandable>`` that is the family's capacity
        (``p_nom_mw``, ``e_max_mwh``, ``p_max_mw``); None: no capacity to expand
    """

    dim: str
    section: str
    add: Callable[[Build], None]
    outputs: tuple[Output | Derived, ...] = ()
    costs: tuple[CostItem, ...] = ()
    sets_price: bool = False
    expandable: str | None = None

    @property
    def results(self) -> tuple[Output | Derived, ...]:
        """The outputs written to ``results.nc`` (with a result name)."""
        return tuple(o for o in self.outputs if o.result is not None)
