"""Profile import (gridopt.data.importer): shapes, units, and every bad-input message.

Row numbers in messages are spreadsheet rows: the header is row 1 (unless comment rows come
first), so the k-th value (1-based) is in row k + 1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gridopt.data.generators import GENERATORS, GeneratorContext
from gridopt.data.importer import read_profile
from gridopt.errors import InputError

TZ = "Asia/Shanghai"


def hours(start: str, n: int) -> pd.DatetimeIndex:
    return pd.date_range(pd.Timestamp(start).tz_localize(TZ), periods=n, freq="h")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def column_file(tmp_path: Path, name: str, header: str, values, times=None) -> Path:
    """A CSV with an optional time column and one value column."""
    lines = [header if times is None else f"time,{header}"]
    for k, v in enumerate(values):
        lines.append(str(v) if times is None else f"{times[k]:%Y-%m-%d %H:%M},{v}")
    return write(tmp_path, name, "\n".join(lines) + "\n")


def problems(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(p) for p in exc.value.problems]


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, unit, factor",
    [("p_kw", None, 1e-3), ("load [kW]", None, 1e-3), ("p_mw", None, 1.0), ("load (MW)", None, 1.0),
     ("load", "kW", 1e-3), ("load", "mw", 1.0), ("e_kwh", None, 1e-3)],
)  # fmt: skip
def test_unit_from_header_or_option(tmp_path, header, unit, factor):
    """Typical day 1000, 2000, ..., 24000: in kW that is 1.0 ... 24.0 MW."""
    path = column_file(tmp_path, "day.csv", header, [1000 * (h + 1) for h in range(24)])
    p = read_profile(path, hours("2025-01-01", 48), unit=unit)
    assert p.name == "p_mw" and p.attrs["units"] == "MW"
    np.testing.assert_allclose(p.to_numpy(), np.tile(np.arange(1, 25) * 1000 * factor, 2))


def test_unit_missing_or_conflicting(tmp_path):
    path = column_file(tmp_path, "load.csv", "load", [1.0] * 24)
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 24))
    (msg,) = problems(err)
    assert f"{path}: column load: the unit is not stated" in msg and "unit: kW" in msg
    path = column_file(tmp_path, "kw.csv", "p_kw", [1.0] * 24)
    with pytest.raises(InputError, match="the column name says kW but the unit option says MW"):
        read_profile(path, hours("2025-01-01", 24), unit="MW")
    with pytest.raises(InputError, match="unknown unit.*'GW'.*use kW or MW"):
        read_profile(path, hours("2025-01-01", 24), unit="GW")


# --- shapes --------------------------------------------------------------------------------


def test_typical_day_repeats_by_clock_hour(tmp_path):
    """Value = clock hour; a horizon starting at 05:00 starts with 5 and wraps at midnight."""
    path = column_file(tmp_path, "day.csv", "p_mw", range(24))
    idx = hours("2025-03-10 05:00", 72)
    p = read_profile(path, idx)
    np.testing.assert_array_equal(p.to_numpy(), idx.hour)


def test_typical_day_with_timestamps_starting_at_six(tmp_path):
    """Rows 06:00..05:00 (next day) with value = 100 + clock hour: mapped by the timestamps'
    clock hour, not by row order."""
    times = pd.date_range("2025-06-01 06:00", periods=24, freq="h")
    path = column_file(tmp_path, "day.csv", "p_mw", [100 + t.hour for t in times], times)
    idx = hours("2025-01-01", 48)
    np.testing.assert_array_equal(read_profile(path, idx).to_numpy(), 100 + idx.hour)


def test_timestamps_with_utc_offset_are_converted(tmp_path):
    """00:00Z is 08:00 in Shanghai: a day given in UTC, value = UTC hour, maps local hour h to
    value (h - 8) mod 24."""
    lines = ["time,p_mw"] + [f"2025-01-01T{h:02d}:00Z,{h}" for h in range(24)]
    path = write(tmp_path, "utc.csv", "\n".join(lines))
    idx = hours("2025-01-01", 24)
    np.testing.assert_array_equal(read_profile(path, idx).to_numpy(), (idx.hour - 8) % 24)


def test_typical_week_starts_monday(tmp_path):
    """Without timestamps row 2 is Monday 00:00: value k = 24 * weekday + hour. 2025-01-01 is
    a Wednesday, so the horizon starts with 2 * 24 = 48 and Monday 2025-01-06 00:00 is 0."""
    path = column_file(tmp_path, "week.csv", "p_mw", range(168))
    idx = hours("2025-01-01", 24 * 14)
    p = read_profile(path, idx)
    assert p.iloc[0] == 48 and p[pd.Timestamp("2025-01-06 00:00", tz=TZ)] == 0
    np.testing.assert_array_equal(p.to_numpy(), idx.day_of_week * 24 + idx.hour)


def test_typical_week_aligned_on_timestamps(tmp_path):
    """A week whose timestamps start on Thursday 2024-05-02: values follow the weekday."""
    times = pd.date_range("2024-05-02", periods=168, freq="h")
    path = column_file(
        tmp_path, "week.csv", "p_kw", [1000 * (24 * t.day_of_week + t.hour) for t in times], times
    )
    idx = hours("2025-01-01", 168)
    np.testing.assert_allclose(read_profile(path, idx).to_numpy(), idx.day_of_week * 24 + idx.hour)


def test_leap_year_file_onto_common_year(tmp_path):
    """8784 rows without timestamps = a leap year from 1 Jan 00:00; value k = row index.
    2025-02-28 23:00 is hour 58 * 24 + 23 = 1415; 2025-03-01 00:00 skips 29 Feb (rows
    1416-1439) and takes k = 60 * 24 = 1440; 31 Dec 23:00 takes the last row, 8783."""
    path = column_file(tmp_path, "leap.csv", "p_mw", range(8784))
    p = read_profile(path, hours("2025-01-01", 8760))
    assert p[pd.Timestamp("2025-02-28 23:00", tz=TZ)] == 1415
    assert p[pd.Timestamp("2025-03-01 00:00", tz=TZ)] == 1440
    assert p.iloc[-1] == 8783
    assert not np.isin(np.arange(1416, 1440), p.to_numpy()).any()


def test_common_year_file_onto_leap_year_repeats_28_february(tmp_path):
    """8760 rows onto 2024: 29 Feb 05:00 gets 28 Feb 05:00 (k = 58 * 24 + 5 = 1397);
    1 March 00:00 gets k = 59 * 24 = 1416."""
    path = column_file(tmp_path, "year.csv", "p_mw", range(8760))
    p = read_profile(path, hours("2024-01-01", 8784))
    assert p[pd.Timestamp("2024-02-29 05:00", tz=TZ)] == 1397
    assert p[pd.Timestamp("2024-02-28 05:00", tz=TZ)] == 1397
    assert p[pd.Timestamp("2024-03-01 00:00", tz=TZ)] == 1416


def test_year_file_onto_short_horizon_in_another_year(tmp_path):
    """A timestamped 2023 year (value = hour of year) onto one week from 2025-07-01: July 1
    is day 181 + 1 of a common year, so the first value is 181 * 24 = 4344."""
    times = pd.date_range("2023-01-01", periods=8760, freq="h")
    path = column_file(tmp_path, "y2023.csv", "p_mw", range(8760), times)
    p = read_profile(path, hours("2025-07-01", 168))
    np.testing.assert_array_equal(p.to_numpy(), np.arange(4344, 4344 + 168))


def test_horizon_length_and_timestamp_cover(tmp_path):
    """50 rows for a 50 h horizon: in order. A 72 h timestamped file that includes a 48 h
    horizon: the matching hours (the file starts 12 h before the horizon)."""
    path = column_file(tmp_path, "h50.csv", "p_mw", range(50))
    np.testing.assert_array_equal(read_profile(path, hours("2025-04-01", 50)).to_numpy(), range(50))
    times = pd.date_range("2025-03-31 12:00", periods=72, freq="h")
    path = column_file(tmp_path, "h72.csv", "p_mw", range(72), times)
    np.testing.assert_array_equal(
        read_profile(path, hours("2025-04-01", 48)).to_numpy(), range(12, 60)
    )


def test_comment_rows_and_semicolons(tmp_path):
    """'#' rows are skipped but still counted: the header is row 3, value 2 is in row 5."""
    text = (
        "# source: city grid company, 2024 metering\n# assumption: typical weekday\nload [kW];x\n"
    )
    text += "".join(f"{v};\n" for v in [10, "oops"] + [10] * 22)
    path = write(tmp_path, "c.csv", text)
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 24))
    assert problems(err) == [
        f"{path}: row 5, column load [kW]: not a number (got 'oops'); "
        "write a plain number in kW with '.' as the decimal point"
    ]


def test_file_without_header(tmp_path):
    path = write(tmp_path, "bare.csv", "\n".join(["5"] * 23 + ["-1"]))
    assert (
        read_profile(
            write(tmp_path, "ok.csv", "5\n" * 24), hours("2025-01-01", 24), unit="MW"
        ).sum()
        == 120
    )
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 24), unit="kW")
    assert problems(err) == [
        f"{path}: row 24, column A: negative value (got '-1'); values must be >= 0"
    ]


# --- errors, each naming file, row and column ----------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as err:
        read_profile(tmp_path / "nope.csv", hours("2025-01-01", 24))
    assert problems(err) == [f"{tmp_path / 'nope.csv'}: file not found; check the path "
                             "(in a scenario, relative to the scenario file's folder)"]  # fmt: skip


def test_bad_values_all_reported_together(tmp_path):
    """Five bad cells in one file: all five reported, in row order, each with row and column."""
    values = ["1", "abc", "", "-3", "nan", "inf"] + ["1"] * 18
    path = column_file(tmp_path, "bad.csv", "p_mw", values)
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 24))
    assert problems(err) == [
        f"{path}: row 3, column p_mw: not a number (got 'abc'); write a plain number in MW with '.' as the decimal point",
        f"{path}: row 4, column p_mw: empty cell; give the value in MW (0 if nothing is drawn)",
        f"{path}: row 5, column p_mw: negative value (got '-3'); values must be >= 0",
        f"{path}: row 6, column p_mw: missing value (NaN) (got 'nan'); give the value in MW",
        f"{path}: row 7, column p_mw: not a finite number (got 'inf'); give a finite value in MW",
    ]
    assert "5 problems in" in str(err.value) and "row 1 is the header" in str(err.value)


def test_bad_timestamps_duplicates_gaps_and_order(tmp_path):
    text = "time,p_mw\n" + "\n".join(
        [
            "2025-01-01 00:00,1",  # row 2
            "2025-01-01 01:00,1",  # row 3
            "2025-01-01 01:00,1",  # row 4: repeats row 3
            "2025-01-01 02:30,1",  # row 5: not on the hour
            "not a time,1",  # row 6
            "2025-01-01 07:00,1",  # row 7: after row 6 (bad) - no gap check across a bad row
            "2025-01-01 10:00,1",  # row 8: 2 hours missing after row 7
            "2025-01-01 09:00,1",  # row 9: out of order
        ]
    )
    path = write(tmp_path, "t.csv", text)
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 8))
    assert problems(err) == [
        f"{path}: row 4, column time: repeated hour: 2025-01-01 01:00 is also in row 3; keep one row per hour",
        f"{path}: row 5, column time: timestamp not on the hour (got '2025-01-01 02:30'); give hourly values, at HH:00",
        f"{path}: row 6, column time: not a timestamp (got 'not a time'); write local clock time like 2025-01-01 13:00, one row per hour",
        f"{path}: row 8, column time: gap: 2 hour(s) missing between row 7 (2025-01-01 07:00) and this row (2025-01-01 10:00); add the missing hours, one row per hour",
        f"{path}: row 9, column time: out of time order: 2025-01-01 09:00 comes after row 8 (2025-01-01 10:00); sort the rows by time",
    ]


def test_wrong_length_says_what_is_accepted(tmp_path):
    path = column_file(tmp_path, "short.csv", "p_mw", [1.0] * 50)
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 100))
    (msg,) = problems(err)
    assert msg.startswith(
        f"{path}: wrong number of rows: the file has 50 data rows (rows 2-51; row 1 is the header)"
    )
    for accepted in ("24 rows (a typical day)", "168 (a typical week)", "8760 or 8784 (a year)",
                     "100 (one per hour of the scenario horizon, 2025-01-01 00:00 to 2025-01-05 03:00)"):  # fmt: skip
        assert accepted in msg
    with pytest.raises(InputError, match="repeat: week needs 168 data rows"):
        read_profile(path, hours("2025-01-01", 50), repeat="week")
    # reported together with bad values, the file-wide problem first
    path = column_file(tmp_path, "short_bad.csv", "p_mw", [1.0, "x", 2.0])
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 24))
    msgs = problems(err)
    assert len(msgs) == 2 and "wrong number of rows: the file has 3 data rows (rows 2-4" in msgs[0]
    assert msgs[1].startswith(f"{path}: row 3, column p_mw: not a number")


def test_timestamps_that_miss_the_horizon(tmp_path):
    times = pd.date_range("2024-03-01", periods=48, freq="h")
    path = column_file(tmp_path, "old.csv", "p_mw", [1.0] * 48, times)
    with pytest.raises(
        InputError,
        match=r"timestamps \(2024-03-01 00:00 to 2024-03-02 23:00\) do not cover the horizon",
    ):
        read_profile(path, hours("2025-01-01", 48))


def test_column_choice(tmp_path):
    text = "time,north_kw,south_kw,note\n" + "".join(
        f"2025-01-01 {h:02d}:00,{h},{2 * h},x\n" for h in range(24)
    )
    path = write(tmp_path, "two.csv", text)
    idx = hours("2025-01-01", 24)
    np.testing.assert_allclose(
        read_profile(path, idx, column="south_kw").to_numpy(), 2e-3 * idx.hour
    )
    with pytest.raises(InputError) as err:
        read_profile(path, idx)
    assert problems(err) == [f"{path}: cannot tell which column holds the values (value columns: north_kw, south_kw, note); "
                             "name it with the column option"]  # fmt: skip
    with pytest.raises(InputError) as err:
        read_profile(path, idx, column="east_kw")
    assert problems(err) == [
        f"{path}: column: no column of that name (got 'east_kw'); use one of: time, north_kw, south_kw, note"
    ]
    # one column states a unit, the other does not: the one with the unit is taken
    path = write(tmp_path, "one.csv", "p_mw,comment\n" + "1,a\n" * 24)
    assert read_profile(path, idx).sum() == 24


def test_problem_list_is_capped(tmp_path):
    path = column_file(tmp_path, "many.csv", "p_mw", ["x"] * 30 + ["1"] * 138)
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 168))
    msgs = problems(err)
    assert len(msgs) == 21 and msgs[-1] == f"{path}: and 10 more problems not listed"
    assert msgs[0].startswith(f"{path}: row 2, column p_mw: not a number")
    assert str(err.value).startswith(f"30 problems in {path}")


def test_unsupported_type_and_csv_sheet(tmp_path):
    with pytest.raises(
        InputError, match=r"unsupported file type \(got '.xls'\); use .csv or .xlsx"
    ):
        read_profile(tmp_path / "old.xls", hours("2025-01-01", 24))
    path = column_file(tmp_path, "day.csv", "p_mw", range(24))
    with pytest.raises(InputError, match="day.csv: sheet: a CSV file has no sheets"):
        read_profile(path, hours("2025-01-01", 24), sheet="Sheet1")


# --- Excel ---------------------------------------------------------------------------------


def test_excel_round_trip(tmp_path):
    """48 timestamped hours in kW on a second sheet: read back /1000 as MW."""
    idx = hours("2025-01-01", 48)
    kw = np.linspace(0, 4700, 48)
    path = tmp_path / "profile.xlsx"
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"note": ["other data"]}).to_excel(xl, sheet_name="readme", index=False)
        pd.DataFrame({"time": idx.tz_localize(None), "load [kW]": kw}).to_excel(
            xl, sheet_name="2025", index=False
        )
    p = read_profile(path, idx, sheet="2025")
    np.testing.assert_allclose(p.to_numpy(), kw / 1000)
    pd.testing.assert_index_equal(p.index, idx)


def test_excel_errors_name_sheet_row_and_column(tmp_path):
    path = tmp_path / "bad.xlsx"
    values = [1.0] * 24
    values[9] = "n/a"  # data row 10 = sheet row 11
    pd.DataFrame({"p_mw": values}).to_excel(path, sheet_name="load", index=False)
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 24))
    assert problems(err) == [
        f"{path} [load]: row 11, column p_mw: missing value (NaN) (got 'n/a'); give the value in MW"
    ]
    with pytest.raises(InputError) as err:
        read_profile(path, hours("2025-01-01", 24), sheet="Sheet1")
    assert problems(err) == [
        f"{path}: sheet: no sheet of that name (got 'Sheet1'); use one of: load"
    ]
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError, match=r"broken.xlsx: cannot read the file as an Excel workbook"):
        read_profile(broken, hours("2025-01-01", 24))


# --- generator -----------------------------------------------------------------------------


def test_profile_file_generator(tmp_path):
    """profiles/city.csv is a typical day in kW (value 1000 * (h + 1)); scale 2 doubles it:
    hour 0 -> 2 MW, hour 23 -> 48 MW."""
    (tmp_path / "profiles").mkdir()
    column_file(tmp_path / "profiles", "city.csv", "load", [1000 * (h + 1) for h in range(24)])
    ctx = GeneratorContext(
        hours=hours("2025-01-01", 48), base_dir=tmp_path, where="s.yaml: loads.city.p_mw"
    )
    out = GENERATORS["profile_file"](ctx, {"path": "profiles/city.csv", "unit": "kW", "scale": 2})
    np.testing.assert_allclose(out, np.tile(2.0 * np.arange(1, 25), 2))
    with pytest.raises(InputError) as err:
        GENERATORS["profile_file"](ctx, {"path": "profiles/city.csv"})
    assert problems(err)[0].startswith(
        f"s.yaml: loads.city.p_mw: {tmp_path / 'profiles' / 'city.csv'}: column load: the unit is not stated"
    )
    with pytest.raises(InputError) as err:
        GENERATORS["profile_file"](ctx, {"path": "profiles/city.csv", "unit": "GW", "scal": 1})
    assert {p.where for p in err.value.problems} == {
        "s.yaml: loads.city.p_mw.unit",
        "s.yaml: loads.city.p_mw.scal",
    }


# --- encodings -----------------------------------------------------------------------------


def test_latin1_profile_is_refused_not_misread(tmp_path):
    """'Last Müller [kW]' in Latin-1 decodes as GB18030 (0xFC 0x6C is a rare CJK character):
    it used to be read silently under a garbled column name. Now the file and the fix are
    named."""
    path = tmp_path / "latin.csv"
    path.write_bytes(
        ("Last Müller [kW]\n" + "".join(f"{h}\n" for h in range(24))).encode("latin-1")
    )
    with pytest.raises(InputError) as exc:
        read_profile(path, hours("2025-01-01", 24))
    assert str(exc.value).startswith(f"{path}: is neither UTF-8 nor GBK/GB18030 text")


def test_empty_and_utf16_profiles(tmp_path):
    """A 0-byte file is "empty"; Excel's "Unicode text" (UTF-16 with a BOM, tab-separated)
    is read: 24 rows of 1000 kW = 1 MW."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty"):
        read_profile(empty, hours("2025-01-01", 24))
    path = tmp_path / "u16.txt"
    path.write_bytes(("p_kw\n" + "1000\n" * 24).encode("utf-16"))
    np.testing.assert_allclose(read_profile(path, hours("2025-01-01", 24)).to_numpy(), 1.0)
