r"""Green hydrogen: an electrolyser, a hydrogen tank and the hydrogen offtake at a bus.

For plant :math:`h`, hour :math:`t`: electrolyser power in :math:`p_{h,t}` [MW] (``h2_p``),
hydrogen in the tank at the end of the hour :math:`s_{h,t}` [kg] (``h2_stored``) and hydrogen
sold :math:`y_{h,t}` [kg/h] (``h2_sold``). Parameters: rated power :math:`\bar P_h` [MW],
electricity per kg :math:`k_h` [kWh/kg], minimum load :math:`\mu_h` [-], ramp limit
:math:`\rho_h` [1/h], tank size :math:`S_h` [kg] and initial fill :math:`\sigma^0_h` [-], demand
:math:`D_{h,t}` [kg/h], sale price :math:`\pi_{h,t}` [CNY/kg] and sale limit
:math:`\bar Y_{h,t}` [kg/h], variable cost :math:`v_h` [CNY/kg].

Production :math:`q_{h,t} = 1000\, p_{h,t} / k_h` [kg/h] (``h2_production_kg_per_h``).

.. math::

    \mu_h \bar P_h \le p_{h,t} \le \bar P_h, \qquad 0 \le s_{h,t} \le S_h,
    \qquad 0 \le y_{h,t} \le \bar Y_{h,t}
    \\ s_{h,t} = s_{h,t-1} + 1000\, p_{h,t} / k_h - D_{h,t} - y_{h,t}
       \quad (\text{h2\_tank\_balance})
    \\ -\rho_h \bar P_h \le p_{h,t} - p_{h,t-1} \le \rho_h \bar P_h
       \quad (\text{h2\_ramp},\ t \ge 1)

The tank works like a store (:mod:`gridopt.model.storage`): :math:`s_{h,-1} = \sigma^0_h S_h`
when an initial fill is given (and, when ``cyclic``, :math:`s_{h,T-1} = \sigma^0_h S_h` as a
bound), or :math:`s_{h,-1} = s_{h,T-1}` when it is free. Without a sale price
:math:`\bar Y_{h,t} = 0`; with one and no sale limit, :math:`y` is bounded by production and
stock only. The model is an LP: the minimum load holds in every hour of the horizon, as if
the stack were kept warm all the time (it cannot switch off and restart).

Net injection at the bus: :math:`-p_{h,t}` (a use, like an industrial customer's load). Cost:
:math:`\sum_t v_h q_{h,t} - \pi_{h,t} y_{h,t}` (variable cost of production minus sales). The
electrolyser runs where the bus price is below :math:`(\pi_{h,t} - v_h) \cdot 1000 / k_h`
[CNY/MWh] (the value of the hydrogen it makes, per MWh), or earlier than a fixed demand when
the tank can carry it.

Declared as :data:`FAMILY` (dim ``h2``, scenario section ``hydrogen``, entry :class:`Hydrogen`);
its library tenant profile is :data:`PROFILES`.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from gridopt.lazy_import import lazy_module
from gridopt.model.core import INF, Build, Meaning, Rows, ramp_rows
from gridopt.model.family import (
    CostItem,
    Derived,
    Economics,
    Energy,
    Family,
    Finding,
    InputVar,
    Output,
    PriceSetter,
    interior,
)
from gridopt.scenario.fields import MAX_MW, Fraction, PowerMW, Series, Strict
from gridopt.scenario.fields import Economics as EntryEconomics

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)

MAX_KG = 1e9
"""Hydrogen mass [kg] (1 Mt: more than any tank)."""
MAX_KG_PER_H = 1e8
"""Hydrogen flow [kg/h] (far above what 1 TW of electrolysers makes)."""
MAX_CNY_PER_KG = 1e4
"""Hydrogen prices and costs [CNY/kg]."""
GIBBS_KWH_PER_KG = 32.7
"""Electricity that splitting 1 kg of hydrogen out of water needs at least (Gibbs free energy
of water, 237 kJ/mol over 2.016 g/mol) [kWh/kg]: no electrolyser does better."""
LHV_KWH_PER_KG = 33.3
"""Lower heating value of hydrogen [kWh/kg]: a tank's hydrogen as energy, for its investment
per kWh (:class:`~gridopt.model.family.Economics`)."""

KwhPerKg = Annotated[float, Field(gt=GIBBS_KWH_PER_KG, le=200)]
MassKg = Annotated[float, Field(ge=0, le=MAX_KG)]
CnyPerKg = Annotated[float, Field(ge=0, le=MAX_CNY_PER_KG)]


class Hydrogen(Strict):
    """A hydrogen plant at a bus: electrolyser, tank and offtake (fixed demand, sales or both)."""

    bus: str
    p_max_mw: PowerMW
    """Rated electrolyser power, electricity in [MW] (0: none built, e.g. one case of a sweep)."""
    kwh_per_kg: KwhPerKg = 53.0
    """Electricity per kg of hydrogen, the whole system at its grid connection [kWh/kg].
    Default 53: an alkaline system at about 4.8 kWh/Nm3 (0.0899 kg/Nm3) at the AC bus
    (Huali, "Electrolyzer power consumption", 2026: 4.8-5.4 kWh/Nm3 with balance of plant);
    50-60 kWh/kg with ancillaries (Renewable Hydrogen Alliance)."""
    min_load_fraction: Fraction = 0.0
    """Lowest power as a share of ``p_max_mw`` [-]. The model is an LP: the stack is kept warm
    over the whole horizon, so power >= min_load_fraction x p_max_mw in every hour (it never
    switches off). Alkaline stacks typically need some 10-40 % (assumption)."""
    ramp_fraction_per_h: Annotated[float, Field(gt=0, le=1)] | None = None
    """Largest change of power from one hour to the next, as a share of ``p_max_mw`` [1/h];
    none: no limit."""
    tank_max_kg: MassKg = 0.0
    """Hydrogen the tank holds [kg] (0: no tank, production meets the offtake hour by hour)."""
    tank_initial_fraction: Fraction | None = 0.5
    """Tank fill before the first hour as a share of ``tank_max_kg`` [-]; ``null``: free, equal
    to the final fill."""
    cyclic: bool = True
    """The tank ends the horizon as full as it started."""
    demand_kg_per_h: Series | None = None
    """Hydrogen that must be delivered each hour [kg/h] (e.g. an ammonia or methanol plant)."""
    sale_price_cny_per_kg: Series | None = None
    """Price of hydrogen sold, each hour [CNY/kg]; none: nothing is sold beyond the demand."""
    sale_max_kg_per_h: Series | None = None
    """Most hydrogen sold in an hour [kg/h]; none: no limit (needs ``sale_price_cny_per_kg``)."""
    vom_cny_per_kg: CnyPerKg = 0.5
    """Variable cost per kg produced: water (9 kg per kg of hydrogen by stoichiometry), lye and
    stack wear not in the fixed O&M [CNY/kg] (assumption)."""
    economics: EntryEconomics = EntryEconomics()
    """Investment and fixed costs (defaults: the ``electrolyser`` technology of this module;
    ``capex_cny_per_kwh`` is per kWh of hydrogen the tank holds, LHV 33.3 kWh/kg)."""
    description: str = ""

    @model_validator(mode="after")
    def _offtake(self) -> Hydrogen:
        if self.demand_kg_per_h is None and self.sale_price_cny_per_kg is None:
            raise ValueError(
                "give demand_kg_per_h (hydrogen delivered each hour) or sale_price_cny_per_kg "
                "(hydrogen sold at that price), or both: the plant has no offtake"
            )
        if self.sale_max_kg_per_h is not None and self.sale_price_cny_per_kg is None:
            raise ValueError("sale_max_kg_per_h needs sale_price_cny_per_kg: nothing is sold")
        if self.p_max_mw == 0 and self.demand_kg_per_h not in (None, 0, 0.0):
            if self.cyclic or self.tank_max_kg == 0 or not self.tank_initial_fraction:
                raise ValueError(
                    "demand_kg_per_h needs an electrolyser: p_max_mw is 0 and the tank cannot "
                    "supply it (give p_max_mw > 0, or a non-cyclic tank with tank_initial_fraction)"
                )
        return self


def rate_kg_per_mwh(ds) -> np.ndarray:
    """Hydrogen made per MWh of electricity, 1000 / kwh_per_kg, per plant [kg/MWh]."""
    return 1000.0 / ds["h2_kwh_per_kg"].values


def add(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["h2"]
    if n == 0:
        return
    T = b.T
    pmax = ds["h2_p_max_mw"].values
    rate = rate_kg_per_mwh(ds)
    p = b.var(
        "h2_p",
        ds["h2_min_load_fraction"].values * pmax,
        pmax,
        n=n,
        meaning=Meaning(
            "hydrogen",
            "h2",
            lower="electrolyser power >= {v:g} MW (min_load_fraction x p_max_mw: the stack is "
            "kept warm every hour)",
            upper="electrolyser power <= {v:g} MW (p_max_mw)",
        ),
    )
    S = ds["h2_tank_max_kg"].values
    s0 = ds["h2_tank_initial_fraction"].values
    cyclic = ds["h2_cyclic"].values
    lo = np.zeros((n, T))
    hi = np.repeat(S[:, None], T, axis=1)
    for h in range(n):
        if cyclic[h] and not np.isnan(s0[h]):
            lo[h, -1] = hi[h, -1] = s0[h] * S[h]
    last = "; in the last hour of a cyclic tank: tank_initial_fraction x tank_max_kg"
    stored = b.var(
        "h2_stored",
        lo,
        hi,
        meaning=Meaning(
            "hydrogen",
            "h2",
            lower="hydrogen in the tank >= {v:g} kg (empty" + last + ")",
            upper="hydrogen in the tank <= {v:g} kg (tank_max_kg" + last + ")",
        ),
    )
    price = ds["h2_sale_price_cny_per_kg"].values.T
    cap = ds["h2_sale_max_kg_per_h"].values.T
    sold = b.var(
        "h2_sold",
        0.0,
        np.where(np.isnan(price), 0.0, np.where(np.isnan(cap), INF, cap)),
        meaning=Meaning(
            "hydrogen",
            "h2",
            upper="hydrogen sold <= {v:g} kg/h (sale_max_kg_per_h; 0 without sale_price_cny_per_kg)",
        ),
    )
    demand = ds["h2_demand_kg_per_h"].values.T
    vom = ds["h2_vom_cny_per_kg"].values
    balance = Rows()
    for h, bus in enumerate(ds["h2_bus"].values):
        b.inject(str(bus), -1.0, p[h])
        b.cost(vom[h] * rate[h], p[h])
        b.cost(-np.nan_to_num(price[h]), sold[h])
        e, q, y, r = stored[h], p[h], sold[h], rate[h]
        for t in range(T):
            rhs = -float(demand[h, t])
            if t == 0 and not np.isnan(s0[h]):
                rhs += s0[h] * S[h]
                balance.add((h, t), rhs, (1.0, -r, 1.0), (e[0], q[0], y[0]), rhs)
            elif T == 1:  # free initial fill and one hour: s_{-1} = s_0 cancels
                balance.add((h, t), rhs, (-r, 1.0), (q[0], y[0]), rhs)
            else:  # t - 1 = -1 wraps to the last hour: free initial fill
                balance.add((h, t), rhs, (1.0, -1.0, -r, 1.0), (e[t], e[t - 1], q[t], y[t]), rhs)
    kept = (
        "hydrogen in the tank = the hour before + 1000 x power / kwh_per_kg - demand_kg_per_h"
        " - hydrogen sold (before the first hour: tank_initial_fraction x tank_max_kg)"
    )
    b.rows("h2_tank_balance", balance, Meaning("hydrogen", "h2", kept, kept))

    ramp_frac = ds["h2_ramp_fraction_per_h"].values
    step = ramp_frac * pmax
    b.rows(
        "h2_ramp",
        ramp_rows(p, T, step, step),
        Meaning(
            "hydrogen",
            "h2",
            lower="electrolyser power may fall at most {a:g} MW from the hour before "
            "(ramp_fraction_per_h x p_max_mw)",
            upper="electrolyser power may rise at most {v:g} MW from the hour before "
            "(ramp_fraction_per_h x p_max_mw)",
        ),
    )


def marginal(r) -> np.ndarray:
    """Where an electrolyser is marginal, (time, h2): power strictly between its minimum load
    and its rated power (its price is set by the value of hydrogen, or by another hour through
    the tank)."""
    v = r.variables
    pmax = v["h2_p_max_mw"].values
    return interior(v["h2_p_mw"].values, v["h2_min_load_fraction"].values * pmax, pmax)


def hydrogen_checks(ds) -> list[Finding]:
    """Offtake the plant cannot meet, or a minimum load it cannot get rid of, whatever the
    price (necessary conditions; the LP names what binds otherwise).

    - demand: up to each hour, demand <= initial fill (a free fill: the full tank) +
      production at rated power, and over the horizon, when the tank ends as it starts,
      demand <= production at rated power;
    - minimum load: over the horizon, production at minimum load <= demand + sale limit + the
      room the tank may fill (none when it ends as it starts).
    """
    out = []
    rate = rate_kg_per_mwh(ds)
    pmax = ds["h2_p_max_mw"].values
    S = ds["h2_tank_max_kg"].values
    s0 = ds["h2_tank_initial_fraction"].values
    cyclic = ds["h2_cyclic"].values
    demand = ds["h2_demand_kg_per_h"].values
    price = ds["h2_sale_price_cny_per_kg"].values
    cap = ds["h2_sale_max_kg_per_h"].values
    T = ds.sizes["time"]
    for h in range(ds.sizes["h2"]):
        qmax = pmax[h] * rate[h]
        ends_as_starts = bool(cyclic[h]) or np.isnan(s0[h])
        start = S[h] if np.isnan(s0[h]) else s0[h] * S[h]
        short = np.cumsum(demand[:, h]) - start - qmax * np.arange(1, T + 1)
        if ends_as_starts:  # the tank must be refilled by the end
            short[-1] = max(short[-1], float(demand[:, h].sum()) - qmax * T)
        if (short > 1e-6).any():
            k = int(np.argmax(short > 1e-6))
            out.append(
                Finding(
                    h,
                    "demand_kg_per_h",
                    f"more than the plant can make: demand up to hour {k} exceeds the initial "
                    f"fill plus production at p_max_mw ({qmax:g} kg/h) by {short[k]:g} kg",
                    float(demand[k, h]),
                    "lower the demand, or raise p_max_mw or the tank's initial fill",
                )
            )
            continue
        qmin = qmax * ds["h2_min_load_fraction"].values[h]
        if qmin <= 0:
            continue
        sale = 0.0
        if not np.isnan(price[:, h]).all():
            sale = INF if np.isnan(cap[:, h]).any() else float(cap[:, h].sum())
        room = 0.0 if ends_as_starts else (1.0 - s0[h]) * S[h]
        excess = qmin * T - float(demand[:, h].sum()) - sale - room
        if excess > 1e-6:
            out.append(
                Finding(
                    h,
                    "min_load_fraction",
                    f"production at minimum load ({qmin:g} kg/h every hour) exceeds the "
                    f"demand, sales and tank room over the horizon by {excess:g} kg",
                    float(ds["h2_min_load_fraction"].values[h]),
                    "lower min_load_fraction, or add demand, a sale price or a larger sale limit",
                )
            )
    return out


class ElectrolyserParams(Strict):
    """A grid-connected electrolyser as a tenant: its nominal consumption."""

    capacity_mw: Annotated[float, Field(gt=0, le=MAX_MW)]
    """Rated electrolyser power [MW]."""
    load_factor: Annotated[float, Field(gt=0, le=1)] = 0.8
    """Nominal consumption as a share of the rated power [-] (assumption: 0.8)."""
    min_load_fraction: Fraction = 0.0
    """Lowest power as a share of the rated power [-]; must not exceed ``load_factor``."""

    @model_validator(mode="after")
    def _min_below_nominal(self) -> ElectrolyserParams:
        if self.min_load_fraction > self.load_factor:
            raise ValueError("min_load_fraction must not exceed load_factor")
        return self


def electrolyser_profile(
    index: pd.DatetimeIndex,
    capacity_mw: float,
    load_factor: float = 0.8,
    min_load_fraction: float = 0.0,
) -> pd.Series:
    """An electrolyser's nominal consumption on ``index``: ``capacity_mw x load_factor`` in
    every hour [MW].

    The profile is flat: the plant's freedom is the tenant's flex band. With band ``b`` the
    tenant study lets consumption move within (1 - b) and (1 + b) x nominal, keeping the
    energy of each window (the tank carries the hydrogen across the window). The electrolyser
    itself can run from ``min_load_fraction`` to 1 x ``capacity_mw``, so a band up to
    :func:`flex_band_limit` (``min(1 - min_load_fraction / load_factor, 1 / load_factor - 1)``,
    0.25 with the defaults) is within what the stack can do.
    """
    return pd.Series(np.full(len(index), capacity_mw * load_factor), index=index, name="p_mw")


def flex_band_limit(load_factor: float = 0.8, min_load_fraction: float = 0.0) -> float:
    """The widest symmetric flex band [-] an electrolyser at ``load_factor`` can follow between
    its minimum load and its rated power."""
    return min(1.0 - min_load_fraction / load_factor, 1.0 / load_factor - 1.0)


PROFILES = {"electrolyser": (electrolyser_profile, ElectrolyserParams)}
"""The family's library tenant profiles: name -> (function of (index, **params) -> MW, its
parameter model), as :data:`gridopt.tenant.profiles.LIBRARY`."""

ELECTROLYSER_COSTS = {
    "capex_cny_per_kw": 2000.0,
    "capex_cny_per_kwh": 108.0,
    "fixed_om_fraction_per_yr": 0.02,
    "lifetime_yr": 20,
    "source": (
        "electrolyser 2,000 CNY/kW, assumption: alkaline equipment 1,350-1,500 CNY/kW (China "
        "Hydrogen, 1Q2023 procurement; Energy China tender, 5 MW alkaline at about 7.5 m CNY, "
        "Hydrogen Insight) plus about a third for installation and civil works (BNEF 2021: "
        "$220/kW system + $50-60 installation + $20-30 civil); tank 108 CNY/kWh of hydrogen "
        "(3,600 CNY/kg at LHV 33.3 kWh/kg), assumption after Thunder Said Energy's $500/kg "
        "storage facility at 7.2 CNY/USD; fixed O&M 2 %/yr and life 20 yr, assumption"
    ),
}
"""Default costs of the ``electrolyser`` technology (an alkaline system, grid-connected, with
its tank), read before :data:`gridopt.data.costs.TECH_DEFAULTS`."""


def _sales_cny(r) -> float:
    price = r.variables["h2_sale_price_cny_per_kg"].fillna(0.0)
    return 0.0 - float((r.variables["h2_sold_kg_per_h"] * price).sum())


FAMILY = Family(
    dim="h2",
    section="hydrogen",
    add=add,
    outputs=(
        Output("h2_p", "h2_p_mw", "MW", "electrolyser power consumption"),
        Output("h2_stored", "h2_stored_kg", "kg", "hydrogen in the tank at the end of the hour"),
        Output("h2_sold", "h2_sold_kg_per_h", "kg/h", "hydrogen sold"),
        Derived(
            "h2_production_kg_per_h",
            "kg/h",
            "hydrogen produced: 1000 x power / kwh_per_kg",
            lambda ds, v: v["h2_p"] * rate_kg_per_mwh(ds),
        ),
    ),
    costs=(
        CostItem(
            "h2_vom",
            lambda r: float(
                (r.variables["h2_production_kg_per_h"] * r.variables["h2_vom_cny_per_kg"]).sum()
            ),
        ),
        CostItem("h2_sales", _sales_cny),
    ),
    price_setters=(PriceSetter("hydrogen:{name}", marginal, technology="electrolyser"),),
    energy=(Energy("electrolyser", "h2_p_mw", supply=False, load=True),),
    expandable="p_max_mw",
    demand=("p_max_mw", "min_load_fraction"),
    inputs=(
        InputVar("bus", ""),
        InputVar("p_max_mw", "MW"),
        InputVar("kwh_per_kg", "kWh/kg"),
        InputVar("min_load_fraction", "1"),
        InputVar("ramp_fraction_per_h", "1/h", default=np.nan),
        InputVar("tank_max_kg", "kg"),
        InputVar("tank_initial_fraction", "1", default=np.nan),
        InputVar("cyclic", ""),
        InputVar("vom_cny_per_kg", "CNY/kg"),
        InputVar("demand_kg_per_h", "kg/h", default=0.0, hourly=True, range=(0.0, MAX_KG_PER_H)),
        InputVar(
            "sale_price_cny_per_kg",
            "CNY/kg",
            hourly=True,
            description="price of hydrogen sold; NaN: none is sold",
            range=(0.0, MAX_CNY_PER_KG),
        ),
        InputVar(
            "sale_max_kg_per_h",
            "kg/h",
            hourly=True,
            description="sale limit; NaN: no limit",
            range=(0.0, MAX_KG_PER_H),
        ),
    ),
    checks=(hydrogen_checks,),
    economics=Economics(
        tech=lambda h: "electrolyser",
        kw=lambda h: h.p_max_mw * 1e3,
        kwh=lambda h: h.tank_max_kg * LHV_KWH_PER_KG,
        defaults={"electrolyser": ELECTROLYSER_COSTS},
    ),
    label="hydrogen plants",
    entry=Hydrogen,
    doc="Green hydrogen plants: electrolyser, tank and hydrogen offtake at a bus.",
    references={"bus": "buses"},
    profiles=PROFILES,
)
