"""Bad input a planner's office really produces gets one clear error, never a traceback
(issue 10 §2): encodings, duplicate keys, absurd numbers, long series, time zones, generator
parameters, ``extends`` paths, horizons and unsupplied buses. Each test fails on the code
before its fix."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
import yaml

from gridopt.errors import InputError
from gridopt.inputs import load_inputs, local_time_index

TINY = {
    "name": "tiny",
    "time": {"start": "2025-01-01 00:00", "hours": 24},
    "buses": {"a": {}},
    "loads": {"l": {"bus": "a", "p_mw": 10}},
    "ties": {
        "t": {
            "bus": "a",
            "import_max_mw": 100,
            "export_max_mw": 0,
            "import_price_cny_per_mwh": 300,
            "export_price_cny_per_mwh": 0,
        }
    },
}


def _write(tmp_path, data, name="s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _tiny(**changes) -> dict:
    data = copy.deepcopy(TINY)
    for dotted, value in changes.items():
        node = data
        keys = dotted.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return data


# --- time zones -------------------------------------------------------------------------------


def test_start_in_a_dst_gap_is_standard_time(tmp_path):
    """Europe/Berlin skips 02:00-03:00 on 2025-03-30. The horizon is laid out in the zone's
    standard time (UTC+01:00) all year, so 02:00 exists: 4 consecutive hours from
    2025-03-30 02:00+01:00 = 01:00 UTC."""
    data = _tiny(time={"start": "2025-03-30 02:00", "hours": 4, "timezone": "Europe/Berlin"})
    _, ds = load_inputs(_write(tmp_path, data))
    idx = local_time_index(ds)
    assert ds.attrs["timezone"] == "UTC+01:00"
    assert ds.attrs["scenario_timezone"] == "Europe/Berlin"
    assert idx[0] == pd.Timestamp("2025-03-30 01:00", tz="UTC")
    assert list(idx.to_series().diff().dropna().unique()) == [pd.Timedelta(hours=1)]


def test_horizon_over_the_dst_fall_back_has_every_hour_once(tmp_path):
    """2025-10-26 Berlin repeats 02:00 on the wall clock; in standard time the 24 hours from
    00:00 are 24 distinct instants, one hour apart (23:00 UTC on the 25th onwards)."""
    data = _tiny(time={"start": "2025-10-26 00:00", "hours": 24, "timezone": "Europe/Berlin"})
    _, ds = load_inputs(_write(tmp_path, data))
    idx = local_time_index(ds)
    assert idx.is_unique and len(idx) == 24
    steps = idx.tz_convert("UTC").to_series().diff().dropna().unique()
    assert list(steps) == [pd.Timedelta(hours=1)]
    assert idx[0] == pd.Timestamp("2025-10-25 23:00", tz="UTC")


def test_china_keeps_its_zone(tmp_path):
    """Asia/Shanghai has no daylight saving time: the clock is the zone itself."""
    _, ds = load_inputs(_write(tmp_path, _tiny()))
    assert ds.attrs["timezone"] == "Asia/Shanghai"
    assert local_time_index(ds)[0] == pd.Timestamp("2025-01-01 00:00", tz="Asia/Shanghai")


def test_run_over_the_dst_fall_back_writes_prices(tmp_path):
    """The run used to crash after solving, re-localising the repeated 02:00 in prices.csv."""
    from gridopt.run import run_scenario

    data = _tiny(time={"start": "2025-10-26 00:00", "hours": 24, "timezone": "Europe/Berlin"})
    run_scenario(_write(tmp_path, data), out_dir=tmp_path / "out")
    prices = pd.read_csv(tmp_path / "out" / "prices.csv")
    assert prices["timestamp"].is_unique and len(prices) == 24
    assert prices["a"].tolist() == pytest.approx([300.0] * 24)


def test_solar_in_a_dst_zone(tmp_path):
    """Synthetic weather and PV for a site in Europe/Berlin over the autumn change (it used to
    stop at "synthetic_weather needs an index of whole hours"): 48 finite values in [0, 1],
    zero at standard-time midnight (the sun is down at 00:00-01:00), positive at noon."""
    data = _tiny(
        time={"start": "2025-10-25 00:00", "hours": 48, "timezone": "Europe/Berlin"},
        sites={"berlin": {"latitude_deg": 52.5, "longitude_deg": 13.4}},
        renewables={
            "pv": {
                "bus": "a",
                "carrier": "solar",
                "p_nom_mw": 10,
                "availability": {"generator": "solar", "site": "berlin"},
            }
        },
    )
    _, ds = load_inputs(_write(tmp_path, data))
    pv = ds["renewable_availability_pu"].sel(renewable="pv").values
    assert len(pv) == 48 and np.isfinite(pv).all() and pv.min() >= 0 and pv.max() <= 1
    assert pv[0] == 0 and pv[24] == 0 and pv[12] > 0


@pytest.mark.parametrize(
    "zone,words",
    [
        ("Mars/Base", "unknown time zone"),
        ("asia/shanghai", "did you mean Asia/Shanghai"),
        ("", "unknown time zone"),
    ],
)
def test_unknown_zone_refused_up_front(tmp_path, zone, words):
    data = _tiny(time={"start": "2025-01-01 00:00", "hours": 4, "timezone": zone})
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    assert "time.timezone" in str(exc.value) and words in str(exc.value)


# --- encodings ------------------------------------------------------------------------------

GBK_SCENARIO = """# 嘉峪关测试场景（GBK 编码，中文 Excel/记事本）
name: 测试
description: 负荷与联络线
time: {start: "2025-01-01 00:00", hours: 24}
buses: {a: {description: 嘉峪关}}
loads: {l: {bus: a, p_mw: 10}}
ties:
  t: {bus: a, import_max_mw: 100, export_max_mw: 0, import_price_cny_per_mwh: 300,
      export_price_cny_per_mwh: 0}
