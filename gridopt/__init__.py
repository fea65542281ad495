"""gridopt: hourly dispatch and marginal-price optimiser for local source-grid-load-storage grids.

Stages flow one way: scenario file -> validated scenario -> input Dataset -> Pyomo model ->
HiGHS -> results Dataset -> prices, reports, tenant analysis.
"""

from gridopt.lazy_dask import defer_dask_when_imported

__version__ = "0.1.0"

defer_dask_when_imported()  # xarray, whenever imported, without dask (gridopt.lazy_dask)
