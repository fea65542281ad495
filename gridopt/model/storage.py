r"""Storage: batteries and pumped hydro.

For store :math:`s`: charge :math:`c_{s,t} \in [0, \bar C_s]`, discharge
:math:`d_{s,t} \in [0, \bar D_s]` [MW], energy :math:`e_{s,t} \in [\underline\sigma_s E_s,
\bar\sigma_s E_s]` [MWh] at the end of hour :math:`t` (``storage_charge``, ``storage_discharge``,
``storage_soc``); efficiencies :math:`\eta^c_s, \eta^d_s`, standing loss :math:`\lambda_s` [1/h].

.. math::

    e_{s,t} = (1 - \lambda_s) e_{s,t-1} + \eta^c_s c_{s,t} - d_{s,t} / \eta^d_s
    \quad (\text{storage\_energy\_balance})

with :math:`e_{s,-1} = \sigma^0_s E_s` when an initial state is given (and, when ``cyclic``,
:math:`e_{s,T-1} = \sigma^0_s E_s` as a bound), or :math:`e_{s,-1} = e_{s,T-1}` when the initial
state is free. Net injection at the bus: :math:`d_{s,t} - c_{s,t}`; cost: VOM x discharge.
A store with :math:`E_s = 0` (not built, e.g. one case of a sweep) has
:math:`\bar C_s = \bar D_s = 0`, so it cannot turn power into losses by charging and
discharging in the same hour.

**Planning** (``gridopt plan``). Power and energy are sized separately: new charging power
:math:`\Delta P_s` [MW] (``storage_p_charge_max_new``, in [``new_min_mw``, ``new_max_mw``],
priced by ``capex_cny_per_kw``) adds to the charging *and* the discharging limit, and new
energy :math:`\Delta E_s` [MWh] (``storage_e_max_new``, in [``new_min_mwh``,
``new_max_mwh``], priced by ``capex_cny_per_kwh``) to the energy capacity. Every limit that
depends on a capacity that changes becomes a row of that store (the others stay bounds, as in
a dispatch, and a store that may be built is never switched off by :math:`E_s = 0`):

.. math::

    c_{s,t} \le \bar C_s + \Delta P_s \quad (\text{storage\_charge\_max}), \qquad
    d_{s,t} \le \bar D_s + \Delta P_s \quad (\text{storage\_discharge\_max})

    \underline\sigma_s (E_s + \Delta E_s) \le e_{s,t} \le \bar\sigma_s (E_s + \Delta E_s)
    \quad (\text{storage\_soc\_min}, \text{storage\_soc\_max})

    e_{s,-1} = \sigma^0_s (E_s + \Delta E_s) \text{ in the first balance row}, \qquad
    e_{s,T-1} = \sigma^0_s (E_s + \Delta E_s) \text{ if cyclic} \quad (\text{storage\_soc\_end})

and, for a store with a duration range :math:`[h^-_s, h^+_s]` [h] (``duration_min_h``,
``duration_max_h``) whose power or energy changes,

.. math::

    h^-_s (\bar C_s + \Delta P_s) \le E_s + \Delta E_s \le h^+_s (\bar C_s + \Delta P_s)
    \quad (\text{storage\_duration\_min}, \text{storage\_duration\_max})

(the duration is energy over *charging* power). A store with :math:`E_s = 0` whose energy a
plan may not change stays switched off, whatever its power; one whose energy may grow is not
switched off (if it ends at :math:`E_s + \Delta E_s = 0` with power left, it can only lose
energy by charging and discharging in the same hour, which an optimum does only when the
energy has no value).
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from gridopt.model.core import Build, Meaning, Planned, Rows
from gridopt.model.family import (
    Capacity,
    CostItem,
    Economics,
    Energy,
    Family,
    InputVar,
    Output,
    PriceSetter,
    interior,
)
from gridopt.scenario.fields import (
    CnyPerMWh,
    Efficiency,
    EnergyMWh,
    Fraction,
    PowerMW,
    Strict,
    new_capacity_in_order,
)
from gridopt.scenario.fields import Economics as AssetEconomics

Hours = Annotated[float, Field(gt=0, le=8760 * 100)]
"""A storage duration [h]: energy capacity over charging power."""


# Scenario entry ``storage.<name>``: its field docstrings are docs/scenario.md.
class Storage(Strict):
    bus: str
    kind: Literal["battery", "pumped_hydro", "other"] = "battery"
    p_charge_max_mw: PowerMW
    """Largest charging power [MW] (0 with ``e_max_mwh: 0``: none built)."""
    p_discharge_max_mw: PowerMW | None = None
    """Largest discharging power [MW]; defaults to the charging power."""
    e_max_mwh: EnergyMWh
    """Energy capacity [MWh] (0: no storage, e.g. one case of a sweep; it then neither charges
    nor discharges, and its default capital cost is zero)."""
    eff_charge: Efficiency = 0.95
    """Charging efficiency [-]."""
    eff_discharge: Efficiency = 0.95
    """Discharging efficiency [-]."""
    standing_loss_per_h: Annotated[float, Field(ge=0, lt=1)] = 0.0
    """Share of the stored energy lost each hour [1/h]."""
    soc_min_fraction: Fraction = 0.0
    """Lowest state of charge as a share of energy capacity [-]."""
    soc_max_fraction: Fraction = 1.0
    """Highest state of charge as a share of energy capacity [-]."""
    soc_initial_fraction: Fraction | None = 0.5
    """State of charge before the first hour [-]; ``null``: free, equal to the final state."""
    cyclic: bool = True
    """The state of charge at the end equals the initial one."""
    vom_cny_per_mwh: CnyPerMWh = 0.0
    """Cost per MWh discharged [CNY/MWh]."""
    new_min_mw: PowerMW = 0.0
    """Least new power a plan must build here [MW] (``gridopt plan``; ``gridopt run``
    dispatches the store as it is). New power adds to the charging and the discharging
    limit alike; it is priced by ``economics.capex_cny_per_kw``."""
    new_max_mw: PowerMW | None = 0.0
    """Most new power a plan may build here [MW]; 0: none (power not expandable); ``null``:
    no limit."""
    new_min_mwh: EnergyMWh = 0.0
    """Least new energy capacity a plan must build here [MWh] (``gridopt plan``); priced by
    ``economics.capex_cny_per_kwh``."""
    new_max_mwh: EnergyMWh | None = 0.0
    """Most new energy capacity a plan may build here [MWh]; 0: none (energy not
    expandable); ``null``: no limit."""
    duration_min_h: Hours | None = None
    """Shortest duration a plan may give the store [h]: total energy capacity at least this
    many hours of total charging power (``gridopt plan``, when power or energy may change);
    ``null``: no limit."""
    duration_max_h: Hours | None = None
    """Longest duration a plan may give the store [h] (energy at most this many hours of
    charging power); ``null``: no limit."""
    economics: AssetEconomics = AssetEconomics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""

    @model_validator(mode="after")
    def _plan_bounds_in_order(self) -> Storage:
        new_capacity_in_order(self, "new_min_mw", "new_max_mw")
        new_capacity_in_order(self, "new_min_mwh", "new_max_mwh")
        lo, hi = self.duration_min_h, self.duration_max_h
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(
                f"duration_min_h ({lo:g}) exceeds duration_max_h ({hi:g}): the shortest "
                "duration must not exceed the longest"
            )
        return self

    @model_validator(mode="after")
    def _soc_order(self) -> Storage:
        if self.soc_min_fraction > self.soc_max_fraction:
            raise ValueError("soc_min_fraction must not exceed soc_max_fraction")
        s0 = self.soc_initial_fraction
        if s0 is not None and not (self.soc_min_fraction <= s0 <= self.soc_max_fraction):
            raise ValueError(
                "soc_initial_fraction must lie between soc_min_fraction and soc_max_fraction"
            )
        return self


POWER = Capacity(
    "p_charge_max_mw", "new_min_mw", "new_max_mw", basis="kw", also=("p_discharge_max_mw",)
)
"""A store's charging power, expandable in a plan (``new_min_mw``, ``new_max_mw``); new power
raises the discharging limit by as much (``also``: the planned ``p_discharge_max_mw``, the
firm capacity of the reserve margin)."""
ENERGY = Capacity("e_max_mwh", "new_min_mwh", "new_max_mwh", basis="kwh")
"""A store's energy capacity, expandable in a plan (``new_min_mwh``, ``new_max_mwh``)."""