"""


def test_gbk_scenario_is_read(tmp_path):
    """A scenario saved by Chinese Notepad (GBK) used to stop with UnicodeDecodeError."""
    path = tmp_path / "gbk.yaml"
    path.write_bytes(GBK_SCENARIO.encode("gbk"))
    ls, ds = load_inputs(path)
    assert ls.scenario.name == "测试" and ls.scenario.buses["a"].description == "嘉峪关"


def test_utf8_with_bom_scenario_is_read(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GBK_SCENARIO.encode("utf-8"))
    assert load_inputs(path)[0].scenario.description == "负荷与联络线"


@pytest.mark.parametrize(
    "raw,words",
    [
        ("name: Zürich\nbuses: {a: {}}\n".encode("latin-1"), "neither UTF-8 nor GBK/GB18030"),
        (b"name: x\x00\x01\x02\nbuses: {a: {}}\n", "not a text file"),
        (b"PK\x03\x04" + b"\x00" * 40, "Excel workbook"),
    ],
    ids=["latin-1", "binary", "xlsx"],
)
def test_undecodable_scenario_names_file_and_fix(tmp_path, raw, words):
    path = tmp_path / "bad.yaml"
    path.write_bytes(raw)
    with pytest.raises(InputError) as exc:
        load_inputs(path)
    text = str(exc.value)
    assert text.startswith(str(path)) and words in text and "UTF-8" in text
    assert "\n" not in text


def test_gbk_csv_series_is_read_and_latin1_refused(tmp_path):
    """A CSV series with a Chinese header saved as GBK is read; a Latin-1 one is refused
    naming the file (both used to raise UnicodeDecodeError)."""
    (tmp_path / "load.csv").write_bytes(
        ("时间,负荷\n" + "".join(f"2025-01-01 {h:02d}:00,{h}\n" for h in range(24))).encode("gbk")
    )
    data = _tiny(loads__l__p_mw={"csv": "load.csv", "column": "负荷"})
    _, ds = load_inputs(_write(tmp_path, data))
    assert ds["load_p_mw"].sel(load="l").values.tolist() == list(range(24))
    (tmp_path / "latin.csv").write_bytes(
        ("Zeit,Last Müller\n" + "".join(f"{h},{h}\n" for h in range(24))).encode("latin-1")
    )
    data = _tiny(loads__l__p_mw={"csv": "latin.csv", "column": "Last Müller"})
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    assert f"{tmp_path / 'latin.csv'}: is neither UTF-8 nor GBK/GB18030" in str(exc.value)


def test_empty_csv_series_is_a_clear_error(tmp_path):
    """A 0-byte CSV used to give pandas' EmptyDataError traceback."""
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, _tiny(loads__l__p_mw={"csv": "empty.csv"})))
    assert f"{tmp_path / 'empty.csv'}: the CSV file is empty" in str(exc.value)


