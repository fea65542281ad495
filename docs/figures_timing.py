"""Renderers of docs/figures.py for timing blocks (``volatile``: compared with their numbers
masked): benchmarks/bench_year.py's phase tables and its gridopt-beside-PyPSA table
(docs/performance.md, from the script's ``--json`` file), and the tenant study warm against
rebuilt (docs/tenant.md, gridopt's Python API).

Definitions: a phase is one of ``timings_s`` (inputs, build, hand-off, solve, extract; write
in ``gridopt run``), as gridopt writes it to summary.json; the ``--vs-pypsa`` figures are the
medians over the runs of each side, ratios gridopt / PyPSA.
"""

from __future__ import annotations

import statistics
import textwrap
from pathlib import Path


def _span(values, fmt: str, unit: str = "") -> str:
    """'lo–hi unit' of the values in format ``fmt`` (one value when both round the same)."""
    lo, hi = format(min(values), fmt), format(max(values), fmt)
    return (lo if lo == hi else f"{lo}–{hi}") + (f" {unit}" if unit else "")


# --- docs/performance.md: benchmarks/bench_year.py --json -------------------------------------


def _k(n: int) -> str:
    return f"{n / 1e3:.0f} k"


def bench_row(label: str, b: dict, total: bool = True) -> str:
    """One row of a phase table from ``bench_year.py --json``: LP size, the phases, (total),
    peak memory."""
    lp, t = b["lp_size"], b["timings_s"]
    nnz = lp["nonzeros"]
    cells = [
        label,
        f"{_k(lp['rows'])} × {_k(lp['columns'])} "
        + (f"({nnz / 1e6:.2f} M)" if nnz >= 1e6 else f"({_k(nnz)})"),
        *(f"{t[k]:,.2f} s" if t[k] < 100 else f"{t[k]:,.0f} s" for k in _PHASES),
    ]
    if total:
        cells.append(f"{b['total_s']:.1f} s")
    cells.append(f"{b['peak_memory_mb'] / 1e3:.2f} GB")
    return "| " + " | ".join(cells) + " |"


_PHASES = ("inputs", "build", "handoff", "solve", "extract")


def _bench_label(b: dict, args: tuple[str, ...]) -> str:
    """`bench_year.py ARGS` (without --json), the scenario's name and hours."""
    shown = [Path(a).name if a.endswith(".yaml") else a for a in args[2:]]
    shown = [a for a in shown if a != "--json" and "{out}" not in a]
    return (
        f"`bench_year.py {' '.join(shown)}`".replace(" `", "`")
        + f": {b['scenario']}, {b['hours']} h"
    )


def bench_table(runs, commands, total: bool = True) -> str:
    head = "| run | LP rows × columns (nonzeros) | inputs | build | hand-off | solve | extract |"
    head += " total |" if total else ""
    lines = [head + " peak memory |", "|---" * (9 if total else 8) + "|"]
    for run, args in zip(runs, commands):
        b = run.json_files["bench.json"]
        lines.append(bench_row(_bench_label(b, args), b, total))
    return "\n".join(lines) + "\n"


# --- docs/tenant.md: warm against rebuild ------------------------------------------------


def tenant_timing_rows(scenario: str, horizons: tuple[int, ...], year_h: int | None) -> str:
    """The table of docs/tenant.md: one smelter, bands 0/5/10/20 %, warm and rebuilt at each
    horizon of ``horizons``; at ``year_h`` hours warm only (the base's build and solve beside)."""
    from gridopt.tenant import evaluate_scenario

    smelter = ["aluminium_smelter:capacity_t_per_yr=200000"]

    def study(hours: int, method: str) -> dict:
        return evaluate_scenario(scenario, smelter, hours=hours, method=method).to_dict()

    def per_band(d: dict) -> tuple[str, float]:
        solves = [x for x in d["tenants"][0]["solves"] if x["model"] == "dispatch"]
        n_bands[0] = len(solves)
        sec = _span([x["seconds"] for x in solves], ".2f", "s")
        its = _span([x["iterations"] for x in solves], ",.0f")
        return f"{sec} ({its} iterations)", d["timings_s"]["tenant:aluminium_smelter"]

    n_bands = [0]
    lines = [
        "| horizon | warm (add columns to HiGHS) per band | rebuild + cold solve per band "
        "| tenant total, warm vs rebuild |",
        "|---|---|---|---|",
    ]
    for h in horizons:
        (w, tw), (b, tb) = per_band(study(h, "warm")), per_band(study(h, "rebuild"))
        lines.append(f"| {h} h | {w} | {b} | {tw:.2f} s vs {tb:.1f} s |")
    if year_h:
        d = study(year_h, "warm")
        w, tw = per_band(d)
        t = d["timings_s"]
        lines.append(
            f"| {year_h} h | {w} | not run (the base alone: {t['build']:.1f} s build + "
            f"{t['base_solve']:.1f} s solve) | {tw:.1f} s for {n_bands[0]} bands |"
        )
    return "\n".join(lines) + "\n"


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(x[key] for x in runs)


