"""Every validation rule, triggered by a bad scenario; the message must name the field."""

from __future__ import annotations

import copy

import pytest
import yaml

from gridopt.errors import InputError
from gridopt.inputs import load_inputs

VALID = {
    "name": "v",
    "time": {"start": "2025-01-01 00:00", "hours": 4},
    "fuels": {"coal": {"price_cny_per_t": 600}},
    "sites": {"jyg": {"latitude_deg": 39.773, "longitude_deg": 98.288, "altitude_m": 1660}},
    "buses": {"a": {}, "b": {}},
    "lines": {"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 100}},
    "thermal": {
        "c": {
            "bus": "a",
            "fuel": "coal",
            "p_unit_mw": 100,
            "heat_rate_gce_per_kwh": 300,
            "min_stable_fraction": 0.4,
        }
    },
    "renewables": {
        "w": {"bus": "b", "carrier": "wind", "p_nom_mw": 50, "availability": [0.1, 0.2, 0.3, 0.4]}
    },
    "storage": {"s": {"bus": "a", "p_charge_max_mw": 10, "e_max_mwh": 40}},
    "loads": {"l": {"bus": "b", "p_mw": 30}},
    "flexible_loads": {"al": {"bus": "a", "p_nominal_mw": 20}},
    "interruptible_loads": {"i": {"bus": "a", "p_mw": 5, "cost_cny_per_mwh": 500}},
    "ties": {
        "t": {
            "bus": "a",
            "import_max_mw": 10,
            "export_max_mw": 10,
            "import_price_cny_per_mwh": 300,
            "export_price_cny_per_mwh": 200,
        }
    },
}


def _write(tmp_path, data, name="s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def _set(data: dict, dotted: str, value):
    node = data
    keys = dotted.split(".")
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    if value is _DELETE:
        node.pop(keys[-1])
    else:
        node[keys[-1]] = value


_DELETE = object()

CASES = [
    # (field path to change, new value, field path named in the message, words in the message)
    ("thermal.c.p_mx_mw", 3, "thermal.c.p_mx_mw", "unknown key"),
    ("thermal.c.p_unit_mw", _DELETE, "thermal.c.p_unit_mw", "missing"),
    (
        "thermal.c.min_stable_fraction",
        1.5,
        "thermal.c.min_stable_fraction",
        "less than or equal to 1",
    ),
    ("storage.s.eff_charge", 0, "storage.s.eff_charge", "greater than 0"),
    ("storage.s.eff_discharge", 1.2, "storage.s.eff_discharge", "less than or equal to 1"),
    ("storage.s.soc_min_fraction", 0.8, "storage.s", "soc_initial_fraction must lie between"),
    (
        "renewables.w.availability",
        [0.1, 0.2, 1.3, 0.4],
        "renewables.w.availability",
        "outside [0, 1]",
    ),
    ("renewables.w.availability", [0.1, 0.2], "renewables.w.availability", "series has 2 values"),
    ("loads.l.p_mw", "lots", "loads.l.p_mw", "not a valid hourly series"),
    ("loads.l.p_mw", -5, "loads.l.p_mw", "outside"),
    ("loads.l.bus", "zz", "loads.l.bus", "unknown bus"),
    ("lines.ab.bus1", "zz", "lines.ab.bus1", "unknown bus"),
    ("lines.ab.bus1", "a", "lines.ab", "two different buses"),
    (
        "renewables.ab",
        {"bus": "a", "carrier": "solar", "p_nom_mw": 1, "availability": 0.2},
        "renewables.ab",
        "name already used",
    ),
    ("thermal.c.fuel", "gas", "thermal.c.fuel", "unknown fuel"),
    (
        "renewables.w.availability",
        {"generator": "solar_simple", "bogus": 1},
        "renewables.w.availability.bogus",
        "unknown parameter; remove it or correct the spelling; valid keys here: generator, peak_pu",
    ),
    (
        "renewables.w.availability",
        {"generator": "nope"},
        "renewables.w.availability.generator",
        "unknown generator",
    ),
    (
        "renewables.w.availability",
        {"csv": "missing.csv"},
        "renewables.w.availability",
        "CSV file not found",
    ),
    ("settings.power_flow", "dc", "lines.ab.x_pu", "no reactance"),
    ("lines.ab.x_ohm", 20, "lines.ab.x_ohm", "x_ohm needs both buses at one voltage"),
    ("time.timezone", "Mars/Base", "time.timezone", "unknown time zone"),
    ("time.start", "2025-13-01", "time.start", "not a timestamp"),
    (
        "ties.t.export_price_cny_per_mwh",
        400,
        "ties.t.export_price_cny_per_mwh",
        "export price above import price",
    ),
    ("thermal.c.must_run_mw", 150, "thermal.c.must_run_mw", "above the available capacity"),
    (
        "flexible_loads.al.band_down_fraction",
        2,
        "flexible_loads.al.band_down_fraction",
        "less than or equal to 1",
    ),
    ("buses", {}, "buses", "at least 1"),
]


@pytest.mark.parametrize(
    "field,value,named,words", CASES, ids=[f"{c[0]}={c[1]!r}"[:60] for c in CASES]
)
def test_rule_names_the_field(tmp_path, field, value, named, words):
    data = copy.deepcopy(VALID)
    _set(data, field, value)
    path = _write(tmp_path, data)
    with pytest.raises(InputError) as exc:
        load_inputs(path)
    text = str(exc.value)
    line = next((ln for ln in text.splitlines() if f": {named}" in ln), None)
    assert line is not None, f"no message names {named!r}:\n{text}"
    assert str(path) in line
    assert words in line, line


def test_valid_scenario_passes(tmp_path):
    _, ds = load_inputs(_write(tmp_path, VALID))
    assert ds.sizes["time"] == 4 and ds.sizes["bus"] == 2


def test_every_problem_reported_at_once(tmp_path):
    """A schema error does not hide the cross-reference errors elsewhere in the file."""
    data = copy.deepcopy(VALID)
    data["thermal"]["c"]["min_stable_fraction"] = 2
    data["loads"]["l"]["bus"] = "nowhere"
    data["renewables"]["w"]["availability"] = [0.5, 0.5]
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    wheres = [p.where for p in exc.value.problems]
    assert any("thermal.c.min_stable_fraction" in w for w in wheres)
    assert any("loads.l.bus" in w for w in wheres)
    assert any("renewables.w.availability" in w for w in wheres)


def test_extends_overrides_key_by_key_and_null_removes(tmp_path):
    """The child changes one field of one unit and removes the tie; the rest is inherited."""
    _write(tmp_path, VALID, "base.yaml")
    child = {
        "extends": "base.yaml",
        "name": "child",
        "thermal": {"c": {"p_unit_mw": 250}},
        "ties": {"t": None},
    }
    _, ds = load_inputs(_write(tmp_path, child, "child.yaml"))
    assert ds.attrs["scenario"] == "child"
    assert float(ds["thermal_p_nom_mw"].sel(thermal="c")) == 250
    assert float(ds["thermal_min_stable_fraction"].sel(thermal="c")) == 0.4  # inherited
    assert ds.sizes["tie"] == 0


def test_error_in_base_file_names_the_base_file(tmp_path):
    bad = copy.deepcopy(VALID)
    bad["thermal"]["c"]["heat_rate_gce_per_kwh"] = -1
    base = _write(tmp_path, bad, "base.yaml")
    child = _write(tmp_path, {"extends": "base.yaml", "name": "child"}, "child.yaml")
    with pytest.raises(InputError) as exc:
        load_inputs(child)
    assert f"{base}: thermal.c.heat_rate_gce_per_kwh" in str(exc.value)


def test_extends_cycle_and_missing_base(tmp_path):
    _write(tmp_path, {"extends": "b.yaml", "name": "a"}, "a.yaml")
    _write(tmp_path, {"extends": "a.yaml", "name": "b"}, "b.yaml")
    with pytest.raises(InputError, match="cycle"):
        load_inputs(tmp_path / "a.yaml")
    with pytest.raises(InputError, match="not found"):
        load_inputs(_write(tmp_path, {"extends": "gone.yaml", "name": "c"}, "c.yaml"))


def test_yaml_syntax_error_names_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nbuses: {a: {}\n")
    with pytest.raises(InputError, match=r"line \d+, column \d+"):
        load_inputs(path)


def test_csv_series_is_read_and_bad_rows_named(tmp_path):
    """A CSV series: one numeric column, one row per hour; a non-number names its row."""
    (tmp_path / "wind.csv").write_text(
        "timestamp,pu\n" + "".join(f"2025-01-01 0{h}:00,{0.1 * h}\n" for h in range(4))
    )
    data = copy.deepcopy(VALID)
    data["renewables"]["w"]["availability"] = {"csv": "wind.csv", "column": "pu"}
    _, ds = load_inputs(_write(tmp_path, data))
    assert ds["renewable_availability_pu"].sel(renewable="w").values.tolist() == pytest.approx(
        [0, 0.1, 0.2, 0.3]
    )
    (tmp_path / "bad.csv").write_text("pu\n0.1\n0.2\nx\n0.4\n")
    data["renewables"]["w"]["availability"] = {"csv": "bad.csv"}
    with pytest.raises(InputError) as exc:
        load_inputs(_write(tmp_path, data))
    assert "bad.csv: row 4, column pu: not a number (got 'x')" in str(exc.value)
