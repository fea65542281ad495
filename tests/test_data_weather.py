"""Weather files, their checks, year alignment and the synthetic weather generator."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from gridopt.data import weather as W
from gridopt.data.weather import (
    GUAZHOU_YUMEN_WIND,
    HEXI_CORRIDOR,
    JIAYUGUAN,
    WEATHER_COLUMNS,
    align_weather,
    read_weather,
    synthetic_weather,
    validate_weather,
)
from gridopt.errors import InputError

TMY3 = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"
YEAR = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Asia/Shanghai")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def good_rows(n: int = 48, start: str = "2025-03-20 00:00") -> list[list[str]]:
    """n hourly rows with plausible values (a crude daytime bump)."""
    rows = []
    for i, t in enumerate(pd.date_range(start, periods=n, freq="h")):
        h = t.hour
        sun = max(0.0, np.sin(np.pi * (h - 7) / 12)) if 7 <= h <= 19 else 0.0
        rows.append(
            [
                t.strftime("%Y-%m-%d %H:%M"),
                f"{700 * sun:.1f}",
                f"{800 * sun:.1f}",
                f"{100 * sun:.1f}",
                f"{5 + 8 * sun:.1f}",
                f"{4 + (i % 5):.1f}",
            ]
        )
    return rows


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    header: str | None = None,
    comments: tuple[str, ...] = ("# wind_height_m: 70", "# timezone: Asia/Shanghai"),
) -> Path:
    head = header or "timestamp,ghi,dni,dhi,temp_air,wind_speed"
    lines = [*comments, head, *(",".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def problems_of(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in exc.value.problems]


# With the two comment lines and the header, data row N is on file line N + 3.


# --------------------------------------------------------------------------------------------
# reading good files
# --------------------------------------------------------------------------------------------


def test_plain_csv_round_trip(tmp_path):
    rows = good_rows()
    df, meta = read_weather(write_csv(tmp_path / "w.csv", rows))
    assert list(df.columns) == list(WEATHER_COLUMNS)
    assert len(df) == 48
    assert str(df.index.tz) == "Asia/Shanghai"
    assert df.index[0] == pd.Timestamp("2025-03-20 00:00", tz="Asia/Shanghai")
    assert meta["wind_height_m"] == 70.0 and df.attrs["wind_height_m"] == 70.0
    assert meta["source"] == "csv" and meta["latitude"] is None
    assert df["dni"].iloc[12] == pytest.approx(float(rows[12][2]))


def test_csv_wind_height_argument_wins_and_offsets_are_read(tmp_path):
    rows = good_rows(24)
    for r in rows:
        r[0] = r[0].replace(" ", "T") + "+08:00"
    path = write_csv(
        tmp_path / "w.csv", rows, comments=("# wind_height_m: 70", "# latitude: 39.773")
    )
    df, meta = read_weather(path, wind_height_m=10)
    assert meta["wind_height_m"] == 10.0
    assert meta["latitude"] == pytest.approx(39.773)
    assert df.index[0].utcoffset() == pd.Timedelta(hours=8)


def test_tmy3_is_read_hour_beginning_with_metadata():
    """pvlib's TMY3 labels hour ends (first row 01:00); gridopt shifts to hour-beginning."""
    df, meta = read_weather(TMY3)
    assert list(df.columns) == list(WEATHER_COLUMNS)
    assert len(df) == 8760
    assert df.index[0] == pd.Timestamp("1990-01-01 00:00", tz="UTC-05:00")
    assert df.index[-1] == pd.Timestamp("1990-12-31 23:00", tz="UTC-05:00")
    assert meta["source"] == "tmy3" and meta["wind_height_m"] == 10.0
    assert (meta["latitude"], meta["longitude"], meta["altitude"]) == (36.1, -79.95, 273.0)
    # the sun is up at local noon, not at midnight
    assert df["ghi"].groupby(df.index.hour).mean().idxmax() in (11, 12)


