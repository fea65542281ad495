"""What `gridopt run` writes: every phase timed, nothing lost when writing fails, timestamps in
any zone, and where demand was not served."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

import gridopt.run
from gridopt.errors import InputError, SolveError
from gridopt.run import RunResult, run_scenario, write_outputs
from tests.conftest import micro


def coal(bus: str, p_mw: float, **kw) -> dict:
    return {"bus": bus, "fuel": "coal", "p_unit_mw": p_mw, "heat_rate_gce_per_kwh": 300, **kw}


def _scenario(tmp_path, load_mw=50.0, **time) -> object:
    data = micro(3, thermal={"c": coal("a", 100)}, loads={"l": {"bus": "a", "p_mw": load_mw}})
    data["time"].update(time)
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_summary_times_every_phase_including_the_write(tmp_path):
    """summary.json is written last, with the time spent writing results.nc and prices.csv."""
    run_scenario(_scenario(tmp_path), tmp_path / "out")
    t = json.loads((tmp_path / "out" / "summary.json").read_text())["timings_s"]
    assert set(t) == {"inputs", "build", "handoff", "solve", "extract", "write"}
    assert t["write"] > 0


@pytest.mark.parametrize("failing", ["atomic_write", "write_json"])
def test_a_failed_write_leaves_the_earlier_results_intact(tmp_path, monkeypatch, failing):
    """Results of a first run (load 50 MW) are in the folder; a second run (load 80 MW) fails
    while writing prices.csv (midway) or summary.json (last; the disk fills up). The folder then
    holds exactly the first run's files, byte for byte, with no half-written or temporary
    file."""
    out = tmp_path / "out"
    run_scenario(_scenario(tmp_path), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == {"results.nc", "prices.csv", "summary.json", "scenario_resolved.yaml"}

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(gridopt.run, failing, disk_full)
    with pytest.raises(OSError, match="No space"):
        run_scenario(_scenario(tmp_path, load_mw=80.0), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_out_that_cannot_be_written_is_refused_before_solving(tmp_path, monkeypatch):
    """--out inside a file: one clear error naming the folder, before anything is solved."""
    (tmp_path / "afile").write_text("not a folder")

    def no_solve(*args, **kwargs):
        raise AssertionError("solved before checking --out")

    monkeypatch.setattr(gridopt.run, "solve_inputs", no_solve)
    with pytest.raises(InputError, match=r"--out: cannot write results in this folder: .*afile"):
        run_scenario(_scenario(tmp_path), tmp_path / "afile" / "sub")


def test_a_failed_solve_creates_no_folder(tmp_path):
    """An infeasible scenario (out of service in hour 0, must run 50 of its 100 MW in hour 1,
    ramping at most 20 MW/h) writes nothing, not even an empty results folder."""
    unit = coal("a", 100, availability=[0, 1], must_run_mw=[0, 50], ramp_up_fraction_per_h=0.2)
    data = micro(2, thermal={"c": unit})
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(SolveError, match=r"thermal.c at 2025-03-20 01:00: output >= 50 MW"):
        run_scenario(path, tmp_path / "new" / "out")
    assert not (tmp_path / "new").exists()


def test_horizon_across_the_dst_fall_back_writes_every_hour_once(tmp_path):
    """Europe/Berlin, 2025-10-26 00:00, 24 hours: the clocks go back at 03:00 CEST. gridopt
    lays the hours out in standard time (UTC+01:00), so prices.csv has 24 distinct
    timestamps one hour apart, all +01:00."""
    run_scenario(
        _scenario(tmp_path, start="2025-10-26 00:00", hours=24, timezone="Europe/Berlin"),
        tmp_path / "out",
        hours=24,
    )
    csv = pd.read_csv(tmp_path / "out" / "prices.csv")
    stamps = pd.to_datetime(csv["timestamp"], utc=True)
    assert len(stamps) == 24 and stamps.is_unique
    assert (stamps.diff().iloc[1:] == pd.Timedelta(hours=1)).all()
    assert csv["timestamp"].str.endswith("+01:00").all()


def test_results_in_local_summer_and_winter_clock_time_are_written(tmp_path):
    """Results laid out in a zone's local clock time (as gridopt wrote them before hours were
    laid out in standard time): the fall-back repeats 02:00. Writing them must not crash;
    the repeated hour is first +02:00 (summer time), then +01:00."""
    out = run_scenario(_scenario(tmp_path, hours=3))
    r = out.results
    local = pd.DatetimeIndex(["2025-10-26 01:00", "2025-10-26 02:00", "2025-10-26 02:00"])
    r = r.assign_coords(time=local)
    r.attrs["timezone"] = "Europe/Berlin"
    write_outputs(RunResult(r, out.summary), tmp_path / "old")
    stamps = pd.read_csv(tmp_path / "old" / "prices.csv")["timestamp"].tolist()
    assert stamps == [
        "2025-10-26 01:00:00+02:00",
        "2025-10-26 02:00:00+02:00",
        "2025-10-26 02:00:00+01:00",
    ]


def _short_of_supply_at_b(tmp_path):
    """Coal of 100 MW at a with 20 MW of load there; b draws 50, 150, 50 MW over a 60 MW line."""
    data = micro(
        3,
        buses={"a": {}, "b": {}},
        lines={"ab": {"bus0": "a", "bus1": "b", "p_max_mw": 60}},
        thermal={"c": coal("a", 100)},
        loads={"la": {"bus": "a", "p_mw": 20}, "lb": {"bus": "b", "p_mw": [50, 150, 50]}},
    )
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_unserved_energy_says_where_and_when(tmp_path):
    """Coal of 100 MW at a with 20 MW of load there; b draws 50, 150, 50 MW over a 60 MW line.
    Hours 0 and 2: b gets its 50 MW. Hour 1: b gets 60 MW, 90 MW are not served. Summary and
    progress name bus b, 90 MWh, the hour and the peak; a is not listed."""
    path = _short_of_supply_at_b(tmp_path)
    said: list[str] = []
    out = run_scenario(path, progress=said.append)
    by_bus = out.summary["unserved_energy_by_bus"]
    assert list(by_bus) == ["b"]
    assert by_bus["b"]["mwh"] == pytest.approx(90)
    assert by_bus["b"]["hours"] == 1 and by_bus["b"]["peak_hour"] == "2025-03-20 01:00"
    assert "UNSERVED ENERGY: bus b: 90.0 MWh not served at 2025-03-20 01:00 (peak 90.0 MW)" in said


def test_cli_names_the_bus_with_unserved_energy(tmp_path):
    """The same network from the command line: the run summary under the red warning names
    bus b and its 90 MWh (the hand figure of the test above)."""
    from click.testing import CliRunner

    from cli import main

    path = _short_of_supply_at_b(tmp_path)
    res = CliRunner().invoke(
        main, ["run", str(path), "--out", str(tmp_path / "out"), "--lang", "en"]
    )
    assert res.exit_code == 0, res.output
    summary_part = res.stdout.split("WARNING: 90.0 MWh of demand NOT SERVED")[1]
    assert "bus b: 90.0 MWh not served at 2025-03-20 01:00 (peak 90.0 MW)" in summary_part


@pytest.mark.parametrize("command", ["run", "tenant", "sweep"])
def test_misspelt_solver_option_fails_before_the_model_is_built(tmp_path, monkeypatch, command):
    """A HiGHS option HiGHS does not know stops run, tenant and sweep before any model is built
    (before: run and tenant built the model first; a sweep failed every case on its worker)."""
    from click.testing import CliRunner

    import gridopt.model
    from cli import main

    def no_build(*args, **kwargs):
        raise AssertionError("the model was built before the options were checked")

    monkeypatch.setattr(gridopt.model, "build", no_build)
    for where in ("gridopt.run.build", "gridopt.tenant.study.build", "gridopt.tenant.warm.build"):
        monkeypatch.setattr(where, no_build)
    data = micro(3, thermal={"c": coal("a", 100)}, loads={"l": {"bus": "a", "p_mw": 50}})
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    extra = {
        "run": [],
        "tenant": ["flat:p_mw=10", "--no-report"],
        "sweep": ["--set", "loads.l.p_mw=40,50"],
    }[command]
    args = [command, str(path), *extra, "--out", str(tmp_path / "out")]
    res = CliRunner().invoke(main, [*args, "--solver-option", "no_such_option=1"])
    assert res.exit_code == 1, res.output
    assert "HiGHS rejected option no_such_option=1" in res.output
    assert not (tmp_path / "out" / "cases").exists()


def test_the_resolved_scenario_is_kept_with_the_results(tmp_path):
    """scenario_resolved.yaml in the results folder is the scenario as read, every default
    filled in: validated again it is the same scenario (its defaults, e.g. the VOLL the file
    leaves out, written out), so the folder says what produced its results."""
    from gridopt.scenario.load import read_yaml, scenario_from_dict

    out = tmp_path / "out"
    res = run_scenario(_scenario(tmp_path), out)
    kept = read_yaml(out / "scenario_resolved.yaml")
    assert kept == res.scenario
    assert "voll_cny_per_mwh" in kept["settings"]  # a default the scenario file does not set
    again = scenario_from_dict(kept, out / "scenario_resolved.yaml")
    assert again.scenario.model_dump(mode="json") == kept
    text = (out / "scenario_resolved.yaml").read_text(encoding="utf-8")
    assert text.startswith("# The scenario as gridopt read it")
