"""The price frontier: a plan re-solved at each step of a policy target.

``gridopt plan SCENARIO --frontier green_share=0.6:1.0:0.05`` (or ``co2_max_t=…``) builds the
planning LP once with the first target, solves it, then for each further target changes the
policy row of the kept HiGHS instance by name (:meth:`gridopt.solve.Solution.rows`) and
re-solves warm from the last basis (:func:`gridopt.solve.resolve`):

- ``green_share``: the row ``green - share x load >= 0`` gets the load coefficients and the
  bound of the new share (:func:`gridopt.model.policy.green_share_terms`);
- ``co2_max_t``: the row ``CO2 <= cap`` gets the new cap.

Each step gives the planned year (:func:`gridopt.run.solved_result`): the delivered and
cost-recovery prices, curtailment, the policy's achieved value and shadow price, and what is
built. ``frontier.csv`` has one row per step; ``frontier.png`` draws the delivered price,
the cost-recovery price and the curtailment share against the target (the curve an office
shows an investor: "90 % green at 0.xx CNY/kWh").
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xarray as xr

from gridopt.console import live_of, say, text
from gridopt.errors import InputError, Problem
from gridopt.inputs import load_inputs
from gridopt.io import atomic_write, check_folder, staged_folder
from gridopt.model import BALANCE, build, policy
from gridopt.plan import positions
from gridopt.run import solved_result
from gridopt.solve import check_options, resolve, solve

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """A policy target a frontier steps through: the input it sets, its row, its unit."""

    name: str
    input: str
    row: str
    units: str
    lo: float
    hi: float


TARGETS = {
    "green_share": Target(
        "green_share", "policy_green_share_min_fraction", "policy_green_share", "1", 0.0, 1.0
    ),
    "co2_max_t": Target("co2_max_t", "policy_co2_max_t", "policy_co2", "t", 0.0, 1e12),
}
"""The targets a frontier can step through (``--frontier NAME=START:STOP:STEP``)."""
SYNTAX = "write it as NAME=START:STOP:STEP, e.g. green_share=0.6:1.0:0.05 or co2_max_t=4e6:1e6:-5e5"


def parse_frontier(text: str) -> tuple[Target, list[float]]:
    """``green_share=0.6:1.0:0.05`` -> (the target, [0.6, 0.65, …, 1.0]): STOP is included
    when the steps reach it; STEP may be negative (a falling cap). InputError naming the
    argument for anything else."""

    def bad(message: str, value: object = text) -> InputError:
        return InputError(Problem("--frontier", message, value, SYNTAX))

    name, sep, rng = text.partition("=")
    name = name.strip()
    if not sep:
        raise bad("no '=' between the target and its range")
    if name not in TARGETS:
        raise bad(f"unknown target; use one of {', '.join(TARGETS)}", name)
    parts = rng.split(":")
    if len(parts) != 3:
        raise bad("the range needs START:STOP:STEP", rng)
    try:
        start, stop, step = (float(p) for p in parts)
    except ValueError:
        raise bad("START, STOP and STEP must be numbers", rng) from None
    if not all(math.isfinite(x) for x in (start, stop, step)):
        raise bad("START, STOP and STEP must be finite", rng)
    if step == 0 or (stop - start) * step < 0:
        raise bad("STEP must be nonzero and go from START towards STOP", rng)
    n = int(math.floor((stop - start) / step + 1e-9)) + 1
    if n > 200:
        raise bad(f"{n} steps: at most 200", rng)
    t = TARGETS[name]
    values = [round(start + k * step, 12) for k in range(n)]
    out = [v for v in values if not (t.lo <= v <= t.hi)]
    if out:
        raise bad(f"values outside {t.lo:g} to {t.hi:g}", out[0])
    return t, values


def _set_target(ds: xr.Dataset, t: Target, value: float) -> xr.Dataset:
    out = ds.copy()
    out[t.input] = xr.DataArray(float(value), attrs={"units": t.units, "role": "input"})
    return out


def _row_of(sol, t: Target) -> int:
    try:
        return int(sol.rows(t.row)[0])
    except KeyError:
        raise InputError(
            Problem(
                "--frontier",
                f"the scenario's {t.name} row has no variable to move (nothing to step)",
                t.name,
            )
        ) from None


def frontier(
    path: str | Path,
    spec: str,
    out_dir: str | Path,
    *,
    hours: int | None = None,
    solver_options: dict | None = None,
    progress: Progress = lambda s: None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Solve the plan of ``path`` at each target of ``spec`` and write ``frontier.csv`` (and
    ``frontier.png``, labelled in ``lang``) into ``out_dir``; returns the table."""
    t, values = parse_frontier(spec)
    out_dir = Path(out_dir)
    check_folder(out_dir)
    ls, ds = load_inputs(path, hours)
    options = {**ls.scenario.solver.options, **(solver_options or {})}
    check_options(options)
    ds = _set_target(ds, t, values[0])
    say(progress, "frontier_build", hours=ds.sizes["time"], target=t.name, value=values[0])
    b = build(ds, plan=True)
    name = str(ds.attrs.get("scenario"))
    sol = solve(
        b.m,
        options,
        name=name,
        keep=True,
        explain=b.explain,
        layout=b.layouts,
        live=live_of(progress),
    )
    pos = positions(b.planned)
    row = _row_of(sol, t)
    col = {}
    if t.name == "green_share":  # HiGHS column of each model column (the row's terms)
        for comp, sl in sol.col_slices.items():
            start = b.col_start[comp]
            col.update(zip(range(start, start + sl.stop - sl.start), range(sl.start, sl.stop)))
    rows = []
    for k, value in enumerate(values):
        t0 = time.perf_counter()
        if k:
            if t.name == "green_share":
                cs, vs, lo = policy.green_share_terms(b, BALANCE, value)
                for c, v in zip(cs, vs):
                    sol.highs.changeCoeff(row, col[v], c)
                sol.highs.changeRowBounds(row, lo, math.inf)
            else:
                sol.highs.changeRowBounds(row, -math.inf, value)
            sol = resolve(sol, name=f"{name}, {t.name} = {value:g}")
        seconds = time.perf_counter() - t0 if k else sol.timings_s.get("solve", math.nan)
        step = solved_result(_set_target(ds, t, value), sol, pos)
        rows.append(_row(t, value, step, seconds, sol.iterations))
        r0 = rows[-1]
        say(
            progress,
            "frontier_step",
            target=t.name,
            value=value,
            delivered=r0["delivered_price_cny_per_kwh"],
            recovery=r0["cost_recovery_cny_per_mwh"],
            shadow=r0["shadow_price"],
            warm=text(progress, "frontier_warm") if k else "",
            seconds=seconds,
        )
    table = pd.DataFrame(rows)
    with staged_folder(out_dir) as stage:
        atomic_write(stage / "frontier.csv", lambda p: table.to_csv(p, index=False))
        figure(table, t, stage / "frontier.png", lang)
    return table


