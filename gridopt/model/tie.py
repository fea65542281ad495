r"""Ties to the provincial grid: imports and exports at hourly prices.

For tie :math:`k`: import :math:`m_{k,t} \in [0, \bar M_k]`, export :math:`x_{k,t} \in [0,
\bar X_k]` [MW] (``tie_import``, ``tie_export``); cost
:math:`\sum_t \pi^{im}_{k,t} m_{k,t} - \pi^{ex}_{k,t} x_{k,t}` [CNY], with
:math:`\pi^{ex} \le \pi^{im}` checked on input. Net injection at the bus: :math:`m - x`.
"""

from __future__ import annotations

import numpy as np

from gridopt.model.core import Build, Meaning
from gridopt.model.family import (
    CostItem,
    Energy,
    Family,
    Finding,
    InputVar,
    Output,
    PriceSetter,
    interior,
)
from gridopt.scenario.fields import PowerMW, Series, Strict


# Scenario entry ``ties.<name>``: its field docstrings are docs/scenario.md.
class Tie(Strict):
    bus: str
    import_max_mw: PowerMW
    export_max_mw: PowerMW
    import_price_cny_per_mwh: Series
    """Price paid for each MWh imported [CNY/MWh]."""
    export_price_cny_per_mwh: Series
    """Price received for each MWh exported [CNY/MWh]; must not exceed the import price."""
    description: str = ""


def add(b: Build) -> None:
    ds = b.ds
    n = ds.sizes["tie"]
    if n == 0:
        return
    imp = b.var(
        "tie_import",
        0.0,
        ds["tie_import_max_mw"].values,
        n=n,
        meaning=Meaning("ties", "tie", upper="import <= {v:g} MW (import_max_mw)"),
    )
    exp = b.var(
        "tie_export",
        0.0,
        ds["tie_export_max_mw"].values,
        n=n,
        meaning=Meaning("ties", "tie", upper="export <= {v:g} MW (export_max_mw)"),
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
            lambda r: float((r["tie_import_mw"] * r["tie_import_price_cny_per_mwh"]).sum()),
            component="energy",
        ),
        CostItem(
            "exports",
            lambda r: 0.0 - float((r["tie_export_mw"] * r["tie_export_price_cny_per_mwh"]).sum()),
            component="energy",
        ),
    ),
    price_setters=(
        PriceSetter(
            "import",
            lambda r: interior(r["tie_import_mw"].values, 0, r["tie_import_max_mw"].values),
            lambda r: r["tie_import_price_cny_per_mwh"].values,
        ),
        PriceSetter(
            "export",
            lambda r: interior(r["tie_export_mw"].values, 0, r["tie_export_max_mw"].values),
            lambda r: r["tie_export_price_cny_per_mwh"].values,
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
    label="ties",
)
