r"""Thermal clusters (coal, CHP, gas) with linearised unit commitment; in a plan, new build
and retirement.

Sets and parameters (cluster :math:`g`, hour :math:`t`):

- :math:`P_g` cluster capacity = n_units x p_unit [MW]; :math:`a_{g,t}` availability [-]
- :math:`\mu_g` minimum stable output as a share of committed capacity [-]
- :math:`m_{g,t}` must-run output [MW]; :math:`r^{up}_g, r^{dn}_g` ramp limits [1/h]
- :math:`c_g` marginal cost = fuel + VOM + CO2 x carbon price [CNY/MWh]; :math:`s_g` start-up
  cost [CNY/MW]

Variables: output :math:`p_{g,t}` [MW] (``thermal_p``); committed capacity :math:`u_{g,t}` [MW]
(``thermal_committed``) and started capacity :math:`v_{g,t}` [MW] (``thermal_startup``) where the cluster
has a minimum stable output or a start-up cost.

.. math::

    m_{g,t} \le p_{g,t} \le a_{g,t} P_g, \qquad 0 \le u_{g,t} \le a_{g,t} P_g
    \\ \mu_g u_{g,t} \le p_{g,t} \le u_{g,t}            \quad (\text{thermal\_min\_stable}, \text{thermal\_max\_committed})
    \\ v_{g,t} \ge u_{g,t} - u_{g,t-1},\ v_{g,t} \ge 0     \quad (\text{thermal\_startup\_def};\ u_{g,-1} = u_{g,T-1},\ \text{cyclic})
    \\ -r^{dn}_g P_g \le p_{g,t} - p_{g,t-1} \le r^{up}_g P_g  \quad (\text{thermal\_ramp},\ t \ge 1)

Cost: :math:`\sum_t c_g p_{g,t} + s_g v_{g,t}`. Committed capacity is continuous, so the model
stays an LP while minimum stable output and start-up costs still shape the dispatch (a cluster
that must run at 40 % of what is committed cannot follow net load for free).

Planning (``gridopt plan``, :meth:`gridopt.model.core.Build.capacity`): a cluster with
``new_max_mw`` > 0 (or ``null``) gets new capacity :math:`N_g` (``thermal_p_nom_new``,
``new_min_mw`` <= N_g <= ``new_max_mw``) and a ``retirable`` one with existing capacity gets
retired capacity :math:`R_g` (``thermal_p_nom_retired``, 0 <= R_g <= P_g). For such a cluster
the capacity is :math:`K_g = P_g + N_g - R_g` and every limit above that depends on it is a row
instead of a bound (the bounds on :math:`p` and :math:`u` are then only :math:`p \ge m`,
:math:`u \ge 0`):

.. math::

    p_{g,t} \le a_{g,t} K_g          \quad (\text{thermal\_p\_available; clusters without commitment})
    \\ u_{g,t} \le a_{g,t} K_g       \quad (\text{thermal\_committed\_available; with commitment,
    p \le u})
    \\ p_{g,t} - p_{g,t-1} \le r^{up}_g K_g,\quad p_{g,t} - p_{g,t-1} \ge -r^{dn}_g K_g
       \quad (\text{thermal\_ramp\_up}, \text{thermal\_ramp\_down},\ t \ge 1)

Other clusters keep the bounds and ``thermal_ramp`` rows above, so a dispatch LP is unchanged.
Cost: :math:`f (A_g N_g - F_g R_g)` with :math:`A_g` the annuity + fixed O&M and :math:`F_g`
the fixed O&M per MW and year, :math:`f` the horizon's share of a year. Must-run
:math:`m_{g,t}` is an absolute MW (a heat obligation, not a share of capacity): it is not
scaled, so retirement stops where :math:`a_{g,t} K_g \ge m_{g,t}` still holds in every hour
(the input check keeps :math:`m_{g,t} \le a_{g,t} P_g`, so the existing capacity always
carries it; new capacity does not relax that check).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from gridopt.model.core import Build, Meaning, Planned, Rows, ramp_rows
from gridopt.model.family import (
    TOL_MW,
    Capacity,
    CostItem,
    Economics,
    Energy,
    Family,
    Finding,
    InputVar,
    Output,
    PriceSetter,
    interior,
)
from gridopt.scenario.fields import (
    CnyPerKW,
    CnyPerMWh,
    Fraction,
    PosPowerMW,
    PowerMW,
    Series,
    Strict,
    new_capacity_in_order,
)
from gridopt.scenario.fields import Economics as AssetEconomics


# Scenario entry ``thermal.<name>``: its field docstrings are docs/scenario.md.
class Thermal(Strict):
    bus: str
    fuel: str
    """Key of the ``fuels`` section."""
    n_units: Annotated[int, Field(ge=0, le=10000)] = 1
    """Number of identical units in the cluster (0: none built, e.g. one case of a sweep)."""
    p_unit_mw: PosPowerMW
    """Rated output of one unit [MW]."""
    min_stable_fraction: Fraction = 0.0
    """Minimum stable output as a share of committed capacity [-]."""
    ramp_up_fraction_per_h: Annotated[float, Field(gt=0, le=1)] | None = None
    """Largest output increase in one hour, as a share of cluster capacity [1/h]; none: no limit."""
    ramp_down_fraction_per_h: Annotated[float, Field(gt=0, le=1)] | None = None
    """Largest output decrease in one hour, as a share of cluster capacity [1/h]; none: no limit."""
    heat_rate_gce_per_kwh: Annotated[float, Field(gt=0, le=2000)]
    """Fuel use in grams of standard coal equivalent per kWh sent out [gce/kWh]."""
    vom_cny_per_mwh: CnyPerMWh = 0.0
    """Variable operation and maintenance cost [CNY/MWh]."""
    co2_t_per_mwh: Annotated[float, Field(ge=0, le=10)] | None = None
    """CO2 intensity [t/MWh]; default: heat rate x the fuel's ``co2_t_per_tce``."""
    startup_cost_cny_per_mw: CnyPerKW = 0.0
    """Cost of starting up one MW of capacity [CNY/MW]."""
    must_run_mw: Series | None = None
    """Minimum output each hour, e.g. for winter heat supply [MW]."""
    availability: Series | None = None
    """Share of capacity available each hour (outages, derates) [-]; default 1."""
    new_min_mw: PowerMW = 0.0
    """Least new capacity a plan must build in this cluster [MW] (``gridopt plan``; ``gridopt
    run`` dispatches n_units x p_unit_mw as it is)."""
    new_max_mw: PowerMW | None = 0.0
    """Most new capacity a plan may build in this cluster [MW]; 0: none (not expandable);
    ``null``: no limit. New capacity has this cluster's fuel, costs, availability, ramp and
    commitment parameters; it is continuous (not whole units)."""
    retirable: bool = False
    """A plan may retire the existing capacity, up to all of it, saving its fixed O&M
    (``gridopt plan``)."""
    economics: AssetEconomics = AssetEconomics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""

    @model_validator(mode="after")
    def _new_capacity_in_order(self) -> Thermal:
        new_capacity_in_order(self, "new_min_mw", "new_max_mw")
        return self


