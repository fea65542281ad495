"""Reading an hourly weather file (EPW, TMY3 or plain CSV) into a checked weather table.

EPW and TMY3 files are read by :mod:`pvlib.iotools`; a plain CSV
(``timestamp, ghi, dni, dhi, temp_air, wind_speed``, with ``# key: value`` header comments) by
the one CSV reader, :func:`gridopt.data.csvfile.read_csv`. TMY3 files label the hour's end and
are shifted back by one hour. Every value is checked by
:func:`gridopt.data.weather_table.validate_rows`; the table's columns and units are those of
:mod:`gridopt.data.weather_table`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import numpy as np

from gridopt.data.csvfile import NA_TEXT, parse_csv
from gridopt.data.weather_table import (
    MAX_ROWS_LISTED,
    WEATHER_COLUMNS,
    WEATHER_UNITS,
    Rows,
    list_rows,
    validate_rows,
)
from gridopt.errors import InputError, Problem
from gridopt.lazy_import import lazy_module
from gridopt.scenario.schema import iana_zones
from gridopt.textfile import read_text

pd = lazy_module("pandas")  # imported when first used (gridopt.lazy_import)

#: Height of the wind speed in EPW and TMY3 files [m] (WMO standard anemometer height).
STANDARD_ANEMOMETER_HEIGHT_M = 10.0
#: Year a typical-year file (TMY3, or an EPW whose months come from different years) is put in.
TYPICAL_YEAR = 1990

_ROW_TIMESTAMP_RE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})\s*$")


def _detect_format(path: Path, head: str) -> str:
    first = head.splitlines()[0] if head else ""
    second = head.splitlines()[1] if len(head.splitlines()) > 1 else ""
    if path.suffix.lower() == ".epw" or first.upper().startswith("LOCATION,"):
        return "epw"
    if second.startswith("Date (MM/DD/YYYY)"):
        return "tmy3"
    return "csv"


def read_weather(
    path: str | Path,
    *,
    wind_height_m: float | None = None,
    timezone: str | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Read an hourly weather file (EPW, TMY3 or plain CSV) and check every value.

    Parameters
    ----------
    path : str or Path
        The file. EPW (``.epw`` or first line ``LOCATION,...``) and TMY3 (second line starts
        ``Date (MM/DD/YYYY)``) are read with :func:`pvlib.iotools.read_epw` and
        :func:`pvlib.iotools.read_tmy3`; anything else is read as a plain CSV::

            # wind_height_m: 70
            # timezone: Asia/Shanghai
            timestamp,ghi,dni,dhi,temp_air,wind_speed
            2025-01-01 00:00,0,0,0,-12.5,6.1

        Units: ghi, dni, dhi [W/m2] (hourly means), temp_air [degC], wind_speed [m/s].
        ``timestamp`` is ISO 8601 and marks the *start* of the hour. It may carry a UTC
        offset (``2025-01-01T00:00+08:00``); without one the time zone comes from
        ``timezone`` or a ``# timezone:`` header comment. Optional header comments at the top:
        ``wind_height_m`` [m], ``timezone``, ``latitude`` [deg], ``longitude`` [deg],
        ``altitude`` [m]. Extra columns are ignored.
    wind_height_m : float, optional
        Height of the wind-speed measurement [m]. For a CSV it is required, either here or as
        the ``# wind_height_m:`` header comment (the argument wins). For EPW/TMY3 it defaults
        to 10 m (the WMO standard anemometer height those formats use).
    timezone : str, optional
        IANA time zone of naive CSV timestamps (e.g. ``"Asia/Shanghai"``); if the timestamps
        carry an offset they are converted to it.

    Returns
    -------
    weather : pandas.DataFrame
        Columns ghi, dni, dhi [W/m2], temp_air [degC], wind_speed [m/s]; hour-beginning,
        time-zone-aware index. Typical-year files (TMY3, and EPWs whose months come from
        different years) are put in the year 1990. ``weather.attrs`` holds the metadata too.
    metadata : dict
        ``latitude`` [deg], ``longitude`` [deg], ``altitude`` [m] (None when the file does not
        say), ``tz`` (tzinfo of the index), ``wind_height_m`` [m], ``source``
        (``"epw"``, ``"tmy3"``, ``"csv"``), ``path``.

    Raises
    ------
    InputError
        Listing every problem at once; each names the file, the data row (1-based, with its
        line number in the file) and the column, the bad value and what would be valid.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise InputError(
            Problem(
                file,
                "weather file not found",
                None,
                "check the path (relative paths are resolved against the scenario file's folder)",
            )
        )
    text = read_text(path, file)
    if not text.strip():
        raise InputError(
            Problem(file, "weather file is empty", None, "expected a header and hourly rows")
        )
    kind = _detect_format(path, text[:4000])
    if wind_height_m is not None and not (np.isfinite(wind_height_m) and wind_height_m > 0):
        raise InputError(
            Problem(
                f"{file}: wind_height_m",
                "must be a positive height in m",
                wind_height_m,
                "e.g. 10 or 70",
            )
        )
    if kind == "csv":
        df, meta, rows = _read_plain_csv(path, text, wind_height_m, timezone)
    else:
        df, meta, rows = _read_pvlib_file(path, text, kind, wind_height_m)
    validate_rows(df, rows)
    meta = {**meta, "source": kind, "path": file, "tz": df.index.tz}
    df.attrs.update(meta)
    return df, meta


def _read_pvlib_file(
    path: Path, text: str, kind: str, wind_height_m: float | None
) -> tuple[pd.DataFrame, dict, Rows]:
    """An EPW or TMY3 file, from its decoded ``text`` (so any encoding of :func:`read_text`
    works), by pvlib's readers."""
    import pvlib  # imported here: importing pvlib takes ~1 s (tests/test_imports.py)

    file = str(path)
    try:
        if kind == "tmy3":
            data, raw = pvlib.iotools.read_tmy3(
                io.StringIO(text), coerce_year=TYPICAL_YEAR, map_variables=True
            )
            first_line = 3
            # TMY3 labels the end of the hour (01:00 = 00:00-01:00): make it hour-beginning.
            data.index = data.index - pd.Timedelta(hours=1)
        else:
            data, raw = pvlib.iotools.read_epw(io.StringIO(text))
            first_line = 9
            idx = data.index
            if len(idx) > 1 and not (idx[1:] > idx[:-1]).all():
                # A typical-year EPW (months from different years): put it in one year.
                data, raw = pvlib.iotools.read_epw(io.StringIO(text), coerce_year=TYPICAL_YEAR)
    except Exception as exc:  # pvlib raises many kinds; the user needs the file and the cause
        raise InputError(
            Problem(
                file,
                f"could not be read as {kind.upper()}: {exc}",
                None,
                f"check that the file is a complete {kind.upper()} file",
            )
        ) from None
    missing = [c for c in WEATHER_COLUMNS if c not in data.columns]
    if missing:
        raise InputError(
            Problem(
                file,
                f"{kind.upper()} file lacks columns {missing}",
                None,
                f"need {list(WEATHER_COLUMNS)}",
            )
        )
    df = data[list(WEATHER_COLUMNS)].apply(pd.to_numeric, errors="coerce").astype(float)
    rows = Rows(file, np.arange(len(df)) + first_line)
    meta = {
        "latitude": float(raw["latitude"]),
        "longitude": float(raw["longitude"]),
        "altitude": float(raw["altitude"]),
        "wind_height_m": float(wind_height_m or STANDARD_ANEMOMETER_HEIGHT_M),
    }
    return df, meta, rows