def test_cli_validate_latin1_scenario_one_line(tmp_path):
    from click.testing import CliRunner

    from cli import main

    path = tmp_path / "latin.yaml"
    path.write_bytes("name: Zürich\nbuses: {a: {}}\n".encode("latin-1"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code != 0
    assert "neither UTF-8 nor GBK/GB18030" in result.output
    assert "Traceback" not in result.output and "UnicodeDecodeError" not in result.output


def test_cli_assumptions_reads_gbk(tmp_path):
    from click.testing import CliRunner

    from cli import main

    path = tmp_path / "gbk.yaml"
    path.write_bytes(GBK_SCENARIO.encode("gbk"))
    result = CliRunner().invoke(main, ["assumptions", str(path)])
    assert result.exit_code == 0, result.output
    assert "import_price_cny_per_mwh" in result.output


# --- duplicate keys -------------------------------------------------------------------------


def test_second_section_is_a_duplicate_not_a_replacement(tmp_path):
    """A pasted second ``storage:`` section used to wipe the first silently."""
    path = tmp_path / "dup.yaml"
    path.write_text(
        yaml.safe_dump(TINY)
        + "storage:\n  s1: {bus: a, p_charge_max_mw: 5, e_max_mwh: 10}\n"
        + "storage:\n  s2: {bus: a, p_charge_max_mw: 5, e_max_mwh: 10}\n"
    )
    n = len(yaml.safe_dump(TINY).splitlines())
    with pytest.raises(InputError) as exc:
        load_inputs(path)
    text = str(exc.value)
    assert f"{path}: line {n + 3}: storage: duplicate key, also on line {n + 1}" in text


def test_load_defined_twice_names_both_lines(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text(
        "name: d\nbuses: {a: {}}\nloads:\n  l: {bus: a, p_mw: 10}\n  m: {bus: a, p_mw: 1}\n"
        "  l: {bus: a, p_mw: 20}\n"
    )
    with pytest.raises(InputError) as exc:
        load_inputs(path)
    assert f"{path}: line 6: loads.l: duplicate key, also on line 4" in str(exc.value)


def test_merge_key_may_be_overridden(tmp_path):
    """``<<: *base`` then a key of the base is how YAML overrides; that is not a duplicate."""
    path = tmp_path / "merge.yaml"
    path.write_text(
        yaml.safe_dump({k: v for k, v in TINY.items() if k != "loads"})
        + "defaults: &d {bus: a, p_mw: 10}\n"
    )
    text = path.read_text().replace("defaults: &d", "loads:\n  l: &d")
    text += "  m:\n    <<: *d\n    p_mw: 5\n"
    path.write_text(text)
    _, ds = load_inputs(path)
    assert ds["load_p_mw"].sel(load="m").values[0] == 5


# --- non-finite and absurd numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"ties__t__import_max_mw": float("inf")}, "ties.t.import_max_mw", "finite"),
        ({"settings": {"voll_cny_per_mwh": 1e308}}, "settings.voll_cny_per_mwh", "1000000"),
        ({"ties__t__import_price_cny_per_mwh": float("nan")}, "import_price_cny_per_mwh", "finite"),
        (
            {"ties__t__import_price_cny_per_mwh": [300.0] * 23 + [float("nan")]},
            "import_price_cny_per_mwh",
            "hour 23",
        ),
        ({"loads__l__p_mw": 1e308}, "loads.l.p_mw", "outside [0, 1,000,000]"),
        ({"ties__t__import_price_cny_per_mwh": -1e9}, "import_price_cny_per_mwh", "outside"),
    ],
    ids=["inf-MW", "1e308-VOLL", "nan-price", "nan-in-prices", "1e308-load", "-1e9-price"],
)
def test_non_finite_and_absurd_numbers_refused(tmp_path, change, field, words):
    """``.inf`` and ``1e308`` used to pass the schema and solve "Optimal"."""
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, _tiny(**change)))
    text = str(exc.value)
    line = next(ln for ln in text.splitlines() if field in ln)
    assert words in line, line
    assert "nothing can supply" not in text  # the pruned tie is not reported as missing
    assert "None" not in text  # a NaN price used to read "outside >= None"