def _only(p: Planned, keep: np.ndarray) -> Planned:
    """``p`` restricted to the assets where ``keep`` is true (rows only for those)."""
    return Planned(
        p.fixed,
        {a: v for a, v in p.new.items() if keep[a]},
        {a: v for a, v in p.retired.items() if keep[a]},
    )


def add(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["storage"]
    if n == 0:
        return
    T = b.T
    power = b.capacity("storage", POWER, "storage")
    energy = b.capacity("storage", ENERGY, "storage")
    # The discharging limit changes with the charging power: same variables, its own base.
    discharge = Planned(ds["storage_p_discharge_max_mw"].values, power.new, power.retired)
    changes = np.array([power.changes(s) or energy.changes(s) for s in range(n)], bool)
    E = energy.fixed
    s0 = ds["storage_soc_initial_fraction"].values
    cyclic = ds["storage_cyclic"].values
    smin, smax = ds["storage_soc_min_fraction"].values, ds["storage_soc_max_fraction"].values
    elo = np.repeat((smin * E)[:, None], T, axis=1)
    ehi = np.repeat((smax * E)[:, None], T, axis=1)
    for s in range(n):
        if cyclic[s] and not np.isnan(s0[s]):
            elo[s, -1] = ehi[s, -1] = s0[s] * E[s]
    for s in energy.changing:  # limits in rows below
        elo[s], ehi[s] = 0.0, np.inf
    # A store holds energy when it has some or a plan may give it some (not switched off).
    built = ((E > 0) | np.isin(np.arange(n), energy.changing))[:, None]
    ones = np.ones(n)
    c = b.var(
        "storage_charge",
        0.0,
        np.where(built, power.bound(ones), 0.0),
        n=n,
        meaning=Meaning(
            "storage",
            "storage",
            upper="charging <= {v:g} MW (p_charge_max_mw; 0 if e_max_mwh is 0)",
        ),
    )
    d = b.var(
        "storage_discharge",
        0.0,
        np.where(built, discharge.bound(ones), 0.0),
        n=n,
        meaning=Meaning(
            "storage",
            "storage",
            upper="discharging <= {v:g} MW (p_discharge_max_mw; 0 if e_max_mwh is 0)",
        ),
    )
    last = "; in the last hour of a cyclic store: soc_initial_fraction x e_max_mwh"
    e = b.var(
        "storage_soc",
        elo,
        ehi,
        meaning=Meaning(
            "storage",
            "storage",
            lower="stored energy >= {v:g} MWh (soc_min_fraction x e_max_mwh" + last + ")",
            upper="stored energy <= {v:g} MWh (soc_max_fraction x e_max_mwh" + last + ")",
        ),
    )
    _planned_limits(b, power, discharge, energy, c, d, e)
    ec, ed = ds["storage_eff_charge"].values, ds["storage_eff_discharge"].values
    keep = 1.0 - ds["storage_standing_loss_per_h"].values
    vom = ds["storage_vom_cny_per_mwh"].values
    balance = Rows()
    for s, bus in enumerate(ds["storage_bus"].values):
        b.inject(str(bus), 1.0, d[s])
        b.inject(str(bus), -1.0, c[s])
        b.cost(vom[s], d[s])
        for t in range(T):
            if t == 0 and not np.isnan(s0[s]):
                rhs = keep[s] * s0[s] * E[s]
                cs, vs = energy.terms(s, -keep[s] * s0[s])  # e_{-1} of the planned energy
                balance.add(
                    (s, t),
                    rhs,
                    (1.0, -ec[s], 1.0 / ed[s], *cs),
                    (e[s][0], c[s][0], d[s][0], *vs),
                    rhs,
                )
            elif T == 1:  # free initial state and one hour: e_{-1} = e_0
                balance.add(
                    (s, t),
                    0.0,
                    (1.0 - keep[s], -ec[s], 1.0 / ed[s]),
                    (e[s][0], c[s][0], d[s][0]),
                    0.0,
                )
            else:  # t - 1 = -1 wraps to the last hour: cyclic
                balance.add(
                    (s, t),
                    0.0,
                    (1.0, -keep[s], -ec[s], 1.0 / ed[s]),
                    (e[s][t], e[s][t - 1], c[s][t], d[s][t]),
                    0.0,
                )
    kept = (
        "stored energy = (1 - standing_loss_per_h) x the hour before + eff_charge x charging"
        " - discharging / eff_discharge (before the first hour: soc_initial_fraction x e_max_mwh)"
    )
    b.rows("storage_energy_balance", balance, Meaning("storage", "storage", kept, kept))
    _duration(b, power, energy, changes)


def _planned_limits(
    b: Build, power: Planned, discharge: Planned, energy: Planned, c: list, d: list, e: list
) -> None:
    """The rows of the stores whose power or energy changes (a plan): charging and
    discharging within the planned power, stored energy within the planned energy's state of
    charge limits, and a cyclic store's end state at its share of the planned energy."""
    ds, T = b.ds, b.T
    n = len(energy.fixed)
    ones = np.ones(n)
    power.limit(
        b,
        "storage_charge_max",
        c,
        ones,
        Meaning(
            "storage",
            "storage",
            upper="charging <= p_charge_max_mw + new power: {v:g} MW from p_charge_max_mw",
        ),
    )
    discharge.limit(
        b,
        "storage_discharge_max",
        d,
        ones,
        Meaning(
            "storage",
            "storage",
            upper="discharging <= p_discharge_max_mw + new power: {v:g} MW from p_discharge_max_mw",
        ),
    )
    if not energy.changing:
        return
    smin, smax = ds["storage_soc_min_fraction"].values, ds["storage_soc_max_fraction"].values
    energy.limit(
        b,
        "storage_soc_max",
        e,
        smax,
        Meaning(
            "storage",
            "storage",
            upper="stored energy <= soc_max_fraction x (e_max_mwh + new energy): {v:g} MWh"
            " from e_max_mwh",
        ),
    )
    _only(energy, smin > 0).limit(
        b,
        "storage_soc_min",
        e,
        smin,
        Meaning(
            "storage",
            "storage",
            lower="stored energy >= soc_min_fraction x (e_max_mwh + new energy): {v:g} MWh"
            " from e_max_mwh",
        ),
        lower=True,
    )
    s0, cyclic = ds["storage_soc_initial_fraction"].values, ds["storage_cyclic"].values
    end = Rows()
    for s in energy.changing:
        if cyclic[s] and not np.isnan(s0[s]):
            cs, vs = energy.terms(s, -float(s0[s]))
            rhs = float(s0[s] * energy.fixed[s])
            end.add(s, rhs, (1.0, *cs), (e[s][T - 1], *vs), rhs)
    said = "stored energy at the end = soc_initial_fraction x (e_max_mwh + new energy)"
    b.rows("storage_soc_end", end, Meaning("storage", "storage", said, said))


def _duration(b: Build, power: Planned, energy: Planned, changes: np.ndarray) -> None:
    """Duration range of the stores whose power or energy changes:
    ``h_min x (P + new P) <= E + new E <= h_max x (P + new P)``, one row each way per store."""
    ds = b.ds
    for side, what in (("min", "shortest"), ("max", "longest")):
        h = ds[f"storage_duration_{side}_h"].values
        rows = Rows()
        for s in np.flatnonzero(changes & ~np.isnan(h)):
            s = int(s)
            ce, ve = energy.terms(s, 1.0)
            cp, vp = power.terms(s, -float(h[s]))
            rhs = float(h[s] * power.fixed[s] - energy.fixed[s])  # E - h P >= / <= h P - E
            lo, hi = (rhs, None) if side == "min" else (None, rhs)
            rows.add(s, lo, (*ce, *cp), (*ve, *vp), hi)
        said = (
            f"energy capacity {'>=' if side == 'min' else '<='} duration_{side}_h x charging"
            f" power ({what} duration; {{v:g}} = duration_{side}_h x p_charge_max_mw -"
            " e_max_mwh)"
        )
        lower, upper = (said, "") if side == "min" else ("", said)
        meaning = Meaning("storage", "storage", lower, upper)
        b.rows(f"storage_duration_{side}", rows, meaning)


def marginal(r) -> np.ndarray:
    """Where a store is marginal, (time, store): charging or discharging strictly between 0 and
    its limit (its price is set by another hour)."""
    v = r.variables
    return interior(v["storage_charge_mw"].values, 0, v["storage_p_charge_max_mw"].values) | (
        interior(v["storage_discharge_mw"].values, 0, v["storage_p_discharge_max_mw"].values)
    )


FAMILY = Family(
    dim="storage",
    section="storage",
    entry=Storage,
    doc="Batteries and pumped hydro.",
    references={"bus": "buses"},
    add=add,
    outputs=(
        Output("storage_charge", "storage_charge_mw", "MW", "charging power"),
        Output("storage_discharge", "storage_discharge_mw", "MW", "discharging power"),
        Output("storage_soc", "storage_soc_mwh", "MWh", "energy stored at the end of the hour"),
    ),
    costs=(
        CostItem(
            "storage_vom",
            lambda r: float(
                (r.variables["storage_discharge_mw"] * r.variables["storage_vom_cny_per_mwh"]).sum()
            ),
            component="flexibility",
        ),
    ),
    price_setters=(PriceSetter("storage:{name}", marginal, technology="kind"),),
    energy=(
        Energy(
            "storage_discharge", "storage_discharge_mw", supply=True, kind="discharge", tech="kind"
        ),
        Energy("storage_charge", "storage_charge_mw", supply=False, kind="charge", tech="kind"),
    ),
    expandable="e_max_mwh",
    capacities=(POWER, ENERGY),
    supplies=("e_max_mwh", "p_discharge_max_mw"),
    inputs=(
        InputVar("bus", ""),
        InputVar("kind", ""),
        InputVar("p_charge_max_mw", "MW"),
        InputVar(
            "p_discharge_max_mw",
            "MW",
            compute=lambda sc, s: (
                s.p_charge_max_mw if s.p_discharge_max_mw is None else s.p_discharge_max_mw
            ),
        ),
        InputVar("e_max_mwh", "MWh"),
        InputVar("eff_charge", "1"),
        InputVar("eff_discharge", "1"),
        InputVar("standing_loss_per_h", "1/h"),
        InputVar("soc_min_fraction", "1"),
        InputVar("soc_max_fraction", "1"),
        InputVar("soc_initial_fraction", "1", default=np.nan),
        InputVar("cyclic", ""),
        InputVar("vom_cny_per_mwh", "CNY/MWh"),
        InputVar("duration_min_h", "h", default=np.nan, description="no limit: NaN"),
        InputVar("duration_max_h", "h", default=np.nan, description="no limit: NaN"),
    ),
    economics=Economics(
        tech=lambda s: "storage_other" if s.kind == "other" else s.kind,
        kw=lambda s: s.p_charge_max_mw * 1e3 if s.e_max_mwh > 0 else 0.0,
        kwh=lambda s: s.e_max_mwh * 1e3,
        component="flexibility",
        technology="kind",
    ),
    label="storage",
)
