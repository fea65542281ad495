"""Time series and data: built-in profile generators, weather-to-power, load profiles, import.

The generators a scenario may name are declared in :mod:`gridopt.data.generators`; each
module is imported when one of its generators first runs. Nothing here imports pandas or
xarray: the modules import them when first used (:mod:`gridopt.lazy_import`).
"""