def render_vs_pypsa(runs) -> str:
    """docs/performance.md's gridopt-beside-PyPSA table from ``bench_year.py --vs-pypsa
    --json``: medians of wall time, peak memory and HiGHS time per side, the LP sizes (of the
    first run), the ratios gridopt / PyPSA."""
    b = runs[0].json_files["bench.json"]
    g, p = b["gridopt"], b["pypsa"]

    def lp(x: dict) -> str:
        n = x["lp"]
        return f"{n['rows']:,} × {n['columns']:,} ({n['nonzeros'] / 1e6:.2f} M)"

    def ratio(key: str) -> float:
        return g[0]["lp"][key] / p[0]["lp"][key] if p[0]["lp"][key] else float("nan")

    r = b["ratios"]
    cells = [
        ("`gridopt run`", g),
        ("PyPSA (linopy, HiGHS direct)", p),
    ]
    lines = [
        "| | wall | peak memory | HiGHS | LP rows × columns (nonzeros) |",
        "|---|---|---|---|---|",
    ]
    for label, side in cells:
        lines.append(
            f"| {label} | {_median(side, 'wall_s'):.1f} s | "
            f"{_median(side, 'peak_memory_mb'):,.0f} MB | {_median(side, 'highs_s'):.1f} s | "
            f"{lp(side[0])} |"
        )
    lines.append(
        f"| gridopt / PyPSA | **{r['wall']:.2f}** | **{r['peak memory']:.2f}** | "
        f"{_median(g, 'highs_s') / _median(p, 'highs_s'):.2f} | {ratio('rows'):.2f} rows, "
        f"{ratio('nonzeros'):.2f} nonzeros |"
    )
    return "\n".join(lines) + "\n"


def render_vs_pypsa_reading(runs) -> str:
    """The paragraph under the table: objectives, gridopt's phases, issue 15's goals."""
    b = runs[0].json_files["bench.json"]
    g, p, r = b["gridopt"], b["pypsa"], b["ratios"]
    og, op = g[0]["objective_cny"], p[0]["objective_cny"]
    med = b["gridopt_phases_median_s"]
    around = sum(v for k, v in med.items() if k != "solve") + b["gridopt_startup_s"]
    goals = "; ".join(
        f"{name} ≤ {goal:.1f}: {r[name]:.2f}, {'met' if r[name] <= goal else 'not met'}"
        for name, goal in b["goals"].items()
    )
    reading = textwrap.fill(
        f"{b['scenario']}, {b['hours'] or 'the scenario’s'} h, {b['repeat']} runs each, "
        f"medians. Objective {og:,.2f} CNY (gridopt) and {op:,.2f} CNY (PyPSA): relative "
        f"difference {abs(og - op) / abs(og):.1e}. gridopt's phases: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in med.items())
        + f"; start-up and imports {b['gridopt_startup_s']:.1f} s: everything but the solve "
        f"is {around:.1f} s, {around / med['solve']:.2f} of the solve. Goals (issue 15): "
        f"{goals}.",
        width=95,
        break_on_hyphens=False,
    )
    return reading + "\n"


def render_startup(runs) -> str:
    """docs/performance.md's start-up table from ``bench_startup.py --json``: per command the
    median wall time, its range over the rounds, the median peak memory and issue 15's goal."""
    b = runs[0].json_files["bench.json"]
    lines = [
        "| command (default scenario) | wall (median, range) | peak memory | goal |",
        "|---|---|---|---|",
    ]
    for row in b["commands"].values():
        walls = row["wall_s"]
        lines.append(
            f"| `{row['command']}` | **{row['wall_median_s']:.2f} s** "
            f"({min(walls):.2f}-{max(walls):.2f}) | {row['peak_memory_mb']:.0f} MB | "
            f"< {row['goal_s']:g} s |"
        )
    base = b.get("baseline")
    if base:
        walls = base["wall_s"]
        lines.append(
            f"| the libraries alone, `{base['command']}` (how fast the machine was) | "
            f"{statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f}) | | |"
        )
    how = "read" if b["bytecode"] else "off: sources compiled at every start"
    lines.append("")
    lines.append(
        f"{b['rounds']} rounds after a warm-up round; gridopt's bytecode {how}; load average at the "
        f"start {b['load_average']:.2f}, {b['cpus']} CPUs."
    )
    return "\n".join(lines) + "\n"
