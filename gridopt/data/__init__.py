"""Time series and data: built-in profile generators, weather-to-power, load profiles, import.

Importing this package registers every generator in :mod:`gridopt.data.generators`, and lets
xarray tell dask arrays apart without importing dask (:mod:`gridopt.lazy_dask`).
"""

from gridopt.data import generators, importer, loads, profiles, solar, wind  # noqa: F401  (registers generators)
from gridopt.lazy_dask import defer_dask

defer_dask()
