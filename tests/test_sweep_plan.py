"""gridopt sweep without a solver or a cluster: parsing, dotted paths through the schema,
weather-year seeds, case ids, the price band (hand-computed) and the sweep.nc layout."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from gridopt.errors import InputError
from gridopt.scenario.load import read_merged
from gridopt.sweep import load_study, parse_seeds, parse_set, plan_sweep, price_bands, sweep_dataset
from gridopt.sweep.study import is_study_file, resolve_path, study_from_cli, synthetic_weather_paths
from tests.conftest import DEMO, ROOT

DEFAULT = ROOT / "scenarios" / "jiayuguan_jiuquan_2025.yaml"


def test_parse_set_reads_values_as_yaml():
    assert parse_set("fuels.coal.price_cny_per_t=500, 600.5,7e2") == (
        "fuels.coal.price_cny_per_t",
        [500, 600.5, 700.0],
    )
    assert parse_set("settings.power_flow=dc,transport") == (
        "settings.power_flow",
        ["dc", "transport"],
    )
    assert parse_set("storage.b.cyclic=true,false")[1] == [True, False]
    for bad in ("no_equals", "=1,2", "a.b=1,,2"):
        with pytest.raises(InputError):
            parse_set(bad)


def test_parse_seeds():
    assert parse_seeds("2025..2028") == [2025, 2026, 2027, 2028]
    assert parse_seeds("3,1,2") == [3, 1, 2]
    assert parse_seeds([5]) == [5]
    for bad in ("9..3", "a..b", "1,1", "-1"):
        with pytest.raises(InputError):
            parse_seeds(bad)


def test_resolve_path_through_schema_and_scenario():
    merged, _ = read_merged(DEFAULT)
    assert resolve_path("storage.battery_jyg.e_max_mwh", merged) == (
        "storage",
        "battery_jyg",
        "e_max_mwh",
    )
    # a schema field the file leaves at its default may be swept
    assert resolve_path("storage.battery_jyg.vom_cny_per_mwh", merged)[-1] == "vom_cny_per_mwh"
    assert resolve_path("settings.carbon_price_cny_per_t", merged) == (
        "settings",
        "carbon_price_cny_per_t",
    )
    # free mappings: solver options, generator parameters (checked by the generator itself)
    assert resolve_path("solver.options.time_limit", merged)[-1] == "time_limit"
    assert (
        resolve_path("renewables.wind_guazhou.availability.hub_height_m", merged)[-1]
        == "hub_height_m"
    )
    assert resolve_path("thermal.jiuquan_chp.must_run_mw.shape.3", merged)[-1] == 3


@pytest.mark.parametrize(
    "path, expected",
    [
        (
            "storage.battery_jy.e_max_mwh",
            "no entry 'battery_jy' under storage; valid keys there: battery_jyg, battery_wind, yumen_changma",
        ),
        (
            "storage.battery_jyg.e_max",
            "no field 'e_max' under storage.battery_jyg; valid keys there: bus, kind,",
        ),
        (
            "fuel.coal.price_cny_per_t",
            "no field 'fuel' under the top level of the scenario; valid keys there: name,",
        ),
        (
            "fuels.coal.price_cny_per_t.low",
            "fuels.coal.price_cny_per_t is a value (int), it has no key 'low'",
        ),
        (
            "thermal.jiuquan_chp.must_run_mw.shape.12",
            "no list position '12' under thermal.jiuquan_chp.must_run_mw.shape; valid keys there: 0..11",
        ),
        ("storage..e_max_mwh", "empty key"),
    ],
)
def test_bad_path_names_the_point_and_the_valid_keys(path, expected):
    merged, _ = read_merged(DEFAULT)
    with pytest.raises(InputError) as exc:
        resolve_path(path, merged)
    assert f"--set {path}" in str(exc.value) and expected in str(exc.value)


def test_synthetic_weather_paths_include_default_weather(tmp_path):
    merged, _ = read_merged(DEFAULT)
    assert len(synthetic_weather_paths(merged)) == 6  # 3 wind + 3 PV, all seed 2025
    data = {
        "a": {"generator": "wind", "site": "x"},
        "b": {"generator": "wind_simple", "seed": 1},
        "c": {"generator": "solar", "site": "x", "weather": "file.epw"},
        "d": [{"generator": "solar", "weather": "synthetic"}],
    }
    assert synthetic_weather_paths(data) == [("a",), ("d", 0)]


def test_weather_years_seed_every_synthetic_generator_alike():
    plan = plan_sweep(
        DEFAULT, [("fuels.coal.price_cny_per_t", [550, 650])], weather_years=3, hours=24
    )
    assert plan.weather_years == [2025, 2026, 2027] and len(plan.cases) == 6
    assert [c.weather_year for c in plan.cases] == [2025, 2026, 2027] * 2
    assert [c.position for c in plan.cases[:3]] == [(0, 0), (0, 1), (0, 2)]
    for c in plan.cases:
        seeds = {r["availability"]["seed"] for r in c.scenario["renewables"].values()}
        assert seeds == {c.weather_year}
        assert c.hours == 24
    assert len({c.case_id for c in plan.cases}) == 6
    # weather year 2025 is the scenario as it is: the same id as a sweep without weather years
    plain = plan_sweep(DEFAULT, [("fuels.coal.price_cny_per_t", [550])], hours=24)
    assert plain.cases[0].case_id == plan.cases[0].case_id and plain.cases[0].weather_year == 2025
    explicit = plan_sweep(DEFAULT, seeds=[7, 9], hours=24)
    assert [c.weather_year for c in explicit.cases] == [7, 9]


def test_case_id_is_a_hash_of_the_resolved_scenario_and_hours():
    a = plan_sweep(
        DEMO, [("storage.battery_jyg.e_max_mwh", [800, 800.0 + 1, 1600])], hours=24
    ).cases
    b = plan_sweep(DEMO, [("storage.battery_jyg.e_max_mwh", [800.0])], hours=24).cases
    c = plan_sweep(DEMO, hours=24).cases  # the demo's own battery is 800 MWh
    d = plan_sweep(DEMO, hours=48).cases
    assert a[0].case_id == b[0].case_id == c[0].case_id != d[0].case_id
    assert len({x.case_id for x in a}) == 3 and all(len(x.case_id) == 16 for x in a)
    horizon = yaml.safe_load(DEMO.read_text())["time"]["hours"]
    assert (
        plan_sweep(DEMO, hours=10_000).cases[0].hours == horizon
    )  # at most the scenario's horizon


def test_repeated_and_overlapping_sets_are_rejected():
    with pytest.raises(InputError) as exc:
        plan_sweep(
            DEMO,
            [
                ("fuels.coal.price_cny_per_t", [1, 1]),
                ("storage.battery_jyg", [{}]),
                ("storage.battery_jyg.e_max_mwh", [5]),
            ],
            hours=1,
        )
    text = str(exc.value)
    assert (
        "a value is repeated (got 1)" in text and "overlaps the set of storage.battery_jyg" in text
    )


def test_study_file(tmp_path):
    study = tmp_path / "study.yaml"
    study.write_text(
        yaml.safe_dump(
            {
                "scenario": str(DEMO),
                "sets": {"fuels.coal.price_cny_per_t": [500, 700]},
                "hours": 24,
                "out": "out",
                "workers": 1,
                "solver_options": {"time_limit": 600},
            }
        )
    )
    assert is_study_file(study) and not is_study_file(DEMO)
    kwargs, opts = study_from_cli(study, ["storage.battery_jyg.e_max_mwh=400"], hours=12)
    assert kwargs["sets"] == [
        ("fuels.coal.price_cny_per_t", [500, 700]),
        ("storage.battery_jyg.e_max_mwh", [400]),
    ]
    assert kwargs["hours"] == 12 and kwargs["solver_options"] == {"time_limit": 600}
    assert opts.out_dir == tmp_path / "out" and opts.workers == 1
    study.write_text(f"scenario: {DEMO}\nweather_years: 2\nseeds: [1]\n")
    with pytest.raises(InputError) as exc:
        load_study(study)
    assert "weather_years or seeds, not both" in str(exc.value)
    study.write_text(f"scenario: {DEMO}\nsets: {{a: []}}\nworkers: 0\n")
    with pytest.raises(InputError) as exc:
        load_study(study)
    assert "sets.a: List should have at least 1 item" in str(
        exc.value
    ) and "workers: Input should be greater than or equal to 1" in str(exc.value)


def test_price_bands_by_hand():
    """Five weather years 1..5 of one combination: numpy's linear interpolation gives
    P10 = 1 + 0.1 x 4 = 1.4, P50 = 3, P90 = 4.6; a failed case is left out."""
    table = pd.DataFrame(
        {
            "x": [1] * 6 + [2],
            "status": ["ok"] * 5 + ["failed", "ok"],
            "delivered_price_cny_per_kwh": [5.0, 1.0, 4.0, 2.0, 3.0, 100.0, 7.0],
            "avg_marginal_price_cny_per_mwh": [10, 20, 30, 40, 50, math.nan, 1.0],
        }
    )
    bands = price_bands(table, ["x"])
    assert list(bands["x"]) == [1, 2] and list(bands["n_weather_years"]) == [5, 1]
    assert bands.loc[
        0,
        [
            "delivered_price_cny_per_kwh_p10",
            "delivered_price_cny_per_kwh_p50",
            "delivered_price_cny_per_kwh_p90",
        ],
    ].tolist() == pytest.approx([1.4, 3.0, 4.6])
    assert bands.loc[0, "avg_marginal_price_cny_per_mwh_p90"] == pytest.approx(46.0)
    assert (
        bands.loc[1, "delivered_price_cny_per_kwh_p10"]
        == bands.loc[1, "delivered_price_cny_per_kwh_p90"]
        == 7.0
    )


def test_sweep_dataset_layout_without_solving(tmp_path: Path):
    plan = plan_sweep(
        DEFAULT,
        [("fuels.coal.price_cny_per_t", [550, 650]), ("settings.power_flow", ["dc", "transport"])],
        seeds=[1, 2, 3],
        hours=24,
    )
    rng = np.random.default_rng(0)
    rows = []
    for c in plan.cases:
        rows.append(
            {
                "case_id": c.case_id,
                **c.params,
                "weather_year": c.weather_year,
                "status": "ok",
                "delivered_price_cny_per_kwh": rng.uniform(0.2, 0.4),
                "cost_recovery_cny_per_mwh": 200.0,
                "avg_marginal_price_cny_per_mwh": rng.uniform(150, 250),
                "curtailment_mwh": 1.0,
                "emissions_t": 2.0,
                "unserved_energy_mwh": 0.0,
                "objective_cny": 3.0,
                "error": "",
            }
        )
    table = pd.DataFrame(rows)
    table.loc[5, "status"] = "failed"
    bands = price_bands(table, plan.params)
    ds = sweep_dataset(plan, table, bands)
    assert ds["delivered_price_cny_per_kwh"].dims == (
        "fuels.coal.price_cny_per_t",
        "settings.power_flow",
        "weather_year",
    )
    assert ds["delivered_price_cny_per_kwh"].shape == (2, 2, 3) and ds.sizes["case"] == 12
    assert list(ds["settings.power_flow"].values) == ["dc", "transport"]
    c = plan.cases[7]  # 550 is index 0? no: case 7 = (1, 0, 1): 650, dc, seed 2
    assert (
        c.params == {"fuels.coal.price_cny_per_t": 650, "settings.power_flow": "dc"}
        and c.weather_year == 2
    )
    cell = ds.sel(
        {"fuels.coal.price_cny_per_t": 650, "settings.power_flow": "dc", "weather_year": 2}
    )
    assert float(cell["delivered_price_cny_per_kwh"]) == table.loc[7, "delivered_price_cny_per_kwh"]
    assert str(cell["case_id"].values) == c.case_id
    assert ds["delivered_price_cny_per_kwh_band"].dims == (
        "quantile",
        "fuels.coal.price_cny_per_t",
        "settings.power_flow",
    )
    ok = table.loc[3:5][table.loc[3:5, "status"] == "ok"][
        "delivered_price_cny_per_kwh"
    ]  # 550/transport: one failed
    band = ds["delivered_price_cny_per_kwh_band"].sel(
        {"fuels.coal.price_cny_per_t": 550, "settings.power_flow": "transport"}
    )
    assert band.values.tolist() == pytest.approx(np.quantile(ok, [0.1, 0.5, 0.9]).tolist())
    assert (
        int(
            ds["n_weather_years"].sel(
                {"fuels.coal.price_cny_per_t": 550, "settings.power_flow": "transport"}
            )
        )
        == 2
    )
    assert list(ds["case_status"].values).count("failed") == 1
    assert list(ds["case_settings.power_flow"].values[:3]) == ["dc"] * 3
    from gridopt.io import write_netcdf

    write_netcdf(tmp_path / "sweep.nc", ds)  # dotted names are valid NetCDF-4 names


def test_bundled_export_capacity_study_plans_eight_cases():
    """scenarios/studies/export_capacity.yaml (the sensitivity in docs/default_scenario.md):
    4 export limits x 2 corridor limits = 8 cases, every one valid, the paths resolved relative
    to the study file (checked on a one-hour horizon; nothing is solved)."""
    from tests.conftest import ROOT

    study = ROOT / "scenarios" / "studies" / "export_capacity.yaml"
    kwargs, opts = study_from_cli(study, [], hours=1)
    assert kwargs["sets"] == [
        ("ties.gansu.export_max_mw", [6000, 8000, 10000, 12000]),
        ("lines.hexi_corridor.p_max_mw", [8000, 12000]),
    ]
    assert opts.out_dir.resolve() == (ROOT / "results" / "export_capacity").resolve()
    plan = plan_sweep(**kwargs)
    assert len(plan.cases) == 8 and len({c.case_id for c in plan.cases}) == 8


def test_case_id_covers_the_contents_of_referenced_files(tmp_path):
    """A scenario whose wind availability comes from wind.csv: planning twice gives the same
    ids; editing one value of the CSV gives new ids (a resumed sweep must not reuse cases
    solved on the old file); the scenario text itself never changed."""
    from tests.conftest import micro

    csv = tmp_path / "wind.csv"
    csv.write_text("timestamp,pu\n" + "".join(f"2025-03-20 0{h}:00,{0.1 * h}\n" for h in range(4)))
    data = micro(
        4,
        renewables={
            "w": {
                "bus": "a",
                "carrier": "wind",
                "p_nom_mw": 50,
                "availability": {"csv": "wind.csv", "column": "pu"},
            }
        },
        loads={"l": {"bus": "a", "p_mw": 10}},
        ties={
            "t": {
                "bus": "a",
                "import_max_mw": 100,
                "export_max_mw": 0,
                "import_price_cny_per_mwh": 300,
                "export_price_cny_per_mwh": 0,
            }
        },
    )
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    sets = [("renewables.w.p_nom_mw", [50, 60])]
    ids = [c.case_id for c in plan_sweep(path, sets).cases]
    assert ids == [c.case_id for c in plan_sweep(path, sets).cases] and len(set(ids)) == 2
    csv.write_text(
        "timestamp,pu\n"
        + "".join(f"2025-03-20 0{h}:00,{0.1 * h if h != 3 else 0.35}\n" for h in range(4))
    )
    assert [c.case_id for c in plan_sweep(path, sets).cases] != ids


def test_a_path_set_twice_on_the_command_line_is_rejected(tmp_path):
    """``--set P=500 --set P=700`` is an error naming the path and the one --set to write
    (docs/sweep.md); a --set of a path the study file sets replaces the file's values."""
    with pytest.raises(InputError) as exc:
        study_from_cli(
            DEMO, ["fuels.coal.price_cny_per_t=500,600", "fuels.coal.price_cny_per_t=700,600"]
        )
    assert str(exc.value) == (
        "--set fuels.coal.price_cny_per_t: the same path is given twice; give it once with all "
        "its values: --set fuels.coal.price_cny_per_t=500,600,700"
    )
    study = tmp_path / "study.yaml"
    study.write_text(f"scenario: {DEMO}\nsets: {{fuels.coal.price_cny_per_t: [500]}}\n")
    kwargs, _ = study_from_cli(study, ["fuels.coal.price_cny_per_t=700"])
    assert kwargs["sets"] == [("fuels.coal.price_cny_per_t", [700])]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_bad_or_dead_scheduler_is_one_line_within_seconds(tmp_path, monkeypatch):
    """A scheduler address that is not one, or where nothing listens, stops the sweep in a few
    seconds with one line naming --scheduler, before anything is planned; the folder of an
    earlier sweep is left as it was."""
    import time

    from click.testing import CliRunner

    import gridopt.sweep
    from cli import main

    def no_plan(*args, **kwargs):
        raise AssertionError("planned although the scheduler is unusable")

    monkeypatch.setattr(gridopt.sweep, "plan_sweep", no_plan)
    out = tmp_path / "earlier"
    out.mkdir()
    (out / "study.yaml").write_text("# the study of the cases already here\n")
    port = _free_port()
    for address, words in [
        ("nonsense", ["not a Dask scheduler address", "tcp://HOST:PORT"]),
        ("tcp://127.0.0.1:port", ["(the port port is not a number from 1 to 65535)"]),
        ("foo://127.0.0.1:8786", ["unknown scheme foo://"]),
        (f"tcp://127.0.0.1:{port}", [f"no Dask scheduler answers at 127.0.0.1:{port}", "refused"]),
    ]:
        t0 = time.perf_counter()
        res = CliRunner().invoke(
            main,
            [
                "sweep",
                str(DEMO),
                "--set",
                "fuels.coal.price_cny_per_t=500,700",
                "--out",
                str(out),
                "--scheduler",
                address,
            ],
        )
        assert time.perf_counter() - t0 < 5
        assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
        lines = res.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: --scheduler {address}: "), lines
        for w in words:
            assert w in lines[0], lines[0]
    assert [p.name for p in out.iterdir()] == ["study.yaml"]
    assert (out / "study.yaml").read_text() == "# the study of the cases already here\n"


