"""Year-long benchmark: time of each phase (inputs, build, hand-off, solve, extraction) and
peak memory, for a scenario file or for the synthetic reference network.

The reference network matches the one in ../shared/PERFORMANCE.md: 5 buses in a ring with a
chord, 46 generators (16 wind, 16 PV, 12 coal clusters with ramp limits and minimum stable
output, 1 interruptible "load shedding" block, 1 provincial tie), 5 batteries, 8760 hours.

    python benchmarks/bench_year.py                      # the reference network
    python benchmarks/bench_year.py scenarios/demo_small.yaml
    python benchmarks/bench_year.py --hours 2190 --json bench.json
    python benchmarks/bench_year.py --plan               # the reference network, planned
    python benchmarks/bench_year.py --vs-pypsa           # the default scenario, gridopt beside PyPSA

``--vs-pypsa`` (needs the ``bench`` extra: ``pip install -e ".[bench]"``) solves the scenario
(default: the bundled ``jiayuguan_jiuquan_2025``) end to end with ``gridopt run`` and with the
same LP built in PyPSA (benchmarks/pypsa_network.py, from gridopt's input Dataset), each in its
own subprocess (so each peak memory is its own), alternately, ``--repeat`` times, and prints
the medians of wall time, peak memory and HiGHS time, the LP sizes and the ratios
gridopt/PyPSA; the objectives (without gridopt's tie-break on lossy lines) must agree to 1e-6.

Not a test: times vary about +-10 % run to run on shared machines; compare within one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gridopt.keyvalue import read_scalar, split_pair  # noqa: E402
from gridopt.run import peak_memory_mb, run_scenario  # noqa: E402


def reference_scenario(hours: int, commitment: bool = False) -> dict:
    """The synthetic 5-bus reference network (every figure an assumption for benchmarking).

    Without ``commitment`` the coal clusters have ramp limits only, as in PERFORMANCE.md's
    reference LP; with it they also get 40 % minimum stable output and start-up costs
    (the linearised unit commitment adds two variables and three rows per cluster-hour).
    """
    buses = [f"b{i}" for i in range(5)]
    lines = {
        f"l{i}": {
            "bus0": buses[i],
            "bus1": buses[(i + 1) % 5],
            "p_max_mw": 1500,
            "x_pu": 0.02 + 0.005 * i,
        }
        for i in range(5)
    }
    lines["chord"] = {"bus0": "b0", "bus1": "b2", "p_max_mw": 1000, "x_pu": 0.035}
    renew = {}
    for i in range(16):
        renew[f"wind{i}"] = {
            "bus": buses[i % 5],
            "carrier": "wind",
            "p_nom_mw": 500,
            "availability": {"generator": "wind_simple", "seed": i, "period_h": 50 + 7 * i},
        }
        renew[f"pv{i}"] = {
            "bus": buses[(i + 2) % 5],
            "carrier": "solar",
            "p_nom_mw": 400,
            "availability": {"generator": "solar_simple", "peak_pu": 0.7 + 0.01 * i},
        }
    thermal = {
        f"coal{i}": {
            "bus": buses[i % 5],
            "fuel": "coal",
            "n_units": 2,
            "p_unit_mw": 330,
            "ramp_up_fraction_per_h": 0.3,
            "ramp_down_fraction_per_h": 0.3,
            "heat_rate_gce_per_kwh": 300 + 2 * i,
            "vom_cny_per_mwh": 15,
        }
        for i in range(12)
    }
    if commitment:
        for t in thermal.values():
            t.update(min_stable_fraction=0.4, startup_cost_cny_per_mw=300)
    storage = {
        f"bat{i}": {"bus": buses[i], "p_charge_max_mw": 300, "e_max_mwh": 1200} for i in range(5)
    }
    shape = [
        0.8,
        0.75,
        0.72,
        0.7,
        0.7,
        0.75,
        0.85,
        0.95,
        1.0,
        1.0,
        1.0,
        0.98,
        0.95,
        0.95,
        0.97,
        1.0,
        1.02,
        1.08,
        1.15,
        1.2,
        1.15,
        1.05,
        0.95,
        0.85,
    ]
    loads = {
        f"load{i}": {"bus": b, "p_mw": {"generator": "daily_shape", "base": 1600, "shape": shape}}
        for i, b in enumerate(buses)
    }
    return {
        "name": "bench_reference_5bus" + ("_uc" if commitment else ""),
        "time": {"start": "2025-01-01 00:00", "hours": hours},
        "fuels": {"coal": {"price_cny_per_t": 600}},
        "buses": {b: {} for b in buses},
        "lines": lines,
        "thermal": thermal,
        "renewables": renew,
        "storage": storage,
        "loads": loads,
        "interruptible_loads": {"shedding": {"bus": "b0", "p_mw": 500, "cost_cny_per_mwh": 3000}},
        "ties": {
            "gansu": {
                "bus": "b1",
                "import_max_mw": 2000,
                "export_max_mw": 2000,
                "import_price_cny_per_mwh": {"generator": "gansu_tou", "flat_cny_per_mwh": 307.8},
                "export_price_cny_per_mwh": {"generator": "gansu_tou", "flat_cny_per_mwh": 250},
            }
        },
    }


def expandable(data: dict) -> dict:
    """The reference network with every grid family's capacity open to a plan (figures are
    assumptions for benchmarking): each wind and PV farm may double, each battery may add
    300 MW and 2,400 MWh (duration 2-8 h), each coal cluster may retire, each line may add
    1,000 MW at 1,000 CNY/kW, the tie may add 2,000 MW."""
    for r in data["renewables"].values():
        r["new_max_mw"] = r["p_nom_mw"]
    for s in data["storage"].values():
        s.update(new_max_mw=300, new_max_mwh=2400, duration_min_h=2, duration_max_h=8)
    for t in data["thermal"].values():
        t["retirable"] = True
    for ln in data["lines"].values():
        ln.update(new_max_mw=1000, economics={"capex_cny_per_kw": 1000})
    for tie in data["ties"].values():
        tie["new_max_mw"] = 2000
    data["name"] += "_plan"
    return data


DEFAULT_SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "jiayuguan_jiuquan_2025.yaml"


def child(kind: str, path: Path, hours: int | None) -> None:
    """One side of ``--vs-pypsa`` in this (fresh) process: print one JSON line."""
    out = Path(tempfile.mkdtemp())
    t0 = time.perf_counter()
    if kind == "gridopt":  # as `gridopt run`: inputs, build, hand-off, solve, extract, write
        s = run_scenario(path, out, hours=hours).summary
        fig = {
            "objective_cny": s["objective_cny"],
            "highs_s": s["timings_s"]["solve"],
            "lp": s["lp_size"],
            "timings_s": s["timings_s"],
        }
    else:  # gridopt's inputs, PyPSA's model and solve, the network written as NetCDF
        import pypsa

        from benchmarks import pypsa_network
        from gridopt.inputs import load_inputs
        from gridopt.model.network import TIE_BREAK_PER_VOLL

        pypsa.options.api.legacy_string_dtype = True
        _, ds = load_inputs(path, hours)
        r = pypsa_network.solve(ds)
        n = r.pop("network")
        tie_break = TIE_BREAK_PER_VOLL * float(ds["voll_cny_per_mwh"])
        n.export_to_netcdf(out / "network.nc")
        fig = {
            "objective_cny": r["objective"] - tie_break * float(n.links_t.p0.to_numpy().sum()),
            "highs_s": r.get("highs_time_s", float("nan")),
            "lp": {"rows": r["rows"], "columns": r["columns"], "nonzeros": r.get("nonzeros", 0)},
        }
    fig.update(inner_s=time.perf_counter() - t0, peak_memory_mb=peak_memory_mb())
    shutil.rmtree(out, ignore_errors=True)  # the results were written to be timed, not kept
    print("RESULT " + json.dumps(fig))


PHASES = ("inputs", "build", "handoff", "solve", "extract", "write")
"""gridopt's phases as ``gridopt run`` times them (summary.json ``timings_s``)."""