def _epw_text(tmy: pd.DataFrame, bad_dni_row: int | None = None) -> str:
    """A minimal EPW (8 header lines, 35 fields a row) built from TMY data."""
    head = [
        "LOCATION,Testville,NC,USA,TMY3,723170,36.10,-79.95,-5.0,273.0",
        "DESIGN CONDITIONS,0",
        "TYPICAL/EXTREME PERIODS,0",
        "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
        "COMMENTS 1,made in a test",
        "COMMENTS 2,",
        "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
    ]
    lines = list(head)
    for i, (t, r) in enumerate(tmy.iterrows()):
        dni = 9999 if i == bad_dni_row else r["dni"]
        fields = [
            2001,
            t.month,
            t.day,
            t.hour + 1,
            0,
            "?",
            r["temp_air"],
            0,
            50,
            98000,
            1400,
            1400,
            300,
            r["ghi"],
            dni,
            r["dhi"],
            0,
            0,
            0,
            0,
            180,
            r["wind_speed"],
            0,
            0,
            10,
            77777,
            9,
            999999999,
            10,
            0.1,
            0,
            88,
            0.2,
            0,
            1,
        ]
        lines.append(",".join(str(f) for f in fields))
    return "\n".join(lines) + "\n"


def test_epw_is_read(tmp_path):
    tmy, _ = read_weather(TMY3)
    path = tmp_path / "site.epw"
    path.write_text(_epw_text(tmy))
    df, meta = read_weather(path)
    assert meta["source"] == "epw" and meta["wind_height_m"] == 10.0
    assert df.index[0] == pd.Timestamp("2001-01-01 00:00", tz="UTC-05:00")
    np.testing.assert_allclose(df["ghi"].to_numpy(), tmy["ghi"].to_numpy())


def test_epw_missing_value_code_is_reported_with_its_line(tmp_path):
    """EPW marks a missing DNI as 9999; data row 101 is on line 109 (8 header lines)."""
    tmy, _ = read_weather(TMY3)
    path = tmp_path / "bad.epw"
    path.write_text(_epw_text(tmy, bad_dni_row=100))
    with pytest.raises(InputError) as exc:
        read_weather(path)
    (msg,) = problems_of(exc)
    assert str(path) in msg and "data row 101 (line 109), column dni" in msg
    assert "extraterrestrial" in msg and "9999" in msg


# --------------------------------------------------------------------------------------------
# every error of a CSV weather file names file, row and column
# --------------------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="weather file not found"):
        read_weather(tmp_path / "nope.csv")


def test_missing_column(tmp_path):
    rows = [r[:3] + r[4:] for r in good_rows()]
    path = write_csv(tmp_path / "w.csv", rows, header="timestamp,ghi,dni,temp_air,wind_speed")
    with pytest.raises(InputError) as exc:
        read_weather(path)
    (msg,) = problems_of(exc)
    assert str(path) in msg and "line 3 (header)" in msg and "missing column dhi" in msg
    assert "timestamp, ghi, dni, dhi, temp_air, wind_speed" in msg


@pytest.mark.parametrize(
    ("row", "col", "value", "expect"),
    [
        (5, 1, "abc", "column ghi: not a number [W/m2] (got 'abc')"),
        (5, 2, "", "column dni: missing value [W/m2]"),
        (5, 3, "NaN", "column dhi: missing value [W/m2]"),
        (5, 1, "-3", "column ghi: negative irradiance [W/m2] (got -3.0)"),
        (5, 2, "1500", "column dni: above the extraterrestrial irradiance"),
        (5, 4, "298.1", "column temp_air: implausible air temperature [degC] (got 298.1)"),
        (5, 5, "-1", "column wind_speed: implausible wind speed [m/s] (got -1.0)"),
        (5, 5, "72", "column wind_speed: implausible wind speed [m/s] (got 72.0)"),
        (5, 0, "20.03.2025 05:00", "column timestamp: not an ISO 8601 date-time"),
    ],
)
def test_bad_value_names_file_row_and_column(tmp_path, row, col, value, expect):
    """Data row 6 (0-based 5) is on line 9: two comment lines, the header, then rows."""
    rows = good_rows()
    rows[row][col] = value
    path = write_csv(tmp_path / "w.csv", rows)
    with pytest.raises(InputError) as exc:
        read_weather(path)
    msgs = problems_of(exc)
    assert len(msgs) == 1, msgs
    assert msgs[0].startswith(f"{path}: data row 6 (line 9), ")
    assert expect in msgs[0]


