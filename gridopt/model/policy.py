r"""Policy constraints a planner sets in the scenario (section ``policy``): one row each over
the whole horizon, in ``gridopt run`` and ``gridopt plan`` alike. The shadow price of each row
(its dual) is read back into ``summary.json`` (:func:`gridopt.plan.policy_block`).

Every sum is built from the family declarations (:data:`gridopt.model.BALANCE`), never by
naming a family: an energy item's result is its family's :class:`~gridopt.model.family.Output`
(a Pyomo variable, ``component[asset, hour]``) or a :class:`~gridopt.model.family.Derived`
result of the inputs alone (a constant). Hours are one hour long, so a sum of MW over the hours
is MWh. Legend: :math:`p_{a,t}` an item's result [MW]; :math:`C_a` a capacity [MW], in a plan
existing + new - retired (:class:`gridopt.model.core.Planned`); :math:`H` the horizon's hours.

**Green share** (``policy_green_share``, ``green_share_min_fraction`` :math:`s`): green
energy used (items of kind ``renewable``, :data:`~gridopt.model.family.KINDS`), exported or
not, at least :math:`s` times the local load energy (items declared ``load=True``):

.. math:: \sum_{g,t} p_{g,t} \ \ge\ s \sum_{l,t} p_{l,t}

dual :math:`\lambda \ge 0` [CNY per MWh of green energy required].

**CO2 cap** (``policy_co2``, ``co2_max_t`` :math:`E`): each item with a declared emission
factor :math:`e_a` [t/MWh] (``Energy.co2``):

.. math:: \sum_{a,t} e_a\, p_{a,t} \ \le\ E

shadow price :math:`-\mu \ge 0` [CNY/t].

**Curtailment share** (``policy_curtailment``, ``curtailment_max_fraction`` :math:`k`): for the
renewable items that declare what is available (``Energy.available``, linear in the family's
capacities: :math:`A_{a,t} = \alpha_{a,t} C_a`), curtailed :math:`A - p` at most :math:`k A`:

.. math:: \sum_{a,t} p_{a,t} \ \ge\ (1 - k) \sum_{a,t} \alpha_{a,t}\, C_a

shadow price [CNY per MWh of curtailment allowed]; :math:`\alpha_{a,t}` is the derivative of the
declared available output with respect to the capacity (the availability for wind and PV).

**Reserve margin** (``policy_reserve_margin``, ``reserve_margin_fraction`` :math:`m`, capacity
credits :math:`\kappa` per technology): firm capacity at least :math:`1 + m` times the peak
local load :math:`\hat D = \max_t \sum_l D_{l,t}` (the hourly MW inputs of every family with a
``load=True`` item: fixed demand, nominal flexible load, interruptible demand):

.. math:: \sum_a \kappa_{tech(a)}\, C_a \ \ge\ (1 + m)\, \hat D

over the supply items (the technology of an asset is the item's ``tech`` input, else its
``kind``; a technology without a credit counts 0). An item's firm capacity :math:`C_a` is the
input ``<dim>_<what>_max_mw`` or ``<dim>_p_<what>_max_mw`` of its result
``<dim>_<what>_mw`` (``storage_p_discharge_max_mw``, ``tie_import_max_mw``), else the family's
capacity in MW (``p_nom_mw``); in a plan it changes with the capacity that is, or declares it
among its ``also`` limits (a tie's import limit, a store's discharging power). Dual
[CNY per MW over the horizon] / year fraction / 1000 = shadow price [CNY/kW-yr].

A row whose every term is a constant (a reserve margin in a dispatch) is not created: it is
checked here, and a margin the fixed fleet misses is an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated

import numpy as np
from pydantic import Field

from gridopt.errors import SolveError
from gridopt.lazy_import import lazy_module
from gridopt.model.core import Build, Meaning, Planned, Rows
from gridopt.model.family import Energy, Family, Output
from gridopt.scenario.fields import Fraction, Strict

xr = lazy_module("xarray")  # imported when first used (gridopt.lazy_import)

MAX_T = 1e10
"""Largest sane CO2 cap [t] (10 Gt)."""

CAPACITY_CREDIT: Mapping[str, float] = {
    "coal": 1.0,
    "gas": 1.0,
    "pumped_hydro": 1.0,
    "battery": 0.9,
    "hydro": 0.5,
    "wind": 0.05,
    "solar": 0.0,
    "other": 0.0,
    "import": 0.0,
}
"""Default capacity credit per technology [-] (firm MW per MW installed), all assumptions:
dispatchable coal, gas and pumped hydro 1.0 (forced outages are covered by the margin itself);
a battery 0.9 (a 2-4 h store does not cover the whole of a long evening peak); run-of-river
hydro 0.5; wind 0.05 (the guaranteed output NW China's grid planning commonly assigns,
"保证出力" about 5 % of installed); solar 0 (the peak local load of an industrial grid includes
the night); imports 0 (the tie is not firm for the local grid). A technology not listed: 0."""


# Scenario section ``policy``: its field docstrings are docs/scenario.md.
class Policy(Strict):
    """Constraints over the whole horizon, in ``gridopt run`` and ``gridopt plan`` alike; each
    one left out (null) is not imposed. Their shadow prices are in ``summary.json``
    (``policy``)."""

    green_share_min_fraction: Fraction | None = None
    """Least green energy used (wind, PV and other renewable output, exported or not) as a
    share of the local load energy over the horizon [-]."""
    co2_max_t: Annotated[float, Field(ge=0, le=MAX_T)] | None = None
    """Most CO2 emitted over the horizon [t] (a year's cap on a year's horizon)."""
    curtailment_max_fraction: Fraction | None = None
    """Most renewable output curtailed, as a share of the output available (availability x
    capacity, new capacity included in a plan) over the horizon [-]."""
    reserve_margin_fraction: Annotated[float, Field(ge=0, le=10)] | None = None
    """Firm capacity (capacity credit x capacity) at least (1 + this) x the peak local load
    (fixed + nominal flexible + interruptible demand) [-]."""
    capacity_credit: dict[str, Fraction] = {}
    """Firm MW per MW installed, by technology (``coal``, ``wind``, ``solar``, ``battery``,
    ``pumped_hydro``, ``import`` …; a fuel name for thermal units), over the defaults (coal,
    gas, pumped hydro 1.0; battery 0.9; hydro 0.5; wind 0.05; solar, import 0: assumptions,
    see :data:`gridopt.model.policy.CAPACITY_CREDIT`) [-]."""

    @property
    def credits(self) -> dict[str, float]:
        """The capacity credit of each technology: the defaults, overridden by the scenario."""
        return {**CAPACITY_CREDIT, **self.capacity_credit}

    @property
    def any(self) -> bool:
        """Whether any constraint is set."""
        return any(
            v is not None
            for v in (
                self.green_share_min_fraction,
                self.co2_max_t,
                self.curtailment_max_fraction,
                self.reserve_margin_fraction,
            )
        )


LIMITS: Mapping[str, tuple[str, str]] = {
    "green_share": ("policy_green_share_min_fraction", "1"),
    "co2": ("policy_co2_max_t", "t"),
    "curtailment": ("policy_curtailment_max_fraction", "1"),
    "reserve_margin": ("policy_reserve_margin_fraction", "1"),
}
"""Each constraint (its row is ``policy_<name>``) -> its limit in the input Dataset and unit."""


def add_inputs(ds: xr.Dataset, policy: Policy) -> xr.Dataset:
    """``ds`` with the limits that ``policy`` sets (:data:`LIMITS`; none set: ``ds`` as it is)
    and, with a reserve margin, ``policy_capacity_credit`` [-] along ``credit_technology``."""
    if not policy.any:
        return ds
    out = ds.copy()
    for var, units in LIMITS.values():
        v = getattr(policy, var.removeprefix("policy_"))
        if v is not None:
            out[var] = xr.DataArray(float(v), attrs={"units": units, "role": "input"})
    if policy.reserve_margin_fraction is not None:
        credits = policy.credits
        out["policy_capacity_credit"] = xr.DataArray(
            [float(c) for c in credits.values()],
            dims=("credit_technology",),
            coords={"credit_technology": list(credits)},
            attrs={"units": "1", "description": "firm MW per MW installed"},
        )
    return out


# -- the declared energy items ---------------------------------------------------------------
def items(ds: xr.Dataset, keep, families: Sequence[Family]) -> Iterator[tuple[Family, Energy]]:
    """The energy items ``keep(item)`` selects, of the ``families`` (:data:`gridopt.model.BALANCE`,
    passed in by the caller: this module is part of the model package) with assets in ``ds``."""
    for fam in families:
        if ds.sizes.get(fam.dim, 0):
            yield from ((fam, e) for e in fam.energy if keep(e))


def is_green(e: Energy) -> bool:
    return e.supply and e.kind == "renewable"


def is_load(e: Energy) -> bool:
    return e.load


def peak_load_mw(ds: xr.Dataset, families: Sequence[Family]) -> float:
    """Peak local load [MW]: the largest hourly sum of the hourly MW inputs of the families
    with a load item (fixed demand, nominal flexible load, interruptible demand)."""
    total = np.zeros(ds.sizes["time"])
    fams = {id(f): f for f, _ in items(ds, is_load, families)}.values()
    for fam in fams:
        for var in fam.inputs:
            if var.hourly and var.units == "MW":
                total += ds[f"{fam.dim}_{var.name}"].values.sum(axis=1)
    return float(total.max()) if len(total) else 0.0


def firm_input(ds: xr.Dataset, fam: Family, e: Energy) -> str | None:
    """The input [MW] that is the firm capacity of item ``e`` (see the module), or None."""
    what = e.result.removeprefix(f"{fam.dim}_").removesuffix("_mw")
    for name in (f"{what}_max_mw", f"p_{what}_max_mw"):
        if f"{fam.dim}_{name}" in ds:
            return f"{fam.dim}_{name}"
    mw = [c.name for c in fam.capacities if c.unit == "mw"]
    mw += [fam.expandable] if fam.expandable and fam.expandable.endswith("_mw") else []
    return f"{fam.dim}_{mw[0]}" if mw else None


def technologies(ds: xr.Dataset, fam: Family, e: Energy) -> list[str]:
    """The technology of each asset of item ``e``: its ``tech`` input, else its kind."""
    if e.tech is not None:
        return [str(x) for x in ds[f"{fam.dim}_{e.tech}"].values]
    return [str(e.kind)] * ds.sizes[fam.dim]


def credits_of(ds: xr.Dataset) -> dict[str, float]:
    cc = ds["policy_capacity_credit"]
    return dict(zip(map(str, cc["credit_technology"].values), map(float, cc.values)))


# -- terms of the model ----------------------------------------------------------------------
def _positions(ds: xr.Dataset, fam: Family, o: Output) -> list[int]:
    """The assets of the family that have output ``o``'s variable."""
    return list(range(ds.sizes[fam.dim])) if o.assets is None else list(o.assets(ds))