GOALS = (("wall", 0.5), ("peak memory", 0.5), ("not the solve / solve", 0.3))
"""Issue 15's goals: gridopt/PyPSA wall time and peak memory, and gridopt's time outside the
HiGHS solve against the solve."""


def vs_pypsa(path: Path, hours: int | None, repeat: int, json_path: Path | None = None) -> None:
    """gridopt and PyPSA alternately, each in its own subprocess; medians and ratios."""
    try:
        import pypsa  # noqa: F401
    except ImportError:
        sys.exit(
            "--vs-pypsa needs PyPSA: install the benchmark extra, "
            'pip install -e ".[bench]" (pypsa>=0.30)'
        )
    runs: dict[str, list[dict]] = {"gridopt": [], "pypsa": []}
    for i in range(repeat):
        for kind in ("gridopt", "pypsa"):
            cmd = [sys.executable, __file__, str(path), "--child", kind]
            if hours:
                cmd += ["--hours", str(hours)]
            t0 = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            lines = [x for x in done.stdout.splitlines() if x.startswith("RESULT ")]
            if done.returncode or not lines:
                sys.exit(f"{kind} failed:\n{done.stderr[-3000:]}")
            fig = json.loads(lines[-1][len("RESULT ") :])
            fig["wall_s"] = wall
            runs[kind].append(fig)
            print(
                f"  run {i + 1} {kind:<8} wall {wall:6.1f} s, HiGHS {fig['highs_s']:6.1f} s, "
                f"peak {fig['peak_memory_mb']:6.0f} MB",
                flush=True,
            )
    g, p = runs["gridopt"], runs["pypsa"]
    rel = abs(g[0]["objective_cny"] - p[0]["objective_cny"]) / abs(g[0]["objective_cny"])
    print(
        f"\n{path.name}, {hours or 'all'} h, {repeat} runs each, medians; objective "
        f"{g[0]['objective_cny']:,.2f} CNY (gridopt) vs {p[0]['objective_cny']:,.2f} CNY "
        f"(PyPSA): relative difference {rel:.1e}" + ("" if rel <= 1e-6 else "  ** ABOVE 1e-6 **")
    )
    print(f"{'':<18}{'gridopt':>14}{'PyPSA':>14}{'gridopt/PyPSA':>15}")
    for label, key, fmt in (
        ("wall [s]", "wall_s", "{:14.1f}"),
        ("peak memory [MB]", "peak_memory_mb", "{:14.0f}"),
        ("HiGHS [s]", "highs_s", "{:14.1f}"),
    ):
        a = statistics.median(x[key] for x in g)
        b = statistics.median(x[key] for x in p)
        print(f"{label:<18}" + fmt.format(a) + fmt.format(b) + f"{a / b:15.2f}")
    for key in ("rows", "columns", "nonzeros"):
        a, b = g[0]["lp"][key], p[0]["lp"][key]
        print(f"{'LP ' + key:<18}{a:14,}{b:14,}{a / b if b else float('nan'):15.2f}")
    med = {k: statistics.median(x["timings_s"].get(k, 0.0) for x in g) for k in PHASES}
    wall = statistics.median(x["wall_s"] for x in g)
    around = sum(med[k] for k in PHASES if k != "solve")
    startup = wall - sum(med.values())  # interpreter start and imports, before the clock
    print(
        "\ngridopt phases (median) [s]: "
        + ", ".join(f"{k} {med[k]:.2f}" for k in PHASES)
        + f"; start-up and imports {startup:.2f}"
    )
    ratios = {
        "wall": wall / statistics.median(x["wall_s"] for x in p),
        "peak memory": statistics.median(x["peak_memory_mb"] for x in g)
        / statistics.median(x["peak_memory_mb"] for x in p),
        "not the solve / solve": (around + startup) / med["solve"],
    }
    print(
        f"not the solve: {around:.2f} s of phases + {startup:.2f} s start-up = "
        f"{around + startup:.2f} s against a {med['solve']:.2f} s solve"
    )
    for name, goal in GOALS:
        ok = "met" if ratios[name] <= goal else "NOT MET"
        print(f"  goal {name:<24} <= {goal:.1f}: {ratios[name]:.2f}  {ok}")
    if json_path is not None:
        json_path.write_text(
            json.dumps(
                {
                    "scenario": path.name,
                    "hours": hours,
                    "repeat": repeat,
                    "gridopt": g,
                    "pypsa": p,
                    "gridopt_phases_median_s": med,
                    "gridopt_startup_s": startup,
                    "ratios": ratios,
                    "goals": dict(GOALS),
                },
                indent=2,
            )
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "scenario", nargs="?", help="scenario file (default: the synthetic reference network)"
    )
    ap.add_argument(
        "--hours",
        type=int,
        default=None,
        help="horizon (default: the scenario's, 8760 for the reference)",
    )
    ap.add_argument(
        "--commitment",
        action="store_true",
        help="reference network with minimum stable output and start-up costs",
    )
    ap.add_argument(
        "--json", type=Path, default=None, help="also write the figures to this JSON file"
    )
    ap.add_argument(
        "--plan",
        action="store_true",
        help="solve a plan (gridopt plan) instead of the dispatch; the reference network with "
        "its capacities open (see expandable)",
    )
    ap.add_argument(
        "--solver-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="HiGHS option, repeatable (e.g. solver=ipm run_crossover=off), as in gridopt run",
    )
    ap.add_argument(
        "--vs-pypsa",
        action="store_true",
        help="solve the scenario (default: the bundled default) with gridopt and with the same "
        "LP in PyPSA, alternately, and print the ratios (needs the bench extra)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs of each side with --vs-pypsa")
    ap.add_argument("--child", choices=("gridopt", "pypsa"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    options = {}
    for pair in args.solver_option:
        kv = split_pair(pair)
        if kv is None:
            ap.error(f"--solver-option {pair!r}: write it as key=value, e.g. solver=ipm")
        options[kv[0]] = read_scalar(kv[1])
    if args.child:
        child(args.child, Path(args.scenario), args.hours)
        return
    if args.vs_pypsa:
        vs_pypsa(Path(args.scenario or DEFAULT_SCENARIO), args.hours, args.repeat, args.json)
        return

    if args.scenario:
        path = Path(args.scenario)
    else:
        path = Path(tempfile.mkdtemp()) / "bench_reference_5bus.yaml"
        data = reference_scenario(args.hours or 8760, args.commitment)
        path.write_text(yaml.safe_dump(expandable(data) if args.plan else data))
    t0 = time.perf_counter()
    out = run_scenario(
        path,
        hours=args.hours,
        solver_options=options or None,
        progress=lambda s: print(f"  [{time.perf_counter() - t0:6.1f} s] {s}", flush=True),
        plan=args.plan,
        baseline=False,  # the plan alone (gridopt plan also solves the dispatch as it is)
    )
    total = time.perf_counter() - t0
    s = out.summary
    t = s["timings_s"]
    overhead = t["build"] + t["handoff"] + t["extract"]
    r = out.results
    n_cols = sum(int(r[v].size) for v in r.data_vars if r[v].attrs.get("role") == "result")
    print(
        f"\nscenario {s['scenario']}: {s['hours']} h, {r.sizes['bus']} buses, "
        f"{r.sizes['thermal'] + r.sizes['renewable'] + r.sizes['storage'] + r.sizes['tie'] + r.sizes['intr']} assets; status {s['solver_status']}"
    )
    lp = s["lp_size"]
    print(
        f"LP {lp['rows']:,} rows x {lp['columns']:,} columns, {lp['nonzeros']:,} nonzeros; objective {s['objective_cny']:,.0f} CNY"
    )
    for k in PHASES:
        if k in t:
            print(f"  {k:<8} {t[k]:7.2f} s")
    print(
        f"  total    {total:7.2f} s   (build + hand-off + extraction = {overhead:.2f} s, "
        f"{'smaller' if overhead < t['solve'] else 'LARGER'} than the solve)"
    )
    print(f"  peak memory {peak_memory_mb():.0f} MB")
    if "plan" in s:
        p = s["plan"]
        print(
            f"  plan: {len(p['built'])} capacities changed, new investment "
            f"{p['capex_new_cny'] / 1e6:,.0f} million CNY ({p['annual_cost_new_cny_per_yr'] / 1e6:,.1f} "
            f"million CNY/yr)"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "scenario": s["scenario"],
                    "hours": s["hours"],
                    "timings_s": t,
                    "total_s": total,
                    "cpu_s": time.process_time(),  # this process's CPU time (HiGHS: one thread)
                    "overhead_s": overhead,
                    "peak_memory_mb": peak_memory_mb(),
                    "result_values": n_cols,
                    "lp_size": lp,
                    "solver_options": options,
                    "objective_cny": s["objective_cny"],
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
