"""gridopt sweep on a tiny scenario (the demo grid, 24 h, synthetic weather): every case equals a
separate ``gridopt run``, an interrupted sweep resumes without recomputing, a real ``dask
scheduler`` with two ``dask worker`` processes, failing cases and workers, and bad ``--set``s
rejected before anything runs. The checks without a solver are in test_sweep_plan.py."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
import yaml
from click.testing import CliRunner

from cli import main
from gridopt.io import read_results
from gridopt.run import run_scenario
from gridopt.sweep import (
    Case,
    dask_client,
    plan_sweep,
    read_price_bands,
    run_case,
    run_sweep,
    sweep,
)
from tests.conftest import DEMO, ROOT

SETS = ["fuels.coal.price_cny_per_t=500,700", "storage.battery_jyg.e_max_mwh=400,800"]
SEEDS = "7..8"


def tiny_scenario(folder: Path) -> Path:
    """The demo grid for 24 h, with wind and PV from the synthetic weather of one site (seed 7)."""
    data = yaml.safe_load(DEMO.read_text())
    data["name"] = "tiny"
    data["time"]["hours"] = 24
    data["sites"] = {"jyg": {"latitude_deg": 39.77, "longitude_deg": 98.29, "altitude_m": 1660}}
    data["renewables"]["wind_guazhou"]["availability"] = {
        "generator": "wind",
        "site": "jyg",
        "weather": "synthetic",
        "seed": 7,
    }
    data["renewables"]["pv_jyg"]["availability"] = {
        "generator": "solar",
        "site": "jyg",
        "weather": "synthetic",
        "seed": 7,
    }
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return tiny_scenario(tmp_path_factory.mktemp("scenario"))


@pytest.fixture(scope="module")
def client():
    """One LocalCluster (two processes, one thread each) shared by the tests of this module."""
    with dask_client(workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def full(tiny, client, tmp_path_factory):
    """The reference sweep, uninterrupted: 2 coal prices x 2 battery sizes x 2 weather years."""
    out = tmp_path_factory.mktemp("full")
    return sweep(tiny, SETS, seeds=SEEDS, out=out, client=client), out


def _variant(tiny: Path, coal: float, e_max: float, seed: int) -> dict:
    data = yaml.safe_load(tiny.read_text())
    data["fuels"]["coal"]["price_cny_per_t"] = coal
    data["storage"]["battery_jyg"]["e_max_mwh"] = e_max
    data["renewables"]["wind_guazhou"]["availability"]["seed"] = seed
    data["renewables"]["pv_jyg"]["availability"]["seed"] = seed
    return data


def test_every_case_equals_a_separate_gridopt_run(tiny, full, tmp_path):
    """Cases solved alone from a scenario file with the case's values: the same objective,
    prices and price fields. Four of the eight cases (each value of each dimension at least
    twice); the first through ``gridopt run`` with the files compared, the others through
    ``run_scenario``, the same function, without writing."""
    result, out = full
    assert result.total == 8 and result.computed == 8 and not result.failed
    table = pd.read_csv(out / "sweep.csv")
    assert list(table.columns[:4]) == [
        "case_id",
        "fuels.coal.price_cny_per_t",
        "storage.battery_jyg.e_max_mwh",
        "weather_year",
    ]
    assert set(table["status"]) == {"ok"} and sorted(set(table["weather_year"])) == [7, 8]
    for k, row in enumerate(table.iloc[[0, 3, 5, 6]].itertuples(index=False)):
        coal, e_max, seed = row[1], row[2], row[3]
        data = _variant(tiny, coal, e_max, seed)
        case = out / "cases" / row.case_id
        assert yaml.safe_load((case / "scenario.yaml").read_text()) == data  # what was solved
        path = (
            tiny.parent / f"variant_{row.case_id}.yaml"
        )  # beside the original: same relative paths
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        mine = json.loads((case / "summary.json").read_text())
        prices = read_results(case / "results.nc")["price_cny_per_mwh"].values
        if k == 0:
            run_dir = tmp_path / row.case_id
            res = CliRunner().invoke(main, ["run", str(path), "--out", str(run_dir)])
            assert res.exit_code == 0, res.output
            theirs = json.loads((run_dir / "summary.json").read_text())
            their_prices = read_results(run_dir / "results.nc")["price_cny_per_mwh"].values
            assert (case / "prices.csv").read_text() == (run_dir / "prices.csv").read_text()
        else:
            alone = run_scenario(path)
            theirs, their_prices = alone.summary, alone.results["price_cny_per_mwh"].values
        assert mine["objective_cny"] == theirs["objective_cny"] == row.objective_cny
        assert np.array_equal(prices, their_prices)
        for key in (
            "delivered_price_cny_per_kwh",
            "cost_recovery_cny_per_mwh",
            "curtailment_mwh",
            "emissions_t",
        ):
            assert mine.get(key) == pytest.approx(theirs.get(key), rel=1e-12, abs=1e-12), key
        assert row.delivered_price_cny_per_kwh == pytest.approx(
            theirs["delivered_price_cny_per_kwh"], rel=1e-12
        )
        if "average_marginal_price_cny_per_mwh" in theirs:  # the same definition as gridopt.prices
            assert row.avg_marginal_price_cny_per_mwh == pytest.approx(
                theirs["average_marginal_price_cny_per_mwh"], rel=1e-9
            )


def test_weather_years_change_wind_and_pv_together(full):
    """Seed 8 changes both synthetic-weather generators; the case keeps them consistent."""
    _, out = full
    table = pd.read_csv(out / "sweep.csv")
    by_seed = {}
    for seed in (7, 8):
        cid = table[
            (table.weather_year == seed)
            & (table["fuels.coal.price_cny_per_t"] == 500)
            & (table["storage.battery_jyg.e_max_mwh"] == 400)
        ].case_id.item()
        r = read_results(out / "cases" / cid / "results.nc")
        by_seed[seed] = r["renewable_availability_pu"].to_pandas()
    assert not np.allclose(by_seed[7]["wind_guazhou"], by_seed[8]["wind_guazhou"])
    assert not np.allclose(by_seed[7]["pv_jyg"], by_seed[8]["pv_jyg"])


def test_tables_bands_and_dataset(full):
    _, out = full
    table = pd.read_csv(out / "sweep.csv")
    bands = pd.read_csv(out / "sweep_bands.csv")
    assert len(bands) == 4 and set(bands["n_weather_years"]) == {2}
    for b in bands.itertuples(index=False):
        sub = table[
            (table["fuels.coal.price_cny_per_t"] == b[0])
            & (table["storage.battery_jyg.e_max_mwh"] == b[1])
        ]
        v = np.sort(sub["delivered_price_cny_per_kwh"].to_numpy())
        # two weather years: linear interpolation, P10 = v0 + 0.1 (v1 - v0)
        assert b.delivered_price_cny_per_kwh_p10 == pytest.approx(v[0] + 0.1 * (v[1] - v[0]))
        assert b.delivered_price_cny_per_kwh_p50 == pytest.approx(v.mean())
        assert (
            b.delivered_price_cny_per_kwh_p10
            <= b.delivered_price_cny_per_kwh_p50
            <= b.delivered_price_cny_per_kwh_p90
        )
    ds = xr.load_dataset(out / "sweep.nc", engine="netcdf4")
    assert ds["delivered_price_cny_per_kwh"].dims == (
        "fuels.coal.price_cny_per_t",
        "storage.battery_jyg.e_max_mwh",
        "weather_year",
    )
    assert list(ds["weather_year"].values) == [7, 8] and ds.sizes["case"] == 8
    cell = ds["emissions_t"].sel(
        {"fuels.coal.price_cny_per_t": 700, "storage.battery_jyg.e_max_mwh": 800, "weather_year": 8}
    )
    row = table[
        (table["fuels.coal.price_cny_per_t"] == 700)
        & (table["storage.battery_jyg.e_max_mwh"] == 800)
        & (table.weather_year == 8)
    ]
    assert float(cell) == row.emissions_t.item()
    band = ds["delivered_price_cny_per_kwh_band"].sel(quantile=0.9)
    assert float(
        band.sel({"fuels.coal.price_cny_per_t": 500, "storage.battery_jyg.e_max_mwh": 400})
    ) == pytest.approx(bands.delivered_price_cny_per_kwh_p90[0])
    assert list(ds["case"].values) == list(table.case_id)
    from_report = read_price_bands(out)  # what the report reads
    pd.testing.assert_frame_equal(from_report, bands)
    assert from_report.attrs["parameters"] == [
        "fuels.coal.price_cny_per_t",
        "storage.battery_jyg.e_max_mwh",
    ]
    html = (out / "sweep.html").read_text(encoding="utf-8")
    assert "plotly" in html and "https://cdn" not in html.split("<body>")[0].lower()
    # the page (zh by default): both banded prices, the band table with its numbers, the font
    assert (
        html.count("Plotly.newPlot(") == 2
        and "<th>到户电价 [元/kWh] P90</th>" in html
        and "平均边际电价" in html
    )
    assert f"{bands.delivered_price_cny_per_kwh_p90[0]:,.4f}" in html and "@font-face" in html
    assert "8 个算例，8 个求解成功，0 个失败" in html


def test_killed_sweep_resumes_without_recomputing(tiny, client, full, tmp_path):
    """`gridopt sweep` killed with SIGKILL after two of eight cases, then run again: the cases
    already written are skipped (their files untouched), the rest solved, and the tables are
    identical to those of the uninterrupted sweep."""
    out = tmp_path / "sw"
    cmd = [
        sys.executable,
        "-m",
        "cli",
        "sweep",
        str(tiny),
        *sum((["--set", s] for s in SETS), []),
        "--seeds",
        SEEDS,
        "--out",
        str(out),
        "--workers",
        "1",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(out.glob("cases/*/summary.json"))) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, (
                "the sweep ended or stalled before two cases"
            )
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the client and its LocalCluster processes
        proc.wait(timeout=30)
    done = sorted(out.glob("cases/*/summary.json"))
    assert 2 <= len(done) < 8 and not (out / "sweep.csv").exists()
    stamps = {p: p.stat().st_mtime_ns for d in done for p in d.parent.iterdir()}

    again = sweep(tiny, SETS, seeds=SEEDS, out=out, client=client)
    assert again.failed == [] and again.skipped == len(done) and again.computed == 8 - len(done)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    _, ref = full
    pd.testing.assert_frame_equal(pd.read_csv(out / "sweep.csv"), pd.read_csv(ref / "sweep.csv"))
    pd.testing.assert_frame_equal(
        pd.read_csv(out / "sweep_bands.csv"), pd.read_csv(ref / "sweep_bands.csv")
    )
    a, b = (xr.load_dataset(d / "sweep.nc", engine="netcdf4") for d in (out, ref))
    xr.testing.assert_identical(a, b)

    third = sweep(out / "study.yaml")  # the study written into the folder reruns it: nothing left
    assert (third.skipped, third.computed) == (8, 0)


def test_interrupt_cancels_and_keeps_what_was_written(tiny, client, tmp_path):
    """Ctrl-C (KeyboardInterrupt) in the client after one case: raised again, the pending
    cases cancelled, the written case kept; the rerun solves only the others."""

    def stop_after_one(p):
        if p.computed >= 1:
            raise KeyboardInterrupt

    sets = ["fuels.coal.price_cny_per_t=510,520,530"]
    with pytest.raises(KeyboardInterrupt):
        sweep(tiny, sets, out=tmp_path, client=client, progress=stop_after_one)
    n = len(list(tmp_path.glob("cases/*/summary.json")))
    assert n >= 1
    again = sweep(tiny, sets, out=tmp_path, client=client)
    assert again.skipped >= n and again.skipped + again.computed == 3 and again.failed == []


def _raise_for_700(case: Case, options: dict, out_dir: str | None = None):
    """A task that raises on the worker (outside gridopt's error handling) for coal at 700."""
    if case.params["fuels.coal.price_cny_per_t"] == 700:
        raise RuntimeError("simulated worker failure")
    return run_case(case, options, out_dir)


def test_a_failing_task_is_recorded_and_retried_by_the_next_run(tiny, client, tmp_path):
    plan = plan_sweep(tiny, [("fuels.coal.price_cny_per_t", [500, 700])])
    r = run_sweep(plan, tmp_path, client=client, task=_raise_for_700)
    assert r.computed == 2 and len(r.failed) == 1 and "simulated worker failure" in r.failed[0][1]
    table = pd.read_csv(tmp_path / "sweep.csv")
    assert list(table.status) == ["ok", "failed"] and "RuntimeError" in table.error[1]
    assert (
        "simulated worker failure"
        in (tmp_path / "cases" / table.case_id[1] / "error.txt").read_text()
    )
    again = run_sweep(plan, tmp_path, client=client)
    assert (again.skipped, again.computed, again.failed) == (1, 1, [])
    assert list(pd.read_csv(tmp_path / "sweep.csv").status) == ["ok", "ok"]


def _write_into_a_file(case: Case, options: dict, out_dir: str | None = None):
    """A task whose worker cannot write the case folder: it writes under ``blocker``, a
    regular file in the sweep folder (as a worker that does not share the folder would fail)."""
    return run_case(case, options, str(Path(out_dir) / "blocker") if out_dir else None)


def test_why_a_worker_could_not_write_its_case_is_reported(tiny, client, tmp_path):
    """The worker's write fails (``blocker`` is a file): the reason travels back, this process
    writes the case instead, and the sweep's notes say why; a case this process cannot write
    either is a failed case with the reason, not a crash of the sweep."""
    plan = plan_sweep(tiny, [("fuels.coal.price_cny_per_t", [500])])
    (tmp_path / "blocker").write_text("a file, not a folder")
    r = run_sweep(plan, tmp_path, client=client, task=_write_into_a_file, shared_fs=True)
    assert (r.computed, r.failed) == (1, [])
    assert (tmp_path / "cases" / plan.cases[0].case_id / "summary.json").exists()
    why = f"{tmp_path / 'blocker'} is a file, not a folder"
    assert any(why in note and "1 case folder(s)" in note for note in r.notes), r.notes

    from gridopt.sweep.cases import CaseOutcome, _write_here

    outcome = _write_here(tmp_path / "blocker", plan.cases[0], CaseOutcome(plan.cases[0].case_id))
    assert not outcome.ok and outcome.error.startswith(
        f"could not write the case folder {tmp_path / 'blocker'}/cases/{plan.cases[0].case_id}: "
    )
    assert why in outcome.error


def test_a_failed_case_write_keeps_the_case_as_it_was(tiny, tmp_path, monkeypatch):
    """Writing a case's results fails midway (results.nc written, then prices.csv fails): the
    case folder keeps its earlier error.txt, gets no half-written files, and stays not done."""
    import gridopt.run
    from gridopt.sweep.cases import CaseOutcome, write_case

    plan = plan_sweep(tiny, [("fuels.coal.price_cny_per_t", [500])])
    case = plan.cases[0]
    d = write_case(tmp_path, case, CaseOutcome(case.case_id, error="an earlier failure"))
    before = {p.name: p.read_bytes() for p in d.iterdir()}
    solved = run_case(case, {})
    assert solved.ok

    def fail_midway(path, ds):
        (path.parent / "results.nc").write_bytes(b"half")
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(gridopt.run, "write_netcdf", fail_midway)
    with pytest.raises(OSError):
        write_case(tmp_path, case, solved)
    assert {p.name: p.read_bytes() for p in d.iterdir()} == before
    assert not (d / "summary.json").exists()


def test_a_sweep_that_cannot_start_keeps_the_earlier_study(tiny, tmp_path, monkeypatch):
    """The cluster does not come up: study.yaml of the sweep already in the folder (and the
    folder itself) are left as they were; study.yaml is rewritten only when cases run."""
    import contextlib

    import gridopt.sweep.run as runner
    from gridopt.errors import InputError, Problem

    @contextlib.contextmanager
    def no_cluster(*args, **kwargs):
        raise InputError(Problem("--scheduler tcp://head:8786", "no Dask scheduler answers"))
        yield

    monkeypatch.setattr(runner, "dask_client", no_cluster)
    out = tmp_path / "earlier"
    out.mkdir()
    (out / "study.yaml").write_text("# the study of the cases already here\n")
    with pytest.raises(InputError, match="no Dask scheduler answers"):
        sweep(tiny, ["fuels.coal.price_cny_per_t=510,520"], out=out)
    assert [p.name for p in out.iterdir()] == ["study.yaml"]
    assert (out / "study.yaml").read_text() == "# the study of the cases already here\n"


def test_failing_case_is_reported_and_the_rest_complete(tiny, client, tmp_path):
    """An iteration limit of 0 leaves HiGHS short of optimal in one of two cases: the CLI (on
    the module's LocalCluster through --scheduler, so this process writes the cases) records
    it, finishes the other and exits with 1."""
    out = tmp_path / "sw"
    res = CliRunner().invoke(
        main,
        [
            "sweep",
            str(tiny),
            "--lang",
            "en",
            "--set",
            "solver.options.simplex_iteration_limit=0,1000000",
            "--out",
            str(out),
            "--scheduler",
            client.scheduler.address,
        ],
    )
    assert res.exit_code == 1, res.output
    assert "2 case(s), 2 solved now, 0 already done, 1 failed" in res.output
    failed_lines = [ln for ln in res.output.splitlines() if ln.startswith("  FAILED")]
    assert len(failed_lines) == 1 and "Iteration limit reached" in failed_lines[0]
    assert "1/2 done, 0 running, 1 failed" in res.output  # the progress line
    table = pd.read_csv(out / "sweep.csv")
    assert list(table.status) == ["failed", "ok"]
    assert table.delivered_price_cny_per_kwh.isna().tolist() == [True, False]
    assert "Iteration limit reached" in table.error[0]
    cid = table.case_id[0]
    assert "Iteration limit reached" in (out / "cases" / cid / "error.txt").read_text()
    assert not (out / "cases" / cid / "summary.json").exists()


def test_bad_set_is_rejected_before_anything_runs(tiny, tmp_path, monkeypatch):
    import gridopt.sweep.run as runner

    def no_cluster(*a, **k):
        raise AssertionError("a cluster was started")

    monkeypatch.setattr(runner, "dask_client", no_cluster)
    out = tmp_path / "never"
    cases = {
        "storage.battery_jyg.e_max_mw=1,2": [
            "--set storage.battery_jyg.e_max_mw: no field 'e_max_mw' under storage.battery_jyg",
            "valid keys there: bus, kind, p_charge_max_mw",
            "e_max_mwh",
        ],
        "storage.battery_x.e_max_mwh=1": [
            "no entry 'battery_x' under storage; valid keys there: battery_jyg, pumped_hydro"
        ],
        "fuels.coal.price_cny_per_t.x=1": [
            "fuels.coal.price_cny_per_t is a value (int), it has no key 'x'"
        ],
        "storage.battery_jyg.e_max_mwh=-1,800": [
            "1 of 2 parameter combination(s) rejected",
            "--set storage.battery_jyg.e_max_mwh=-1: Input should be greater than or equal to 0 (got -1)",
        ],
        "fuels.coal.price_cny_per_t=600,cheap": [
            "--set fuels.coal.price_cny_per_t=cheap: Input should be a valid number"
        ],
        "settings.power_flow=dc,ac": [
            "--set settings.power_flow=ac: Input should be 'auto', 'transport' or 'dc'"
        ],
    }
    for text, expected in cases.items():
        res = CliRunner().invoke(main, ["sweep", str(tiny), "--set", text, "--out", str(out)])
        assert res.exit_code == 1, (text, res.output)
        assert "Traceback" not in res.output and "nothing was run" in res.output
        for e in expected:
            assert e in res.output, (text, res.output)
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "--weather-years", "3", "--out", str(out)])
    assert res.exit_code == 1 and "no generator with synthetic weather" in res.output
    res = CliRunner().invoke(
        main,
        [
            "sweep",
            str(tiny),
            "--lang",
            "en",
            "--set",
            "renewables.pv_jyg.availability.seed=1,2",
            "--weather-years",
            "2",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 1 and "which the weather years set" in res.output
    study = tmp_path / "study.yaml"
    study.write_text(
        f"scenario: {tiny}\nsets: {{fuels.coal.price_cny_per_t: [500]}}\nweather_yaers: 3\n"
    )
    res = CliRunner().invoke(main, ["sweep", str(study), "--out", str(out)])
    assert (
        res.exit_code == 1
        and "weather_yaers: unknown key" in res.output
        and "weather_years" in res.output
    )
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# a real Dask cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1
# ---------------------------------------------------------------------------------------------


def _dask_command(*args: str) -> list[str]:
    exe = shutil.which("dask")
    return [exe, *args] if exe else [sys.executable, "-m", "dask", *args]


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """Start a scheduler on a free port (``--port 0``, read back from its scheduler file) and
    two single-threaded workers; yields the address; kills every process group at the end.
    A case that kills its worker fails at once (allowed-failures 0) so the test stays short."""
    from dask.distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0",
    }
    procs: list[subprocess.Popen] = []
    logs = []

    def start(name: str, *args: str) -> None:
        log = open(folder / f"{name}.log", "w")  # noqa: SIM115 - closed at teardown
        logs.append(log)
        procs.append(
            subprocess.Popen(
                _dask_command(*args),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )

    try:
        sched_file = folder / "scheduler.json"
        start(
            "scheduler",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(sched_file),
        )
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            assert procs[0].poll() is None, (folder / "scheduler.log").read_text()
            time.sleep(0.2)
        address = json.loads(sched_file.read_text())["address"]
        for i in range(2):
            start(
                f"worker{i}",
                "worker",
                address,
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--name",
                f"w{i}",
                "--death-timeout",
                "60",
            )
        with Client(address, timeout=30) as c:
            c.wait_for_workers(2, timeout=90)
        yield address
    finally:
        for p in reversed(procs):  # workers first, then the scheduler
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in reversed(procs):
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=15)
        for log in logs:
            log.close()


def test_sweep_on_a_dask_scheduler_with_two_workers(tiny, full, dask_cluster, tmp_path):
    """The CLI with --scheduler: the same results as the LocalCluster sweep, solved outside
    this process. The battery is the scenario's own 800 MWh and the seed its own 7, so the
    cases are those of the reference sweep with e_max 800 and weather year 7: the same ids."""
    out = tmp_path / "sw"
    res = CliRunner().invoke(
        main,
        [
            "sweep",
            str(tiny),
            "--lang",
            "en",
            "--set",
            "fuels.coal.price_cny_per_t=500,700",
            "--scheduler",
            dask_cluster,
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "2 case(s), 2 solved now" in res.output
    _, ref = full
    table = pd.read_csv(out / "sweep.csv")
    ref_table = pd.read_csv(ref / "sweep.csv").set_index("case_id")
    for row in table.itertuples(index=False):
        assert row.weather_year == 7
        assert row.objective_cny == ref_table.loc[row.case_id, "objective_cny"]
        rec = json.loads((out / "cases" / row.case_id / "case.json").read_text())
        assert not rec["worker"].endswith(f":{os.getpid()}")


def _die_for_700(case: Case, options: dict, out_dir: str | None = None):
    """A task whose worker process dies (as if killed by the OOM killer) for coal at 700."""
    if case.params["fuels.coal.price_cny_per_t"] == 700:
        os._exit(1)
    return run_case(case, options, out_dir)


def test_a_dying_worker_is_recorded_and_the_rerun_completes(tiny, dask_cluster, tmp_path):
    from dask.distributed import Client

    plan = plan_sweep(tiny, [("fuels.coal.price_cny_per_t", [500, 700])])
    with Client(dask_cluster, timeout=30) as c:
        r = run_sweep(plan, tmp_path, client=c, task=_die_for_700)
        killed = plan.cases[1].case_id
        assert killed in dict(r.failed) and "KilledWorker" in dict(r.failed)[killed]
        assert "KilledWorker" in (tmp_path / "cases" / killed / "error.txt").read_text()
        c.wait_for_workers(2, timeout=60)  # the nanny restarts the worker
        again = run_sweep(plan, tmp_path, client=c)
    assert again.failed == [] and again.computed + again.skipped == 2
    assert list(pd.read_csv(tmp_path / "sweep.csv").status) == ["ok", "ok"]
