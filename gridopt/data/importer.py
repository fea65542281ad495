"""Import an hourly profile (a load, or any other hourly MW series) from a CSV or Excel file.

:func:`read_profile` reads one column of a ``.csv`` or ``.xlsx`` file and puts it on the
scenario's hourly index as MW. The rules (also in ``docs/data_loads.md``):

File layout
    The first row that is not a comment is the header; rows whose first cell starts with
    ``#`` are comments (use them for the source of the numbers) and are skipped anywhere.
    If the first row holds only numbers the file has no header. Trailing empty rows are
    ignored; an empty row or cell inside the data is an error.
Row numbers in messages
    As a spreadsheet shows them: the file's line number (CSV) or the sheet's row number
    (Excel), counting the header and comment rows. With a one-line header the first value is
    in row 2.
Columns
    A timestamp column is one named ``time``, ``timestamp``, ``datetime``, ``date_time``,
    ``date``, ``snapshot`` or ``时间`` (any case). The value column is ``column`` if given,
    else the only other non-empty column, else the only one whose name states a unit.
Unit
    kW or MW, from the column name (``p_kw``, ``p_mw``, ``load [kW]``, ``load (MW)``; an
    hourly ``kWh``/``MWh`` column counts as kW/MW) or the ``unit`` option; if neither
    states it, or they disagree, it is an error.
Shapes
    1. Timestamps that include every hour of the horizon: those hours are taken.
    2. 24 rows: a typical day, repeated (by the timestamps' clock hour if given).
    3. 168 rows: a typical week, repeated; row 1 of the data is Monday 00:00 unless
       timestamps say otherwise (then weeks are aligned on the weekday).
    4. 8760 or 8784 rows: a year, mapped onto the horizon by month, day and clock hour, so
       it serves any horizon year (weekdays are not aligned). Without timestamps the rows
       start on 1 January 00:00 of a common year (8760) or of a leap year (8784). On 29
       February of a leap-year horizon, a file without that day gives 28 February's values;
       a non-leap horizon skips the file's 29 February.
    5. Exactly as many rows as the horizon has hours, in order.
    ``repeat`` ("day", "week", "year", "horizon") forces one shape.
Timestamps
    Local clock time in the scenario's time zone, or with a UTC offset (converted). They
    must be on the hour, one row per hour, in order, without gaps or repeats.
Values
    Finite numbers >= 0; every empty cell, NaN, text or negative value is reported by row.

All problems in a file are collected and raised together as one
:class:`gridopt.errors.InputError` (at most 20 listed, then "and N more").
"""

from __future__ import annotations

import csv
import dataclasses
import re
import string
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import ConfigDict, Field, field_validator

from gridopt.data.generators import GeneratorContext, Params, generator, parse_params
from gridopt.errors import InputError, Problem
from gridopt.textfile import read_text

MAX_PROBLEMS = 20
"""How many problems an error lists before "and N more"."""

TIME_COLUMNS = frozenset({"time", "timestamp", "datetime", "date_time", "date", "snapshot", "时间"})
"""Column names (lower case) read as timestamps."""

UNIT_TO_MW = {"kW": 1e-3, "MW": 1.0}
"""Accepted units and their factor to MW."""

Repeat = Literal["day", "week", "year", "horizon"]
YEAR_ROWS = (8760, 8784)
_SHAPE_ROWS = {"day": (24,), "week": (168,), "year": YEAR_ROWS}
_UNIT_IN_NAME = re.compile(r"(?<![a-z])(kw|mw)h?(?![a-z])")
_NA_TEXT = frozenset({"nan", "na", "n/a", "#n/a", "null", "none", "-"})


@dataclasses.dataclass
class _Table:
    """Cells of a file as read: one list of raw values per column, and each row's number."""

    label: str
    header_row: int | None  # None: the file has no header
    names: list[str]  # display name of each column (header text, or its letter)
    columns: list[list[object]]
    rows: np.ndarray  # spreadsheet row number of each data row


def _letter(k: int) -> str:
    """Spreadsheet column letter of 0-based column k (0 -> A, 26 -> AA)."""
    s = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        s = string.ascii_uppercase[r] + s
    return s


def _is_blank(v: object) -> bool:
    return (
        v is None
        or (isinstance(v, str) and not v.strip())
        or (isinstance(v, float) and np.isnan(v))
    )


def _is_number(v: object) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    try:
        float(str(v).strip())
    except ValueError:
        return False
    return True


def _row_of(p: Problem) -> int:
    """Row number named in a problem's location (0 for the whole file), to list rows in order."""
    m = re.search(r": row (\d+),", p.where)
    return int(m.group(1)) if m else 0


