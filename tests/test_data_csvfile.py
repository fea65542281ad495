"""The one CSV reader (gridopt.data.csvfile) and the series reader built on it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridopt.data.csvfile import read_csv, read_csv_table
from gridopt.data.importer import read_profile
from gridopt.data.series import read_csv_series
from gridopt.errors import InputError


def hours(n: int) -> pd.DatetimeIndex:
    return pd.date_range(
        pd.Timestamp("2025-01-01").tz_localize("Asia/Shanghai"), periods=n, freq="h"
    )


def test_options_line_numbers_delimiter_and_comments(tmp_path):
    """Leading '# key: value' comments are options; a later comment is skipped but counted;
    semicolons win over the one comma in the header line."""
    path = tmp_path / "w.csv"
    path.write_text(
        "# wind_height_m: 70\n\n# timezone = Asia/Shanghai\na;b,c;d\n1;2;3\n# note: no\n3;4;5\n"
    )
    got = read_csv(path)
    assert got.options == {"wind_height_m": "70", "timezone": "Asia/Shanghai"}
    assert got.rows == [(4, ["a", "b,c", "d"]), (5, ["1", "2", "3"]), (7, ["3", "4", "5"])]


def test_blank_rows_inside_one_column_are_empty_cells_else_skipped(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("p\n1\n\n2\n\n")
    t = read_csv_table(one)
    assert t.columns == [["1", None, "2"]] and t.rows.tolist() == [2, 3, 4]
    two = tmp_path / "two.csv"
    two.write_text("time,p\n2025-01-01 00:00,1\n\n2025-01-01 01:00,2\n")
    t = read_csv_table(two)
    assert t.columns[1] == ["1", "2"] and t.rows.tolist() == [2, 4]


def test_decimal_comma_is_named_not_read_as_a_wrong_number(tmp_path):
    """'0,5' under a one-name header used to be read as 0 MW (the 5 went to an unnamed
    column); it is now an error naming the row and the fix."""
    path = tmp_path / "dc.csv"
    path.write_text("p_mw\n" + "0,5\n" * 24)
    with pytest.raises(InputError) as err:
        read_profile(path, hours(24))
    text = str(err.value)
    assert f"{path}: row 2: has 2 cells, the header has 1" in text
    assert "(0.5, not 0,5)" in text and "and 19 more rows like these" in text


def test_series_reads_semicolons_comments_and_names_rows(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "# source: metering\ntimestamp;pu\n2025-01-01 00:00;0.1\n2025-01-01 01:00;0.2\n"
    )
    np.testing.assert_allclose(read_csv_series(path, None, "x"), [0.1, 0.2])
    path.write_text("# source: metering\npu\n0.1\nNA\n")
    with pytest.raises(InputError) as err:
        read_csv_series(path, None, "x")
    assert str(err.value).startswith(f"{path}: row 4, column pu: empty cell")


def test_weather_csv_is_read_by_the_same_reader(tmp_path):
    """Semicolons and a comment between data rows, which the weather reader used to take for
    data: the bad value of data row 2 is named on its true file line, 6."""
    from gridopt.data.weather import read_weather

    path = tmp_path / "met.csv"
    path.write_text(
        "# wind_height_m: 10\n# timezone: Asia/Shanghai\n"
        "timestamp;ghi;dni;dhi;temp_air;wind_speed\n"
        "2025-03-20 00:00;0;0;0;1.5;3\n"
        "# the logger was reset here\n"
        "2025-03-20 01:00;-5;0;0;1.0;3\n"
    )
    with pytest.raises(InputError) as err:
        read_weather(path)
    assert f"{path}: data row 2 (line 6), column ghi: negative irradiance" in str(err.value)
