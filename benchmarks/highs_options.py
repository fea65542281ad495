"""Which HiGHS options solve gridopt's year fastest: one LP, built once, solved with each set.

    python benchmarks/highs_options.py                               # the default scenario's year
    python benchmarks/highs_options.py scenarios/jiayuguan_jiuquan_2025.yaml --hours 2190
    python benchmarks/highs_options.py --plan scenarios/plan_2030.yaml --sets default ipm
    python benchmarks/highs_options.py reference                     # bench_year.py's 5-bus network

The LP is gridopt's own (``gridopt.model.build`` and the in-memory hand-off); each option set
gets a fresh ``highspy.Highs`` with the same matrix, so only the solve differs. Prints, per
set, the solve time, simplex/IPM iterations, objective and its relative difference from the
first set's (an option that changes the optimum is not a speed-up), and writes the table as
JSON with ``--json``. Not a test: times vary about ±10 % run to run on shared machines; run it
on a quiet machine, and repeat (``--repeat``) to see the spread.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS: dict[str, dict[str, object]] = {
    "default": {},  # gridopt's: dual simplex after presolve, one thread
    "primal": {"simplex_strategy": 4},
    "dual_pami_2threads": {"simplex_strategy": 2, "threads": 2, "parallel": "on"},
    "dual_devex": {"simplex_dual_edge_weight_strategy": 1},
    "no_presolve": {"presolve": "off"},
    "ipm": {"solver": "ipm"},
    "pdlp": {"solver": "pdlp"},
}
"""Named option sets (on top of gridopt's defaults: output off, one thread)."""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "scenario", nargs="?", default=str(ROOT / "scenarios/jiayuguan_jiuquan_2025.yaml")
    )
    ap.add_argument("--hours", type=int, default=None)
    ap.add_argument("--plan", action="store_true", help="the planning LP (gridopt plan)")
    ap.add_argument("--sets", nargs="+", default=[k for k in SETS if k != "pdlp"], choices=SETS)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    import highspy

    from gridopt.diagnose import quiet_stdout
    from gridopt.handoff import matrix
    from gridopt.inputs import load_inputs
    from gridopt.model import build
    from gridopt.solve import DEFAULT_OPTIONS

    if args.scenario == "reference":  # bench_year.py's synthetic 5-bus reference network
        import tempfile

        import yaml

        from benchmarks.bench_year import reference_scenario

        path = Path(tempfile.mkdtemp()) / "bench_reference_5bus.yaml"
        path.write_text(yaml.safe_dump(reference_scenario(args.hours or 8760)))
        args.scenario = str(path)
    _, ds = load_inputs(args.scenario, args.hours)
    mat = matrix(build(ds, plan=args.plan).m)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(mat["cost"]), len(mat["row_lo"])
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = mat["cost"], mat["lb"], mat["ub"]
    lp.row_lower_, lp.row_upper_, lp.offset_ = mat["row_lo"], mat["row_hi"], mat["offset"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_ = mat["indptr"], mat["index"]
    lp.a_matrix_.value_ = mat["value"]
    print(
        f"{Path(args.scenario).name}, {ds.sizes['time']} h{' (plan)' if args.plan else ''}: "
        f"{lp.num_row_:,} rows x {lp.num_col_:,} columns, {len(mat['value']):,} nonzeros",
        flush=True,
    )
    rows, first = [], None
    for name in args.sets:
        times, out = [], {}
        for _ in range(args.repeat):
            with quiet_stdout():
                h = highspy.Highs()
            opts = {**DEFAULT_OPTIONS, **SETS[name]}
            h.resetGlobalScheduler(True)  # HiGHS's thread pool is global: sized per set
            for k, v in opts.items():
                h.setOptionValue(k, v)
            h.passModel(lp)
            t0 = time.perf_counter()
            h.run()
            times.append(time.perf_counter() - t0)
            info = h.getInfo()
            out = {
                "status": h.modelStatusToString(h.getModelStatus()),
                "objective_cny": float(info.objective_function_value),
                "simplex_iterations": int(info.simplex_iteration_count),
                "ipm_iterations": int(info.ipm_iteration_count),
            }
            del h
        if first is None:
            first = out["objective_cny"]
        rel = abs(out["objective_cny"] - first) / max(abs(first), 1.0)
        row = {
            "set": name,
            "options": SETS[name],
            "solve_s": statistics.median(times),
            "times_s": times,
            **out,
            "rel_diff": rel,
        }
        rows.append(row)
        print(
            f"  {name:<20} {row['solve_s']:7.1f} s  {out['status']:<8} "
            f"simplex {out['simplex_iterations']:>8,}  ipm {out['ipm_iterations']:>4}  "
            f"objective {out['objective_cny']:,.2f}  rel. diff {rel:.1e}",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