def evaluate(ds: xr.Dataset, fam: Family, result: str, probe: Mapping[str, np.ndarray]):
    """The family's result ``result`` as (time, asset), computed as :func:`gridopt.results.extract`
    does, with each Output's variables at ``probe[component]`` (time, its assets; 0 if not
    given) and the assets without them at their ``absent`` value."""
    T, n = ds.sizes["time"], ds.sizes[fam.dim]
    values: dict[str, np.ndarray] = {}
    for o in fam.outputs:
        if isinstance(o, Output):
            x = np.zeros((T, n)) if o.absent is None else np.array(o.absent(ds), float)
            x[:, _positions(ds, fam, o)] = probe.get(o.component, 0.0)
            values[o.component] = x
        else:
            x = np.asarray(o.compute(ds, values), float)
        if o.result is not None:
            values[o.result] = x
        if o.result == result:
            return x
    raise ValueError(f"family {fam.dim} declares no result {result!r}")


def _result(b: Build, fam: Family, result: str, weight) -> tuple[list[float], list, float]:
    """``sum_{a,t} weight_a x result[a, t]`` as (coefficients, variables, constant) [MWh x
    weight]. A result is an Output (its variables) or a Derived result; either must be affine
    in the family's variables, asset by asset and hour by hour (``intr_served_mw`` = demand -
    interrupted): its constant and each variable's coefficient are found by evaluating it
    (:func:`evaluate`) at 0 and at 1, and checked at random values."""
    ds, T = b.ds, b.T
    w = np.broadcast_to(np.asarray(weight, float), (ds.sizes[fam.dim],))
    base = evaluate(ds, fam, result, {})
    terms, expect, probe = [], base.copy(), {}
    rng = np.random.default_rng(0)
    for o in fam.outputs:
        pos = _positions(ds, fam, o) if isinstance(o, Output) else []
        if not pos:
            continue
        coef = (evaluate(ds, fam, result, {o.component: np.ones((T, len(pos)))}) - base)[:, pos]
        probe[o.component] = rng.uniform(1.0, 2.0, (T, len(pos)))
        expect[:, pos] += coef * probe[o.component]
        if np.any(coef):
            terms.append((o.component, pos, coef))
    if not np.allclose(evaluate(ds, fam, result, probe), expect, rtol=1e-9, atol=1e-9):
        raise ValueError(f"{result} is not affine in the dispatch: it cannot enter a policy row")
    cs, vs = [], []
    for component, pos, coef in terms:
        flat = b.cols(component)  # dense [j, t], j-major
        c = (coef * w[pos]).T.ravel().tolist()  # [j, t]
        keep = [i for i, x in enumerate(c) if x != 0.0]
        cs += [c[i] for i in keep]
        vs += [flat[i] for i in keep]
    return cs, vs, float((base * w).sum())