def _stop(label: str, problems: list[Problem], title: str | None = None) -> InputError:
    """One error for all ``problems`` of file ``label``, listing at most MAX_PROBLEMS."""
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [
            Problem(label, f"and {more} more problem{'s' * (more > 1)} not listed")
        ]
    return InputError(problems, title)


def _table(label: str, numbered: list[tuple[int, list[object]]]) -> _Table:
    """Build a :class:`_Table` from (row number, cells) pairs, comments already removed."""
    while numbered and all(_is_blank(v) for v in numbered[0][1]):
        numbered.pop(0)
    while numbered and all(_is_blank(v) for v in numbered[-1][1]):
        numbered.pop()
    if not numbered:
        raise InputError(
            Problem(
                label,
                "the file has no data",
                fix="give one value per row under a header such as p_mw",
            )
        )
    width = max(len(cells) for _, cells in numbered)
    first = numbered[0][1]
    has_header = not all(_is_number(v) for v in first if not _is_blank(v))
    names = [_letter(k) for k in range(width)]
    header_row = None
    if has_header:
        header_row = numbered[0][0]
        for k, v in enumerate(first):
            if not _is_blank(v):
                names[k] = str(v).strip()
        numbered = numbered[1:]
        if not numbered:
            raise InputError(
                Problem(
                    label,
                    "the file has a header but no data rows",
                    fix="give one value per row under the header",
                )
            )
    columns = [
        [cells[k] if k < len(cells) else None for _, cells in numbered] for k in range(width)
    ]
    rows = np.array([r for r, _ in numbered], dtype=np.int64)
    return _Table(label, header_row, names, columns, rows)


def _read_csv(path: Path, label: str) -> _Table:
    text = read_text(path, label)
    if not text.strip():
        raise InputError(
            Problem(label, "the file is empty", fix="give a header line and one row per hour")
        )
    lines = [
        (i, line)
        for i, line in enumerate(text.splitlines(), start=1)
        if not line.lstrip().startswith("#")
    ]
    content = [line for _, line in lines if line.strip()]
    head = content[0] if content else ""
    sep = max((",", ";", "\t"), key=head.count) if any(c in head for c in ",;\t") else ","
    cells = list(csv.reader((line for _, line in lines), delimiter=sep))
    if len(cells) != len(lines):
        raise InputError(
            Problem(
                label,
                "a quoted field runs over several lines",
                fix='check the quotes (") in the file',
            )
        )
    return _table(label, [(i, list(c)) for (i, _), c in zip(lines, cells, strict=True)])


def _read_excel(path: Path, label: str, sheet: str | None) -> _Table:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-Excel file
        raise InputError(
            Problem(
                label,
                f"cannot read the file as an Excel workbook ({type(exc).__name__}: {exc})",
                fix="open it in Excel or WPS and save it again as .xlsx, or export it as .csv",
            )
        ) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise InputError(
                Problem(
                    f"{label}: sheet",
                    "no sheet of that name",
                    sheet,
                    "use one of: " + ", ".join(wb.sheetnames),
                )
            )
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        label = f"{label} [{ws.title}]"
        try:
            numbered = [
                (r, list(cells))
                for r, cells in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)
                if not (cells and isinstance(cells[0], str) and cells[0].lstrip().startswith("#"))
            ]
        except Exception as exc:
            raise InputError(
                Problem(
                    label,
                    f"cannot read the sheet ({type(exc).__name__}: {exc})",
                    fix="save the workbook again as .xlsx, or export the sheet as .csv",
                )
            ) from None
    finally:
        wb.close()
    return _table(label, numbered)


def _read_table(path: Path, sheet: str | None) -> _Table:
    label = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise InputError(
            Problem(
                label,
                "unsupported file type",
                path.suffix or "(none)",
                "use .csv or .xlsx (save .xls workbooks as .xlsx)",
            )
        )
    if not path.is_file():
        raise InputError(
            Problem(
                label,
                "file not found",
                fix="check the path (in a scenario, relative to the scenario file's folder)",
            )
        )
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, label, sheet)
    if sheet is not None:
        raise InputError(
            Problem(f"{label}: sheet", "a CSV file has no sheets", sheet, "remove the sheet option")
        )
    return _read_csv(path, label)


def _unit_in_name(name: str) -> str | None:
    found = {m.upper() for m in _UNIT_IN_NAME.findall(name.lower())}
    return {"KW": "kW", "MW": "MW"}[found.pop()] if len(found) == 1 else None


