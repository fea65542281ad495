"""Start-up benchmark: the wall time and peak memory of gridopt's short commands, end to end.

    python benchmarks/bench_startup.py                    # 5 rounds, the default scenario
    python benchmarks/bench_startup.py --rounds 9 --json startup.json
    python benchmarks/bench_startup.py --no-bytecode      # as with PYTHONDONTWRITEBYTECODE=1

Each command runs in its own process, as a planner types it (the interpreter's start
included; ``cli.main`` as the ``gridopt`` script calls it), after one round that fills the series cache
(``~/.cache/gridopt``, or ``GRIDOPT_CACHE_DIR``) and writes Python's bytecode; then
``--rounds`` rounds, the commands alternating. Printed per command: the median wall time,
the range, the peak resident memory of the child (``wait4``), and the goal of issue 15 with
met / NOT MET; and, for scale, the libraries every command imports timed alone
(:data:`BASELINE`: on a shared machine its speed drifts by a third over an hour):

- ``gridopt --help``: instant (under 0.5 s);
- ``gridopt validate`` of the default scenario: under 1 s;
- ``gridopt run`` of the default scenario at ``--hours 24``: under 3 s.

By default the children run as an installed package does: Python writes and reads the
bytecode of gridopt's modules (``__pycache__``; pip compiles installed packages). With
``--no-bytecode`` gridopt's ``__pycache__`` folders are removed first (Python's own caches,
made again by any later run) and the children run with ``PYTHONDONTWRITEBYTECODE=1``: gridopt's
sources are compiled at every start, as in a checkout on a machine that sets that variable
(the libraries keep the bytecode pip wrote). ``--bytecode-as-is`` leaves both as they are.

Not a test: start-up times vary by +-15 % on a shared machine; compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "scenarios/jiayuguan_jiuquan_2025.yaml"

GOALS_S = {"help": 0.5, "validate": 1.0, "run_24h": 3.0}
"""Issue 15's goals [s] per command: --help instant, validate under 1 s, a 24 h run under 3 s."""


def commands(scenario: str, out: Path) -> dict[str, list[str]]:
    """The commands measured, by name: gridopt's arguments."""
    return {
        "help": ["--help"],
        "validate": ["validate", scenario],
        "run_24h": ["run", scenario, "--hours", "24", "--out", str(out)],
    }


BASELINE = "import numpy, pydantic, click, yaml"
"""The libraries every gridopt command imports, timed alone in each round: how fast the machine
is at the time (on this 2-core machine 0.27-0.36 s when quiet, 0.42-0.53 s on a slower hour)."""


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """One run of ``gridopt ARGS`` in a child process: (wall [s], peak memory [MB]); a
    command that fails stops the benchmark with its message."""
    if args and args[0] == "--baseline":
        cmd = [sys.executable, "-c", BASELINE]
    else:
        cmd = [sys.executable, "-c", "import sys, cli; sys.argv[0] = 'gridopt'; cli.main()", *args]
    t0 = time.perf_counter()
    child = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)  # the child's own peak memory
    wall = time.perf_counter() - t0
    child.returncode = code = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors="replace")
    child.stderr.close()
    if code != 0:
        raise SystemExit(f"gridopt {' '.join(args)} exited {code}:\n{err}")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", nargs="?", default=SCENARIO, help=f"default: {SCENARIO}")
    ap.add_argument("--rounds", type=int, default=5, help="measured rounds (default 5)")
    ap.add_argument(
        "--no-bytecode",
        action="store_true",
        help="compile gridopt's sources at every start (PYTHONDONTWRITEBYTECODE=1)",
    )
    ap.add_argument(
        "--bytecode-as-is",
        action="store_true",
        help="leave PYTHONDONTWRITEBYTECODE as the environment has it",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    if args.rounds < 1:
        ap.error(f"--rounds must be 1 or more, got {args.rounds}")

    env = dict(os.environ)
    if args.no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for folder in [*ROOT.glob("gridopt/**/__pycache__"), ROOT / "__pycache__"]:
            shutil.rmtree(folder, ignore_errors=True)
    elif not args.bytecode_as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    bytecode = "PYTHONDONTWRITEBYTECODE" not in env or any(ROOT.glob("gridopt/__pycache__"))
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")

    with tempfile.TemporaryDirectory(prefix="gridopt-startup-") as tmp:
        cmds = commands(args.scenario, Path(tmp) / "out")
        print(f"warm-up round (series cache, bytecode) ... load average {load:.2f}", flush=True)
        for a in cmds.values():
            measure(a, env)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
        baseline: list[float] = []
        for k in range(args.rounds):
            for name, a in cmds.items():
                wall, mem = measure(a, env)
                runs[name].append((wall, mem))
            baseline.append(measure(["--baseline"], env)[0])
            print(f"round {k + 1}/{args.rounds} done", flush=True)

    rows = {}
    print(
        f"\n{'command':<44} {'wall median':>11} {'range':>13} {'peak memory':>12}  goal",
        flush=True,
    )
    for name, a in cmds.items():
        walls = [w for w, _ in runs[name]]
        mems = [m for _, m in runs[name]]
        med = statistics.median(walls)
        met = med < GOALS_S[name]
        rows[name] = {
            "command": "gridopt " + " ".join(a if name != "run_24h" else a[:-2]),
            "wall_s": walls,
            "wall_median_s": med,
            "peak_memory_mb": statistics.median(mems),
            "goal_s": GOALS_S[name],
            "met": met,
        }
        print(
            f"{rows[name]['command']:<44} {med:>9.2f} s {min(walls):>5.2f}-{max(walls):.2f} s"
            f" {statistics.median(mems):>9.0f} MB  < {GOALS_S[name]:g} s: "
            + ("met" if met else "NOT MET")
        )
    print(
        f"{'the libraries alone: ' + BASELINE:<44} {statistics.median(baseline):>9.2f} s "
        f"{min(baseline):>5.2f}-{max(baseline):.2f} s  (how fast the machine is)"
    )
    print(
        f"\n{args.rounds} rounds; gridopt's bytecode "
        f"{'read' if bytecode else 'off (sources compiled at every start)'}; "
        f"load average at the start {load:.2f}; {os.cpu_count()} CPUs"
    )
    if args.json:
        from gridopt.io import atomic_write

        data = {
            "rounds": args.rounds,
            "bytecode": bytecode,
            "load_average": load,
            "cpus": os.cpu_count(),
            "commands": rows,
            "baseline": {"command": f'python -c "{BASELINE}"', "wall_s": baseline},
        }
        text = json.dumps(data, indent=2) + "\n"
        atomic_write(args.json, lambda p: p.write_text(text, encoding="utf-8"))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
