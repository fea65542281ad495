"""Hourly weather for the weather-to-power models: read files, align years, make synthetic years.

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
00:00-01:00). TMY3 files label the hour's end and are shifted back by one hour on reading.
``df.attrs`` carries the metadata (``wind_height_m``, ``latitude``, ``longitude``,
``altitude``, ``source``), so it travels with the frame to :mod:`gridopt.data.solar` and
:mod:`gridopt.data.wind`.

Three sources:

* :func:`read_weather` reads EPW and TMY3 (through :mod:`pvlib.iotools`) and a plain CSV
  (``timestamp, ghi, dni, dhi, temp_air, wind_speed``) and checks every value.
* :func:`align_weather` maps a weather year (a typical year or another calendar year) onto the
  scenario's hours by month, day and hour.
* :func:`synthetic_weather` draws a reproducible synthetic year for a site of the Hexi corridor
  from a seed. Its calibration constants are all in :data:`HEXI_CORRIDOR` (below), each with
  its source or an **assumption** label.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
from scipy import signal, special

from gridopt.data.generators import GeneratorContext, Site
from gridopt.errors import InputError, Problem
from gridopt.scenario.schema import iana_zones
from gridopt.textfile import read_text

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
#: Height of the wind speed in EPW and TMY3 files [m] (WMO standard anemometer height).
STANDARD_ANEMOMETER_HEIGHT_M = 10.0
#: Year a typical-year file (TMY3, or an EPW whose months come from different years) is put in.
TYPICAL_YEAR = 1990
#: Number of rows listed one by one per (check, column) before the rest are summarised.
MAX_ROWS_LISTED = 5

_ROW_TIMESTAMP_RE = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})\s*$")


# --------------------------------------------------------------------------------------------
# Sites and calibration constants
# --------------------------------------------------------------------------------------------

#: Jiayuguan (DOMAIN.md: public gazetteer).
JIAYUGUAN = Site("jiayuguan", 39.773, 98.288, 1660.0, "Asia/Shanghai")
#: **Assumption**: a representative point of the Guazhou/Yumen wind area (about 40.5 N,
#: 96.5-97.0 E, about 1,400 m); the farms spread over ~100 km.
GUAZHOU_YUMEN_WIND = Site("guazhou_yumen_wind", 40.5, 96.75, 1400.0, "Asia/Shanghai")


@dataclass(frozen=True)
class SyntheticClimate:
    """Calibration constants of the synthetic weather generator (one place for all of them).

    Monthly tuples hold January..December; :func:`synthetic_weather` interpolates them
    smoothly (periodic, linear between mid-month days). See ``docs/data_weather.md`` for the
    source or assumption behind each default in :data:`HEXI_CORRIDOR`.

    Solar
        clear_index_monthly : mean daily clear-sky index Kc = GHI / clear-sky GHI [-]
        clear_index_max : largest daily Kc (clearest days) [-]
        clear_index_spread : spread of the logistic daily-Kc transform [-]
        cloud_day_ar1 : day-to-day persistence of the daily cloud state [-]
        cloud_hour_sd : within-day variability of hourly Kc, per unit cloudiness (1 - Kc) [-]
        cloud_hour_ar1 : hour-to-hour persistence of that variability [-]
        cloud_year_sd : year-to-year spread of the mean daily cloud state [-] (Gaussian
            units; the daily state is centred per calendar quarter and this anomaly added)
        linke_turbidity_monthly : None to use pvlib's bundled climatology
            (``lookup_linke_turbidity``), else 12 values [-]
    Temperature
        temp_monthly_mean_c : monthly mean air temperature at ``temp_ref_altitude_m`` [degC]
        temp_ref_altitude_m : altitude the temperatures refer to [m]
        temp_lapse_c_per_m : lapse rate used to move them to a site's altitude [degC/m]
        temp_diurnal_range_c : mean daily max minus min [degC]
        temp_max_solar_hour : local solar hour of the daily maximum [h]
        temp_day_sd_c, temp_day_ar1 : daily temperature anomaly, AR(1) [degC], [-]
    Wind (at ``wind_ref_height_m``)
        wind_ref_height_m : height the synthetic wind speed is given at [m]
        wind_mean_ms : annual mean wind speed [m/s]
        wind_weibull_k : Weibull shape of the hourly speeds [-]
        wind_monthly_factor : monthly mean relative to the annual mean [-]
        wind_diurnal_amplitude : relative amplitude of the daily cycle [-]
        wind_max_solar_hour : local solar hour of the daily maximum [h]
        wind_hour_ar1 : hour-to-hour persistence of the Gaussian driver [-]
        wind_cloud_coupling : correlation of the wind driver with daily cloudiness [-]
            (positive: cloudier days are windier, i.e. wind and solar anti-correlated)
        wind_year_sd : year-to-year spread of the annual mean wind speed [-] (relative)
        wind_site_correlation : correlation of the hourly wind driver between two different
            sites drawn with the same seed [-] (1: one regional wind pattern everywhere)
    """

    clear_index_monthly: tuple[float, ...]
    clear_index_max: float
    clear_index_spread: float
    cloud_day_ar1: float
    cloud_hour_sd: float
    cloud_hour_ar1: float
    cloud_year_sd: float
    linke_turbidity_monthly: tuple[float, ...] | None
    temp_monthly_mean_c: tuple[float, ...]
    temp_ref_altitude_m: float
    temp_lapse_c_per_m: float
    temp_diurnal_range_c: float
    temp_max_solar_hour: float
    temp_day_sd_c: float
    temp_day_ar1: float
    wind_ref_height_m: float
    wind_mean_ms: float
    wind_weibull_k: float
    wind_monthly_factor: tuple[float, ...]
    wind_diurnal_amplitude: float
    wind_max_solar_hour: float
    wind_hour_ar1: float
    wind_cloud_coupling: float
    wind_year_sd: float
    wind_site_correlation: float = 1.0


#: The calibrated Hexi-corridor climate (Jiayuguan-Jiuquan-Guazhou). Sources and assumption
#: labels per constant are in ``docs/data_weather.md`` ("Calibration constants"); the
#: calibration targets are the full-load hours of DOMAIN.md.
HEXI_CORRIDOR = SyntheticClimate(
    # Shape (assumption): clearest in autumn-winter, spring dust, summer convective cloud;
    # times one scale, calibrated so fixed-tilt PV at Jiayuguan gives ~1,600 h per MWp.
    clear_index_monthly=tuple(
        round(0.945 * k, 4)
        for k in (0.80, 0.78, 0.74, 0.73, 0.73, 0.72, 0.70, 0.72, 0.76, 0.80, 0.80, 0.80)
    ),
    clear_index_max=1.0,
    clear_index_spread=1.8,  # assumption: ~35 % of days with Kc > 0.9, ~14 % below 0.4
    cloud_day_ar1=0.5,  # assumption: weather systems last ~2-3 days
    cloud_hour_sd=0.5,  # assumption
    cloud_hour_ar1=0.7,  # assumption
    cloud_year_sd=0.03,  # calibrated (assumption): year-to-year GHI spread ~1.3 %
    linke_turbidity_monthly=None,  # pvlib's bundled LinkeTurbidities.h5 (works offline)
    # Assumption shaped on the brief's anchors: about -10 degC January, +22 degC July mean at
    # Jiayuguan (1,660 m); continental cycle, annual mean ~7 degC.
    temp_monthly_mean_c=(-9.5, -5.5, 1.5, 9.5, 15.5, 20.0, 22.0, 20.5, 14.5, 7.0, -1.0, -7.5),
    temp_ref_altitude_m=1660.0,
    temp_lapse_c_per_m=-0.0065,  # standard atmosphere
    temp_diurnal_range_c=14.0,  # assumption: arid continental site, clear nights
    temp_max_solar_hour=15.0,  # assumption: usual afternoon maximum
    temp_day_sd_c=3.0,  # assumption
    temp_day_ar1=0.7,  # assumption
    # Wind at 70 m. Mean: CECEP Yumen project page gives 7.89 m/s at 70 m for a good site; the
    # regional default is set lower (calibrated, assumption) so new wind gives 2,600-3,000 h.
    wind_ref_height_m=70.0,
    wind_mean_ms=6.65,
    wind_weibull_k=2.0,  # assumption: typical of open inland sites
    # Assumption: Hexi corridor windiest in spring (Mongolian cyclones, cold fronts, dust),
    # calmest in late summer-autumn.
    wind_monthly_factor=(0.95, 1.00, 1.12, 1.20, 1.12, 1.02, 0.95, 0.90, 0.88, 0.92, 0.98, 0.96),
    wind_diurnal_amplitude=0.10,  # assumption: +/-10 %, maximum in the evening at hub height
    wind_max_solar_hour=19.0,  # assumption
    wind_hour_ar1=0.95,  # assumption: hourly autocorrelation of hub-height wind 0.9-0.97
    wind_cloud_coupling=0.3,  # assumption: fronts and dust bring both wind and cloud
    wind_year_sd=0.02,  # assumption: interannual spread of mean wind speed ~2 %
    # Assumption: hourly wind at sites 50-250 km apart along the corridor correlates about 0.7
    # (one synoptic pattern, local gusts and fronts arriving at different hours), so farms at
    # Guazhou and Jiuquan do not ramp in lockstep.
    wind_site_correlation=0.7,
)


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------


class _Rows:
    """Turns a 0-based data position into a 'data row N (line M)' text for messages."""

    def __init__(self, file: str, lines: np.ndarray):
        self.file = file
        self.lines = lines  # 1-based file line of each data row

    def where(self, pos: int, column: str | None = None) -> str:
        text = f"{self.file}: data row {pos + 1} (line {int(self.lines[pos])})"
        return text + (f", column {column}" if column else "")


def _listed(
    problems: list[Problem],
    rows: _Rows,
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


def _header_comments(text: str) -> tuple[dict[str, str], int]:
    """Read ``# key: value`` lines at the top of a CSV; return them and the header line no."""
    options: dict[str, str] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            return options, i
        m = re.match(r"#\s*([A-Za-z_]+)\s*[:=]\s*(.*?)\s*$", stripped)
        if m:
            options[m.group(1).lower()] = m.group(2)
    return options, len(lines)


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
    _validate(df, rows)
    meta = {**meta, "source": kind, "path": file, "tz": df.index.tz}
    df.attrs.update(meta)
    return df, meta