def _choose_columns(t: _Table, column: str | None) -> tuple[int | None, int]:
    """(timestamp column or None, value column); raises if the value column is unclear."""
    lower = [n.lower() for n in t.names]
    time_col = next((k for k, n in enumerate(lower) if t.header_row and n in TIME_COLUMNS), None)
    if column is not None:
        matches = [k for k, n in enumerate(t.names) if n == column] or [
            k for k, n in enumerate(lower) if n == column.strip().lower()
        ]
        if not matches:
            raise InputError(
                Problem(
                    f"{t.label}: column",
                    "no column of that name",
                    column,
                    "use one of: " + ", ".join(t.names),
                )
            )
        if matches[0] == time_col:
            raise InputError(
                Problem(
                    f"{t.label}: column",
                    "that is the timestamp column",
                    column,
                    "name the column that holds the values",
                )
            )
        return time_col, matches[0]
    candidates = [
        k
        for k in range(len(t.names))
        if k != time_col and not all(_is_blank(v) for v in t.columns[k])
    ]
    if len(candidates) > 1:
        with_unit = [k for k in candidates if _unit_in_name(t.names[k])]
        candidates = with_unit if len(with_unit) == 1 else candidates
    if len(candidates) != 1:
        found = ", ".join(t.names[k] for k in candidates) or "none"
        raise InputError(
            Problem(
                t.label,
                f"cannot tell which column holds the values (value columns: {found})",
                fix="name it with the column option",
            )
        )
    return time_col, candidates[0]


def _unit(t: _Table, k: int, unit: str | None, problems: list[Problem]) -> str:
    """Unit of column k, from its name or the unit option; a problem if neither or both differ."""
    named = _unit_in_name(t.names[k]) if t.header_row else None
    where = f"{t.label}: column {t.names[k]}"
    if named and unit and named != unit:
        problems.append(
            Problem(
                where,
                f"the column name says {named} but the unit option says {unit}",
                unit,
                "correct one of them",
            )
        )
    elif not (named or unit):
        problems.append(
            Problem(
                where,
                "the unit is not stated",
                fix="put it in the column name (p_kw, p_mw, "
                "'load [kW]') or give the unit option: unit: kW or unit: MW",
            )
        )
    return named or unit or "MW"


def _parse_values(t: _Table, k: int, unit: str, problems: list[Problem]) -> np.ndarray:
    cells = pd.Series(t.columns[k], dtype=object)
    stripped = cells.map(lambda v: v.strip() if isinstance(v, str) else v)
    blank = cells.map(_is_blank).to_numpy(dtype=bool)
    is_bool = cells.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
    numbers = pd.to_numeric(stripped.where(~(blank | is_bool), None), errors="coerce")
    values = np.where(is_bool, np.nan, numbers.to_numpy(dtype=float))
    bad = ~np.isfinite(values) | (values < 0)
    for i in np.flatnonzero(bad):
        where, raw = f"{t.label}: row {t.rows[i]}, column {t.names[k]}", cells.iloc[i]
        if blank[i]:
            problems.append(
                Problem(
                    where, "empty cell", fix=f"give the value in {unit} (0 if nothing is drawn)"
                )
            )
        elif isinstance(raw, str) and raw.strip().lower() in _NA_TEXT:
            problems.append(Problem(where, "missing value (NaN)", raw, f"give the value in {unit}"))
        elif np.isnan(values[i]):
            problems.append(
                Problem(
                    where,
                    "not a number",
                    raw,
                    f"write a plain number in {unit} with '.' as the decimal point",
                )
            )
        elif not np.isfinite(values[i]):
            problems.append(
                Problem(where, "not a finite number", raw, f"give a finite value in {unit}")
            )
        else:
            problems.append(Problem(where, "negative value", raw, "values must be >= 0"))
    return values


def _to_wall_clock(ts: pd.Timestamp, tz) -> pd.Timestamp:
    if ts.tzinfo is not None:
        ts = ts.tz_convert(tz) if tz is not None else ts
        ts = ts.tz_localize(None)
    return ts