def _changes(b: Build, fam: Family) -> Iterator[tuple[Planned, list[str]]]:
    """Each capacity of the family that changes in the plan (:meth:`Build.capacity`), with the
    inputs it sets: itself and its :attr:`~gridopt.model.family.Capacity.also` limits."""
    for c in fam.capacities:
        p = b.planned.get(f"{fam.dim}_{c.name}")
        if p is not None and p.changing:
            yield p, [f"{fam.dim}_{x}" for x in (c.name, *c.also)]


def _row(b: Build, name: str, lower, coefs, variables, upper, text: str) -> None:
    """The one row ``name``, unless it has no variables."""
    if not variables:
        return
    rows = Rows()
    rows.add(0, lower, coefs, variables, upper)
    side = "lower" if lower is not None else "upper"
    b.rows(name, rows, Meaning("policy", "policy", **{side: text}, labels=(name,)))


def add(b: Build, families: Sequence[Family]) -> None:
    """Add the policy rows the input Dataset sets (:data:`LIMITS`; none: nothing), summing the
    energy items of ``families`` (:data:`gridopt.model.BALANCE`)."""
    green_share(b, families)
    co2_cap(b, families)
    curtailment_cap(b, families)
    reserve_margin(b, families)


def green_share_terms(
    b: Build, families: Sequence[Family], share: float
) -> tuple[list[float], list, float]:
    """The green-share row at ``share``: (coefficients, variables, lower bound) of
    ``green - share x load >= 0`` with the constant parts moved to the bound [MWh]. A price
    frontier re-solves at other shares by setting these coefficients and the bound."""
    cs, vs, k = _sum(b, items(b.ds, is_green, families), lambda fam, e: 1.0)
    c2, v2, k2 = _sum(b, items(b.ds, is_load, families), lambda fam, e: -share)
    return cs + c2, vs + v2, -k - k2


