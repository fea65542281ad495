"""Time series and data: built-in profile generators, weather-to-power, load profiles, import.

Importing this package registers every generator in :mod:`gridopt.data.generators`. It
imports neither pandas nor xarray: the modules import them when first used
(:mod:`gridopt.lazy_import`).
"""

from gridopt.data import generators, importer, loads, profiles, solar, wind  # noqa: F401  (registers generators)