def _read_plain_csv(
    path: Path, text: str, wind_height_m: float | None, timezone: str | None
) -> tuple[pd.DataFrame, dict, Rows]:
    file = str(path)
    problems: list[Problem] = []
    table = parse_csv(text, file)
    options = table.options
    if not table.rows:
        raise InputError(
            Problem(
                file,
                "no header line found",
                None,
                "first non-comment line must be: " + ",".join(("timestamp", *WEATHER_COLUMNS)),
            )
        )

    # --- metadata from header comments
    meta: dict[str, object] = {"latitude": None, "longitude": None, "altitude": None}
    for key in ("latitude", "longitude", "altitude"):
        if key in options:
            try:
                meta[key] = float(options[key])
            except ValueError:
                problems.append(
                    Problem(
                        f"{file}: header comment '# {key}:'",
                        "not a number",
                        options[key],
                        "write e.g. '# latitude: 39.773'",
                    )
                )
    if wind_height_m is None and "wind_height_m" in options:
        try:
            wind_height_m = float(options["wind_height_m"])
            if not (np.isfinite(wind_height_m) and wind_height_m > 0):
                raise ValueError
        except ValueError:
            problems.append(
                Problem(
                    f"{file}: header comment '# wind_height_m:'",
                    "must be a positive height in m",
                    options["wind_height_m"],
                    "write e.g. '# wind_height_m: 70'",
                )
            )
            wind_height_m = None
    elif wind_height_m is None:
        problems.append(
            Problem(
                f"{file}: wind_height_m",
                "height of the wind-speed measurement is not given",
                None,
                "add a header comment '# wind_height_m: 10' (or the height of "
                "your anemometer) or pass wind_height_m",
            )
        )
    tz_name = timezone or options.get("timezone")
    if tz_name is not None and tz_name not in iana_zones():
        problems.append(
            Problem(
                f"{file}: timezone",
                "unknown time zone",
                tz_name,
                "use an IANA name such as 'Asia/Shanghai'",
            )
        )
        tz_name = None

    # --- header and ragged rows
    header_line, header_cells = table.rows[0]
    header = [h.strip().lower() for h in header_cells]
    expected = ("timestamp", *WEATHER_COLUMNS)
    missing = [c for c in expected if c not in header]
    if missing:
        problems.append(
            Problem(
                f"{file}: line {header_line} (header)",
                f"missing column{'s' if len(missing) > 1 else ''} " + ", ".join(missing),
                ",".join(header_cells),
                "the header must name: "
                + ", ".join(expected)
                + " (units W/m2, W/m2, W/m2, degC, m/s)",
            )
        )
        raise InputError(problems)
    dup = sorted({h for h in header if header.count(h) > 1 and h in expected})
    if dup:
        problems.append(
            Problem(
                f"{file}: line {header_line} (header)",
                "column named more than once",
                dup,
                "keep one of each",
            )
        )
        raise InputError(problems)
    data, line_no, ragged = [], [], []
    for line, rec in table.rows[1:]:  # blank lines are skipped by the reader (several columns)
        if len(rec) != len(header):
            ragged.append((line, len(rec)))
            continue
        data.append(rec)
        line_no.append(line)
    for line, n in ragged[:MAX_ROWS_LISTED]:
        problems.append(
            Problem(
                f"{file}: line {line}",
                f"has {n} fields, the header has {len(header)}",
                None,
                "give every row one value per column",
            )
        )
    if len(ragged) > MAX_ROWS_LISTED:
        problems.append(
            Problem(
                f"{file}: {len(ragged) - MAX_ROWS_LISTED} more lines",
                "same problem: wrong number of fields",
                None,
                "",
            )
        )
    if not data:
        problems.append(Problem(file, "no data rows", None, "add one row per hour"))
        raise InputError(problems)

    raw = pd.DataFrame(data, columns=header)
    rows = Rows(file, np.asarray(line_no))

    # --- timestamps
    ts_text = raw["timestamp"].str.strip()
    aware = ts_text.str.contains(_ROW_TIMESTAMP_RE)
    index: pd.DatetimeIndex | None = None
    if aware.any() and not aware.all():
        bad = np.flatnonzero(~aware.to_numpy())
        list_rows(
            problems,
            rows,
            bad,
            "timestamp",
            "has no UTC offset while other rows have one",
            ts_text.to_numpy()[bad],
            "write every timestamp the same way",
        )
    else:
        parsed = pd.to_datetime(ts_text, errors="coerce", format="ISO8601", utc=bool(aware.all()))
        bad = np.flatnonzero(parsed.isna().to_numpy())
        if len(bad):
            list_rows(
                problems,
                rows,
                bad,
                "timestamp",
                "not an ISO 8601 date-time",
                ts_text.to_numpy()[bad],
                "write e.g. 2025-01-01 13:00 (start of the hour)",
            )
        else:
            index = pd.DatetimeIndex(parsed)
            if aware.all():
                if tz_name is not None:
                    index = index.tz_convert(tz_name)
                else:
                    offset = pd.Timestamp(ts_text.iloc[0]).utcoffset()
                    index = index.tz_convert(dt.timezone(offset))  # fixed offset of row 1
            elif tz_name is None:
                problems.append(
                    Problem(
                        f"{file}: timestamp",
                        "timestamps have no time zone",
                        ts_text.iloc[0],
                        "add '# timezone: Asia/Shanghai' "
                        "at the top, or write offsets (2025-01-01T00:00+08:00)",
                    )
                )
                index = None
            else:
                try:
                    index = index.tz_localize(tz_name, ambiguous="raise", nonexistent="raise")
                except ValueError as exc:
                    problems.append(
                        Problem(
                            f"{file}: timestamp",
                            f"cannot be placed in {tz_name}: {exc}",
                            None,
                            "write UTC offsets for daylight-saving changes",
                        )
                    )
                    index = None

    # --- numbers
    values = {}
    non_numeric: dict[str, np.ndarray] = {}
    for col in WEATHER_COLUMNS:
        cell = raw[col].str.strip()
        num = pd.to_numeric(cell, errors="coerce")
        empty = (cell == "") | cell.str.lower().isin(NA_TEXT)
        non_numeric[col] = (num.isna() & ~empty).to_numpy()
        bad = np.flatnonzero(non_numeric[col])
        if len(bad):
            list_rows(
                problems,
                rows,
                bad,
                col,
                f"not a number [{WEATHER_UNITS[col]}]",
                cell.to_numpy()[bad],
                "write a plain decimal number",
            )
        values[col] = num.to_numpy(dtype=float)
    df = pd.DataFrame(values, index=index if index is not None else pd.RangeIndex(len(raw)))
    if problems:
        # still run the value checks so the user sees everything at once
        try:
            validate_rows(df, rows, non_numeric)
        except InputError as exc:
            problems.extend(exc.problems)
        raise InputError(problems)
    meta.update({"wind_height_m": float(wind_height_m)})
    return df, meta, rows
