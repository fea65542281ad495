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
"""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from gridopt.model.core import Build, Meaning, Rows
from gridopt.model.family import (
    CostItem,
    Economics,
    Energy,
    Family,
    InputVar,
    Output,
    PriceSetter,
    interior,
)
from gridopt.scenario.fields import CnyPerMWh, Efficiency, EnergyMWh, Fraction, PowerMW, Strict
from gridopt.scenario.fields import Economics as AssetEconomics


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
    economics: AssetEconomics = AssetEconomics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""

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


def add(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["storage"]
    if n == 0:
        return
    T = b.T
    E = ds["storage_e_max_mwh"].values
    s0 = ds["storage_soc_initial_fraction"].values
    cyclic = ds["storage_cyclic"].values
    elo = np.repeat((ds["storage_soc_min_fraction"].values * E)[:, None], T, axis=1)
    ehi = np.repeat((ds["storage_soc_max_fraction"].values * E)[:, None], T, axis=1)
    for s in range(n):
        if cyclic[s] and not np.isnan(s0[s]):
            elo[s, -1] = ehi[s, -1] = s0[s] * E[s]
    built = (E > 0)[:, None]
    c = b.var(
        "storage_charge",
        0.0,
        np.where(built, ds["storage_p_charge_max_mw"].values[:, None], 0.0),
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
        np.where(built, ds["storage_p_discharge_max_mw"].values[:, None], 0.0),
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
                balance.add(
                    (s, t), rhs, (1.0, -ec[s], 1.0 / ed[s]), (e[s][0], c[s][0], d[s][0]), rhs
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


def marginal(r) -> np.ndarray:
    """Where a store is marginal, (time, store): charging or discharging strictly between 0 and
    its limit (its price is set by another hour)."""
    return interior(r["storage_charge_mw"].values, 0, r["storage_p_charge_max_mw"].values) | (
        interior(r["storage_discharge_mw"].values, 0, r["storage_p_discharge_max_mw"].values)
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
            lambda r: float((r["storage_discharge_mw"] * r["storage_vom_cny_per_mwh"]).sum()),
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
