"""Scenario -> input Dataset: every hourly series resolved, every parameter in model units.

Each family's inputs are declared next to its model (``Family.inputs``, :mod:`gridopt.model`):
this module loops over the declarations (:data:`gridopt.model.INPUTS`), reads each declared
field of each asset or computes it, resolves the hourly series
(:class:`gridopt.data.series.Resolver`, the horizon's hours laid out by
:mod:`gridopt.data.clock`), runs the families' input checks, sizes their investment from the
technology defaults, and adds the common settings and tariffs. The input Dataset is the single
hand-off to the model builder (``gridopt.model`` never reads files) and is stored inside the
results, so a run can be audited from its results alone.

Dimensions: ``time`` (local clock time, naive; the zone is in ``attrs['timezone']``), ``bus``,
``line``, ``thermal``, ``renewable``, ``storage``, ``load``, ``flex``, ``intr``, ``tie``.
Variables are prefixed by their family (``thermal_p_nom_mw``); each has a ``units`` attribute.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from gridopt.data.clock import (
    HOURS_PER_YEAR,
    clock_text,
    clock_zone,
    horizon,
    local_time_index,
    time_index,
)
from gridopt.data.costs import TECH_DEFAULTS, crf
from gridopt.data.series import Resolver
from gridopt.errors import InputError, Problem
from gridopt.model import FAMILIES, INPUTS
from gridopt.model.family import Capacity, Economics, Family, InputVar
from gridopt.model.policy import add_inputs as add_policy
from gridopt.scenario.check import check_scenario, check_supply
from gridopt.scenario.load import LoadedScenario
from gridopt.scenario.schema import MAX_CNY_PER_MWH as PRICE
from gridopt.scenario.schema import MAX_MW

if TYPE_CHECKING:
    import xarray as xr

__all__ = [  # the horizon's clock is re-exported: run, tenant and tests import it from here
    "Inputs",
    "build_inputs",
    "check_inputs",
    "clock_zone",
    "horizon",
    "load_checked",
    "load_inputs",
    "local_time_index",
    "summary_line",
    "time_index",
]

SERIES_RANGE: dict[str, tuple[float, float]] = {
    "1": (0.0, 1.0),
    "MW": (0.0, MAX_MW),
    "CNY/MWh": (-PRICE, PRICE),
}
"""The range an hourly input series must lie in, by its unit (per-unit availability, power,
price)."""


class Var(NamedTuple):
    """One input: its values, dimensions and attributes (``units`` and, where given,
    ``description``), as the input Dataset will hold it."""

    values: np.ndarray
    dims: tuple[str, ...]
    attrs: dict


class Inputs:
    """The resolved inputs as numpy arrays, before they become the input Dataset.

    Reads like the Dataset where the input checks read it (``inputs[name].values``,
    ``.dims``, ``inputs.sizes[dim]``, ``name in inputs``, ``inputs.attrs``), so the checks
    (:attr:`gridopt.model.family.Family.checks`, :func:`gridopt.scenario.check.check_supply`,
    :func:`expansion_warnings`) run before xarray is imported: ``gridopt validate`` stops
    here. :meth:`to_dataset` makes the Dataset the model is built from."""

    def __init__(self, coords: dict[str, object], policy=None):
        self.coords = {k: np.asarray(v) for k, v in coords.items()}
        self.policy = policy  # the scenario's policy section: its limits join the Dataset
        self.coord_attrs: dict[str, dict] = {}
        self.vars: dict[str, Var] = {}
        self.attrs: dict[str, object] = {}

    def add(self, name: str, values, dims: tuple[str, ...], units: str, **attrs) -> None:
        """Add input ``name`` [units]: ``values`` along ``dims``."""
        self.vars[name] = Var(np.asarray(values), tuple(dims), {"units": units, **attrs})

    def __getitem__(self, name: str) -> Var:
        if name in self.vars:
            return self.vars[name]
        return Var(self.coords[name], (name,), self.coord_attrs.get(name, {}))

    def __contains__(self, name: str) -> bool:
        return name in self.vars or name in self.coords

    @property
    def sizes(self) -> dict[str, int]:
        return {dim: len(v) for dim, v in self.coords.items()}

    def to_dataset(self) -> xr.Dataset:
        """The input Dataset: coordinates in their order, then the inputs in the order they
        were added, with their attributes and the Dataset's, then the policy section's limits
        (:func:`gridopt.model.policy.add_inputs`)."""
        import xarray as xr

        ds = xr.Dataset(coords=self.coords).assign(
            {n: xr.DataArray(v.values, dims=v.dims, attrs=v.attrs) for n, v in self.vars.items()}
        )
        for name, attrs in self.coord_attrs.items():
            ds[name].attrs.update(attrs)
        ds.attrs.update(self.attrs)
        return ds if self.policy is None else add_policy(ds, self.policy)


def build_inputs(
    ls: LoadedScenario, hours: int | None = None, *, supply_check: bool = True
) -> xr.Dataset:
    """Check the scenario and resolve it into the input Dataset (:func:`check_inputs`, then
    :meth:`Inputs.to_dataset`).

    Raises :class:`InputError` with every problem found (cross-references and series, and,
    with ``supply_check``, buses with load that nothing can supply).
    """
    return check_inputs(ls, hours, supply_check=supply_check).to_dataset()


def check_inputs(
    ls: LoadedScenario, hours: int | None = None, *, supply_check: bool = True
) -> Inputs:
    """Check the scenario and resolve its inputs as numpy arrays (:class:`Inputs`).

    Raises :class:`InputError` with every problem found (cross-references and series, and,
    with ``supply_check``, buses with load that nothing can supply).
    """
    problems = check_scenario(ls)
    sc = ls.scenario
    index = horizon(ls, hours)
    res = Resolver(ls, index)
    res.problems.extend(problems)
    coords: dict[str, object] = {"time": index.local, "bus": list(sc.buses)}
    for family in INPUTS:
        coords[family.dim] = list(getattr(sc, family.section))
    ds = Inputs(coords, sc.policy)
    for family in INPUTS:
        entries = getattr(sc, family.section)
        for var in family.inputs:
            _input(ds, var, family, sc, entries, res)
    clock = index.zone
    ds.coord_attrs["time"] = {"timezone": clock}
    for family in INPUTS:
        names = list(getattr(sc, family.section))
        for check in family.checks:
            for f in check(ds):
                where = f"{ls.path}: {family.section}.{names[f.asset]}.{f.field}"
                res.problems.append(Problem(where, f.message, f.value, f.fix))
    for family in INPUTS:  # investment inputs
        if family.economics is not None:
            _economics(ds, family.dim, getattr(sc, family.section), family.economics)
            for cap in family.capacities:
                _capacity(ds, family, cap, getattr(sc, family.section), sc.settings.discount_rate)

    if supply_check and not res.problems:
        res.problems.extend(check_supply(ls, ds))
    if res.problems:
        raise InputError(res.problems, title=f"{ls.path}: scenario is not valid")

    s = sc.settings
    mode = s.power_flow
    if mode == "auto":
        lines = sc.lines
        mode = (
            "dc"
            if lines and all(x.x_ohm is not None or x.x_pu is not None for x in lines.values())
            else "transport"
        )
    tf = sc.tariffs
    for name, value, units in (
        ("voll_cny_per_mwh", s.voll_cny_per_mwh, "CNY/MWh"),
        ("excess_penalty_cny_per_mwh", s.excess_penalty_cny_per_mwh, "CNY/MWh"),
        ("carbon_price_cny_per_t", s.carbon_price_cny_per_t, "CNY/t"),
        ("discount_rate", s.discount_rate, "1/yr"),
        ("tariff_network_charge_cny_per_kwh", tf.network_charge_cny_per_kwh, "CNY/kWh"),
        ("tariff_funds_cny_per_kwh", tf.funds_cny_per_kwh, "CNY/kWh"),
        ("tariff_benchmark_cny_per_kwh", tf.benchmark_cny_per_kwh, "CNY/kWh"),
        ("tariff_provincial_cny_per_kwh", tf.provincial_tariff_cny_per_kwh, "CNY/kWh"),
    ):
        ds.add(name, value, (), units)
    ds.attrs.update(
        scenario=sc.name,
        scenario_file=str(ls.path),
        scenario_sha256=ls.sha256,
        inputs_sha256=ls.inputs_sha256,
        input_files=json.dumps(ls.input_files, sort_keys=True),
        power_flow=mode,
        timezone=clock,
        scenario_timezone=sc.time.timezone,
        clock=clock_text(sc.time.timezone, clock),
        hours=len(index),
        year_fraction=min(len(index) / HOURS_PER_YEAR, 1.0),
    )
    return ds


def _input(ds: Inputs, var: InputVar, family: Family, sc, entries: dict, res: Resolver) -> None:
    """One declared input of every asset of a family, added to ``ds`` as
    ``<dim>_<name>``: its static values, or its hourly series resolved within the range of its
    unit (:data:`SERIES_RANGE`), shaped (time, asset)."""
    attrs = {"description": var.description} if var.description else {}
    name = f"{family.dim}_{var.name}"
    if not var.hourly:
        values = [var.value(sc, a) for a in entries.values()]
        ds.add(name, values, (family.dim,), var.units, **attrs)
        return
    lo, hi = var.range or SERIES_RANGE[var.units]
    field = var.field or var.name
    columns = [
        res(getattr(a, field), f"{family.section}.{n}.{field}", lo, hi, default=var.default)
        for n, a in entries.items()
    ]
    ds.add(name, _stack(columns, len(res.hours)), ("time", family.dim), var.units, **attrs)


def _economics(ds: Inputs, family: str, section: dict, econ: Economics) -> None:
    """Resolve each asset's investment, fixed O&M and lifetime (technology defaults filled in),
    into ``ds``.

    capex = capex_cny, or capex_cny_per_kw x kW + capex_cny_per_kwh x kWh;
    fixed O&M = fixed_om_cny_per_kw_yr x kW, or fixed_om_fraction_per_yr x capex.
    """

    table = {**TECH_DEFAULTS, **econ.defaults}

    def tech_of(a) -> str:
        tech = econ.tech(a)
        return econ.fallback if econ.fallback and tech not in table else tech

    kw_of, kwh_of = econ.kw, econ.kwh
    capex, fom, life, src = [], [], [], []
    for a in section.values():
        e, d = a.economics, table[tech_of(a)]
        if e.capex_cny is not None:
            c = e.capex_cny
        else:
            per_kw = (
                e.capex_cny_per_kw
                if e.capex_cny_per_kw is not None
                else float(d.get("capex_cny_per_kw", 0.0))
            )
            per_kwh = (
                e.capex_cny_per_kwh
                if e.capex_cny_per_kwh is not None
                else float(d.get("capex_cny_per_kwh", 0.0))
            )
            c = per_kw * kw_of(a) + per_kwh * kwh_of(a)
        if e.fixed_om_cny_per_kw_yr is not None:
            f = e.fixed_om_cny_per_kw_yr * kw_of(a)
        elif e.fixed_om_fraction_per_yr is not None:
            f = e.fixed_om_fraction_per_yr * c
        elif "fixed_om_cny_per_kw_yr" in d:
            f = float(d["fixed_om_cny_per_kw_yr"]) * kw_of(a)
        else:
            f = float(d.get("fixed_om_fraction_per_yr", 0.0)) * c
        capex.append(c)
        fom.append(f)
        life.append(e.lifetime_yr if e.lifetime_yr is not None else float(d["lifetime_yr"]))
        src.append(e.source or f"default for {tech_of(a)}: {d['source']}")
    dim = (family,)
    ds.add(
        f"{family}_capex_cny",
        np.array(capex, float),
        dim,
        "CNY",
        description="overnight investment",
    )
    fom_text = "fixed operation and maintenance"
    ds.add(
        f"{family}_fixed_om_cny_per_yr", np.array(fom, float), dim, "CNY/yr", description=fom_text
    )
    ds.add(f"{family}_lifetime_yr", np.array(life, float), dim, "yr")
    ds.add(
        f"{family}_capital_sunk",
        np.array([a.economics.capital == "sunk" for a in section.values()], bool),
        (family,),
        "",
        description="the existing capacity's investment is sunk (else new: still to be paid)",
    )
    ds.add(
        f"{family}_cost_source",
        np.array(src, dtype=str) if src else np.array([], dtype=str),
        (family,),
        "",
    )


def _capacity(ds: Inputs, family: Family, cap: Capacity, section: dict, rate: float) -> None:
    """The inputs of a capacity a plan may change (:class:`Capacity`), per asset: bounds on
    new capacity [unit] (no upper bound: NaN), investment per unit of new capacity [CNY/unit]
    (``capex_cny_per_kw`` or ``_per_kwh`` x 1000, technology default filled in), its annual
    cost (annuity at the scenario's discount rate over the asset's lifetime, + fixed O&M per
    unit) and the fixed O&M per unit [CNY/unit/yr], and whether the existing capacity may
    retire.

    Fixed O&M per unit: ``fixed_om_cny_per_kw_yr`` x 1000 for a ``kw`` capacity, else
    ``fixed_om_fraction_per_yr`` x investment per unit (the technology's way when the entry
    gives neither). Added to ``ds``, which holds the family's ``lifetime_yr``
    (:func:`_economics`)."""
    econ = family.economics
    table = {**TECH_DEFAULTS, **econ.defaults}
    unit = {"mw": "MW", "mwh": "MWh"}[cap.unit]
    lo, hi, capex, annual, fom, retire = [], [], [], [], [], []
    life = ds[f"{family.dim}_lifetime_yr"].values
    for i, a in enumerate(section.values()):
        tech = econ.tech(a)
        d = table[econ.fallback if econ.fallback and tech not in table else tech]
        e = a.economics
        per = getattr(e, f"capex_cny_per_{cap.basis}")
        per = float(d.get(f"capex_cny_per_{cap.basis}", 0.0)) if per is None else per
        c = per * 1000.0
        if cap.basis == "kw" and e.fixed_om_cny_per_kw_yr is not None:
            f = e.fixed_om_cny_per_kw_yr * 1000.0
        elif e.fixed_om_fraction_per_yr is not None:
            f = e.fixed_om_fraction_per_yr * c
        elif cap.basis == "kw" and "fixed_om_cny_per_kw_yr" in d:
            f = float(d["fixed_om_cny_per_kw_yr"]) * 1000.0
        else:
            f = float(d.get("fixed_om_fraction_per_yr", 0.0)) * c
        new_max = getattr(a, cap.new_max)
        lo.append(getattr(a, cap.new_min))
        hi.append(np.nan if new_max is None else new_max)
        capex.append(c)
        annual.append(c * crf(rate, float(life[i])) + f)
        fom.append(f)
        retire.append(bool(getattr(a, cap.retirable)) if cap.retirable else False)
    dim = (family.dim,)
    ds.add(cap.input(family.dim, "new_min"), np.array(lo, float), dim, unit)
    ds.add(
        cap.input(family.dim, "new_max"),
        np.array(hi, float),
        dim,
        unit,
        description="no upper bound: NaN",
    )
    ds.add(cap.input(family.dim, "capex"), np.array(capex, float), dim, f"CNY/{unit}")
    ds.add(
        cap.input(family.dim, "annual"),
        np.array(annual, float),
        dim,
        f"CNY/{unit}/yr",
        description="annuity + fixed O&M of new capacity",
    )
    ds.add(cap.input(family.dim, "fom"), np.array(fom, float), dim, f"CNY/{unit}/yr")
    ds.add(cap.input(family.dim, "retirable"), np.array(retire, bool), dim, "")


def expansion_warnings(ls: LoadedScenario, ds: Inputs | xr.Dataset) -> list[str]:
    """Capacities a plan may expand at no cost (no investment per unit and no fixed O&M): a
    plan would build them for free, which is almost always a missing figure (e.g. a line's
    ``capex_cny_per_kw``: the ``line`` default is 0 because lines carry a total ``capex_cny``)."""
    out = []
    for fam in INPUTS:
        for cap in fam.capacities:
            hi = ds[cap.input(fam.dim, "new_max")].values
            annual = ds[cap.input(fam.dim, "annual")].values
            for a, name in enumerate(ds[fam.dim].values):
                if (np.isnan(hi[a]) or hi[a] > 0) and annual[a] == 0:
                    out.append(
                        f"{ls.path}: {fam.section}.{name}.{cap.new_max}: may expand, but new "
                        f"capacity costs nothing (capex_cny_per_{cap.basis} 0, no fixed O&M), so "
                        f"a plan builds it for free; give economics.capex_cny_per_{cap.basis}"
                    )
    return out


def load_inputs(path: str | Path, hours: int | None = None) -> tuple[LoadedScenario, xr.Dataset]:
    """Load and check a scenario file and resolve its inputs into the input Dataset,
    reporting every problem at once (:func:`load_checked`)."""
    ls, inputs = load_checked(path, hours)
    return ls, inputs.to_dataset()


def load_checked(path: str | Path, hours: int | None = None) -> tuple[LoadedScenario, Inputs]:
    """Load and check a scenario file and resolve its inputs as numpy arrays
    (:func:`check_inputs`), reporting every problem at once (schema problems together with the
    cross-reference and series problems of what remains). What ``gridopt validate`` runs."""
    from gridopt.scenario.load import load_scenario

    try:
        ls = load_scenario(path)
    except InputError as exc:
        if exc.partial is not None:
            try:
                check_inputs(exc.partial, hours, supply_check=False)  # assets were pruned
            except InputError as more:
                raise InputError(exc.problems + more.problems, title=exc.title) from None
        raise
    return ls, check_inputs(ls, hours)


def _stack(columns: list[np.ndarray], n: int) -> np.ndarray:
    return np.stack(columns, axis=1) if columns else np.zeros((n, 0))


def summary_line(ds: Inputs | xr.Dataset) -> str:
    """One line: buses, assets by type, hours."""
    parts = [f"{ds.sizes['bus']} buses", f"{ds.sizes['line']} lines"]
    parts += [f"{ds.sizes[f.dim]} {f.label}" for f in FAMILIES if ds.sizes[f.dim]]
    first = str(np.datetime64(ds["time"].values[0], "m")).replace("T", " ")
    return (
        f"{ds.attrs['scenario']}: "
        + ", ".join(parts)
        + f"; {ds.attrs['hours']} hours from {first} ({ds.attrs['timezone']}); power flow: {ds.attrs['power_flow']}"
    )
