r"""Ties to the provincial grid: imports and exports at hourly prices.

For tie :math:`k`: import :math:`m_{k,t} \in [0, \bar M_k]`, export :math:`x_{k,t} \in [0,
\bar X_k]` [MW] (``tie_import``, ``tie_export``); cost
:math:`\sum_t \pi^{im}_{k,t} m_{k,t} - \pi^{ex}_{k,t} x_{k,t}` [CNY], with
:math:`\pi^{ex} \le \pi^{im}` checked on input. Net injection at the bus: :math:`m - x`.

*Expansion* (``gridopt plan``, a tie with ``new_max_mw`` not 0): new capacity
:math:`N_k \in [N^{min}_k, N^{max}_k]` [MW] (``tie_export_max_new``) adds to the export and
the import limit alike (one conductor, both ways), at its horizon share of the annual cost per
MW (``economics.capex_cny_per_kw`` x 1000, default the ``tie`` technology's: a ±800 kV UHVDC
line, :mod:`gridopt.data.costs`; annualised at the discount rate over its lifetime, + fixed
O&M). The limits of such a tie are rows instead of bounds:

.. math::

    x_{k,t} \le \bar X_k + N_k \quad (\text{tie\_export\_max}), \qquad
    m_{k,t} \le \bar M_k + N_k \quad (\text{tie\_import\_max})

and every other tie keeps its bounds (the dispatch LP is unchanged). A tie's investment is the
provincial or national grid's, not the local grid's: it is in no component of the local price
(``Economics.component`` None), so the cost-recovery price and its decomposition leave it out;
in a plan its annual cost is weighed against the export revenue and import savings it brings,
and the congestion rent it earns, :math:`\sum_t (\pi^{ex}_{k,t} - \lambda_t) x_{k,t} +
(\lambda_t - \pi^{im}_{k,t}) m_{k,t}` with :math:`\lambda` the bus price, equals that cost
when :math:`N_k` ends strictly inside its bounds.
"""

from __future__ import annotations

import numpy as np
from pydantic import model_validator

