"""Weather on the scenario's hours for the weather-to-power models: file or synthetic, cached.

A weather table is a :class:`pandas.DataFrame` with columns ghi, dni, dhi [W/m2],
temp_air [degC] and wind_speed [m/s] on an hour-beginning, time-zone-aware index, its
metadata in ``df.attrs`` (:mod:`gridopt.data.weather_table` says it all).

Three sources, one module each, all re-exported here:

* :func:`read_weather` (:mod:`gridopt.data.weather_file`) reads EPW and TMY3 (through
  :mod:`pvlib.iotools`) and a plain CSV (``timestamp, ghi, dni, dhi, temp_air,
  wind_speed``) and checks every value (:func:`validate_weather`,
  :mod:`gridopt.data.weather_table`).
* :func:`align_weather` (this module) maps a weather year (a typical year or another calendar
  year) onto the scenario's hours by month, day and hour.
* :func:`synthetic_weather` (:mod:`gridopt.data.weather_synthetic`) draws a reproducible
  synthetic year for a site of the Hexi corridor from a seed. Its calibration constants are
  all in :data:`HEXI_CORRIDOR` (:mod:`gridopt.data.weather_climate`), each with its source or
  an **assumption** label.

:func:`weather_for_generator` gives the ``solar`` and ``wind`` generators their weather,
drawing or reading each year once (cached).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from gridopt.data.generators import GeneratorContext, Site
from gridopt.data.weather_climate import (
    GUAZHOU_YUMEN_WIND,
    HEXI_CORRIDOR,
    JIAYUGUAN,
    SyntheticClimate,
)
from gridopt.data.weather_file import read_weather
from gridopt.data.weather_synthetic import synthetic_weather
from gridopt.data.weather_table import (
    MAX_ROWS_LISTED,
    WEATHER_COLUMNS,
    WEATHER_UNITS,
    validate_weather,
)
from gridopt.errors import InputError, Problem
from gridopt.lazy_import import lazy_module

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)

__all__ = [
    "WEATHER_COLUMNS",
    "WEATHER_UNITS",
    "SyntheticClimate",
    "HEXI_CORRIDOR",
    "JIAYUGUAN",
    "GUAZHOU_YUMEN_WIND",
    "read_weather",
    "validate_weather",
    "align_weather",
    "synthetic_weather",
    "weather_for_generator",
]


def align_weather(
    df: pd.DataFrame, index: pd.DatetimeIndex, *, where: str = "weather"
) -> pd.DataFrame:
    """Put weather onto the scenario's hours.

    If the weather covers every hour of ``index`` (same instants), those rows are taken.
    Otherwise the weather must be one year (typical or calendar), and it is mapped by
    *month, day and hour of the weather's own clock* (its UTC offset at its first row,
    which is standard time for EPW/TMY3):

    1. each scenario hour is converted to that clock, so the sun is where it was when the
       weather was recorded (a TMY in UTC+8 onto an Asia/Shanghai index maps 1:1; a weather
       file in another offset is rotated within the year, e.g. its 31 Dec evening hours fill
       1 Jan morning hours of the scenario);
    2. the scenario hour takes the weather row with the same (month, day, hour);
    3. 29 February of a leap scenario year takes 28 February (typical years have no 29 Feb);
       a 29 February in the weather year is used only when the scenario has one.

    Parameters
    ----------
    df : pandas.DataFrame
        Weather with a time-zone-aware, hourly index (from :func:`read_weather`).
    index : pandas.DatetimeIndex
        Time-zone-aware scenario index.
    where : str
        Prefix for error messages (file name or field path).

    Returns
    -------
    pandas.DataFrame
        Same columns and ``attrs`` as ``df``, index ``index``.

    Raises
    ------
    InputError
        If the weather neither covers the horizon nor is a single year (more than one row for
        a month-day-hour), or if some month-day-hours are missing.
    """
    if df.index.tz is None or index.tz is None:
        raise ValueError("align_weather needs time-zone-aware indexes")
    src_utc = df.index.tz_convert("UTC")
    tgt_utc = index.tz_convert("UTC")
    if not src_utc.is_unique:
        raise InputError(
            Problem(where, "weather has duplicate timestamps", None, "keep one row per hour")
        )
    pos = pd.Index(src_utc).get_indexer(tgt_utc)
    if (pos >= 0).all():
        out = df.iloc[pos].copy()
        out.index = index
        out.attrs = dict(df.attrs)
        return out
    offset = df.index[0].utcoffset()
    clock = dt.timezone(offset)
    src = df.index.tz_convert(clock)
    tgt = index.tz_convert(clock)
    src_key = src.month * 10000 + src.day * 100 + src.hour
    tgt_key = np.asarray(tgt.month * 10000 + tgt.day * 100 + tgt.hour)
    src_key_idx = pd.Index(np.asarray(src_key))
    if not src_key_idx.is_unique:
        years = sorted(set(src.year))
        raise InputError(
            Problem(
                where,
                "weather holds more than one year but does not cover the scenario "
                f"horizon {index[0]} to {index[-1]}",
                f"years {years[0]}-{years[-1]}",
                "give a file covering the horizon, or a single (typical) year",
            )
        )
    pos = src_key_idx.get_indexer(tgt_key)
    feb29 = (pos < 0) & (tgt_key // 100 == 229)
    if feb29.any():
        pos[feb29] = src_key_idx.get_indexer(tgt_key[feb29] - 100)  # 29 Feb -> 28 Feb
    if (pos < 0).any():
        miss = np.flatnonzero(pos < 0)
        examples = [
            f"{k // 10000:02d}-{k // 100 % 100:02d} {k % 100:02d}:00"
            for k in tgt_key[miss[:MAX_ROWS_LISTED]]
        ]
        raise InputError(
            Problem(
                where,
                f"weather has no data for {len(miss)} scenario hours (month-day "
                f"hour on the weather's clock, UTC{_fmt_offset(offset)})",
                examples,
                "give a full year of hourly weather (8,760 rows)",
            )
        )
    out = df.iloc[pos].copy()
    out.index = index
    out.attrs = dict(df.attrs)
    return out


def _fmt_offset(offset) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


_SYNTHETIC_CACHE: dict[tuple, pd.DataFrame] = {}
_FILE_CACHE: dict[tuple, pd.DataFrame] = {}
_CACHE_SIZE = 16


def _index_key(index: pd.DatetimeIndex) -> tuple:
    return (str(index.tz), len(index), hash(index.asi8.tobytes()))


def _remember(cache: dict, key: tuple, value: pd.DataFrame) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.pop(next(iter(cache)))
    cache[key] = value


def cached_synthetic_weather(site: Site, index: pd.DatetimeIndex, seed: int) -> pd.DataFrame:
    """:func:`synthetic_weather` with the default climate, cached per (site, index, seed).

    A scenario with ten PV clusters and five wind farms on one site and seed draws the year
    once. A copy is returned so callers cannot alter the cached frame.
    """
    key = (site, int(seed), _index_key(index))
    if key not in _SYNTHETIC_CACHE:
        _remember(_SYNTHETIC_CACHE, key, synthetic_weather(site, index, seed))
    df = _SYNTHETIC_CACHE[key]
    out = df.copy()
    out.attrs = dict(df.attrs)
    return out


def weather_for_generator(
    ctx: GeneratorContext,
    site: Site,
    weather: str,
    seed: int | None,
    wind_height_m: float | None,
) -> pd.DataFrame:
    """Weather on ``ctx.index`` for a ``solar`` or ``wind`` generator.

    ``weather`` is ``"synthetic"`` (drawn with ``seed``, default 0) or a file path (resolved
    with ``ctx.path``), read with :func:`read_weather` (naive CSV timestamps are taken in the
    site's time zone) and mapped with :func:`align_weather`. Both are cached.
    """
    if weather == "synthetic":
        if wind_height_m is not None:
            raise InputError(
                Problem(
                    f"{ctx.where}.wind_height_m",
                    "only applies to weather files",
                    wind_height_m,
                    "remove it for synthetic weather "
                    f"(its wind is at {HEXI_CORRIDOR.wind_ref_height_m:g} m)",
                )
            )
        return cached_synthetic_weather(site, ctx.index, 0 if seed is None else seed)
    if seed is not None:
        raise InputError(
            Problem(
                f"{ctx.where}.seed",
                "only applies to synthetic weather",
                seed,
                "remove it, or set weather: synthetic",
            )
        )
    path = ctx.path(weather)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, wind_height_m, site.timezone)
    except OSError:
        key = None
    if key is None or key not in _FILE_CACHE:
        df, _ = read_weather(path, wind_height_m=wind_height_m, timezone=site.timezone)
        if key is not None:
            _remember(_FILE_CACHE, key, df)
    else:
        df = _FILE_CACHE[key]
    return align_weather(df, ctx.index, where=f"{ctx.where}.weather ({path})")