def _parse_times(t: _Table, k: int, tz, problems: list[Problem]) -> pd.DatetimeIndex:
    """Timestamps as local wall-clock time of the scenario (naive); NaT where bad."""
    cells = pd.Series(t.columns[k], dtype=object)
    ok = cells.map(
        lambda v: isinstance(v, (str, datetime, date, pd.Timestamp)) and not _is_blank(v)
    )
    text = cells.where(ok, None)
    try:
        parsed = pd.to_datetime(text, errors="coerce", format="mixed")
        if parsed.dt.tz is not None:
            parsed = parsed.dt.tz_convert(tz) if tz is not None else parsed
            parsed = parsed.dt.tz_localize(None)
        times = pd.DatetimeIndex(parsed)
    except (ValueError, TypeError):  # mixed UTC offsets: convert one by one

        def one(v):
            try:
                return _to_wall_clock(pd.Timestamp(v), tz)
            except (ValueError, TypeError):
                return pd.NaT

        times = pd.DatetimeIndex(
            [one(v) if good else pd.NaT for v, good in zip(text, ok, strict=True)]
        )
    on_hour = times.isna() | (times == times.floor("h"))
    fix = "write local clock time like 2025-01-01 13:00, one row per hour"
    for i in np.flatnonzero(times.isna() | ~on_hour):
        where = f"{t.label}: row {t.rows[i]}, column {t.names[k]}"
        if _is_blank(cells.iloc[i]):
            problems.append(Problem(where, "empty timestamp", fix=fix))
        elif pd.isna(times[i]):
            problems.append(Problem(where, "not a timestamp", cells.iloc[i], fix))
        else:
            problems.append(
                Problem(
                    where,
                    "timestamp not on the hour",
                    cells.iloc[i],
                    "give hourly values, at HH:00",
                )
            )
    times = times.where(on_hour, pd.NaT)
    _check_sequence(t, k, times, problems)
    return times


def _check_sequence(t: _Table, k: int, times: pd.DatetimeIndex, problems: list[Problem]) -> None:
    """Repeated hours anywhere; reversals and gaps between adjacent valid rows."""
    fmt = "%Y-%m-%d %H:%M"
    valid = ~times.isna()
    repeated = valid & times.duplicated(keep="first")
    if repeated.any():
        first_row = pd.Series(t.rows[valid & ~repeated], index=times[valid & ~repeated])
        for i in np.flatnonzero(repeated):
            problems.append(
                Problem(
                    f"{t.label}: row {t.rows[i]}, column {t.names[k]}",
                    f"repeated hour: {times[i]:{fmt}} is also in row {first_row[times[i]]}",
                    fix="keep one row per hour",
                )
            )
    step = np.asarray((times[1:] - times[:-1]) / pd.Timedelta(hours=1), dtype=float)  # NaN at NaT
    pair = valid[1:] & valid[:-1]
    for i in np.flatnonzero(pair & (step != 1) & (step != 0)):
        where = f"{t.label}: row {t.rows[i + 1]}, column {t.names[k]}"
        prev = f"row {t.rows[i]} ({times[i]:{fmt}})"
        if step[i] < 0:
            problems.append(
                Problem(
                    where,
                    f"out of time order: {times[i + 1]:{fmt}} comes after {prev}",
                    fix="sort the rows by time",
                )
            )
        else:
            problems.append(
                Problem(
                    where,
                    f"gap: {int(step[i]) - 1} hour(s) missing between {prev} and this row "
                    f"({times[i + 1]:{fmt}})",
                    fix="add the missing hours, one row per hour",
                )
            )


def _accepted(n_index: int, index: pd.DatetimeIndex) -> str:
    span = f"{index[0]:%Y-%m-%d %H:%M} to {index[-1]:%Y-%m-%d %H:%M}" if n_index else "empty"
    return (
        "accepted: 24 rows (a typical day), 168 (a typical week), 8760 or 8784 (a year), "
        f"{n_index} (one per hour of the scenario horizon, {span}), "
        "or timestamps that include every hour of the horizon"
    )