STANDARD_COAL_KCAL_PER_KG = 7000.0


def available_mw(ds) -> np.ndarray:
    """Available capacity :math:`a_{g,t} P_g` as (time, cluster) [MW]."""
    return ds["thermal_availability_pu"].values * ds["thermal_p_nom_mw"].values


def committed_units(ds) -> list[int]:
    """Clusters with a committed capacity (``thermal_committed``): those with a minimum stable output
    or a start-up cost."""
    msf = ds["thermal_min_stable_fraction"].values
    sc = ds["thermal_startup_cost_cny_per_mw"].values
    return [g for g in range(ds.sizes["thermal"]) if msf[g] > 0 or sc[g] > 0]


def started_units(ds) -> list[int]:
    """Clusters with a started capacity (``thermal_startup``): committed ones with a start-up
    cost; none over one hour (with one cyclic hour u_t - u_{t-1} = 0: nothing starts)."""
    sc = ds["thermal_startup_cost_cny_per_mw"].values
    return [g for g in committed_units(ds) if sc[g] > 0] if ds.sizes["time"] > 1 else []


CAPACITY = Capacity("p_nom_mw", "new_min_mw", "new_max_mw", retirable="retirable")
"""A cluster's capacity (n_units x p_unit_mw), expandable in a plan (``new_min_mw``,
``new_max_mw``) and retirable where ``retirable`` is true."""


def _changing(cap: Planned, assets) -> Planned:
    """``cap`` restricted to the changing clusters among ``assets`` (positions)."""
    keep = set(assets)
    return Planned(
        cap.fixed,
        {a: v for a, v in cap.new.items() if a in keep},
        {a: v for a, v in cap.retired.items() if a in keep},
    )


