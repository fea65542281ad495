"""The declaration of a component family: what the rest of the package loops over.

Each family module (``thermal``, ``renewables``, ``storage``, ``loads``, ``tie``, ``network``)
declares, next to its ``add``, one :class:`Family` per dim of the input Dataset it adds assets
of: its scenario section, its input variables with their units (:class:`InputVar`), the
checks across its inputs, how its investment is sized, the decision variables it writes to
``results.nc`` (each under its result name, unit and description, and for the assets that
have it), the results computed from those, its items of the cost breakdown and of the energy
balance, how it can set the price and which input is its expandable capacity.
:func:`gridopt.inputs.build_inputs` loops over the declarations (:data:`gridopt.model.INPUTS`)
to build each family's inputs; :func:`gridopt.model.build` calls the ``add`` of each family;
:func:`gridopt.results.extract`, :func:`~gridopt.results.cost_breakdown`,
:func:`~gridopt.results.energy_balance`, :func:`~gridopt.results.consumption_by_bus` and
:func:`~gridopt.results.price_setters` loop over the declarations
(:data:`gridopt.model.DECLARATIONS`, :data:`~gridopt.model.BALANCE`,
:data:`~gridopt.model.PRICE_SETTERS`) instead of naming the families, and so do the report's
dispatch chart, hourly dispatch sheet and required variables (:mod:`gridopt.report`) and the
tenant's grid-change figures (:mod:`gridopt.tenant.figures`), through each energy item's
``kind`` and each result's ``sheet``.

A subset of assets (thermal clusters with unit commitment, lossy lines) is given by one
function of the input Dataset that both ``add`` and the declaration use, so it is defined once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from gridopt.model.core import Build

if TYPE_CHECKING:
    import xarray as xr  # annotations only


Assets = Callable[["xr.Dataset"], Sequence[int]]
"""Positions along the family's dim of the assets that have a variable, from the input
Dataset (the function the family's ``add`` uses to create it)."""


Entry = Any
"""One asset's entry of the scenario section (a pydantic object of the
family's entry schema, :attr:`Family.entry`); the model only reads its attributes."""


@dataclass(frozen=True)
class InputVar:
    """A variable of the input Dataset, ``<dim>_<name>``: one value per asset, or per hour and
    asset (dims ``(time, dim)``) when ``hourly``.

    name : the variable's name after the dim (``p_nom_mw``, ``availability_pu``)
    units : its ``units`` attribute
    field : the attribute of the scenario entry it is read from; None: ``name``
    default : the value where the entry's field is None (static: e.g. NaN for "no limit";
        hourly: the value in every hour); None: the field's value as it is (hourly: NaN)
    hourly : the field is an hourly series (number, list, CSV or generator), resolved by
        :class:`gridopt.data.series.Resolver` within the range of its unit
        (:data:`gridopt.inputs.SERIES_RANGE`)
    compute : ``(scenario, entry) -> value`` for a derived input (static), instead of a field
    description : its ``description`` attribute; none if empty
    range : the range an hourly series must lie in [``units``]; None: the range of its unit
        (:data:`gridopt.inputs.SERIES_RANGE`)
    """

    name: str
    units: str
    field: str | None = None
    default: float | None = None
    hourly: bool = False
    compute: Callable[[Any, Entry], Any] | None = None
    description: str = ""
    range: tuple[float, float] | None = None

    def value(self, scenario: Any, entry: Entry) -> Any:
        """The static value of one asset [``units``]."""
        if self.compute is not None:
            return self.compute(scenario, entry)
        v = getattr(entry, self.field or self.name)
        return self.default if v is None and self.default is not None else v


class Finding(NamedTuple):
    """A problem an input check found, for the input builder to report (``where`` is
    ``<section>.<asset>.<field>`` of the scenario file).

    asset : position of the asset along the family's dim
    field : the scenario field at fault
    message, value, fix : what is wrong, the offending value and how to fix it
    """

    asset: int
    field: str
    message: str
    value: float
    fix: str


InputCheck = Callable[["xr.Dataset"], Iterable[Finding]]
"""A check across a family's inputs (e.g. must-run within the available capacity), on the
input Dataset once every family's inputs are in it."""


def _zero(entry: Entry) -> float:
    return 0.0


@dataclass(frozen=True)
class Economics:
    """How an asset's investment and fixed O&M are sized; :func:`gridopt.inputs.build_inputs`
    resolves them into ``<dim>_capex_cny``, ``<dim>_fixed_om_cny_per_yr``, ``<dim>_lifetime_yr``
    and ``<dim>_cost_source``, filling in what the entry's ``economics`` leave out from the
    technology defaults (:data:`gridopt.data.costs.TECH_DEFAULTS`).

    tech : ``(entry) -> str`` the technology whose defaults apply
    kw : ``(entry) -> float`` the capacity per-kW costs apply to [kW]
    kwh : ``(entry) -> float`` the energy capacity per-kWh costs apply to [kWh]
    fallback : the technology used where ``tech`` has no defaults; None: every one has
    defaults : the family's own technology defaults (technology -> figures and ``source``, as
        in :data:`gridopt.data.costs.TECH_DEFAULTS`), looked up before the shared table, so a
        new family brings its cost assumptions with it
    component : the component of the delivered price its annuity and fixed O&M are part of
        (``energy``, ``flexibility``, ``capacity``, ``network``); None: the owner's investment,
        not recovered through the grid's price (a customer's plant)
    technology : the input ``<dim>_<technology>`` naming each asset's technology in the
        fixed-cost table (``fuel``, ``carrier``); None: the dim's name
    new_component : the component of the delivered price that new capacity a plan builds is
        part of, where it differs from ``component``: a tie's existing capacity is the
        provincial grid's (``component`` None), but capacity the local grid's plan adds for its
        own export revenue is the local grid's to pay (``network``); None: as ``component``
    """

    tech: Callable[[Entry], str]
    kw: Callable[[Entry], float] = _zero
    kwh: Callable[[Entry], float] = _zero
    fallback: str | None = None
    defaults: Mapping[str, Mapping[str, float | str]] = field(default_factory=dict)
    component: str | None = None
    technology: str | None = None
    new_component: str | None = None


@dataclass(frozen=True)
class Capacity:
    """A capacity of the family's assets that a plan may change (``gridopt plan``): new
    capacity between bounds the entry gives, and, where the entry allows it, retirement of the
    existing capacity (saving its fixed O&M).

    name : the input ``<dim>_<name>`` that is the capacity (``p_nom_mw``, ``e_max_mwh``); its
        unit is the name's suffix (``_mw``, ``_mwh``)
    new_min, new_max : the entry's fields bounding the new capacity [its unit] (``new_max``
        None in the entry: no upper bound; 0: the capacity is not expandable)
    basis : which per-unit investment of the entry's economics prices it: ``"kw"``
        (``capex_cny_per_kw``) or ``"kwh"`` (``capex_cny_per_kwh``)
    retirable : the entry's field (true/false) that lets the existing capacity retire; None:
        it never does
    also : other inputs of the family, in the same unit, that new and retired capacity change
        alike (a line's reverse limit, a tie's import limit, a store's discharging power)

    :func:`gridopt.inputs.build_inputs` resolves, per asset, the inputs named by
    :meth:`input`: ``new_min``, ``new_max`` [unit], ``capex`` [CNY/unit], ``annual`` (annuity +
    fixed O&M of new capacity) and ``fom`` (fixed O&M saved by retiring) [CNY/unit/yr], and
    ``retirable``.
    """

    name: str
    new_min: str
    new_max: str
    basis: str = "kw"
    retirable: str | None = None
    also: tuple[str, ...] = ()

    @property
    def base(self) -> str:
        """The name without its unit suffix (``p_nom``)."""
        return self.name.rsplit("_", 1)[0]

    @property
    def unit(self) -> str:
        """The unit suffix of the name (``mw``, ``mwh``)."""
        return self.name.rsplit("_", 1)[1]

    def input(self, dim: str, what: str) -> str:
        """The input Dataset variable of ``what`` for this capacity of family ``dim``:
        ``new_min``/``new_max`` -> ``<dim>_<base>_new_min_<unit>``, ``capex`` ->
        ``<dim>_<base>_capex_cny_per_<unit>``, ``annual``/``fom`` ->
        ``<dim>_<base>_<what>_cny_per_<unit>_yr``, ``retirable`` -> ``<dim>_<base>_retirable``,
        ``new``/``retired`` (results) -> ``<dim>_<base>_<what>_<unit>``."""
        u = self.unit
        return {
            "new_min": f"{dim}_{self.base}_new_min_{u}",
            "new_max": f"{dim}_{self.base}_new_max_{u}",
            "capex": f"{dim}_{self.base}_capex_cny_per_{u}",
            "annual": f"{dim}_{self.base}_annual_cny_per_{u}_yr",
            "fom": f"{dim}_{self.base}_fom_cny_per_{u}_yr",
            "retirable": f"{dim}_{self.base}_retirable",
            "new": f"{dim}_{self.base}_new_{u}",
            "retired": f"{dim}_{self.base}_retired_{u}",
        }[what]


@dataclass(frozen=True)
class Output:
    """A decision variable read back from the solved model, shaped (time, asset).

    component : the Pyomo Var ``<dim>_<what>[asset, hour]``
    result : its name in ``results.nc``: the component's name with its unit suffix
        (``thermal_p`` -> ``thermal_p_mw``, ``storage_soc`` -> ``storage_soc_mwh``), so a name
        is the same in the model, ``results.nc`` and the report; or None for a variable only
        read for :class:`Derived` results (e.g. the one-way flows of lossy lines)
    units, description : the ``units`` and ``description`` attributes of the result
    assets : which assets of the dim have the variable; None: all
    absent : the value [``units``] of the assets without the variable, as (time, asset) from
        the input Dataset; None: 0
    sheet : a column per asset in the report's hourly dispatch sheet (with a result name)
    """

    component: str
    result: str | None
    units: str
    description: str
    assets: Assets | None = None
    absent: Callable[[xr.Dataset], np.ndarray] | None = None
    sheet: bool = True


@dataclass(frozen=True)
class Derived:
    """A result computed from the inputs and the family's other outputs, shaped (time, asset).

    compute : ``(ds, values) -> array``; ``values`` maps each :class:`Output`'s component and
        each result name read or computed before it (in declaration order) to its
        (time, asset) array over every asset of the dim
    sheet : a column per asset in the report's hourly dispatch sheet
    """

    result: str
    units: str
    description: str
    compute: Callable[[xr.Dataset, Mapping[str, np.ndarray]], np.ndarray]
    sheet: bool = True


@dataclass(frozen=True)
class CostItem:
    """One item of the cost breakdown (``summary.json``: ``cost_by_component_cny``).

    key : the item's key
    cost_cny : its cost over the horizon from the results Dataset [CNY] (exports negative);
        also evaluated on one asset alone (:func:`gridopt.results.assets_alone`), so it reads
        only its own family's variables, hourly inputs and scalars
    component : the component of the delivered price the item is part of
        (:data:`gridopt.prices.COMPONENTS`: ``energy``, ``flexibility``, ``capacity``,
        ``network``); None: not a cost of the grid, left out of every price — a slack penalty
        (``slack``), or an asset's own cost and revenue that its owner bears (a hydrogen
        plant's water and hydrogen sales)
    slack : a penalty on a slack (unserved or dumped energy), not a cash cost
    """

    key: str
    cost_cny: Callable[[xr.Dataset], float]
    component: str | None = None
    slack: bool = False


TOL_MW = 1e-6
"""Tolerance of "strictly between its limits" and "used" for a dispatched power [MW]."""


def interior(x: np.ndarray, lo, hi) -> np.ndarray:
    """Where ``x`` is strictly between ``lo`` and ``hi`` (by more than :data:`TOL_MW`)."""
    return (x > lo + TOL_MW) & (x < hi - TOL_MW)


@dataclass(frozen=True)
class PriceSetter:
    """A way an asset of the family can set the marginal price at its bus (read by
    :func:`gridopt.results.price_setters` from the results Dataset ``r``).

    label : the label written to ``price_setter``, a format of the asset's ``{name}``
        (``"{name}"``, ``"import"``, ``"storage:{name}"``)
    marginal : ``(r) -> (time, asset) bool``: where the asset is marginal (dispatched strictly
        between its limits, or a slack in use)
    cost_cny_per_mwh : ``(r) -> (time, asset)`` its marginal cost [CNY/MWh]: it sets the price
        where that equals the bus price; None: it sets it wherever it is marginal (a slack, or
        a store or flexible load, whose price is set by another hour)
    technology : what the label counts under in the price-setter shares by technology: an
        input ``<dim>_<technology>`` naming each asset's technology (``fuel``, ``carrier``,
        ``kind``), or a fixed technology (``interruptible_load``); None: the label itself
        (``import``, ``unserved``)
    """

    label: str
    marginal: Callable[[xr.Dataset], np.ndarray]
    cost_cny_per_mwh: Callable[[xr.Dataset], np.ndarray] | None = None
    technology: str | None = None


@dataclass(frozen=True)
class Energy:
    """One item of the energy balance over the horizon (``summary.json``: ``energy_balance``)
    [MWh]: a result [MW] summed over its assets and hours, on the supply side (injected at the
    bus) or the use side.

    key : the item's key; with ``by``, a format of the group's value (``"thermal_{}"``)
    result : the result summed [MW]
    supply : True on the supply side, False on the use side
    by : an input ``<dim>_<by>`` (``fuel``, ``carrier``) grouping the assets: one item per
        value, in sorted order, none when the family has no asset; None: one item
    load : consumption by loads, the weights of load-weighted prices
        (:func:`gridopt.results.consumption_by_bus`), drawn as the load line of the report's
        dispatch chart
    kind : what the item is, for the report's dispatch chart (its series kind) and the
        tenant's grid-change figures (:mod:`gridopt.tenant.figures`), one of :data:`KINDS` or
        a new kind (drawn as a series of its own); None: not drawn (loads, line losses)
    tech : an input ``<dim>_<tech>`` naming each asset's technology (``fuel``, ``carrier``,
        ``kind``): the colour and legend of its series; None: the kind is the technology
    per_asset : one chart series per asset; False: one unnamed series summed over the
        assets, drawn only when used (the slacks)
    co2 : an input ``<dim>_<co2>`` [t/MWh]: the CO2 emitted per MWh of the result; None: none
    curtailed : a result [MW] of the output available but not used (curtailment), per asset
    available : a result [MW] of the output available (used + curtailed), per asset: the
        denominator of curtailment shares
    """

    key: str
    result: str
    supply: bool
    by: str | None = None
    load: bool = False
    kind: str | None = None
    tech: str | None = None
    per_asset: bool = True
    co2: str | None = None
    curtailed: str | None = None
    available: str | None = None


KINDS: Mapping[str, str] = {
    "thermal": "local generation that is not green (counted in delta_thermal_mwh)",
    "renewable": "green local generation (the tenant's green share)",
    "discharge": "a store's discharging (storage throughput)",
    "import": "import from the provincial grid",
    "unserved": "unserved energy (a tenant that adds any does not fit)",
    "charge": "a store's charging",
    "export": "export to the provincial grid",
    "excess": "energy dumped",
}
"""The kinds of energy item the report and the tenant figures know, with what the tenant
figures read them as; a new family may declare a new kind (a chart series of its own)."""


@dataclass(frozen=True)
class Family:
    """Everything the package needs to know about one component family, declared once.

    dim : input Dataset dim the family's assets are counted along (``thermal``, ``line`` …);
        every output is shaped (time, dim)
    section : scenario section of the assets (``thermal``, ``ties`` …)
    add : adds the family's variables, constraints, injections and costs to a :class:`Build`
    outputs : decision variables and derived results, in the order written to ``results.nc``
    costs : the family's items of the cost breakdown, in the order listed
    price_setters : how an asset of the family can set the marginal price at its bus, in the
        order tried for each asset; empty: it never does
    energy : the family's items of the energy balance, in the order listed
    expandable : the input ``<dim>_<expandable>`` that is the family's capacity
        (``p_nom_mw``, ``e_max_mwh``, ``p_max_mw``); None: no capacity to expand
    inputs : the family's variables of the input Dataset, in the order they are listed
    checks : checks across the family's inputs, run once every family's inputs are built
    economics : how its investment is sized; None: no investment cost
    label : how the one-line summary counts its assets (``thermal``, ``flexible loads``)
    entry : the pydantic schema of one asset of the scenario section (``section.<name>``);
        None: the section is not an asset section
    doc : what the section holds, one line for ``docs/scenario.md``
    references : fields of an entry that name an entry of another section, field -> section
        (``bus`` -> ``buses``, ``fuel`` -> ``fuels``), checked when the scenario is loaded
    capacities : the capacities a plan may change (:class:`Capacity`), in the order their
        variables are added; empty: none (``gridopt plan`` leaves the family as it is)
    revenue : ``(r) -> (asset,)`` an asset's market revenue over the horizon [CNY] where it is
        not its energy items at its bus's price (a line's congestion rent); None: the price at
        the asset's bus times its supply minus its use
    profiles : library tenant profiles the family brings (``gridopt tenant
        electrolyser:capacity_mw=100``): name -> (function of (index, **params) -> hourly MW
        Series, its pydantic parameter model)
    supplies : inputs ``<dim>_<name>`` that must all be above zero for an asset to supply its
        bus (``gridopt validate``: a bus with load needs a supply at it or joined to it by
        lines); empty: the family supplies no bus (an asset a plan may build always does when it
        has a supply energy item)
    demand : inputs that, all above zero (in some hour, for an hourly input), make an asset a
        load at its bus that something must supply; empty: never
    """

    dim: str
    section: str
    add: Callable[[Build], None]
    outputs: tuple[Output | Derived, ...] = ()
    costs: tuple[CostItem, ...] = ()
    price_setters: tuple[PriceSetter, ...] = ()
    energy: tuple[Energy, ...] = ()
    expandable: str | None = None
    inputs: tuple[InputVar, ...] = ()
    checks: tuple[InputCheck, ...] = ()
    economics: Economics | None = None
    label: str = ""
    entry: type | None = None
    doc: str = ""
    references: Mapping[str, str] = field(default_factory=dict)
    profiles: Mapping[str, tuple[Callable[..., Any], type]] = field(default_factory=dict)
    capacities: tuple[Capacity, ...] = ()
    revenue: Callable[[xr.Dataset], np.ndarray] | None = None
    supplies: tuple[str, ...] = ()
    demand: tuple[str, ...] = ()

    @property
    def sets_price(self) -> bool:
        """Whether an asset of the family can set the marginal price at its bus."""
        return bool(self.price_setters)

    @property
    def results(self) -> tuple[Output | Derived, ...]:
        """The outputs written to ``results.nc`` (with a result name)."""
        return tuple(o for o in self.outputs if o.result is not None)