def _year_keys(stamps: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray(stamps.month * 10_000 + stamps.day * 100 + stamps.hour, dtype=np.int64)


def _map_to_index(
    t: _Table,
    values: np.ndarray,
    times: pd.DatetimeIndex | None,
    index: pd.DatetimeIndex,
    repeat: Repeat | None,
) -> np.ndarray:
    """Positions in the file's data rows of each horizon hour (see the module docstring)."""
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
        shape = {24: "day", 168: "week", 8760: "year", 8784: "year"}.get(n)
        if shape is None and n == n_index and times is None:
            shape = "horizon"
    expected = _SHAPE_ROWS.get(shape, (n_index,)) if shape else ()
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
            else pd.date_range("2000-01-01" if n == 8784 else "2001-01-01", periods=n, freq="h")
        )
        key_file, key_index = _year_keys(ref), _year_keys(wall)
    keys = pd.Index(key_file)
    if not keys.is_unique:  # 8784 timestamped hours that do not span a 29 February
        raise InputError(
            Problem(
                t.label,
                "the timestamps repeat a day of the year",
                f"{times.min():%Y-%m-%d} to {times.max():%Y-%m-%d}",
                "8784 rows must be a leap year (with 29 February); give 8760 rows for a common year",
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


def read_profile(
    path: str | Path,
    index: pd.DatetimeIndex,
    *,
    unit: str | None = None,
    column: str | None = None,
    sheet: str | None = None,
    repeat: Repeat | None = None,
) -> pd.Series:
    """Read an hourly profile from a CSV or Excel file onto ``index`` [MW].

    Parameters
    ----------
    path : str or pathlib.Path
        ``.csv`` (comma, semicolon or tab separated; UTF-8 or GB18030) or ``.xlsx`` file.
    index : pandas.DatetimeIndex
        Hourly timestamps of the horizon (time-zone-aware, normally Asia/Shanghai).
    unit : {"kW", "MW"}, optional
        Unit of the values, if the column name does not state it (case-insensitive).
    column : str, optional
        Name of the value column; needed only if the file has several value columns and
        just one of them does not state its unit in its name.
    sheet : str, optional
        Excel sheet name (default: the first sheet).
    repeat : {"day", "week", "year", "horizon"}, optional
        Force a shape instead of telling it from the number of rows.

    Returns
    -------
    pandas.Series
        Power [MW] on ``index``, named ``p_mw``: value [unit] * (1e-3 if kW else 1).

    Raises
    ------
    gridopt.errors.InputError
        Every problem found in the file, each naming the file, the row (numbered as in a
        spreadsheet, the header counted) and column, the value, and what would be valid.
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(f"index must be a pandas DatetimeIndex, got {type(index).__name__}")
    path = Path(path)
    if unit is not None:
        norm = {u.lower(): u for u in UNIT_TO_MW}.get(str(unit).strip().lower())
        if norm is None:
            raise InputError(Problem(f"{path}: unit", "unknown unit", unit, "use kW or MW"))
        unit = norm
    if repeat is not None and repeat not in ("day", "week", "year", "horizon"):
        raise InputError(
            Problem(f"{path}: repeat", "unknown repeat", repeat, "use day, week, year or horizon")
        )
    t = _read_table(path, None if sheet is None else str(sheet))
    problems: list[Problem] = []
    time_col, k = _choose_columns(t, column)
    unit = _unit(t, k, unit, problems)
    values = _parse_values(t, k, unit, problems)
    times = _parse_times(t, time_col, index.tz, problems) if time_col is not None else None
    if problems:
        if times is None:  # the length can still be judged: report it with the rest
            try:
                _map_to_index(t, values, None, index, repeat)
            except InputError as exc:
                problems.extend(exc.problems)
        problems.sort(key=_row_of)
        head = f"row {t.header_row} is the header" if t.header_row else "the file has no header"
        n = len(problems)
        title = f"{n} problems in {t.label} (rows numbered as in a spreadsheet: {head})"
        raise _stop(t.label, problems, title if n > 1 else None)
    pos = _map_to_index(t, values, times, index, repeat)
    s = pd.Series(values[pos] * UNIT_TO_MW[unit], index=index, name="p_mw")
    s.attrs["units"] = "MW"
    return s


class ProfileFileParams(Params):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    path: str
    """CSV or .xlsx file, relative to the scenario file's folder."""
    unit: str | None = None
    """kW or MW, if the column name does not say."""
    column: str | None = None
    """Value column, if the file has several."""
    sheet: str | None = None
    """Excel sheet name (default: the first sheet)."""
    scale: float = Field(1.0, ge=0)
    """Multiplier applied after conversion to MW [-]."""
    repeat: Repeat | None = None
    """Force the shape: day, week, year or horizon (default: from the number of rows)."""

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str | None) -> str | None:
        if v is not None and v.strip().lower() not in {u.lower() for u in UNIT_TO_MW}:
            raise ValueError("unit must be kW or MW")
        return v

    @field_validator("sheet", mode="before")
    @classmethod
    def _sheet(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v  # a sheet named 2025 reads as a number in YAML


@generator("profile_file")
def profile_file(ctx: GeneratorContext, params: dict) -> np.ndarray:
    """Hourly series read from a CSV or Excel file, in MW, times ``scale`` [MW].

    ``p_mw: {generator: profile_file, path: profiles/city.csv, unit: kW}``. Each problem's
    location is prefixed with the scenario field (``ctx.where``).
    """
    p = parse_params(ProfileFileParams, ctx, params)
    try:
        s = read_profile(
            ctx.path(p.path),
            ctx.index,
            unit=p.unit,
            column=p.column,
            sheet=p.sheet,
            repeat=p.repeat,
        )
    except InputError as exc:
        prefix = f"{ctx.where}: " if ctx.where else ""
        raise InputError(
            [dataclasses.replace(q, where=prefix + q.where) for q in exc.problems], exc.title
        ) from None
    return s.to_numpy() * p.scale