def _sum(b: Build, pairs, weight) -> tuple[list[float], list, float]:
    """``sum`` over the (family, energy item) ``pairs`` of ``weight(family, item)`` x the item's
    result, as (coefficients, variables, constant) (:func:`_result`)."""
    cs, vs, const = [], [], 0.0
    for fam, e in pairs:
        c, v, k = _result(b, fam, e.result, weight(fam, e))
        cs += c
        vs += v
        const += k
    return cs, vs, const


def green_share(b: Build, families: Sequence[Family]) -> None:
    ds = b.ds
    if "policy_green_share_min_fraction" not in ds:
        return
    s = float(ds["policy_green_share_min_fraction"])
    cs, vs, rhs = green_share_terms(b, families, s)
    text = "green energy - share x load >= {v:g} MWh (policy.green_share_min_fraction)"
    _check_constant(vs, 0.0, rhs, None, "green share (policy.green_share_min_fraction)")
    _row(b, "policy_green_share", rhs, cs, vs, None, text)


def co2_cap(b: Build, families: Sequence[Family]) -> None:
    ds = b.ds
    if "policy_co2_max_t" not in ds:
        return
    pairs = items(ds, lambda e: e.co2 is not None, families)
    cs, vs, k = _sum(b, pairs, lambda fam, e: ds[f"{fam.dim}_{e.co2}"].values)
    rhs = float(ds["policy_co2_max_t"]) - k
    _check_constant(vs, 0.0, None, rhs, "CO2 cap (policy.co2_max_t)")
    _row(b, "policy_co2", None, cs, vs, rhs, "CO2 <= {v:g} t (policy.co2_max_t)")


