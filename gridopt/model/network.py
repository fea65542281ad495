r"""Buses and lines: the energy balance whose dual is the hourly marginal price.

**Lines** (transport model). A lossless line :math:`l` from bus :math:`a` to :math:`b` carries
:math:`f_{l,t} \in [-\bar F^{rev}_l, \bar F_l]` [MW] (``line_flow``): :math:`-f` at :math:`a`,
:math:`+f` at :math:`b`. A line with loss factor :math:`\lambda_l > 0` has two one-way flows
:math:`f^+_{l,t} \in [0, \bar F_l]`, :math:`f^-_{l,t} \in [0, \bar F^{rev}_l]` (``line_flow_fwd``,
``line_flow_rev``); the receiving end gets :math:`(1 - \lambda_l)` of what is sent.

*Expansion* (``gridopt plan``, a line with ``new_max_mw`` not 0): new capacity
:math:`N_l \in [N^{min}_l, N^{max}_l]` [MW] (``line_p_max_new``) adds to both directions,
:math:`\bar F_l + N_l` and :math:`\bar F^{rev}_l + N_l`, at its horizon share of the annual
cost per MW (``economics.capex_cny_per_kw`` x 1000, annualised, + fixed O&M; the ``line``
default is 0 CNY/kW because existing lines carry their total ``capex_cny``, so an expandable
line needs its own per-kW figure). The limits of such a line are rows instead of bounds:

.. math::

    -(\bar F^{rev}_l + N_l) \le f_{l,t} \le \bar F_l + N_l
    \quad (\text{line\_flow\_min}, \text{line\_flow\_max})

    f^+_{l,t} \le \bar F_l + N_l, \quad f^-_{l,t} \le \bar F^{rev}_l + N_l
    \quad (\text{line\_flow\_fwd\_max}, \text{line\_flow\_rev\_max})

and every other line keeps its bounds (the dispatch LP is unchanged). A line may be a
candidate with no existing capacity (``p_max_mw: 0``). The loss factor and the reactance do
not change with new capacity: with DC power flow the new capacity raises the thermal limit
only, as PyPSA does unless it iterates the impedance of extended lines; a candidate line
takes part in Kirchhoff's voltage law whatever it is built to.

*Tie-break.* Without it, sending power both ways in the same hour, or sending surplus into a
bus where it is curtailed anyway, would burn surplus on the line at no cost: losses and
curtailment would not be unique (an equally cheap dispatch could report more of either).
Every MWh sent on a lossy line therefore costs :math:`\varepsilon = 10^{-7} \times` VOLL
(``TIE_BREAK_PER_VOLL``; 0.003 CNY/MWh at the default VOLL, and proportional to the other
costs so that scaling every cost scales every price), so that in effect, of all cheapest
dispatches, the one with the least line losses is chosen: losses are those of the power the dispatch needs
to move, :math:`\lambda_l |f^+_{l,t} - f^-_{l,t}|` with one direction per hour, and
curtailment is all surplus renewable output not used. (Only in an hour that dumps excess
at its penalty may a line still carry power both ways, burning surplus cheaper than the
penalty.) :math:`\varepsilon` raises the price across a lossy line by
:math:`\varepsilon / (1 - \lambda_l)`, a few thousandths of a CNY/MWh, below any figure
reported; it is
not a cost anyone pays and is left out of ``objective_cny`` and the cost breakdown.

**DC power flow** (when every line has a reactance :math:`x_l` [pu on 100 MVA]): Kirchhoff's voltage law around
each cycle :math:`c` of a cycle basis with orientation :math:`C_{c,l} \in \{-1, 0, 1\}`:

.. math::

    \sum_l C_{c,l}\, x_l\, f_{l,t} = 0 \quad (\text{line\_kvl})

**Bus balance** at bus :math:`n`, hour :math:`t` (``bus_balance``):

.. math::

    \sum_{\text{injections}} - \sum_{\text{flexible consumption}} + u_{n,t} - z_{n,t} = D_{n,t}

with unserved energy :math:`u_{n,t} \ge 0` at the value of lost load and dumped excess
:math:`z_{n,t} \ge 0` at the excess penalty (``bus_unserved``, ``bus_excess``: slacks that keep
the model feasible; any use is reported). The dual of ``bus_balance`` is the marginal price
[CNY/MWh] (the objective is in CNY and every hour has weight 1).

Declared as two families: ``LINES`` (``line``) and ``BUSES`` (``bus``).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import Field, model_validator

from gridopt.model.core import INF, Build, Meaning, Planned, Rows
from gridopt.model.family import (
    TOL_MW,
    Capacity,
    CostItem,
    Derived,
    Economics,
    Energy,
    Family,
    InputVar,
    Output,
    PriceSetter,
)
from gridopt.scenario.fields import Economics as AssetEconomics
from gridopt.scenario.fields import PosPowerMW, PowerMW, Strict, new_capacity_in_order


# Scenario entry ``buses.<name>``: its field docstrings are docs/scenario.md.
class Bus(Strict):
    description: str = ""
    v_kv: Annotated[float, Field(gt=0, le=2000)] | None = None
    """Nominal voltage [kV] (documentation only)."""


# Scenario entry ``lines.<name>``: its field docstrings are docs/scenario.md.
class Line(Strict):
    bus0: str
    bus1: str
    p_max_mw: PowerMW
    """Transfer limit from bus0 to bus1 [MW]; 0 only for a candidate line a plan may build
    (``new_max_mw`` not 0)."""
    p_max_reverse_mw: PosPowerMW | None = None
    """Transfer limit from bus1 to bus0 [MW]; defaults to ``p_max_mw``."""
    new_min_mw: PowerMW = 0.0
    """Least new transfer capacity a plan must build [MW], added to both directions
    (``gridopt plan``; ``gridopt run`` uses the limits as they are)."""
    new_max_mw: PowerMW | None = 0.0
    """Most new transfer capacity a plan may build [MW], added to both directions; 0: none
    (not expandable); ``null``: no limit. Priced at ``economics.capex_cny_per_kw`` (the
    ``line`` default is 0: give the line's own figure)."""
    loss_factor: Annotated[float, Field(ge=0, lt=1)] = 0.0
    """Share of the sent power lost on the way [-]."""
    x_ohm: Annotated[float, Field(gt=0, le=1e5)] | None = None
    """Series reactance [ohm], for a line whose two buses have the same ``v_kv``; converted to
    per unit on a 100 MVA base. DC power flow needs ``x_ohm`` or ``x_pu`` on every line."""
    x_pu: Annotated[float, Field(gt=0, le=1e3)] | None = None
    """Series reactance in per unit on a 100 MVA base [-] (lines through transformers, or
    buses without ``v_kv``)."""
    economics: AssetEconomics = AssetEconomics()
    """Investment and fixed costs (defaults by technology)."""
    description: str = ""

    @model_validator(mode="after")
    def _capacity(self) -> Line:
        new_capacity_in_order(self, "new_min_mw", "new_max_mw")
        if self.p_max_mw == 0 and self.new_max_mw == 0:
            raise ValueError(
                "p_max_mw is 0 and new_max_mw is 0: the line could never carry power; give "
                "p_max_mw > 0, or new_max_mw > 0 (or null) for a candidate line a plan may build"
            )
        return self


TIE_BREAK_PER_VOLL = 1e-7
"""Tie-break cost of each MWh sent on a line with losses, as a share of the value of lost load
[-] (see the module docstring)."""


def bus_prices(r, busvar: str) -> np.ndarray:
    """(time, asset) array of the marginal price [CNY/MWh] at the bus input ``busvar`` names
    for each asset (``thermal_bus``, ``line_bus0``) in the results ``r``."""
    pos = {str(b): j for j, b in enumerate(r.bus.values)}
    idx = [pos[str(b)] for b in r.variables[busvar].values]
    return r.variables["price_cny_per_mwh"].transpose("time", "bus").values[:, idx]


def line_rent(r) -> np.ndarray:
    """Congestion (and loss) rent of each line over the horizon [CNY], shape (line,): a line's
    market revenue.

    With F the net flow from bus0 to bus1 at the sending end and lf the loss factor, power
    F+ = max(F, 0) leaves bus0 and (1 - lf) F+ arrives at bus1, and F- = max(-F, 0) leaves bus1
    and (1 - lf) F- arrives at bus0 (a line carries power one way in an hour):
    rent = sum_t p1 (1 - lf) F+ - p0 F+ + p0 (1 - lf) F- - p1 F-.
    """
    if not r.sizes["line"]:
        return np.zeros(0)
    p0, p1 = bus_prices(r, "line_bus0"), bus_prices(r, "line_bus1")
    flow = r.variables["line_flow_mw"].transpose("time", "line").values
    lf = r.variables["line_loss_factor"].values
    fwd, rev = np.maximum(flow, 0), np.maximum(-flow, 0)
    return (p1 * (1 - lf) * fwd - p0 * fwd + p0 * (1 - lf) * rev - p1 * rev).sum(axis=0)


def lossy_flow_cost_cny_per_mwh(ds) -> float:
    """Tie-break cost of each MWh sent on a lossy line: ``TIE_BREAK_PER_VOLL`` x VOLL
    [CNY/MWh] (0.003 at the default VOLL of 30,000 CNY/MWh)."""
    return TIE_BREAK_PER_VOLL * float(ds["voll_cny_per_mwh"])


def lossless_lines(ds) -> list[int]:
    """Lines without losses (one flow variable ``line_flow``)."""
    return [k for k, lam in enumerate(ds["line_loss_factor"].values) if lam == 0]


def lossy_lines(ds) -> list[int]:
    """Lines with a loss factor (two one-way flows ``line_flow_fwd``, ``line_flow_rev``)."""
    return [k for k, lam in enumerate(ds["line_loss_factor"].values) if lam > 0]


def cycle_matrix(bus0: list[str], bus1: list[str], buses: list[str]) -> np.ndarray:
    """Oriented cycle basis of the network as a (cycles x lines) matrix of -1, 0, +1.

    A spanning forest is grown breadth-first; each line outside it closes one cycle made of
    that line and the forest path between its ends. Parallel lines form cycles too.
    """
    pos = {b: i for i, b in enumerate(buses)}
    adj: dict[int, list[tuple[int, int, int]]] = {i: [] for i in range(len(buses))}
    for ln, (a, b) in enumerate(zip(bus0, bus1)):
        adj[pos[a]].append((pos[b], ln, 1))
        adj[pos[b]].append((pos[a], ln, -1))
    parent: dict[int, tuple[int, int, int] | None] = {}
    tree: set[int] = set()
    for root in range(len(buses)):
        if root in parent:
            continue
        parent[root] = None
        queue = [root]
        while queue:
            u = queue.pop(0)
            for v, ln, sign in adj[u]:
                if v not in parent:
                    parent[v] = (u, ln, sign)  # reached v from u along line ln (sign +1: u is bus0)
                    tree.add(ln)
                    queue.append(v)

    def path_to_root(v: int) -> list[tuple[int, int, int]]:
        out = []
        while parent[v] is not None:
            u, ln, sign = parent[v]
            out.append((v, ln, sign))
            v = u
        return out

    rows = []
    for ln, (a, b) in enumerate(zip(bus0, bus1)):
        if ln in tree:
            continue
        row = np.zeros(len(bus0))
        row[ln] = 1.0  # walk a -> b along l, then back from b to a through the tree
        # tree path b -> root, then root -> a; each edge entered as (child, line, sign) where
        # sign +1 means the parent is the line's bus0, i.e. the line points parent -> child.
        for _, tl, sign in path_to_root(pos[b]):
            row[tl] -= sign  # walking child -> parent is against a parent->child line
        for _, tl, sign in path_to_root(pos[a]):
            row[tl] += sign  # walking parent -> child
        rows.append(row)
    return np.array(rows).reshape(len(rows), len(bus0))


CAPACITY = Capacity("p_max_mw", "new_min_mw", "new_max_mw", also=("p_max_reverse_mw",))
"""A line's transfer capacity, expandable in a plan (``new_min_mw``, ``new_max_mw``); new
capacity adds to the reverse limit too."""


# the limits of a line whose capacity is a decision, in a planner's words
_FWD = "flow from bus0 to bus1 <= p_max_mw + new capacity: {v:g} MW from p_max_mw"
_REV = "flow from bus1 to bus0 <= p_max_reverse_mw + new capacity: {a:g} MW from p_max_reverse_mw"


def _only(cap: Planned, assets: list[int]) -> Planned:
    """``cap`` restricted to the changes of ``assets`` (the lossless or the lossy lines)."""
    keep = set(assets)
    return Planned(
        cap.fixed,
        {a: v for a, v in cap.new.items() if a in keep},
        {a: v for a, v in cap.retired.items() if a in keep},
    )


def _by_line(n: int, assets: list[int], x: list) -> list:
    """The hourly variables ``x`` of ``assets`` placed at their line positions (None elsewhere)."""
    out: list = [None] * n
    for k, ln in enumerate(assets):
        out[ln] = x[k]
    return out


def add_lines(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["line"]
    if n == 0:
        return
    T = b.T
    cap = b.capacity("line", CAPACITY, "lines")
    frev = ds["line_p_max_reverse_mw"].values
    # bounds as given, none on a line whose capacity is a decision (its limits are rows)
    fmax = cap.bound(1.0)[:, 0]
    frev_bound = np.where([cap.changes(a) for a in range(n)], INF, frev)
    loss = ds["line_loss_factor"].values
    bus0, bus1 = [str(x) for x in ds["line_bus0"].values], [str(x) for x in ds["line_bus1"].values]
    lossless, lossy = lossless_lines(ds), lossy_lines(ds)
    # Net flow a -> b of each line per hour, as (coefs, vars), for KVL.
    net: list[tuple[list[float], list[list]]] = [([], []) for _ in range(n)]
    if lossless:
        f = b.var(
            "line_flow",
            -frev_bound[lossless],
            fmax[lossless],
            meaning=Meaning(
                "lines",
                "line",
                lower="flow from bus1 to bus0 <= {a:g} MW (p_max_reverse_mw)",
                upper="flow from bus0 to bus1 <= {v:g} MW (p_max_mw)",
                assets=tuple(lossless),
            ),
        )
        for k, ln in enumerate(lossless):
            b.inject(bus0[ln], -1.0, f[k])
            b.inject(bus1[ln], 1.0, f[k])
            net[ln] = ([1.0], [f[k]])
        planned, flows = _only(cap, lossless), _by_line(n, lossless, f)
        planned.limit(b, "line_flow_max", flows, 1.0, Meaning("lines", "line", upper=_FWD))
        planned.limit(
            b,
            "line_flow_min",
            flows,
            -1.0,
            Meaning("lines", "line", lower=_REV),
            lower=True,
            fixed=frev,
        )
    if lossy:
        fp = b.var(
            "line_flow_fwd",
            0.0,
            fmax[lossy],
            meaning=Meaning(
                "lines",
                "line",
                upper="flow from bus0 to bus1 <= {v:g} MW (p_max_mw)",
                assets=tuple(lossy),
            ),
        )
        fn = b.var(
            "line_flow_rev",
            0.0,
            frev_bound[lossy],
            meaning=Meaning(
                "lines",
                "line",
                upper="flow from bus1 to bus0 <= {v:g} MW (p_max_reverse_mw)",
                assets=tuple(lossy),
            ),
        )
        eps = lossy_flow_cost_cny_per_mwh(ds)
        for k, ln in enumerate(lossy):
            b.cost(eps, fp[k])
            b.cost(eps, fn[k])
            b.inject(bus0[ln], -1.0, fp[k])
            b.inject(bus1[ln], 1.0 - loss[ln], fp[k])
            b.inject(bus1[ln], -1.0, fn[k])
            b.inject(bus0[ln], 1.0 - loss[ln], fn[k])
            net[ln] = ([1.0, -1.0], [fp[k], fn[k]])
        planned = _only(cap, lossy)
        planned.limit(
            b,
            "line_flow_fwd_max",
            _by_line(n, lossy, fp),
            1.0,
            Meaning("lines", "line", upper=_FWD),
        )
        planned.limit(
            b,
            "line_flow_rev_max",
            _by_line(n, lossy, fn),
            1.0,
            Meaning("lines", "line", upper=_REV.replace("{a:g}", "{v:g}")),
            fixed=frev,
        )

    if ds.attrs.get("power_flow") != "dc":
        return
    C = cycle_matrix(bus0, bus1, [str(x) for x in ds.bus.values])
    x = ds["line_x_pu"].values
    kvl = Rows()
    for c in range(C.shape[0]):
        members = np.flatnonzero(C[c])
        for t in range(T):
            coefs, vars_ = [], []
            for ln in members:
                cl, vl = net[ln]
                coefs += [C[c, ln] * x[ln] * sign for sign in cl]
                vars_ += [v[t] for v in vl]
            kvl.add((c, t), 0.0, coefs, vars_, 0.0)
    names = [str(x) for x in ds.line.values]
    cycles = tuple("cycle " + ", ".join(names[ln] for ln in np.flatnonzero(row)) for row in C)
    kvl_text = "Kirchhoff's voltage law: sum of x_pu x flow around the cycle = 0 (x_ohm, x_pu)"
    b.rows("line_kvl", kvl, Meaning("lines", "line", kvl_text, kvl_text, labels=cycles))


def add_balance(b: Build) -> None:
    ds = b.ds
    nb, T = ds.sizes["bus"], b.T
    voll = float(ds["voll_cny_per_mwh"])
    pen = float(ds["excess_penalty_cny_per_mwh"])
    u = b.var("bus_unserved", 0.0, np.inf, n=nb)
    z = b.var("bus_excess", 0.0, np.inf, n=nb)
    balance = Rows()
    for i, bus in enumerate(ds.bus.values):
        b.inject(str(bus), 1.0, u[i])
        b.inject(str(bus), -1.0, z[i])
        b.cost(voll, u[i])
        b.cost(pen, z[i])
        for t in range(T):
            c, v = b.injections(i, t)
            rhs = float(b.demand_mw[i, t])
            balance.add((i, t), rhs, c, v, rhs)
    b.rows("bus_balance", balance)


BASE_MVA = 100.0


def x_pu(sc, line) -> float:
    """Per-unit reactance on a 100 MVA base: x_pu, or x_ohm / (v_kv^2 / 100 MVA); NaN: none."""
    if line.x_pu is not None:
        return line.x_pu
    buses = sc.buses
    if line.x_ohm is not None and line.bus0 in buses and buses[line.bus0].v_kv:
        return line.x_ohm / (buses[line.bus0].v_kv ** 2 / BASE_MVA)
    return np.nan


LINES = Family(
    dim="line",
    section="lines",
    revenue=line_rent,
    entry=Line,
    doc="Connections between buses.",
    references={"bus0": "buses", "bus1": "buses"},
    add=add_lines,
    outputs=(
        Output("line_flow", None, "MW", "flow of a lossless line", assets=lossless_lines),
        Output("line_flow_fwd", None, "MW", "flow sent from bus0 to bus1", assets=lossy_lines),
        Output("line_flow_rev", None, "MW", "flow sent from bus1 to bus0", assets=lossy_lines),
        Derived(
            "line_flow_mw",
            "MW",
            "net flow from bus0 to bus1, at the sending end",
            lambda ds, v: np.where(
                ds["line_loss_factor"].values > 0,
                v["line_flow_fwd"] - v["line_flow_rev"],
                v["line_flow"],
            ),
        ),
        Derived(
            "line_loss_mw",
            "MW",
            "power lost on the line",
            lambda ds, v: (v["line_flow_fwd"] + v["line_flow_rev"]) * ds["line_loss_factor"].values,
            sheet=False,
        ),
    ),
    energy=(Energy("line_losses", "line_loss_mw", supply=False),),
    expandable="p_max_mw",
    capacities=(CAPACITY,),
    inputs=(
        InputVar("bus0", ""),
        InputVar("bus1", ""),
        InputVar("p_max_mw", "MW"),
        InputVar(
            "p_max_reverse_mw",
            "MW",
            compute=lambda sc, x: x.p_max_mw if x.p_max_reverse_mw is None else x.p_max_reverse_mw,
        ),
        InputVar("loss_factor", "1"),
        InputVar(
            "x_pu",
            "1",
            compute=x_pu,
            description="series reactance, per unit on a 100 MVA base (NaN: none given)",
        ),
    ),
    economics=Economics(tech=lambda x: "line", kw=lambda x: x.p_max_mw * 1e3, component="network"),
)
"""Lines: their flows and losses; they never set a price (they carry it between buses)."""

BUSES = Family(
    dim="bus",
    section="buses",
    entry=Bus,
    doc="Network nodes; at least one.",
    add=add_balance,
    outputs=(
        Output("bus_unserved", "bus_unserved_mw", "MW", "unserved energy at value of lost load"),
        Output("bus_excess", "bus_excess_mw", "MW", "energy dumped (infeasibility slack)"),
    ),
    costs=(
        CostItem(
            "unserved_energy",
            lambda r: float(r.variables["bus_unserved_mw"].sum() * r.variables["voll_cny_per_mwh"]),
            slack=True,
        ),
        CostItem(
            "excess_energy",
            lambda r: float(
                r.variables["bus_excess_mw"].sum() * r.variables["excess_penalty_cny_per_mwh"]
            ),
            slack=True,
        ),
    ),
    price_setters=(
        PriceSetter("unserved", lambda r: r.variables["bus_unserved_mw"].values > TOL_MW),
        PriceSetter("excess", lambda r: r.variables["bus_excess_mw"].values > TOL_MW),
    ),
    energy=(
        Energy("unserved", "bus_unserved_mw", supply=True, kind="unserved", per_asset=False),
        Energy("excess_dumped", "bus_excess_mw", supply=False, kind="excess", per_asset=False),
    ),
)
"""Buses: the energy balance (added after every injection is known) and its slacks, which set
the price when used; the price itself (the balance's dual) is read by
:func:`gridopt.results.extract`."""