def _planned_ramp_rows(b: Build, cap: Planned, p: list, up: np.ndarray, down: np.ndarray) -> None:
    """Ramp limits of the clusters whose capacity changes: ``p_t - p_{t-1} - up (N - R) <= up
    P`` (``thermal_ramp_up``) and ``p_t - p_{t-1} + down (N - R) >= -down P``
    (``thermal_ramp_down``) for t >= 1; ``up``/``down`` [1/h] per cluster, NaN: no limit."""
    rows_up, rows_down = Rows(), Rows()
    for g in cap.changing:
        for t in range(1, b.T):
            if not np.isnan(up[g]):
                cs, vs = cap.terms(g, -float(up[g]))
                rhs = float(up[g] * cap.fixed[g])
                rows_up.add((g, t), None, (1.0, -1.0, *cs), (p[g][t], p[g][t - 1], *vs), rhs)
            if not np.isnan(down[g]):
                cs, vs = cap.terms(g, float(down[g]))
                rhs = float(-down[g] * cap.fixed[g])
                rows_down.add((g, t), rhs, (1.0, -1.0, *cs), (p[g][t], p[g][t - 1], *vs), None)
    b.rows(
        "thermal_ramp_up",
        rows_up,
        Meaning(
            "thermal",
            "thermal",
            upper="output may rise at most ramp_up_fraction_per_h x (n_units x p_unit_mw + new "
            "- retired) from the hour before: {v:g} MW from the existing capacity",
        ),
    )
    b.rows(
        "thermal_ramp_down",
        rows_down,
        Meaning(
            "thermal",
            "thermal",
            lower="output may fall at most ramp_down_fraction_per_h x (n_units x p_unit_mw + "
            "new - retired) from the hour before: {a:g} MW from the existing capacity",
        ),
    )