def test_dni_limit_is_extraterrestrial_of_that_day(tmp_path):
    """get_extra_radiation for 20 March (doy 79) is about 1,373 W/m2: 1,370 passes, 1,380 not."""
    e0 = float(pvlib.irradiance.get_extra_radiation(79))
    assert 1365 < e0 < 1380
    rows = good_rows()
    rows[12][2] = "1370"
    read_weather(write_csv(tmp_path / "ok.csv", rows))
    rows[12][2] = "1380"
    with pytest.raises(InputError, match=r"data row 13 \(line 16\), column dni.*must be <= 13"):
        read_weather(write_csv(tmp_path / "bad.csv", rows))


def test_gap_duplicate_backwards_and_non_hourly(tmp_path):
    rows = good_rows()
    del rows[10]  # 10:00 missing: row 10 (09:00) -> row 11 (11:00)
    rows[20][0] = rows[19][0]  # duplicate
    rows[30][0] = "2025-03-21 06:30"  # not hourly: 07:00 expected
    path = write_csv(tmp_path / "w.csv", rows)
    with pytest.raises(InputError) as exc:
        read_weather(path)
    text = "\n".join(problems_of(exc))
    assert (
        "data row 11 (line 14), column timestamp: gap or non-hourly step: 2 h after the "
        "row before (1 h missing)" in text
    )
    assert "data row 21 (line 24), column timestamp: duplicate timestamp" in text
    assert (
        "data row 31 (line 34), column timestamp: gap or non-hourly step: 0.5 h after "
        "the row before (not hourly)" in text
    )


def test_timestamps_going_back(tmp_path):
    rows = good_rows()
    rows[7][0], rows[8][0] = rows[8][0], rows[7][0]  # 06:00, 08:00, 07:00, 09:00
    with pytest.raises(InputError, match=r"data row 9 \(line 12\), column timestamp: earlier"):
        read_weather(write_csv(tmp_path / "w.csv", rows))


def test_wrong_number_of_fields(tmp_path):
    rows = good_rows()
    rows[3] = rows[3][:5]
    path = write_csv(tmp_path / "w.csv", rows)
    with pytest.raises(InputError) as exc:
        read_weather(path)
    text = "\n".join(problems_of(exc))
    assert f"{path}: line 7: has 5 fields, the header has 6" in text
    # the dropped row also leaves a one-hour gap, reported on the next row
    assert "data row 4 (line 8), column timestamp: gap" in text


def test_wind_height_and_time_zone_are_required_for_csv(tmp_path):
    path = write_csv(tmp_path / "w.csv", good_rows(), comments=())
    with pytest.raises(InputError) as exc:
        read_weather(path)
    text = "\n".join(problems_of(exc))
    assert f"{path}: wind_height_m: height of the wind-speed measurement is not given" in text
    assert "# wind_height_m: 10" in text
    assert f"{path}: timestamp: timestamps have no time zone" in text
    read_weather(path, wind_height_m=10, timezone="Asia/Shanghai")  # both given: fine


def test_mixed_offsets_and_bad_header_options(tmp_path):
    rows = good_rows(24)
    rows[0][0] = "2025-03-20T00:00+08:00"
    path = write_csv(
        tmp_path / "w.csv", rows, comments=("# wind_height_m: tall", "# timezone: Mars/Olympus")
    )
    with pytest.raises(InputError) as exc:
        read_weather(path)
    text = "\n".join(problems_of(exc))
    assert "header comment '# wind_height_m:': must be a positive height in m (got 'tall')" in text
    assert "timezone: unknown time zone (got 'Mars/Olympus')" in text
    assert "data row 2 (line 5), column timestamp: has no UTC offset" in text


