r"""Ties to the provincial grid: imports and exports at hourly prices.

For tie :math:`k`: import :math:`m_{k,t} \in [0, \bar M_k]`, export :math:`x_{k,t} \in [0,
\bar X_k]` [MW] (``tie_import``, ``tie_export``); cost
:math:`\sum_t \pi^{im}_{k,t} m_{k,t} - \pi^{ex}_{k,t} x_{k,t}` [CNY], with
:math:`\pi^{ex} \le \pi^{im}` checked on input. Net injection at the bus: :math:`m - x`.
"""

from __future__ import annotations

from gridopt.model.core import Build, Meaning


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