def _read_pvlib_file(
    path: Path, text: str, kind: str, wind_height_m: float | None
) -> tuple[pd.DataFrame, dict, _Rows]:
    """An EPW or TMY3 file, from its decoded ``text`` (so any encoding of :func:`read_text`
    works), by pvlib's readers."""
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
    rows = _Rows(file, np.arange(len(df)) + first_line)
    meta = {
        "latitude": float(raw["latitude"]),
        "longitude": float(raw["longitude"]),
        "altitude": float(raw["altitude"]),
        "wind_height_m": float(wind_height_m or STANDARD_ANEMOMETER_HEIGHT_M),
    }
    return df, meta, rows


def _read_plain_csv(
    path: Path, text: str, wind_height_m: float | None, timezone: str | None
) -> tuple[pd.DataFrame, dict, _Rows]:
    file = str(path)
    problems: list[Problem] = []
    options, header_at = _header_comments(text)
    lines = text.splitlines()
    if header_at >= len(lines):
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
    reader = csv.reader(io.StringIO("\n".join(lines[header_at:])))
    records = list(reader)
    header = [h.strip().lower() for h in records[0]]
    expected = ("timestamp", *WEATHER_COLUMNS)
    missing = [c for c in expected if c not in header]
    if missing:
        problems.append(
            Problem(
                f"{file}: line {header_at + 1} (header)",
                f"missing column{'s' if len(missing) > 1 else ''} " + ", ".join(missing),
                ",".join(records[0]),
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
                f"{file}: line {header_at + 1} (header)",
                "column named more than once",
                dup,
                "keep one of each",
            )
        )
        raise InputError(problems)
    data, line_no, ragged = [], [], []
    for k, rec in enumerate(records[1:]):
        line = header_at + 2 + k  # 1-based file line (csv has no embedded newlines here)
        if not rec or all(not f.strip() for f in rec):
            continue
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
    rows = _Rows(file, np.asarray(line_no))

    # --- timestamps
    ts_text = raw["timestamp"].str.strip()
    aware = ts_text.str.contains(_ROW_TIMESTAMP_RE)
    index: pd.DatetimeIndex | None = None
    if aware.any() and not aware.all():
        bad = np.flatnonzero(~aware.to_numpy())
        _listed(
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
            _listed(
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
        empty = (cell == "") | cell.str.lower().isin(["nan", "na", "n/a", "null", "none"])
        non_numeric[col] = (num.isna() & ~empty).to_numpy()
        bad = np.flatnonzero(non_numeric[col])
        if len(bad):
            _listed(
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
            _validate(df, rows, non_numeric)
        except InputError as exc:
            problems.extend(exc.problems)
        raise InputError(problems)
    meta.update({"wind_height_m": float(wind_height_m)})
    return df, meta, rows


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
    _validate(df, _Rows(file, np.arange(len(df)) + first_line))


def _validate(df: pd.DataFrame, rows: _Rows, reported: dict[str, np.ndarray] | None = None) -> None:
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
            _listed(
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
                    _listed(
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
                    _listed(
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
                    _listed(
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
                    _listed(
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
            _listed(
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
            _listed(
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


# --------------------------------------------------------------------------------------------
# Aligning a weather year onto the scenario horizon
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Synthetic weather
# --------------------------------------------------------------------------------------------


def _seasonal(monthly: tuple[float, ...], doy: np.ndarray) -> np.ndarray:
    """Periodic linear interpolation of 12 mid-month values to day of year (1..366)."""
    mid = np.array(
        [15.5, 45.0, 74.5, 105.0, 135.5, 166.0, 196.5, 227.5, 258.0, 288.5, 319.0, 349.5]
    )
    x = np.concatenate([mid - 365.0, mid, mid + 365.0])
    y = np.tile(np.asarray(monthly, dtype=float), 3)
    return np.interp(doy, x, y)


def _site_key(site: Site) -> int:
    """A stable integer for a site's coordinates (to 0.001 deg), for its own random draws."""
    return zlib.crc32(f"{site.latitude_deg:.3f},{site.longitude_deg:.3f}".encode())


def _ar1(rng: np.random.Generator, n: int, phi: float) -> np.ndarray:
    """Stationary Gaussian AR(1) with unit variance: x[t] = phi x[t-1] + sqrt(1-phi^2) e[t]."""
    e = rng.standard_normal(n)
    if n == 0:
        return e
    b0 = math.sqrt(1.0 - phi * phi)
    out, _ = signal.lfilter([b0], [1.0, -phi], e, zi=[e[0] * (1.0 - b0)])
    return out


def _daily_to_hourly(daily: np.ndarray, day_pos: np.ndarray, phi: float) -> np.ndarray:
    """Interpolate a unit-variance daily AR(1) to hours (day centres at noon), keeping unit
    variance: the interpolated value between two days at fraction f has variance
    (1-f)^2 + f^2 + 2 f (1-f) phi, which is divided out."""
    n = len(daily)
    x = np.clip(day_pos - 0.5, 0.0, n - 1.0)
    i0 = np.floor(x).astype(int)
    i1 = np.minimum(i0 + 1, n - 1)
    f = x - i0
    val = (1.0 - f) * daily[i0] + f * daily[i1]
    var = (1.0 - f) ** 2 + f**2 + 2.0 * f * (1.0 - f) * phi
    return val / np.sqrt(var)


def _mean_sigmoid_offset(target: np.ndarray, spread: float) -> np.ndarray:
    """mu such that E[sigmoid(mu + spread Z)] = target, Z ~ N(0,1) (Gauss-Hermite + bisection)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / weights.sum()
    lo = np.full(target.shape, -20.0)
    hi = np.full(target.shape, 20.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        mean = (special.expit(mid[:, None] + spread * nodes[None, :]) * weights).sum(axis=1)
        lo = np.where(mean < target, mid, lo)
        hi = np.where(mean < target, hi, mid)
    return 0.5 * (lo + hi)


def synthetic_weather(
    site: Site,
    index: pd.DatetimeIndex,
    seed: int,
    *,
    climate: SyntheticClimate = HEXI_CORRIDOR,
) -> pd.DataFrame:
    """Draw a reproducible synthetic weather series for a Hexi-corridor site.

    Method (vectorised; every constant from ``climate``):

    * **Clear sky**: :meth:`pvlib.location.Location.get_clearsky` (Ineichen-Perez) at the
      middle of each hour, with the site's monthly Linke turbidity from pvlib's bundled
      climatology (``LinkeTurbidities.h5``, read offline) and the site's altitude.
    * **Cloudiness**: a daily Gaussian AR(1) state ``c_d`` (persistence ``cloud_day_ar1``),
      centred per calendar quarter plus a year anomaly ``N(0, cloud_year_sd)``, is mapped to a
      daily clear-sky index ``Kc_d = clear_index_max * sigmoid(mu(doy) + clear_index_spread
      * c_d)``, ``mu`` chosen so the mean follows ``clear_index_monthly``. Hours vary around
      it by an hourly AR(1) scaled with the day's cloudiness ``1 - Kc_d`` (clear days are
      smooth). GHI = Kc x clear-sky GHI, Kc clipped to 0.02..1.05.
    * **DNI/DHI**: :func:`pvlib.irradiance.dirindex` (DIRINT scaled to the clear-sky DNI) at
      the site's pressure (:func:`pvlib.atmosphere.alt2pres`); DNI <= clear-sky DNI;
      DHI = GHI - DNI cos(zenith).
    * **Temperature**: monthly means moved to the site's altitude with the lapse rate, a
      daily AR(1) anomaly, and a daily cosine cycle peaking at ``temp_max_solar_hour`` local
      solar time whose range shrinks on cloudy days (clear nights are cold).
    * **Wind** at ``climate.wind_ref_height_m``: a Gaussian driver ``g`` (hourly AR(1),
      centred per calendar year, mixed with the *negated* daily cloud state so that
      ``corr(g, -c_d) = wind_cloud_coupling``) goes through the normal CDF and the Weibull
      quantile function, shape ``wind_weibull_k``, scale = annual mean x monthly factor x
      daily cosine cycle (maximum at ``wind_max_solar_hour``) x a per-year lognormal factor
      (``wind_year_sd``) / Gamma(1 + 1/k).

    The draws are made on whole calendar years (in the index's time zone) that cover
    ``index``, then ``index`` is taken out, so a week of 2025 is the same week as in the
    full 2025 year for that seed. Cloudiness and temperature anomalies depend only on
    ``seed`` and the years: every site of a scenario with the same seed sees the same
    regional weather (**assumption**: sites within ~200 km share synoptic weather). The wind
    driver is that regional pattern mixed with the site's own AR(1) (seeded by ``seed`` and
    the site's coordinates), so two different sites correlate ``wind_site_correlation`` and
    one site always gets the same wind. The site also sets the sun geometry, turbidity, solar
    time and altitude.

    Parameters
    ----------
    site : Site
        Latitude, longitude [deg], altitude [m].
    index : pandas.DatetimeIndex
        Hourly (on the hour), time-zone-aware; labels are hour-beginning.
    seed : int
        Seed for :func:`numpy.random.default_rng`. Same seed and index: bit-identical.
    climate : SyntheticClimate
        Calibration constants (default :data:`HEXI_CORRIDOR`).

    Returns
    -------
    pandas.DataFrame
        ghi, dni, dhi [W/m2], temp_air [degC], wind_speed [m/s] on ``index``; the wind is at
        ``attrs["wind_height_m"] = climate.wind_ref_height_m``.
    """
    if index.tz is None:
        raise ValueError("synthetic_weather needs a time-zone-aware index")
    tz = index.tz
    first, last = int(index.year.min()), int(index.year.max())
    grid = pd.date_range(
        pd.Timestamp(first, 1, 1), pd.Timestamp(last + 1, 1, 1), freq="h", inclusive="left"
    ).tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    grid = grid[~grid.isna()]
    take = grid.get_indexer(index)
    if (take < 0).any():
        raise ValueError("synthetic_weather needs an index of whole hours")
    # only the hours from the first to the last hour of the index need the sun; the random
    # draws below always run over the whole grid so they do not depend on the horizon
    n = len(grid)
    rng = np.random.default_rng(seed)
    rng_cloud, rng_hour, rng_temp, rng_wind = rng.spawn(4)

    mid = grid + pd.Timedelta(minutes=30)
    loc = pvlib.location.Location(
        site.latitude_deg, site.longitude_deg, site.timezone, site.altitude_m
    )
    solpos = loc.get_solarposition(mid)
    if climate.linke_turbidity_monthly is None:
        linke = pvlib.clearsky.lookup_linke_turbidity(mid, site.latitude_deg, site.longitude_deg)
    else:
        linke = pd.Series(np.asarray(climate.linke_turbidity_monthly)[mid.month - 1], index=mid)
    clear = loc.get_clearsky(mid, model="ineichen", solar_position=solpos, linke_turbidity=linke)
    zenith = solpos["zenith"].to_numpy()
    ghi_clear = clear["ghi"].to_numpy()
    dni_clear = clear["dni"].to_numpy()

    # --- days (local calendar days) and time of day
    local_days = grid.normalize()
    day_codes, day_values = pd.factorize(local_days)
    day_values = pd.DatetimeIndex(day_values)
    n_days = len(day_values)
    hours_into_day = ((grid - local_days) / pd.Timedelta(hours=1)).to_numpy()
    day_pos = day_codes + (hours_into_day + 0.5) / 24.0
    doy_day = day_values.day_of_year.to_numpy().astype(float)
    day_year = day_values.year.to_numpy()
    doy = mid.day_of_year.to_numpy() + mid.hour.to_numpy() / 24.0
    utc_mid = mid.tz_convert("UTC")
    # mean local solar time at mid-hour [h] (no equation of time)
    solar_hour = np.asarray(
        (utc_mid.hour + utc_mid.minute / 60.0 + site.longitude_deg / 15.0) % 24.0, dtype=float
    )
    years, day_year_code = np.unique(day_year, return_inverse=True)
    year_code = day_year_code[day_codes]

    # --- cloudiness
    c_day = _ar1(rng_cloud, n_days, climate.cloud_day_ar1)
    # centre per calendar quarter, so each season keeps its calibrated mean cloudiness and the
    # year-to-year spread is set by cloud_year_sd (not by chance alignment of cloudy spells
    # with the high-sun season)
    quarter_code = 4 * day_year_code + day_values.quarter.to_numpy() - 1
    c_day = c_day - _group_mean(c_day, quarter_code, 4 * len(years))
    c_day = c_day + climate.cloud_year_sd * rng_cloud.standard_normal(len(years))[day_year_code]
    target = _seasonal(climate.clear_index_monthly, doy_day) / climate.clear_index_max
    mu = _mean_sigmoid_offset(np.clip(target, 0.01, 0.99), climate.clear_index_spread)
    kc_day = climate.clear_index_max * special.expit(mu + climate.clear_index_spread * c_day)
    kc_day_h = kc_day[day_codes]
    e_hour = _ar1(rng_hour, n, climate.cloud_hour_ar1)
    kc = np.clip(kc_day_h + climate.cloud_hour_sd * (1.0 - kc_day_h) * e_hour, 0.02, 1.05)
    up = zenith < 90.0
    ghi = np.where(up, kc * ghi_clear, 0.0)
    pressure = pvlib.atmosphere.alt2pres(site.altitude_m)
    dni = pvlib.irradiance.dirindex(
        pd.Series(ghi, index=mid),
        pd.Series(ghi_clear, index=mid),
        pd.Series(dni_clear, index=mid),
        pd.Series(zenith, index=mid),
        mid,
        pressure=pressure,
    ).to_numpy()
    dni = np.clip(np.nan_to_num(dni, nan=0.0), 0.0, dni_clear)
    cosz = np.cos(np.radians(zenith))
    dni = np.where(up, np.minimum(dni, ghi / np.maximum(cosz, 1e-3)), 0.0)
    dhi = np.where(up, np.maximum(ghi - dni * cosz, 0.0), 0.0)

    # --- temperature
    t_mean = _seasonal(climate.temp_monthly_mean_c, doy) + climate.temp_lapse_c_per_m * (
        site.altitude_m - climate.temp_ref_altitude_m
    )
    t_anom = climate.temp_day_sd_c * _daily_to_hourly(
        _ar1(rng_temp, n_days, climate.temp_day_ar1), day_pos, climate.temp_day_ar1
    )
    kc_ref = float(np.mean(climate.clear_index_monthly))
    range_scale = np.clip(0.3 + 0.7 * kc_day_h / kc_ref, 0.3, 1.2)
    t_cycle = (
        0.5
        * climate.temp_diurnal_range_c
        * range_scale
        * np.cos(2.0 * np.pi * (solar_hour - climate.temp_max_solar_hour) / 24.0)
    )
    temp_air = t_mean + t_anom + t_cycle

    # --- wind
    rho = climate.wind_cloud_coupling
    a_hour = _ar1(rng_wind, n, climate.wind_hour_ar1)
    r_site = climate.wind_site_correlation
    if r_site < 1.0:  # regional pattern + a site's own AR(1): still unit-variance AR(1)
        local = _ar1(np.random.default_rng([int(seed), _site_key(site)]), n, climate.wind_hour_ar1)
        a_hour = math.sqrt(r_site) * a_hour + math.sqrt(1.0 - r_site) * local
    a_hour = a_hour - _group_mean(a_hour, year_code, len(years))
    cloud_h = _daily_to_hourly(c_day, day_pos, climate.cloud_day_ar1)
    g = math.sqrt(1.0 - rho * rho) * a_hour - rho * cloud_h
    u = np.clip(special.ndtr(g), 1e-12, 1.0 - 1e-12)
    k = climate.wind_weibull_k
    monthly = np.asarray(climate.wind_monthly_factor, dtype=float)
    season = _seasonal(tuple(monthly / monthly.mean()), doy)
    diurnal = 1.0 + climate.wind_diurnal_amplitude * np.cos(
        2.0 * np.pi * (solar_hour - climate.wind_max_solar_hour) / 24.0
    )
    year_factor = np.exp(
        climate.wind_year_sd * rng_wind.standard_normal(len(years)) - 0.5 * climate.wind_year_sd**2
    )[year_code]
    scale = climate.wind_mean_ms * season * diurnal * year_factor / special.gamma(1.0 + 1.0 / k)
    wind = scale * (-np.log1p(-u)) ** (1.0 / k)

    out = pd.DataFrame(
        {
            "ghi": ghi[take],
            "dni": dni[take],
            "dhi": dhi[take],
            "temp_air": temp_air[take],
            "wind_speed": wind[take],
        },
        index=index,
    )
    out.attrs.update(
        {
            "source": "synthetic",
            "seed": int(seed),
            "latitude": site.latitude_deg,
            "longitude": site.longitude_deg,
            "altitude": site.altitude_m,
            "wind_height_m": float(climate.wind_ref_height_m),
        }
    )
    return out


def _group_mean(x: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean of ``x`` over each group, broadcast back to ``x``'s positions."""
    sums = np.bincount(codes, weights=x, minlength=n_groups)
    counts = np.bincount(codes, minlength=n_groups)
    return (sums / np.maximum(counts, 1))[codes]


# --------------------------------------------------------------------------------------------
# Weather for the generators (shared by solar and wind, cached)
# --------------------------------------------------------------------------------------------

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