def test_all_problems_together_and_long_lists_summarised(tmp_path):
    rows = good_rows()
    for r in rows[:12]:
        r[3] = "-1"
    rows[40][4] = "999"
    path = write_csv(tmp_path / "w.csv", rows)
    with pytest.raises(InputError) as exc:
        read_weather(path)
    msgs = problems_of(exc)
    # 5 rows listed one by one, one summary line for the other 7, and the temperature
    assert len(msgs) == 7, msgs
    assert msgs[5] == (
        f"{path}: 7 more data rows, column dhi (rows 6 to 12): same problem: "
        "negative irradiance [W/m2]; irradiance must be >= 0; set night-time "
        "values to 0"
    )
    assert "data row 41 (line 44), column temp_air" in msgs[6]
    assert str(exc.value).startswith("7 problems found:")


def test_validate_weather_on_a_frame():
    df = synthetic_weather(JIAYUGUAN, YEAR[:48], 1)
    validate_weather(df)
    bad = df.copy()
    bad.iloc[3, 4] = np.nan
    with pytest.raises(InputError, match=r"mine.csv: data row 4 \(line 5\), column wind_speed"):
        validate_weather(bad, file="mine.csv")


# --------------------------------------------------------------------------------------------
# alignment
# --------------------------------------------------------------------------------------------


def test_align_typical_year_onto_leap_year_in_its_own_zone():
    """TMY (1990, UTC-5) onto 2024 in UTC-5: every month-day-hour maps 1:1, 29 Feb = 28 Feb."""
    tmy, _ = read_weather(TMY3)
    idx = pd.date_range("2024-01-01", periods=8784, freq="h", tz="UTC-05:00")
    out = align_weather(tmy, idx)
    assert out.index.equals(idx)
    np.testing.assert_array_equal(
        out.loc["2024-02-29"].to_numpy(), tmy.loc["1990-02-28"].to_numpy()
    )
    np.testing.assert_array_equal(
        out.loc["2024-03-01"].to_numpy(), tmy.loc["1990-03-01"].to_numpy()
    )
    np.testing.assert_array_equal(
        out.loc["2024-12-31"].to_numpy(), tmy.loc["1990-12-31"].to_numpy()
    )


def test_align_converts_time_zone_and_rotates_the_year():
    """A UTC-5 year onto an Asia/Shanghai index (13 h ahead): 2025-01-01 00:00 +08 is
    2024-12-31 11:00 -05, so it takes the TMY's 31 Dec 11:00 row; noon at the site stays at
    the same instant (01:00 Beijing time)."""
    tmy, _ = read_weather(TMY3)
    out = align_weather(tmy, YEAR)
    assert out.iloc[0].equals(tmy.loc[pd.Timestamp("1990-12-31 11:00", tz="UTC-05:00")])
    assert out.iloc[13].equals(tmy.iloc[0])
    assert out["ghi"].groupby(out.index.hour).mean().idxmax() in (0, 1)


def test_align_takes_exact_hours_when_covered():
    df = synthetic_weather(JIAYUGUAN, YEAR, 2)
    week = YEAR[1000:1168]
    out = align_weather(df, week)
    pd.testing.assert_frame_equal(out, df.iloc[1000:1168], check_freq=False)


def test_align_errors():
    df = synthetic_weather(JIAYUGUAN, YEAR, 2)
    with pytest.raises(InputError, match="no data for 24 scenario hours"):
        align_weather(
            df.drop(df.index[24 * 40 : 24 * 41]),
            pd.date_range("2030-01-01", periods=8760, freq="h", tz="Asia/Shanghai"),
        )
    two_years = pd.date_range("2025-01-01", periods=2 * 8760, freq="h", tz="Asia/Shanghai")
    df2 = synthetic_weather(JIAYUGUAN, two_years, 2)
    with pytest.raises(InputError, match="more than one year"):
        align_weather(df2, pd.date_range("2030-01-01", periods=24, freq="h", tz="Asia/Shanghai"))


# --------------------------------------------------------------------------------------------
# synthetic weather
# --------------------------------------------------------------------------------------------