def test_nan_in_an_hourly_list_names_the_hour(tmp_path):
    values = [10.0] * 24
    values[7] = float("nan")
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, _tiny(loads__l__p_mw=values)))
    assert "loads.l.p_mw: hour 7 (list item 8)" in str(exc.value)


def test_inf_in_a_csv_series_names_the_hour(tmp_path):
    (tmp_path / "l.csv").write_text(
        "p\n" + "".join("inf\n" if h == 5 else "1\n" for h in range(24))
    )
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, _tiny(loads__l__p_mw={"csv": "l.csv"})))
    assert "loads.l.p_mw: hour 5 (2025-01-01 05:00): value outside [0, 1,000,000] (got inf)" in str(
        exc.value
    )


# --- long series, alias bombs, long messages -------------------------------------------------


def test_bad_value_in_a_year_long_list_names_the_hour_briefly(tmp_path):
    """One text value in 8760 numbers used to echo the whole list (61 KB) without the hour."""
    values: list = [10.0] * 8760
    values[5000] = "12,5"
    data = _tiny(time={"start": "2025-01-01 00:00", "hours": 8760}, loads__l__p_mw=values)
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    text = str(exc.value)
    assert "loads.l.p_mw: hour 5000 (list item 5001)" in text and "'12,5'" in text
    assert len(text) < 600


