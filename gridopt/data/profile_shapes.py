"""Putting a profile file's rows onto the scenario's hours: day, week, year or horizon.

The shapes a profile file may have (:func:`gridopt.data.importer.read_profile`, also in
``docs/data_loads.md``):

1. Timestamps that include every hour of the horizon: those hours are taken.
2. 24 rows: a typical day, repeated (by the timestamps' clock hour if given).
3. 168 rows: a typical week, repeated; row 1 of the data is Monday 00:00 unless timestamps say
   otherwise (then weeks are aligned on the weekday).
4. 8760 or 8784 rows: a year, mapped onto the horizon by month, day and clock hour, so it
   serves any horizon year (weekdays are not aligned). Without timestamps the rows start on
   1 January 00:00 of a common year (8760) or of a leap year (8784). On 29 February of a
   leap-year horizon, a file without that day gives 28 February's values; a non-leap horizon
   skips the file's 29 February.
5. Exactly as many rows as the horizon has hours, in order.

``repeat`` ("day", "week", "year", "horizon") forces one shape.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from gridopt.data.clock import HOURS_PER_YEAR
from gridopt.data.csvfile import Table
from gridopt.errors import InputError, Problem
from gridopt.lazy_import import lazy_module

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)

Repeat = Literal["day", "week", "year", "horizon"]
"""A forced shape."""

YEAR_ROWS = (int(HOURS_PER_YEAR), int(HOURS_PER_YEAR) + 24)
"""Rows of a year: a common year (8760) and a leap year (8784)."""

SHAPE_ROWS = {"day": (24,), "week": (168,), "year": YEAR_ROWS}
"""Rows of each repeated shape."""


def _accepted(n_index: int, index: pd.DatetimeIndex) -> str:
    span = f"{index[0]:%Y-%m-%d %H:%M} to {index[-1]:%Y-%m-%d %H:%M}" if n_index else "empty"
    return (
        "accepted: 24 rows (a typical day), 168 (a typical week), "
        f"{YEAR_ROWS[0]} or {YEAR_ROWS[1]} (a year), "
        f"{n_index} (one per hour of the scenario horizon, {span}), "
        "or timestamps that include every hour of the horizon"
    )


def _year_keys(stamps: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(stamps.month * 10_000 + stamps.day * 100 + stamps.hour, dtype=np.int64)


def map_to_index(
    t: Table,
    values: np.ndarray,
    times: pd.DatetimeIndex | None,
    index: pd.DatetimeIndex,
    repeat: Repeat | None,
) -> np.ndarray:
    """Positions in ``t``'s data rows of each hour of ``index`` (see the module docstring).

    ``values`` are the data rows' values (only their number is used), ``times`` their
    timestamps as local wall-clock time (naive) or None, ``repeat`` the forced shape or None.
    Raises :class:`InputError` if the rows fit no shape or do not cover the horizon."""
    n, n_index = len(values), len(index)
    wall = index.tz_localize(None) if index.tz is not None else index
    rows_text = f"{n} data rows (rows {t.rows[0]}-{t.rows[-1]}"
    rows_text += (
        f"; row {t.header_row} is the header)" if t.header_row else "; the file has no header)"
    )
    if repeat is None and times is not None:
        pos = times.get_indexer(wall)
        if (pos >= 0).all():
            return pos
    shape = repeat
    if shape is None:
        shape = {n_rows: s for s, rows in SHAPE_ROWS.items() for n_rows in rows}.get(n)
        if shape is None and n == n_index and times is None:
            shape = "horizon"
    expected = SHAPE_ROWS.get(shape, (n_index,)) if shape else ()
    if n not in expected:
        if repeat is not None:
            msg, fix = (
                f"repeat: {repeat} needs {' or '.join(map(str, expected))} data rows",
                "give that many rows or change repeat",
            )
        elif times is not None and n == n_index:
            msg = f"the timestamps ({times.min():%Y-%m-%d %H:%M} to {times.max():%Y-%m-%d %H:%M}) do not cover the horizon"
            fix = _accepted(n_index, index)
        else:
            msg, fix = "wrong number of rows", _accepted(n_index, index)
        raise InputError(Problem(t.label, f"{msg}: the file has {rows_text}", n, fix))
    if shape == "horizon":
        if times is not None:  # a forced horizon with timestamps that do not match
            pos = times.get_indexer(wall)
            if (pos < 0).any():
                first = wall[int(np.argmax(pos < 0))]
                raise InputError(
                    Problem(
                        t.label,
                        f"no row for horizon hour {first:%Y-%m-%d %H:%M}",
                        fix="give one row per horizon hour",
                    )
                )
            return pos
        return np.arange(n)
    if shape == "day":
        key_file = np.asarray(times.hour) if times is not None else np.arange(24)
        key_index = np.asarray(wall.hour)
    elif shape == "week":
        key_file = (
            np.asarray(times.day_of_week * 24 + times.hour) if times is not None else np.arange(168)
        )
        key_index = np.asarray(wall.day_of_week * 24 + wall.hour)
    else:
        ref = (
            times
            if times is not None
            else pd.date_range(
                "2000-01-01" if n == YEAR_ROWS[1] else "2001-01-01", periods=n, freq="h"
            )
        )
        key_file, key_index = _year_keys(ref), _year_keys(wall)
    keys = pd.Index(key_file)
    if not keys.is_unique:  # 8784 timestamped hours that do not span a 29 February
        raise InputError(
            Problem(
                t.label,
                "the timestamps repeat a day of the year",
                f"{times.min():%Y-%m-%d} to {times.max():%Y-%m-%d}",
                f"{YEAR_ROWS[1]} rows must be a leap year (with 29 February); "
                f"give {YEAR_ROWS[0]} rows for a common year",
            )
        )
    lookup = keys.get_indexer(key_index)
    if shape == "year":
        leap_day = (lookup < 0) & (np.asarray(wall.month) == 2) & (np.asarray(wall.day) == 29)
        lookup[leap_day] = keys.get_indexer(key_index[leap_day] - 100)  # 29 Feb -> 28 Feb
    if (lookup < 0).any():
        missing = wall[lookup < 0]
        raise InputError(
            Problem(
                t.label,
                f"no row for {missing[0]:%d %B %H:00} (and {len(missing) - 1} more horizon hours) "
                f"in the year given by the timestamps",
                f"{times.min():%Y-%m-%d %H:%M} to {times.max():%Y-%m-%d %H:%M}",
                "give a full calendar year of hours",
            )
        )
    return lookup
