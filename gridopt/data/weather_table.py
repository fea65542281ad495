"""What a weather table is, and checking one: columns, units, plausible values, hourly index.

Every weather table in gridopt is a :class:`pandas.DataFrame` with exactly these columns:

===========  =======  ===============================================================
column       unit     meaning
===========  =======  ===============================================================
ghi          W/m2     global horizontal irradiance, mean over the hour
dni          W/m2     direct normal irradiance, mean over the hour
dhi          W/m2     diffuse horizontal irradiance, mean over the hour
temp_air     degC     air temperature at about 2 m
wind_speed   m/s      wind speed at the measurement height ``attrs["wind_height_m"]``
===========  =======  ===============================================================

The index is an hourly, time-zone-aware :class:`pandas.DatetimeIndex` whose labels mark the
**start** of each hour (hour-beginning, like a gridopt scenario index: ``00:00`` is the hour
00:00-01:00). ``df.attrs`` carries the metadata (``wind_height_m``, ``latitude``,
``longitude``, ``altitude``, ``source``), so it travels with the frame to
:mod:`gridopt.data.solar` and :mod:`gridopt.data.wind`.

:func:`validate_weather` checks a table; messages name the data row and its file line
(:class:`Rows`).
"""

from __future__ import annotations

import numpy as np

from gridopt.errors import InputError, Problem
from gridopt.lazy_import import lazy_module

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)

WEATHER_COLUMNS: tuple[str, ...] = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
WEATHER_UNITS: dict[str, str] = {
    "ghi": "W/m2",
    "dni": "W/m2",
    "dhi": "W/m2",
    "temp_air": "degC",
    "wind_speed": "m/s",
}

#: Plausibility limits used by :func:`validate_weather` [degC] and [m/s]. Hourly means outside
#: them are data errors (world records: -89 / +57 degC; hourly mean wind above 50 m/s occurs
#: only in the strongest tropical cyclones).
TEMP_RANGE_C = (-60.0, 60.0)
WIND_RANGE_MS = (0.0, 50.0)
#: Number of rows listed one by one per (check, column) before the rest are summarised.
MAX_ROWS_LISTED = 5


class Rows:
    """Turns a 0-based data position into a 'data row N (line M)' text for messages."""

    def __init__(self, file: str, lines: np.ndarray):
        self.file = file
        self.lines = lines  # 1-based file line of each data row

    def where(self, pos: int, column: str | None = None) -> str:
        text = f"{self.file}: data row {pos + 1} (line {int(self.lines[pos])})"
        return text + (f", column {column}" if column else "")


def list_rows(
    problems: list[Problem],
    rows: Rows,
    positions: np.ndarray,
    column: str | None,
    message: str,
    values: list | np.ndarray | None,
    fix: str,
) -> None:
    """Add one problem per bad row (the first few) and one line summarising the rest."""
    positions = np.asarray(positions)
    for k, pos in enumerate(positions[:MAX_ROWS_LISTED]):
        value = None if values is None else _plain(values[k])
        problems.append(Problem(rows.where(int(pos), column), message, value, fix))
    rest = positions[MAX_ROWS_LISTED:]
    if len(rest):
        col = f", column {column}" if column else ""
        problems.append(
            Problem(
                f"{rows.file}: {len(rest)} more data rows{col} "
                f"(rows {rest[0] + 1} to {rest[-1] + 1})",
                f"same problem: {message}",
                None,
                fix,
            )
        )


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return str(value)
    return value


def validate_weather(df: pd.DataFrame, *, file: str = "weather", first_line: int = 2) -> None:
    """Check a weather frame: missing values, ranges, and an hourly, gap-free index.

    Checks, each reported per row and column: missing (NaN) values; negative irradiance;
    ghi, dni or dhi above the extraterrestrial irradiance of that day
    (:func:`pvlib.irradiance.get_extra_radiation`, 1,321-1,412 W/m2); temp_air outside
    -60..60 degC; wind_speed outside 0..50 m/s; duplicate timestamps, timestamps going back,
    and steps other than one hour (gaps). A non-datetime index skips the time checks.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns ghi, dni, dhi [W/m2], temp_air [degC], wind_speed [m/s].
    file : str
        File name used in the messages.
    first_line : int
        File line of the first data row (messages give both, e.g. "data row 3 (line 4)").

    Raises
    ------
    InputError
        All problems together.
    """
    validate_rows(df, Rows(file, np.arange(len(df)) + first_line))