from gridopt.model.core import INF, Build, Meaning
from gridopt.model.family import (
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
from gridopt.scenario.fields import Economics as AssetEconomics
from gridopt.scenario.fields import PowerMW, Series, Strict, new_capacity_in_order


# Scenario entry ``ties.<name>``: its field docstrings are docs/scenario.md.
class Tie(Strict):
    bus: str
    import_max_mw: PowerMW
    export_max_mw: PowerMW
    import_price_cny_per_mwh: Series
    """Price paid for each MWh imported [CNY/MWh]."""
    export_price_cny_per_mwh: Series
    """Price received for each MWh exported [CNY/MWh]; must not exceed the import price."""
    new_min_mw: PowerMW = 0.0
    """Least new tie capacity a plan must build [MW], added to the import and the export limit
    alike (``gridopt plan``; ``gridopt run`` uses the limits as they are)."""
    new_max_mw: PowerMW | None = 0.0
    """Most new tie capacity a plan may build [MW], added to both limits; 0: none (not
    expandable); ``null``: no limit."""
    economics: AssetEconomics = AssetEconomics()
    """Investment and fixed costs (default: the ``tie`` technology, a ±800 kV UHVDC line per
    kW). The existing capacity's are borne by the provincial or national grid, so in no
    component of the local price; new capacity a plan builds (for the local grid's own export
    revenue) is the local grid's: its annual cost is in the network component."""
    description: str = ""

    @model_validator(mode="after")
    def _new_capacity_in_order(self) -> Tie:
        new_capacity_in_order(self, "new_min_mw", "new_max_mw")
        return self


CAPACITY = Capacity("export_max_mw", "new_min_mw", "new_max_mw", also=("import_max_mw",))
"""A tie's capacity, expandable in a plan; new capacity adds to the import limit too."""


def add(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["tie"]
    if n == 0:
        return
    cap = b.capacity("tie", CAPACITY, "ties")
    imax = ds["tie_import_max_mw"].values
    # bounds as given, none on a tie whose capacity is a decision (its limits are rows)
    imp = b.var(
        "tie_import",
        0.0,
        np.where([cap.changes(k) for k in range(n)], INF, imax),
        n=n,
        meaning=Meaning("ties", "tie", upper="import <= {v:g} MW (import_max_mw)"),
    )
    exp = b.var(
        "tie_export",
        0.0,
        cap.bound(1.0)[:, 0],
        n=n,
        meaning=Meaning("ties", "tie", upper="export <= {v:g} MW (export_max_mw)"),
    )
    more = "+ new capacity: {v:g} MW from "
    cap.limit(
        b,
        "tie_export_max",
        exp,
        1.0,
        Meaning("ties", "tie", upper="export <= " + more + "export_max_mw"),
    )
    cap.limit(
        b,
        "tie_import_max",
        imp,
        1.0,
        Meaning("ties", "tie", upper="import <= " + more + "import_max_mw"),
        fixed=imax,
    )
    pi, pe = (
        ds["tie_import_price_cny_per_mwh"].values.T,
        ds["tie_export_price_cny_per_mwh"].values.T,
    )
    for k, bus in enumerate(ds["tie_bus"].values):
        b.inject(str(bus), 1.0, imp[k])
        b.inject(str(bus), -1.0, exp[k])
        b.cost(pi[k], imp[k])
        b.cost(-pe[k], exp[k])


def export_below_import(ds):
    """The export price never above the import price (or the model would trade with itself)."""
    pi = ds["tie_import_price_cny_per_mwh"].values
    pe = ds["tie_export_price_cny_per_mwh"].values
    for k in range(ds.sizes["tie"]):
        bad = pe[:, k] > pi[:, k] + 1e-9
        if bad.any():
            t = int(np.argmax(bad))
            yield Finding(
                k,
                "export_price_cny_per_mwh",
                f"export price above import price in {int(bad.sum())} hour(s), first at hour {t}",
                float(pe[t, k]),
                f"must not exceed the import price ({pi[t, k]:g}) or the model would trade with itself",
            )


def _exports_cny(r) -> float:
    """What exports earn, as a cost [CNY] (negative): - sum_t,k x_exp[t, k] p_exp[t, k]."""
    v = r.variables
    return 0.0 - float((v["tie_export_mw"] * v["tie_export_price_cny_per_mwh"]).sum())


FAMILY = Family(
    dim="tie",
    section="ties",
    entry=Tie,
    doc="Connections to the provincial grid.",
    references={"bus": "buses"},
    add=add,
    outputs=(
        Output("tie_import", "tie_import_mw", "MW", "import from the provincial grid"),
        Output("tie_export", "tie_export_mw", "MW", "export to the provincial grid"),
    ),
    costs=(
        CostItem(
            "imports",
            lambda r: float(
                (r.variables["tie_import_mw"] * r.variables["tie_import_price_cny_per_mwh"]).sum()
            ),
            component="energy",
        ),
        CostItem(
            "exports",
            _exports_cny,
            component="energy",
        ),
    ),
    price_setters=(
        PriceSetter(
            "import",
            lambda r: interior(
                r.variables["tie_import_mw"].values, 0, r.variables["tie_import_max_mw"].values
            ),
            lambda r: r.variables["tie_import_price_cny_per_mwh"].values,
        ),
        PriceSetter(
            "export",
            lambda r: interior(
                r.variables["tie_export_mw"].values, 0, r.variables["tie_export_max_mw"].values
            ),
            lambda r: r.variables["tie_export_price_cny_per_mwh"].values,
        ),
    ),
    energy=(
        Energy("imports", "tie_import_mw", supply=True, kind="import"),
        Energy("exports", "tie_export_mw", supply=False, kind="export"),
    ),
    inputs=(
        InputVar("bus", ""),
        InputVar("import_max_mw", "MW"),
        InputVar("export_max_mw", "MW"),
        InputVar("import_price_cny_per_mwh", "CNY/MWh", hourly=True),
        InputVar("export_price_cny_per_mwh", "CNY/MWh", hourly=True),
    ),
    checks=(export_below_import,),
    capacities=(CAPACITY,),
    supplies=("import_max_mw",),
    economics=Economics(
        tech=lambda k: "tie",
        kw=lambda k: max(k.import_max_mw, k.export_max_mw) * 1e3,
        component=None,
        new_component="network",
    ),
    label="ties",
)