def test_swept_values_are_named_as_a_person_writes_them():
    """A date YAML cannot read stays the text written (the schema then says what is wrong, not
    a ValueError from the YAML reader); an infinite value is shown as inf, not JSON's
    Infinity; null and booleans as YAML writes them."""
    path, values = parse_set("time.start=2025-13-01,2025-02-01")
    assert values[0] == "2025-13-01" and str(values[1]) == "2025-02-01"
    cases = {
        "time.start=2025-13-01": "--set time.start=2025-13-01: ",
        "storage.battery_jyg.e_max_mwh=1e400": "--set storage.battery_jyg.e_max_mwh=inf: ",
        "storage.battery_jyg.e_max_mwh=null": "--set storage.battery_jyg.e_max_mwh=null: ",
        "settings.power_flow=true": "--set settings.power_flow=true: ",
    }
    for text, head in cases.items():
        with pytest.raises(InputError) as exc:
            plan_sweep(DEMO, [parse_set(text)], hours=1)
        assert f"  - {head}" in str(exc.value), str(exc.value)


def test_study_file_read_like_a_scenario_file(tmp_path):
    """A study file with the same path twice under ``sets`` is refused naming both lines (YAML
    would keep the last); one saved by Chinese Notepad (GBK) is read."""
    study = tmp_path / "study.yaml"
    study.write_text(
        f"scenario: {DEMO}\nsets:\n  fuels.coal.price_cny_per_t: [500]\n"
        "  fuels.coal.price_cny_per_t: [700]\n"
    )
    with pytest.raises(InputError) as exc:
        study_from_cli(study)
    assert "sets.fuels.coal.price_cny_per_t" in str(exc.value) or "line 3" in str(exc.value)
    assert "line 4" in str(exc.value) and "twice" in str(exc.value)
    study.write_bytes(
        f"# 研究：煤价\nscenario: {DEMO}\nsets: {{fuels.coal.price_cny_per_t: [500]}}\n".encode(
            "gbk"
        )
    )
    kwargs, _ = study_from_cli(study)
    assert kwargs["sets"] == [("fuels.coal.price_cny_per_t", [500])]


def test_out_under_a_file_fails_before_planning(tmp_path, monkeypatch):
    """``sweep --out afile/sub`` (or a study's ``out:`` there): one line naming the folder,
    before any case is planned, and nothing created."""
    from click.testing import CliRunner

    import gridopt.sweep
    from cli import main

    def no_plan(*args, **kwargs):
        raise AssertionError("planned although the output folder cannot be written")

    monkeypatch.setattr(gridopt.sweep, "plan_sweep", no_plan)
    afile = tmp_path / "afile"
    afile.write_text("a file, not a folder")
    sets = ["--set", "fuels.coal.price_cny_per_t=500,700"]
    res = CliRunner().invoke(main, ["sweep", str(DEMO), *sets, "--out", str(afile / "sub")])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --out") and str(afile) in lines[0]
    study = tmp_path / "study.yaml"
    study.write_text(
        f"scenario: {DEMO}\nsets: {{fuels.coal.price_cny_per_t: [500]}}\nout: afile/x\n"
    )
    res = CliRunner().invoke(main, ["sweep", str(study)])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit), res.output
    assert str(afile) in res.stderr and len(res.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "study.yaml"]