def curtailment_cap(b: Build, families: Sequence[Family]) -> None:
    ds = b.ds
    if "policy_curtailment_max_fraction" not in ds:
        return
    used = 1.0 - float(ds["policy_curtailment_max_fraction"])
    cs, vs, rhs = [], [], 0.0
    for fam, e in items(ds, lambda e: e.available is not None, families):
        c, v, k = _result(b, fam, e.result, 1.0)
        cs += c
        vs += v
        rhs -= k
        a_mw = evaluate(ds, fam, e.available, {})  # (time, asset) at today's capacity
        rhs += used * float(a_mw.sum())
        for cap, names in _changes(b, fam):
            more = ds.assign({k: ds[k] + 1.0 for k in names})  # one unit more of every asset
            per_unit = evaluate(more, fam, e.available, {}) - a_mw  # alpha [MWh/unit per hour]
            for a in cap.changing:
                c, v = cap.terms(a, -used * float(per_unit[:, a].sum()))
                cs += c
                vs += v
    text = "renewable output used >= {v:g} MWh (policy.curtailment_max_fraction)"
    _check_constant(vs, 0.0, rhs, None, "curtailment cap (policy.curtailment_max_fraction)")
    _row(b, "policy_curtailment", rhs, cs, vs, None, text)


def reserve_margin(b: Build, families: Sequence[Family]) -> None:
    ds = b.ds
    if "policy_reserve_margin_fraction" not in ds:
        return
    need = (1.0 + float(ds["policy_reserve_margin_fraction"])) * peak_load_mw(ds, families)
    credit = credits_of(ds)
    cs, vs, firm = [], [], 0.0
    for fam, e in items(ds, lambda e: e.supply, families):
        name = firm_input(ds, fam, e)
        if name is None:
            continue
        k = np.array([credit.get(t, 0.0) for t in technologies(ds, fam, e)])
        firm += float((k * ds[name].values).sum())
        for cap, names in _changes(b, fam):
            for a in cap.changing if name in names else ():
                c, v = cap.terms(a, float(k[a]))
                cs += c
                vs += v
    text = "firm capacity added >= {v:g} MW (policy.reserve_margin_fraction, capacity_credit)"
    _check_constant(vs, firm, need, None, "reserve margin (policy.reserve_margin_fraction)")
    _row(b, "policy_reserve_margin", need - firm, cs, vs, None, text)


def _check_constant(variables, value: float, lower, upper, what: str) -> None:
    """A row with no variables is not created: raise SolveError when its constant ``value``
    misses a side (within 1e-9 relative)."""
    if variables:
        return
    tol = 1e-9 * max(1.0, abs(value), abs(lower or 0.0), abs(upper or 0.0))
    if (lower is not None and value < lower - tol) or (upper is not None and value > upper + tol):
        bound = f">= {lower:,.6g}" if lower is not None else f"<= {upper:,.6g}"
        raise SolveError(
            f"model is infeasible: policy {what}: {value:,.6g} is fixed and must be {bound}; "
            "relax the policy, or let the plan build (gridopt plan with new_max_* > 0)"
        )