def add(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["thermal"]
    if n == 0:
        return
    T = b.T
    cap = b.capacity("thermal", CAPACITY, "thermal")
    p_nom = ds["thermal_p_nom_mw"].values
    avail = ds["thermal_availability_pu"].values.T  # (g, t)
    pmax = cap.bound(avail)  # a_g,t x P_g; +inf for a cluster whose capacity changes
    p = b.var(
        "thermal_p",
        ds["thermal_must_run_mw"].values.T,
        pmax,
        meaning=Meaning(
            "thermal",
            "thermal",
            lower="output >= {v:g} MW (must_run_mw)",
            upper="output <= {v:g} MW available (n_units x p_unit_mw x availability)",
        ),
    )
    mc = ds["thermal_marginal_cost_cny_per_mwh"].values
    bus = ds["thermal_bus"].values
    for g in range(n):
        b.inject(str(bus[g]), 1.0, p[g])
        b.cost(mc[g], p[g])

    msf = ds["thermal_min_stable_fraction"].values
    sc = ds["thermal_startup_cost_cny_per_mw"].values
    uc = committed_units(ds)
    _changing(cap, set(range(n)) - set(uc)).limit(
        b,
        "thermal_p_available",
        p,
        avail,
        Meaning(
            "thermal",
            "thermal",
            upper="output <= availability x (n_units x p_unit_mw + new - retired): {v:g} MW "
            "from the existing capacity",
        ),
    )
    if uc:
        u = b.var(
            "thermal_committed",
            0.0,
            pmax[uc],
            meaning=Meaning(
                "thermal",
                "thermal",
                upper="committed capacity <= {v:g} MW (n_units x p_unit_mw x availability)",
                assets=tuple(uc),
            ),
        )
        _changing(cap, uc).limit(
            b,
            "thermal_committed_available",
            {g: u[k] for k, g in enumerate(uc)},
            avail,
            Meaning(
                "thermal",
                "thermal",
                upper="committed capacity <= availability x (n_units x p_unit_mw + new - "
                "retired): {v:g} MW from the existing capacity",
            ),
        )
        cap_rows, stable = Rows(), Rows()
        for k, g in enumerate(uc):
            for t in range(T):
                cap_rows.add((g, t), None, (1.0, -1.0), (p[g][t], u[k][t]), 0.0)
                if msf[g] > 0:
                    stable.add((g, t), 0.0, (1.0, -msf[g]), (p[g][t], u[k][t]), None)
        b.rows(
            "thermal_max_committed",
            cap_rows,
            Meaning("thermal", "thermal", upper="output <= committed capacity"),
        )
        b.rows(
            "thermal_min_stable",
            stable,
            Meaning(
                "thermal",
                "thermal",
                lower="output >= min_stable_fraction x committed capacity",
            ),
        )
        started = started_units(ds)
        if started:
            v = b.var(
                "thermal_startup",
                0.0,
                np.inf,
                n=len(started),
                meaning=Meaning("thermal", "thermal", assets=tuple(started)),
            )
            start = Rows()
            for k, g in enumerate(started):
                ug = u[uc.index(g)]
                b.cost(sc[g], v[k])
                for t in range(T):  # t - 1 = -1 wraps to the last hour: cyclic
                    start.add((g, t), 0.0, (1.0, -1.0, 1.0), (v[k][t], ug[t], ug[t - 1]), None)
            b.rows(
                "thermal_startup_def",
                start,
                Meaning(
                    "thermal",
                    "thermal",
                    lower="started capacity >= rise in committed capacity (startup_cost_cny_per_mw)",
                ),
            )

    rup = ds["thermal_ramp_up_fraction_per_h"].values
    rdn = ds["thermal_ramp_down_fraction_per_h"].values
    fixed = np.array([not cap.changes(g) for g in range(n)])
    b.rows(
        "thermal_ramp",
        ramp_rows(p, T, np.where(fixed, rup * p_nom, np.nan), np.where(fixed, rdn * p_nom, np.nan)),
        Meaning(
            "thermal",
            "thermal",
            lower="output may fall at most {a:g} MW from the hour before "
            "(ramp_down_fraction_per_h x n_units x p_unit_mw)",
            upper="output may rise at most {v:g} MW from the hour before "
            "(ramp_up_fraction_per_h x n_units x p_unit_mw)",
        ),
    )
    _planned_ramp_rows(b, cap, p, rup, rdn)


def marginal(r) -> np.ndarray:
    """Where a cluster is marginal, (time, cluster): output strictly between its lower limit
    (must-run, and min_stable_fraction x committed capacity) and its available capacity."""
    lo = np.maximum(
        r.variables["thermal_must_run_mw"].values,
        r.variables["thermal_min_stable_fraction"].values
        * r.variables["thermal_committed_mw"].values,
    )
    return interior(r.variables["thermal_p_mw"].values, lo - TOL_MW, available_mw(r))


def marginal_cost(r) -> np.ndarray:
    """Marginal cost of each cluster in each hour, (time, cluster) [CNY/MWh]."""
    mc = r.variables["thermal_marginal_cost_cny_per_mwh"].values
    return np.broadcast_to(mc, (r.sizes["time"], len(mc)))


def p_nom_mw(sc, t) -> float:
    """Installed capacity [MW]: n_units x p_unit_mw."""
    return float(t.n_units * t.p_unit_mw)


def fuel_cost_cny_per_mwh(sc, t) -> float:
    """Fuel cost [CNY/MWh]: heat rate [gce/kWh = kg/MWh] / 1000 x the fuel's price per tonne
    of standard coal (price x 7000 kcal/kg / heat value); NaN for an unknown fuel (reported
    by the scenario checks)."""
    f = sc.fuels.get(t.fuel)
    if f is None:
        return np.nan
    price_per_tce = f.price_cny_per_t * STANDARD_COAL_KCAL_PER_KG / f.heat_value_kcal_per_kg
    return t.heat_rate_gce_per_kwh / 1000 * price_per_tce


def co2_t_per_mwh(sc, t) -> float:
    """CO2 emitted [t/MWh]: co2_t_per_mwh, or heat rate / 1000 x the fuel's t CO2 per tce."""
    if t.co2_t_per_mwh is not None:
        return t.co2_t_per_mwh
    f = sc.fuels.get(t.fuel)
    return np.nan if f is None else t.heat_rate_gce_per_kwh / 1000 * f.co2_t_per_tce


def marginal_cost_cny_per_mwh(sc, t) -> float:
    """Marginal cost [CNY/MWh]: fuel + variable O&M + CO2 x carbon price."""
    return (
        fuel_cost_cny_per_mwh(sc, t)
        + t.vom_cny_per_mwh
        + co2_t_per_mwh(sc, t) * sc.settings.carbon_price_cny_per_t
    )


def must_run_within_capacity(ds):
    """Must-run output never above the available capacity (n_units x p_unit_mw x
    availability)."""
    p_nom = ds["thermal_p_nom_mw"].values
    avail = ds["thermal_availability_pu"].values
    must = ds["thermal_must_run_mw"].values
    for j in range(ds.sizes["thermal"]):
        over = must[:, j] > avail[:, j] * p_nom[j] + 1e-6
        if over.any():
            k = int(np.argmax(over))
            yield Finding(
                j,
                "must_run_mw",
                f"above the available capacity in {int(over.sum())} hour(s), first at hour {k}",
                float(must[k, j]),
                f"must not exceed n_units x p_unit_mw x availability ({p_nom[j]:g} MW at full availability)",
            )


FAMILY = Family(
    dim="thermal",
    section="thermal",
    entry=Thermal,
    doc="Coal, CHP or gas clusters of identical units.",
    references={"bus": "buses", "fuel": "fuels"},
    add=add,
    outputs=(
        Output("thermal_p", "thermal_p_mw", "MW", "thermal output"),
        Output(
            "thermal_committed",
            "thermal_committed_mw",
            "MW",
            "committed capacity (linearised unit commitment; available capacity where the "
            "cluster has no commitment)",
            assets=committed_units,
            absent=available_mw,
            sheet=False,
        ),
        Output(
            "thermal_startup",
            "thermal_startup_mw",
            "MW",
            "capacity started up in the hour",
            assets=started_units,
            sheet=False,
        ),
    ),
    costs=(
        CostItem(
            "thermal_fuel",
            lambda r: float(
                (r.variables["thermal_p_mw"] * r.variables["thermal_fuel_cost_cny_per_mwh"]).sum()
            ),
            component="energy",
        ),
        CostItem(
            "thermal_vom",
            lambda r: float(
                (r.variables["thermal_p_mw"] * r.variables["thermal_vom_cny_per_mwh"]).sum()
            ),
            component="energy",
        ),
        CostItem(
            "carbon",
            lambda r: float(
                (r.variables["thermal_p_mw"] * r.variables["thermal_co2_t_per_mwh"]).sum()
                * r.variables["carbon_price_cny_per_t"]
            ),
            component="energy",
        ),
        CostItem(
            "startup",
            lambda r: float(
                (
                    r.variables["thermal_startup_mw"]
                    * r.variables["thermal_startup_cost_cny_per_mw"]
                ).sum()
            ),
            component="flexibility",
        ),
    ),
    price_setters=(PriceSetter("{name}", marginal, marginal_cost, technology="fuel"),),
    energy=(
        Energy(
            "thermal_{}",
            "thermal_p_mw",
            supply=True,
            by="fuel",
            kind="thermal",
            tech="fuel",
            co2="co2_t_per_mwh",
        ),
    ),
    expandable="p_nom_mw",
    capacities=(CAPACITY,),
    supplies=("p_nom_mw",),
    inputs=(
        InputVar("bus", ""),
        InputVar("fuel", ""),
        InputVar("n_units", "1"),
        InputVar("p_nom_mw", "MW", compute=p_nom_mw),
        InputVar("min_stable_fraction", "1"),
        InputVar("ramp_up_fraction_per_h", "1/h", default=np.nan),
        InputVar("ramp_down_fraction_per_h", "1/h", default=np.nan),
        InputVar("heat_rate_gce_per_kwh", "gce/kWh"),
        InputVar("fuel_cost_cny_per_mwh", "CNY/MWh", compute=fuel_cost_cny_per_mwh),
        InputVar("vom_cny_per_mwh", "CNY/MWh"),
        InputVar("co2_t_per_mwh", "t/MWh", compute=co2_t_per_mwh),
        InputVar(
            "marginal_cost_cny_per_mwh",
            "CNY/MWh",
            compute=marginal_cost_cny_per_mwh,
            description="fuel + variable O&M + CO2 x carbon price",
        ),
        InputVar("startup_cost_cny_per_mw", "CNY/MW"),
        InputVar("availability_pu", "1", field="availability", default=1.0, hourly=True),
        InputVar("must_run_mw", "MW", default=0.0, hourly=True),
    ),
    checks=(must_run_within_capacity,),
    economics=Economics(
        tech=lambda t: t.fuel,
        kw=lambda t: t.n_units * t.p_unit_mw * 1e3,
        fallback="coal",
        component="capacity",
        technology="fuel",
    ),
    label="thermal",
)
