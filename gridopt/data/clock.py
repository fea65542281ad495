"""The horizon's hours: which clock they are laid out in and the hourly index of a scenario.

Every hour of a horizon exists exactly once: a zone without daylight saving time (Asia/Shanghai)
is used as it is, one with daylight saving time is read in its standard time all year
(:func:`clock_zone`). Input and results Datasets store ``time`` as naive local clock time with
the clock in ``attrs["timezone"]``; :func:`local_time_index` turns it back into an aware index.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

import numpy as np

from gridopt.errors import InputError, Problem
from gridopt.lazy_import import lazy_module

if TYPE_CHECKING:
    import xarray as xr

    from gridopt.scenario.load import LoadedScenario

pd = lazy_module("pandas")

HOURS_PER_YEAR = 8760.0
"""Hours in the year that a t/yr or MWh/yr rate refers to [h] (also the year a horizon's
annual figures are scaled to)."""


def clock_zone(timezone: str, start: dt.datetime | str, hours: int) -> str:
    """The clock the horizon's hours are laid out in: ``timezone`` itself when its UTC offset
    does not change in the calendar years the horizon touches (Asia/Shanghai: no daylight
    saving time), else the zone's standard time as a fixed offset (``"UTC+01:00"`` for
    Europe/Berlin), so that every hour of the horizon exists exactly once: no hour is skipped
    in spring and none repeated in autumn. Standard time is the smallest UTC offset the zone
    uses in those years."""
    return _clock(timezone, start, hours)[0]


def _clock(timezone: str, start: dt.datetime | str, hours: int) -> tuple[str, int]:
    """:func:`clock_zone` and the clock's UTC offset [s], the same in every hour of the horizon
    (the UTC offset of ``timezone`` itself, or of the fixed offset named).

    The offsets the zone uses are read (zoneinfo) at 00:00 and 12:00 UTC of every day of the
    calendar years the horizon touches: no zone has kept an offset for less than a day, so
    this finds every offset it uses in those years."""
    if isinstance(start, str):
        start = dt.datetime.fromisoformat(start.strip())
    first = start.year
    last = (start.replace(tzinfo=None) + dt.timedelta(hours=hours + 24)).year
    zone = zoneinfo.ZoneInfo(timezone)
    t0 = dt.datetime(first, 1, 1, tzinfo=dt.timezone.utc)
    steps = (dt.datetime(last + 1, 1, 1, tzinfo=dt.timezone.utc) - t0) // dt.timedelta(hours=12)
    offsets = {
        (t0 + dt.timedelta(hours=12 * k)).astimezone(zone).utcoffset() for k in range(steps + 1)
    }
    seconds = int(min(offsets).total_seconds())
    if len(offsets) == 1:
        return timezone, seconds
    sign, minutes = ("+" if seconds >= 0 else "-"), abs(seconds) // 60
    # the clock is the offset in whole minutes (a local mean time of the past, -00:22:48, is
    # read as -00:22, as pandas reads the clock's name)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}", (
        1 if seconds >= 0 else -1
    ) * minutes * 60


class Hours:
    """The hours of a horizon in numpy: ``local`` (naive local clock time, datetime64[us]),
    ``utc_ns`` (int64 nanoseconds since 1970, UTC), ``zone`` (the clock: :func:`clock_zone`),
    and, made on first use, ``index``: the same hours as a time-zone-aware pandas
    DatetimeIndex (what generators computing with pandas read).

    Resolving a scenario's inputs needs nothing but these arrays when every series is a
    number, a list, a CSV column or a cached generator series, so ``gridopt validate`` does
    not import pandas (:mod:`gridopt.lazy_import`)."""

    def __init__(self, start: str, n: int, zone: str, offset_s: int):
        self.start, self.zone, self.offset_s = start, zone, int(offset_s)
        first = np.datetime64(dt.datetime.fromisoformat(start.strip()), "us")  # as pandas makes it
        self.local = first + np.arange(n, dtype=np.int64) * np.timedelta64(3600, "s")
        ns = self.local.astype("datetime64[ns]").view(np.int64)
        self.utc_ns = ns - np.int64(self.offset_s) * 1_000_000_000
        self._index = None

    @classmethod
    def of(cls, index: pd.DatetimeIndex) -> Hours:
        """The hours of a time-zone-aware hourly ``index`` (kept as ``index``)."""
        local = index.tz_localize(None)
        out = cls.__new__(cls)
        out.start = f"{local[0]:%Y-%m-%d %H:%M}" if len(index) else ""
        out.zone = str(index.tz)
        out.offset_s = int(index[0].utcoffset().total_seconds()) if len(index) else 0
        out.local = np.asarray(local.values)
        utc = index.tz_convert("UTC").tz_localize(None).values
        out.utc_ns = utc.astype("datetime64[ns]").view(np.int64)
        out._index = index
        return out

    def __len__(self) -> int:
        return len(self.local)

    @property
    def index(self) -> pd.DatetimeIndex:
        """The hours as a time-zone-aware pandas DatetimeIndex (pandas imported here)."""
        if self._index is None:
            start = pd.Timestamp(self.start).tz_localize(self.zone)
            self._index = pd.date_range(start, periods=len(self), freq="h")
        return self._index

    @property
    def hour(self) -> np.ndarray:
        """Local clock hour of each hour, 0..23."""
        day = self.local.astype("datetime64[D]")
        return ((self.local - day) // np.timedelta64(1, "h")).astype(np.int64)

    @property
    def month(self) -> np.ndarray:
        """Calendar month of each hour, 1..12."""
        return self.local.astype("datetime64[M]").astype(np.int64) % 12 + 1

    def text(self, k: int) -> str:
        """Hour ``k`` as ``YYYY-MM-DD HH:MM`` (local clock time)."""
        return str(self.local[k].astype("datetime64[m]")).replace("T", " ")


def horizon(ls: LoadedScenario, hours: int | None = None) -> Hours:
    """The hours of the scenario's horizon (optionally its first ``hours``), in numpy.

    ``time.start`` is read on the clock of :func:`clock_zone`: in a zone with daylight saving
    time that is the zone's standard time all year, so the hours are consecutive and unique.
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
    zone, offset = _clock(t.timezone, t.start, t.hours)
    return Hours(t.start, n, zone, offset)


def time_index(ls: LoadedScenario, hours: int | None = None) -> pd.DatetimeIndex:
    """Hourly, time-zone-aware index of the scenario horizon (optionally its first ``hours``):
    :func:`horizon` as a pandas DatetimeIndex."""
    return horizon(ls, hours).index


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
