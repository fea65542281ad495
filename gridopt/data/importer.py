"""Import an hourly profile (a load, or any other hourly MW series) from a CSV or Excel file.

:func:`read_profile` reads one column of a ``.csv`` or ``.xlsx`` file and puts it on the
scenario's hourly index as MW. The rules (also in ``docs/data_loads.md``):

File layout
    A ``.csv`` file is read by :func:`gridopt.data.csvfile.read_csv` (the one CSV reader:
    UTF-8 or GBK, comma, semicolon or tab), an ``.xlsx`` sheet by
    :func:`gridopt.data.excelfile.read_excel_table`. The first row that is not a comment is
    the header; rows whose first cell starts with ``#`` are comments (use them for the source
    of the numbers) and are skipped anywhere. If the first row holds only numbers the file
    has no header. Leading and trailing empty rows are ignored; an empty cell inside the data
    is an error, and so is an empty row in a file of one column (it is an empty cell); in a
    file of several columns an empty row is skipped.
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
    A typical day (24 rows), week (168) or year (8760 or 8784), or one row per horizon hour,
    or timestamps covering the horizon: :mod:`gridopt.data.profile_shapes` says how each is
    put onto the horizon. ``repeat`` ("day", "week", "year", "horizon") forces one shape.
Timestamps
    Local clock time in the scenario's time zone, or with a UTC offset (converted). They
    must be on the hour, one row per hour, in order, without gaps or repeats.
Values
    Finite numbers >= 0; every empty cell, NaN, text or negative value is reported by row.

All problems in a file are collected and raised together as one
:class:`gridopt.errors.InputError` (at most 20 listed, then "and N more").
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from pathlib import Path

import numpy as np
from pydantic import ConfigDict, Field, field_validator

from gridopt.data.csvfile import NA_TEXT, Table, read_csv_table
from gridopt.data.csvfile import is_blank as _is_blank
from gridopt.data.excelfile import read_excel_table
from gridopt.data.generators import GeneratorContext, Params, generator, parse_params
from gridopt.data.profile_shapes import Repeat, map_to_index
from gridopt.errors import InputError, Problem
from gridopt.lazy_import import lazy_module

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)

MAX_PROBLEMS = 20
"""How many problems an error lists before "and N more"."""

TIME_COLUMNS = frozenset({"time", "timestamp", "datetime", "date_time", "date", "snapshot", "时间"})
"""Column names (lower case) read as timestamps."""

UNIT_TO_MW = {"kW": 1e-3, "MW": 1.0}
"""Accepted units and their factor to MW."""

_UNIT_IN_NAME = re.compile(r"(?<![a-z])(kw|mw)h?(?![a-z])")


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


def _read_table(path: Path, sheet: str | None) -> Table:
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
        return read_excel_table(path, label, sheet)
    if sheet is not None:
        raise InputError(
            Problem(f"{label}: sheet", "a CSV file has no sheets", sheet, "remove the sheet option")
        )
    return read_csv_table(path, label)


def _unit_in_name(name: str) -> str | None:
    found = {m.upper() for m in _UNIT_IN_NAME.findall(name.lower())}
    return {"KW": "kW", "MW": "MW"}[found.pop()] if len(found) == 1 else None


def _choose_columns(t: Table, column: str | None) -> tuple[int | None, int]:
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


def _unit(t: Table, k: int, unit: str | None, problems: list[Problem]) -> str:
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


def _parse_values(t: Table, k: int, unit: str, problems: list[Problem]) -> np.ndarray:
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
        elif isinstance(raw, str) and raw.strip().lower() in NA_TEXT:
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


def _parse_times(t: Table, k: int, tz, problems: list[Problem]) -> pd.DatetimeIndex:
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


def _check_sequence(t: Table, k: int, times: pd.DatetimeIndex, problems: list[Problem]) -> None:
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
                map_to_index(t, values, None, index, repeat)
            except InputError as exc:
                problems.extend(exc.problems)
        problems.sort(key=_row_of)
        head = f"row {t.header_row} is the header" if t.header_row else "the file has no header"
        n = len(problems)
        title = f"{n} problems in {t.label} (rows numbered as in a spreadsheet: {head})"
        raise _stop(t.label, problems, title if n > 1 else None)
    pos = map_to_index(t, values, times, index, repeat)
    s = pd.Series(values[pos] * UNIT_TO_MW[unit], index=index, name="p_mw")
    s.attrs["units"] = "MW"
    return s


class ProfileFileParams(Params):
    model_config = ConfigDict(extra="forbid", frozen=True)  # descriptions: Params

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