def test_synthetic_same_seed_bit_identical_different_seeds_differ():
    a = synthetic_weather(JIAYUGUAN, YEAR, 7)
    b = synthetic_weather(JIAYUGUAN, YEAR, 7)
    c = synthetic_weather(JIAYUGUAN, YEAR, 8)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for col in WEATHER_COLUMNS:
        assert not np.array_equal(a[col].to_numpy(), c[col].to_numpy()), col
    # different years, not just shuffled hours: daily GHI differs on most days
    da, dc = a["ghi"].resample("D").sum(), c["ghi"].resample("D").sum()
    assert (np.abs(da - dc) > 0.05 * da.mean()).mean() > 0.4


def test_synthetic_short_horizon_is_a_slice_of_the_year():
    """The draws run over whole calendar years, so a week equals that week of the year."""
    year = synthetic_weather(JIAYUGUAN, YEAR, 5)
    week = synthetic_weather(JIAYUGUAN, YEAR[2000:2168], 5)
    pd.testing.assert_frame_equal(week, year.iloc[2000:2168], check_exact=True, check_freq=False)
    # The sun is computed on the horizon and an hour either side only (DIRINT reads its
    # neighbours): two days from noon 20 June to 11:00 22 June start and end in sunshine, so a
    # missing neighbour would move the DNI of the first or last hour.
    days = synthetic_weather(JIAYUGUAN, YEAR[4092:4140], 5)
    assert days["dni"].iloc[0] > 0 and days["dni"].iloc[-1] > 0
    pd.testing.assert_frame_equal(days, year.iloc[4092:4140], check_exact=True, check_freq=False)


def test_synthetic_is_physical_and_follows_the_calibration():
    df = synthetic_weather(JIAYUGUAN, YEAR, 3)
    validate_weather(df)  # no negative, no above-extraterrestrial, plausible T and wind
    assert list(df.columns) == list(WEATHER_COLUMNS)
    assert df.attrs["wind_height_m"] == 70.0
    # closure: ghi = dni cos(z) + dhi at mid-hour (within rounding of the clip)
    sp = pvlib.solarposition.get_solarposition(YEAR + pd.Timedelta("30min"), 39.773, 98.288, 1660)
    closure = df["dni"] * np.cos(np.radians(sp["zenith"].to_numpy())) + df["dhi"]
    np.testing.assert_allclose(closure.to_numpy(), df["ghi"].to_numpy(), atol=1e-6)
    assert (df.loc[sp["zenith"].to_numpy() >= 90, ["ghi", "dni", "dhi"]] == 0).all().all()
    # annual GHI of the Hexi corridor, about 1,600-1,700 kWh/m2 (calibrated, see docs)
    assert 1550 < df["ghi"].sum() / 1000 < 1750
    # temperature anchors (brief: about -10 degC January, +22 degC July at Jiayuguan)
    monthly_t = df["temp_air"].groupby(df.index.month).mean()
    assert -13 < monthly_t[1] < -7 and 19 < monthly_t[7] < 25
    # afternoon warmer than dawn
    by_hour = df["temp_air"].groupby(df.index.hour).mean()
    assert by_hour[16] - by_hour[7] > 8
    # wind: mean near the calibrated 6.65 m/s at 70 m, windiest in spring, evening > morning
    v = df["wind_speed"]
    assert 6.2 < v.mean() < 7.1
    seasonal = v.groupby(df.index.quarter).mean()
    assert seasonal[2] > seasonal[3]
    hourly = v.groupby(df.index.hour).mean()
    assert hourly[19:23].mean() > hourly[7:11].mean()


def test_synthetic_site_moves_temperature_with_altitude():
    """Guazhou/Yumen (1,400 m) is 260 m lower: +1.69 degC warmer (-6.5 degC/km)."""
    a = synthetic_weather(JIAYUGUAN, YEAR, 4)
    b = synthetic_weather(GUAZHOU_YUMEN_WIND, YEAR, 4)
    assert (b["temp_air"] - a["temp_air"]).mean() == pytest.approx(0.0065 * 260, abs=0.1)
    # same seed: the same clouds (regional), and one wind pattern shared in part
    daily = [x["ghi"].resample("D").sum() for x in (a, b)]
    assert np.corrcoef(daily[0], daily[1])[0, 1] > 0.97