def validate_rows(
    df: pd.DataFrame, rows: Rows, reported: dict[str, np.ndarray] | None = None
) -> None:
    """The checks of :func:`validate_weather`; ``reported`` marks cells already reported
    (non-numeric text), which are not reported again as missing."""
    problems: list[Problem] = []
    missing = [c for c in WEATHER_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(
            Problem(rows.file, f"missing columns {missing}", None, f"need {list(WEATHER_COLUMNS)}")
        )
    is_time = isinstance(df.index, pd.DatetimeIndex)
    if is_time:
        import pvlib  # imported here: importing pvlib takes ~1 s (tests/test_imports.py)

        e0 = np.asarray(pvlib.irradiance.get_extra_radiation(df.index.day_of_year), dtype=float)
    else:
        e0 = np.full(len(df), 1412.0)  # perihelion maximum when the date is unknown
    for col in WEATHER_COLUMNS:
        v = df[col].to_numpy(dtype=float)
        nan_mask = np.isnan(v)
        if reported and col in reported:
            nan_mask &= ~reported[col]
        nan = np.flatnonzero(nan_mask)
        if len(nan):
            list_rows(
                problems,
                rows,
                nan,
                col,
                f"missing value [{WEATHER_UNITS[col]}]",
                None,
                "fill every hour (0 at night for irradiance)",
            )
        with np.errstate(invalid="ignore"):
            if col in ("ghi", "dni", "dhi"):
                neg = np.flatnonzero(v < 0)
                if len(neg):
                    list_rows(
                        problems,
                        rows,
                        neg,
                        col,
                        "negative irradiance [W/m2]",
                        v[neg],
                        "irradiance must be >= 0; set night-time values to 0",
                    )
                high = np.flatnonzero(v > e0)
                if len(high):
                    list_rows(
                        problems,
                        rows,
                        high,
                        col,
                        "above the extraterrestrial irradiance of that day [W/m2]",
                        v[high],
                        f"must be <= {e0[high[0]]:.0f} W/m2 on that day; check units "
                        "(W/m2 as hourly mean, not Wh or kJ)",
                    )
            elif col == "temp_air":
                lo, hi = TEMP_RANGE_C
                bad = np.flatnonzero((v < lo) | (v > hi))
                if len(bad):
                    list_rows(
                        problems,
                        rows,
                        bad,
                        col,
                        "implausible air temperature [degC]",
                        v[bad],
                        f"must be within {lo:g}..{hi:g} degC (Kelvin or degF?)",
                    )
            else:
                lo, hi = WIND_RANGE_MS
                bad = np.flatnonzero((v < lo) | (v > hi))
                if len(bad):
                    list_rows(
                        problems,
                        rows,
                        bad,
                        col,
                        "implausible wind speed [m/s]",
                        v[bad],
                        f"must be within {lo:g}..{hi:g} m/s (km/h or knots?)",
                    )
    if is_time and len(df) > 1:
        t = df.index if df.index.tz is None else df.index.tz_convert("UTC").tz_localize(None)
        step_h = np.diff(t.to_numpy().astype("datetime64[ns]")) / np.timedelta64(1, "h")
        dup = np.flatnonzero(step_h == 0) + 1
        if len(dup):
            list_rows(
                problems,
                rows,
                dup,
                "timestamp",
                "duplicate timestamp (same as the row before)",
                [str(df.index[i]) for i in dup[:MAX_ROWS_LISTED]],
                "keep one row per hour",
            )
        back = np.flatnonzero(step_h < 0) + 1
        if len(back):
            list_rows(
                problems,
                rows,
                back,
                "timestamp",
                "earlier than the row before",
                [str(df.index[i]) for i in back[:MAX_ROWS_LISTED]],
                "sort the rows by time",
            )
        odd = np.flatnonzero((step_h > 0) & (step_h != 1)) + 1
        if len(odd):
            msgs = [
                f"{step_h[i - 1]:g} h after the row before"
                + (
                    f" ({step_h[i - 1] - 1:g} h missing)"
                    if step_h[i - 1] > 1 and float(step_h[i - 1]).is_integer()
                    else " (not hourly)"
                )
                for i in odd
            ]
            for k, i in enumerate(odd[:MAX_ROWS_LISTED]):
                problems.append(
                    Problem(
                        rows.where(int(i), "timestamp"),
                        f"gap or non-hourly step: {msgs[k]}",
                        str(df.index[i]),
                        "give one row per hour, no gaps",
                    )
                )
            if len(odd) > MAX_ROWS_LISTED:
                problems.append(
                    Problem(
                        f"{rows.file}: {len(odd) - MAX_ROWS_LISTED} more data "
                        "rows, column timestamp",
                        "same problem: gap or non-hourly step",
                        None,
                        "",
                    )
                )
    if problems:
        raise InputError(problems)