def test_yaml_alias_bomb_is_refused(tmp_path):
    """Seven nested levels of ten aliases: x0 is a list of 10 numbers (11 values counting the
    list), x_i = 1 + 10 x_(i-1), so x0..x6 hold 11 + 111 + ... + 11,111,111 = 12,345,677
    values; with the root mapping, 10 keys (name, buses, a, x0-x6) and 3 other values ('bomb',
    {a: {}}, {}): 12,345,691 > 5,000,000, refused before anything is expanded (the old code
    expanded it while validating and echoed it)."""
    lines = ["name: bomb", "buses: {a: {}}", "x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for i in range(1, 7):
        lines.append(f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        load_inputs(path)
    assert "aliases (*name) expand to 12,345,691 values, more than the 5,000,000 allowed" in str(
        exc.value
    )
    assert len(str(exc.value)) < 400


def test_problem_values_read_as_written():
    """``>= None``, ``np.float64(nan)`` and ``datetime.date(2025, 1, 1)`` used to appear."""
    import datetime as dt

    from gridopt.errors import Problem

    assert str(Problem("f", "m", np.float64("nan"))) == "f: m (got nan)"
    assert str(Problem("f", "m", dt.date(2025, 1, 1))) == "f: m (got 2025-01-01)"
    assert str(Problem("f", "m", np.float64(1e308))) == "f: m (got 1e+308)"
    assert str(Problem("f", "m", False)) == "f: m (got false)"
    assert (
        str(Problem("f", "m", list(range(8760)))) == "f: m (got [0, 1, 2, 3, 4, … (8760 values)])"
    )
    assert len(str(Problem("f", "m" * 5000, "v" * 5000, "x" * 5000))) <= 400


def test_ten_thousand_problems_are_summarised(tmp_path):
    """1,000 loads at an unknown bus used to print 1,001 lines (10,000 printed 10,010)."""
    data = _tiny(loads={f"l{i}": {"bus": "nowhere", "p_mw": 1} for i in range(1_000)})
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    lines = str(exc.value).splitlines()
    assert len(lines) == 22  # title, 20 problems, the rest
    assert lines[-1] == "  … and 980 more problems"


def test_start_written_as_a_yaml_date(tmp_path):
    """``start: 2025-01-01`` (a YAML date) used to fail with datetime.date(2025, 1, 1)."""
    data = _tiny()
    path = tmp_path / "d.yaml"
    text = yaml.safe_dump(data)
    path.write_text(text.replace("start: 2025-01-01 00:00", "start: 2025-01-01"))
    assert "start: 2025-01-01\n" in path.read_text()
    _, ds = load_inputs(path)
    assert local_time_index(ds)[0] == pd.Timestamp("2025-01-01", tz="Asia/Shanghai")


# --- generator parameters -------------------------------------------------------------------


def test_generator_parameter_out_of_range(tmp_path):
    data = _tiny(
        renewables={
            "w": {
                "bus": "a",
                "carrier": "wind",
                "p_nom_mw": 10,
                "availability": {"generator": "wind_simple", "mean_pu": -3},
            }
        }
    )
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    assert (
        "renewables.w.availability.mean_pu: Input should be greater than or equal to 0 (got -3)"
        in (str(exc.value))
    )


def test_misspelt_generator_parameter_lists_valid_keys(tmp_path):
    data = _tiny(
        renewables={
            "w": {
                "bus": "a",
                "carrier": "wind",
                "p_nom_mw": 10,
                "availability": {"generator": "wind_simple", "amplitud_pu": 0.1},
            }
        }
    )
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    assert (
        "renewables.w.availability.amplitud_pu: unknown parameter; remove it or correct the "
        "spelling; valid keys here: generator, mean_pu, amplitude_pu, period_h, seed, noise_pu"
    ) in str(exc.value)


# --- storage with no discharging power --------------------------------------------------------


def test_store_with_zero_discharge_power_never_discharges(tmp_path):
    """Import costs 100 CNY/MWh in hours 0-1 and 1,000 in hours 2-3. A store that may charge
    at 10 MW but discharge at 0 MW must never discharge; it used to discharge at 10 MW
    (``p_discharge_max_mw or p_charge_max_mw``) and earn the spread. Load 10 MW each hour is
    all imported: cost 2 x 10 x 100 + 2 x 10 x 1,000 = 22,000 CNY."""
    from gridopt.run import solve_inputs

    data = _tiny(
        time={"start": "2025-01-01 00:00", "hours": 4},
        ties__t__import_price_cny_per_mwh=[100, 100, 1000, 1000],
        storage={
            "s": {
                "bus": "a",
                "p_charge_max_mw": 10,
                "p_discharge_max_mw": 0,
                "e_max_mwh": 40,
                "soc_initial_fraction": 0.5,
                "cyclic": False,
                "soc_min_fraction": 0,
            }
        },
    )
    _, ds = load_inputs(_write(tmp_path, data))
    assert float(ds["storage_p_discharge_max_mw"].sel(storage="s")) == 0
    r = solve_inputs(ds).results
    assert float(r["storage_discharge_mw"].max()) == pytest.approx(0, abs=1e-9)
    assert float(r["tie_import_mw"].sum()) >= 40 - 1e-6


# --- extends ----------------------------------------------------------------------------------


def test_extends_base_paths_are_relative_to_the_base_and_hashed(tmp_path):
    """base/base.yaml names data/load.csv next to it; child/child.yaml extends ../base/base.yaml.
    The CSV used to be looked for in child/data/ (not found) and left out of the hash."""
    (tmp_path / "base" / "data").mkdir(parents=True)
    (tmp_path / "child").mkdir()
    csv = tmp_path / "base" / "data" / "load.csv"
    csv.write_text("p\n" + "7\n" * 24)
    _write(tmp_path / "base", _tiny(loads__l__p_mw={"csv": "data/load.csv"}), "base.yaml")
    child = _write(tmp_path / "child", {"extends": "../base/base.yaml", "name": "c"}, "c.yaml")
    ls, ds = load_inputs(child)
    assert ds["load_p_mw"].values.ravel().tolist() == [7.0] * 24
    assert list(ls.input_files) == ["../base/data/load.csv"]
    before = ls.inputs_sha256
    csv.write_text("p\n" + "8\n" * 24)
    assert load_inputs(child)[0].inputs_sha256 != before


# --- horizon and supply -------------------------------------------------------------------------


def test_hours_beyond_the_horizon_refused(tmp_path):
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, _tiny()), hours=1000)
    assert "--hours: must be from 1 to the scenario's horizon, time.hours: 24" in str(exc.value)
    assert "(got 1000)" in str(exc.value)