def test_synthetic_wind_at_two_sites_correlates_as_set():
    """Two sites with the same seed: the hourly wind driver is sqrt(0.7) x regional +
    sqrt(0.3) x the site's own, so the sites correlate about 0.7 (the Weibull transform and
    the shared seasonal and daily cycles move the speed correlation a little: 0.6-0.85), not 1
    as one regional pattern would, and not ~0 as independent draws would. The same site twice
    gives the same wind, bit for bit; with wind_site_correlation=1 two sites are identical in
    their driver again."""
    import dataclasses

    a = synthetic_weather(JIAYUGUAN, YEAR, 4)
    b = synthetic_weather(GUAZHOU_YUMEN_WIND, YEAR, 4)
    r = np.corrcoef(a["wind_speed"], b["wind_speed"])[0, 1]
    assert 0.6 < r < 0.85, r
    np.testing.assert_array_equal(
        a["wind_speed"], synthetic_weather(JIAYUGUAN, YEAR, 4)["wind_speed"]
    )
    one = dataclasses.replace(HEXI_CORRIDOR, wind_site_correlation=1.0)
    a1 = synthetic_weather(JIAYUGUAN, YEAR, 4, climate=one)
    b1 = synthetic_weather(GUAZHOU_YUMEN_WIND, YEAR, 4, climate=one)
    assert np.corrcoef(a1["wind_speed"], b1["wind_speed"])[0, 1] > 0.99


def test_synthetic_wind_and_solar_weakly_anticorrelated():
    """Daily mean wind vs daily clear-sky index: negative but weak (coupling 0.3)."""
    rs = []
    for seed in range(3):
        df = synthetic_weather(JIAYUGUAN, YEAR, seed)
        sp = pvlib.location.Location(39.773, 98.288, "Asia/Shanghai", 1660).get_clearsky(
            YEAR + pd.Timedelta("30min")
        )
        kc = df["ghi"].resample("D").sum() / sp["ghi"].resample("D").sum().to_numpy()
        rs.append(np.corrcoef(kc, df["wind_speed"].resample("D").mean())[0, 1])
    assert all(-0.6 < r < -0.1 for r in rs), rs


def test_synthetic_cache_returns_equal_copies(monkeypatch):
    calls = []
    real = W.synthetic_weather

    def counting(*args, **kwargs):
        calls.append(args[2])
        return real(*args, **kwargs)

    monkeypatch.setattr(W, "synthetic_weather", counting)
    monkeypatch.setattr(W, "_SYNTHETIC_CACHE", {})
    a = W.cached_synthetic_weather(JIAYUGUAN, YEAR[:100], 11)
    a.iloc[0, 0] = -999.0  # a caller's change must not leak into the cache
    b = W.cached_synthetic_weather(JIAYUGUAN, YEAR[:100], 11)
    assert calls == [11]
    assert b.iloc[0, 0] != -999.0 and b.attrs["wind_height_m"] == 70.0


def test_epw_saved_as_gbk_is_read(tmp_path):
    """An EPW whose location is written in Chinese and saved as GBK used to fail inside pvlib
    ("could not be read as EPW: 'utf-8' codec can't decode ..."); it is read like any file."""
    tmy, _ = read_weather(TMY3)
    path = tmp_path / "site.epw"
    path.write_bytes(_epw_text(tmy).replace("Testville", "嘉峪关").encode("gbk"))
    df, meta = read_weather(path)
    assert meta["source"] == "epw" and len(df) == 8760


def test_weather_file_not_text_names_the_file(tmp_path):
    """A Latin-1 weather CSV used to be read as Latin-1 and a binary one gave column errors
    on garbage; both now name the file and the fix (save as UTF-8)."""
    path = tmp_path / "w.csv"
    path.write_bytes(b"# wind_height_m: 10\n# Station M\xfcnchen\ntimestamp,ghi\n")
    with pytest.raises(InputError) as exc:
        read_weather(path)
    assert str(exc.value).startswith(f"{path}: is neither UTF-8 nor GBK/GB18030 text")
    assert "save it as UTF-8" in str(exc.value)
