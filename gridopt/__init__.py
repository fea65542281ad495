"""gridopt: hourly dispatch and marginal-price optimiser for local source-grid-load-storage grids.

Stages flow one way: scenario file -> validated scenario -> input Dataset -> Pyomo model ->
HiGHS -> results Dataset -> prices, reports, tenant analysis.
"""

__version__ = "0.1.0"