def test_cli_run_hours_beyond_the_horizon(tmp_path):
    from click.testing import CliRunner

    from cli import main

    path = _write(tmp_path, _tiny())
    result = CliRunner().invoke(
        main, ["run", str(path), "--hours", "1000", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0
    assert "--hours: must be from 1 to the scenario's horizon" in result.output
    assert not (tmp_path / "o" / "summary.json").exists()


def test_bus_with_load_and_no_supply_is_named(tmp_path):
    """Bus b has a 5 MW load and nothing reaches it: every MWh would be unserved."""
    data = _tiny(
        buses={"a": {}, "b": {}},
        loads={"l": {"bus": "a", "p_mw": 10}, "m": {"bus": "b", "p_mw": 5}},
    )
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    assert f"{tmp_path / 's.yaml'}: buses.b: has load but nothing can supply it" in str(exc.value)
    data["lines"] = {"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 10}}
    load_inputs(_write(tmp_path, data))  # joined by a line: supplied from a


@pytest.mark.parametrize(
    "zone,clock",
    [
        ("Asia/Shanghai", "Asia/Shanghai"),  # no DST: the zone itself
        ("Asia/Kathmandu", "Asia/Kathmandu"),  # +05:45, no DST
        ("Europe/Berlin", "UTC+01:00"),  # CET, not CEST
        ("Australia/Lord_Howe", "UTC+10:30"),  # a 30-minute DST shift
        ("Pacific/Chatham", "UTC+12:45"),
        ("America/St_Johns", "UTC-03:30"),
        ("Europe/Dublin", "UTC+00:00"),  # winter (GMT) is the smaller offset
    ],
)
def test_clock_of_odd_zones(zone, clock):
    """Every IANA zone gives a clock whose 8760 hours are unique and consecutive (checked for
    all 599 zones once by hand; these are the odd ones)."""
    from gridopt.inputs import clock_zone

    start = pd.Timestamp("2025-01-01 00:00")
    assert clock_zone(zone, start, 8760) == clock
    idx = pd.date_range(start.tz_localize(clock), periods=8760, freq="h")
    naive = idx.tz_localize(None)
    assert naive.is_unique and naive.tz_localize(clock).equals(idx)
    # the numpy hours the inputs are resolved on are these hours (checked for every zone and
    # five starts 1905-2199 against pandas by hand, when they replaced the pandas index)
    from gridopt.data.clock import Hours, _clock

    hours = Hours("2025-01-01 00:00", 8760, *_clock(zone, "2025-01-01 00:00", 8760))
    utc = idx.tz_convert("UTC").tz_localize(None).values.astype("datetime64[ns]")
    assert hours.zone == clock and hours.index.equals(idx)
    assert np.array_equal(hours.local, naive.values) and hours.local.dtype == naive.dtype
    assert np.array_equal(hours.utc_ns, utc.view(np.int64))
    assert np.array_equal(hours.hour, idx.hour) and np.array_equal(hours.month, idx.month)


@pytest.mark.parametrize(
    "section, entry",
    [
        (
            "flexible_loads",
            {
                "bus": "b",
                "p_nominal_mw": 5,
                "band_down_fraction": 0.1,
                "band_up_fraction": 0.1,
                "window_h": 4,
            },
        ),
        (
            "hydrogen",
            {
                "bus": "b",
                "p_max_mw": 10,
                "kwh_per_kg": 50,
                "min_load_fraction": 0.2,
                "vom_cny_per_kg": 1.0,
                "tank_max_kg": 0,
                "sale_price_cny_per_kg": 10,
            },
        ),
    ],
)
def test_declared_demand_at_a_bus_without_supply_is_named(tmp_path, section, entry):
    """A flexible load, or a hydrogen plant kept at 20 % of 10 MW, at bus b, which nothing
    reaches: the declared demand (Family.demand) makes b a bus with load; without the flexible
    load's 5 MW, or with the plant's minimum load at 0, it is not."""
    data = _tiny(buses={"a": {}, "b": {}}, **{section: {"x": entry}})
    with pytest.raises(InputError, match=r"buses\.b: has load but nothing can supply it"):
        load_inputs(_write(tmp_path, data))
    key = "p_nominal_mw" if section == "flexible_loads" else "min_load_fraction"
    data[section]["x"][key] = 0
    try:
        load_inputs(_write(tmp_path, data))
    except InputError as exc:
        assert "nothing can supply" not in str(exc)
