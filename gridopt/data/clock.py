"""The horizon's hours: which clock they are laid out in and the hourly index of a scenario.

Every hour of a horizon exists exactly once: a zone without daylight saving time (Asia/Shanghai)
is used as it is, one with daylight saving time is read in its standard time all year
(:func:`clock_zone`). Input and results Datasets store ``time`` as naive local clock time with
the clock in ``attrs["timezone"]``; :func:`local_time_index` turns it back into an aware index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from gridopt.errors import InputError, Problem
from gridopt.scenario.load import LoadedScenario


def clock_zone(timezone: str, start: pd.Timestamp, hours: int) -> str:
    """The clock the horizon's hours are laid out in: ``timezone`` itself when its UTC offset
    does not change in the calendar years the horizon touches (Asia/Shanghai: no daylight
    saving time), else the zone's standard time as a fixed offset (``"UTC+01:00"`` for
    Europe/Berlin), so that every hour of the horizon exists exactly once: no hour is skipped
    in spring and none repeated in autumn. Standard time is the smallest UTC offset the zone
    uses in those years."""
    first = int(start.year)
    last = int((start + pd.Timedelta(hours=hours + 24)).year)
    grid = pd.date_range(f"{first}-01-01", f"{last + 1}-01-01", freq="h", tz="UTC")
    local = grid.tz_convert(timezone)
    offsets = local.tz_localize(None) - local.tz_convert(None)
    if len(offsets.unique()) == 1:
        return timezone
    minutes = int(offsets.min() / pd.Timedelta(minutes=1))
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def time_index(ls: LoadedScenario, hours: int | None = None) -> pd.DatetimeIndex:
    """Hourly, time-zone-aware index of the scenario horizon (optionally its first ``hours``).

    ``time.start`` is read on the clock of :func:`clock_zone`: in a zone with daylight saving
    time that is the zone's standard time all year, so the index is consecutive and unique.
    """
    t = ls.scenario.time
    n = t.hours if hours is None else hours
    if not 1 <= n <= t.hours:
        raise InputError(
            Problem(
                "--hours",
                f"must be from 1 to the scenario's horizon, time.hours: {t.hours} in {ls.path}",
                n,
                f"give --hours {t.hours} or less, or lengthen time.hours in the scenario",
            )
        )
    start = pd.Timestamp(t.start)
    zone = clock_zone(t.timezone, start, t.hours)
    return pd.date_range(start.tz_localize(zone), periods=n, freq="h")


def local_time_index(ds: xr.Dataset) -> pd.DatetimeIndex:
    """The ``time`` coordinate of an input or results Dataset as a time-zone-aware index:
    unique and consecutive, on the clock named by ``attrs["timezone"]`` (for a zone with
    daylight saving time its standard time, e.g. ``UTC+01:00``; see :func:`clock_zone`).
    Use it to write timestamps (prices.csv) instead of localising ``time`` by hand."""
    zone = ds.attrs.get("timezone") or ds["time"].attrs.get("timezone") or "Asia/Shanghai"
    naive = pd.DatetimeIndex(ds["time"].values)
    try:
        return naive.tz_localize(zone)
    except (ValueError, TypeError):
        # Results written before hours were laid out in standard time: local clock times of
        # a zone with daylight saving time (an autumn hour repeated, a spring hour missing).
        return naive.tz_localize(zone, ambiguous="infer", nonexistent="shift_forward")


def timestamp_text(index: pd.DatetimeIndex) -> np.ndarray:
    """``2025-01-01 00:00:00+08:00`` for each time-zone-aware hour of ``index``: the text
    pandas writes for it, made in numpy (pandas formats each timestamp on its own: ~0.5 s
    for a year)."""
    wall = index.tz_localize(None).values.astype("datetime64[s]")
    utc = index.tz_convert("UTC").tz_localize(None).values.astype("datetime64[s]")
    seconds = (wall - utc).astype(np.int64)
    size = np.abs(seconds)
    parts = [np.where(seconds < 0, "-", "+")]
    for value, sep in ((size // 3600, ""), (size // 60 % 60, ":")):
        parts += [sep, np.char.zfill(value.astype(str), 2)]
    if (size % 60).any():  # an offset in seconds (local mean time before 1900): +08:05:43
        parts += [
            np.where(size % 60 > 0, ":", ""),
            np.where(size % 60 > 0, np.char.zfill((size % 60).astype(str), 2), ""),
        ]
    text = np.char.replace(np.datetime_as_string(wall, unit="s"), "T", " ")
    for part in parts:
        text = np.char.add(text, part)
    return text


def clock_text(zone: str, clock: str) -> str:
    """What the ``time`` coordinate's clock is, in words (stored in the Dataset attrs)."""
    if zone == clock:
        return f"local clock time of {zone}"
    return (
        f"standard time of {zone} ({clock}) all year: daylight saving time is not applied, "
        "so every hour exists once"
    )