def _row(t: Target, value: float, step, seconds: float, iterations: int) -> dict:
    s = step.summary
    block = s["policy"]["green_share" if t.name == "green_share" else "co2"]
    price_key = next(k for k in block if k.startswith("shadow_price"))
    curt = s["curtailment_mwh"]
    r = step.results
    avail = sum(
        float(r[e.available].sum())
        for _, e in policy.items(r, lambda e: e.available is not None, BALANCE)
    )
    row = {
        t.name: value,
        "achieved": block.get("achieved_fraction", block.get("emissions_t")),
        "shadow_price": block[price_key],
        "shadow_price_unit": price_key.removeprefix("shadow_price_"),
        "delivered_price_cny_per_kwh": s["delivered_price_cny_per_kwh"],
        "cost_recovery_cny_per_mwh": s["cost_recovery_cny_per_mwh"],
        "operating_cost_cny": s["objective_cny"],
        "capacity_cost_cny": s["plan"]["capacity_cost_horizon_cny"],
        "curtailment_share": curt / avail if avail else 0.0,
        "emissions_t": s["emissions_t"],
        "solve_s": seconds,
        "iterations": iterations,
    }
    for key, b in s["plan"]["built"].items():
        row[f"new_{key}"] = b["new"]
        row[f"retired_{key}"] = b["retired"]
    return row


LABELS = {
    "en": {
        "delivered": "delivered price",
        "recovery": "cost-recovery price",
        "curtailment": "curtailment [%]",
        "green_share": "green share target [%]",
        "co2_max_t": "CO2 cap [kt]",
        "title": "Price frontier",
    },
    "zh": {
        "delivered": "到户电价",
        "recovery": "成本回收电价",
        "curtailment": "弃电率 [%]",
        "green_share": "绿电占比目标 [%]",
        "co2_max_t": "碳排放上限 [千吨]",
        "title": "电价前沿",
    },
}
"""The figure's labels by language."""


def figure(table: pd.DataFrame, t: Target, path: Path, lang: str = "zh") -> Path:
    """Delivered and cost-recovery price [CNY/kWh] and curtailment share [%] against the
    target, labelled in ``lang`` (the report's fonts: :func:`gridopt.report.png._rc`)."""
    import matplotlib.pyplot as plt

    from gridopt.report.png import _rc

    lab = LABELS[lang]
    x = table[t.name].to_numpy() * (100.0 if t.name == "green_share" else 1e-3)
    with plt.rc_context(_rc(lang)):
        fig, ax = plt.subplots(figsize=(16, 9))
        ax.plot(x, table["delivered_price_cny_per_kwh"], marker="o", label=lab["delivered"])
        ax.plot(x, table["cost_recovery_cny_per_mwh"] / 1000.0, marker="s", label=lab["recovery"])
        ax.set(xlabel=lab[t.name], ylabel="CNY/kWh", title=lab["title"])
        ax2 = ax.twinx()
        ax2.plot(
            x, 100 * table["curtailment_share"], color="grey", ls="--", label=lab["curtailment"]
        )
        ax2.set_ylabel(lab["curtailment"])
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, loc="upper left")
        fig.tight_layout()
        try:
            atomic_write(path, lambda p: fig.savefig(p, format="png"))
        finally:
            plt.close(fig)
    return path
