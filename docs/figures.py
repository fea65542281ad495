"""Regenerate the gridopt figures quoted in docs/*.md, or check that they are current.

    python docs/figures.py                 # rewrite every block whose generator is not slow
    python docs/figures.py --check         # report the blocks that differ from a fresh run (exit 1)
    python docs/figures.py NAME [NAME ...] # only these (a slow generator runs when named)
    python docs/figures.py --slow          # every block, the year-long ones included
    python docs/figures.py --list          # name, doc, slow or not, the command behind it

A quoted figure lives between two markers in its doc::

    <!-- fig:NAME -->
    ...the block, exactly as the generator NAME renders it...
    <!-- /fig -->

The generator runs the ``gridopt`` command the doc states (the CLI in a child process, from
the repository root, at the doc's horizon) and renders its output; a rewrite replaces the text
between the markers and writes the doc atomically (``gridopt.io.atomic_write``). Every marker
must have a generator and every generator a marker (``tests/test_docs_figures.py``), and the
cheap generators are compared with the docs by that test, so a change in what gridopt prints
or computes fails the test until the doc is regenerated.

Why a script in docs/ and not a module in the package: it is a maintainer's tool that edits
the repository's own files; an installed gridopt has no docs/ to rewrite, so nothing of it
belongs in the wheel.

Slow generators (a year-long solve, minutes) are listed but skipped unless named or ``--slow``.
A command may also be a script (``python benchmarks/bench_year.py ... --json {out}/bench.json``).
Timing blocks (``volatile``: seconds, iterations, memory) cannot equal a fresh run; ``--check``
compares them by structure only, every number masked (:func:`masked`). The renderers of the
year-long runs are in docs/figures_year.py, those of timing blocks in docs/figures_timing.py; one can be tried on the folder of an earlier run
without solving again, e.g. ``year.render_plan_table([read_folder(Path("DIR"))])``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCENARIO = "scenarios/jiayuguan_jiuquan_2025.yaml"
MARKER = re.compile(r"<!-- fig:([A-Za-z0-9_]+) -->\n(.*?)<!-- /fig -->", re.DOTALL)
NUMBER = re.compile(r"\d[\d,.]*")


def _load(name: str):
    """docs/NAME.py, loaded from its path (docs/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"docs_{name}", DOCS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


year = _load("figures_year")  # renderers of the year-long runs
timing = _load("figures_timing")  # renderers of timing blocks


@dataclass(frozen=True)
class Figure:
    """One generated block: its doc, the command behind it, how its output becomes the block."""

    name: str
    doc: str  # file name under docs/
    commands: tuple[tuple[str, ...], ...]  # gridopt's arguments, one tuple per command
    render: Callable[[list[Run]], str] | None  # the commands' runs -> the block
    slow: bool = False
    expect_error: bool = False  # the command is an example of bad input: it must exit 1
    compute: Callable[[], str] | None = None  # instead of commands: gridopt's Python API
    volatile: bool = False  # timings: --check compares the block with its numbers masked

    def __post_init__(self) -> None:
        assert bool(self.commands) != (self.compute is not None), self.name

    @property
    def command(self) -> str:
        if self.compute is not None:
            return f"python docs/figures.py {self.name}  # {self.compute.__doc__.splitlines()[0]}"
        return " ; ".join(
            ("" if args[0] == "python" else "gridopt ") + " ".join(args) for args in self.commands
        )


@dataclass(frozen=True)
class Run:
    """What one gridopt command gave: exit code, printed text, the files it wrote."""

    returncode: int
    stdout: str
    stderr: str
    json_files: dict[str, dict]  # file name in the output folder -> its content
    csv_files: dict[str, str]  # file name in the output folder -> its text
    yaml_files: dict[str, dict] = field(default_factory=dict)  # name -> content
    datasets: dict[str, object] = field(default_factory=dict)  # *.nc -> xarray.Dataset, loaded


_RUNS: dict[tuple[str, ...], Run] = {}
INPUT_FILES: dict[str, str] = {
    # docs/plan.md's frontier example: demo_small with both renewables expandable to 5 GW
    "demo_open.yaml": "name: demo_small_open\nextends: {root}/scenarios/demo_small.yaml\n"
    "renewables:\n  wind_guazhou: {{new_max_mw: 5000}}\n  pv_jyg: {{new_max_mw: 5000}}\n",
}


def run_gridopt(args: tuple[str, ...]) -> Run:
    """Run the gridopt CLI in a child process from the repository root, ``{out}`` in an
    argument replaced by a temporary folder (nothing in results/ is touched) and ``{file}``
    by a file in the temporary folder that is printed as ``/tmp/afile``. Two figures of the
    same command share one run (within this process); lines naming the output folder are
    left out of the printed text. ``("python", script, ...)`` runs a script instead, with
    ``{out}`` made beforehand. ``{tmp}/NAME`` is a file of :data:`INPUT_FILES` written into
    the temporary folder (a scenario that extends a bundled one)."""
    if args in _RUNS:
        return _RUNS[args]
    with tempfile.TemporaryDirectory(prefix="gridopt-fig-") as tmp:
        out, afile = Path(tmp) / "out", Path(tmp) / "afile"
        afile.write_text("", encoding="utf-8")
        for name, text in INPUT_FILES.items():
            (Path(tmp) / name).write_text(text.format(root=ROOT.as_posix()), encoding="utf-8")
        argv = [
            a.replace("{out}", str(out)).replace("{file}", str(afile)).replace("{tmp}", tmp)
            for a in args
        ]
        if args[0] == "python":
            out.mkdir()
            cmd = [sys.executable, *argv[1:]]
        else:
            cmd = [sys.executable, "-c", "import sys, cli; sys.argv[0] = 'gridopt'; cli.main()"]
            cmd += argv
        r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
        run = read_folder(out)

    def keep(text: str) -> str:
        text = "".join(line for line in text.splitlines(True) if str(out) not in line)
        return text.replace(str(afile), "/tmp/afile")

    _RUNS[args] = replace(
        run, returncode=r.returncode, stdout=keep(r.stdout), stderr=keep(r.stderr)
    )
    return _RUNS[args]


def read_folder(out: Path) -> Run:
    """The JSON, CSV, YAML and NetCDF files of a results folder (NetCDF loaded into memory),
    as a Run with no exit code or printed text: what a renderer reads. Also how a renderer
    is tried on the folder of an earlier run."""
    files = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in out.glob("*.json")}
    csvs = {f.name: f.read_text(encoding="utf-8-sig") for f in out.glob("*.csv")}
    yamls, nc = {}, {}
    if any(out.glob("*.yaml")):
        import yaml

        yamls = {f.name: yaml.safe_load(f.read_text(encoding="utf-8")) for f in out.glob("*.yaml")}
    if any(out.glob("*.nc")):
        import xarray as xr

        nc = {f.name: xr.load_dataset(f) for f in out.glob("*.nc")}
    return Run(0, "", "", files, csvs, yamls, nc)


def masked(text: str) -> str:
    """``text`` with every number replaced by ``#``: what a volatile block is compared by."""
    return NUMBER.sub("#", text)


def same(name: str, committed: str, fresh: str) -> bool:
    """The committed block equals the fresh one (a volatile one: with numbers masked)."""
    if FIGURES[name].volatile:
        return masked(committed) == masked(fresh)
    return committed == fresh


def fenced(text: str, lang: str = "") -> str:
    return f"```{lang}\n{text.rstrip()}\n```\n"


def render_tenant_full(runs: list[Run]) -> str:
    return fenced("\n".join(line.rstrip() for line in runs[0].stdout.splitlines()))


def render_tenant_table(runs: list[Run]) -> str:
    """Only the ranked table and its two footer lines: up to the first blank line."""
    lines = [line.rstrip() for line in runs[0].stdout.splitlines()]
    head = lines[: lines.index("")] if "" in lines else lines
    return fenced("\n".join(head))


def render_stderr(runs: list[Run]) -> str:
    """What each command printed on stderr (an error line), one after another."""
    return fenced("\n".join(r.stderr.rstrip() for r in runs))


def render_last_stderr_line(runs: list[Run]) -> str:
    """The last line each command printed on stderr (click's usage lines before it left out)."""
    return fenced("\n".join(r.stderr.rstrip().splitlines()[-1] for r in runs))


_prose, _span = year._prose, year._span


def render_tenant_reading(runs: list[Run]) -> str:
    """The paragraph of docs/tenant.md that reads the week's table, from its tenant.json."""
    study = runs[0].json_files["tenant.json"]
    ts = study["tenants"]
    tariffs = study["tariffs_cny_per_kwh"]
    big = [t for t in ts if t["mean_mw"] >= 250]
    flex = [{round(v["band"], 4): v for v in t["flexibility_value"]}[0.1] for t in ts]
    first = next(t for t in ts if t["rank"] == 1)
    why = "the lowest short-run price"
    if first["flex_band"] > 0:
        why += f"; it was declared ±{100 * first['flex_band']:.0f} % flexible"
    return _prose(
        f"Reading it: in this week every tenant could be supplied at a short-run incremental "
        f"cost of {_span([t['short_run_incremental_cost_cny_per_mwh'] for t in ts], '.0f')} "
        f"CNY/MWh, {_span([t['short_run_price_cny_per_kwh'] for t in ts], '.2f')} CNY/kWh with "
        f"network charge ({tariffs['network_charge']:.4f} in this scenario) and funds "
        f"({tariffs['funds']:.4f}), against the {tariffs['benchmark']:.4f} coal benchmark and "
        f"the {tariffs['provincial']:.2f} provincial tariff. That is the cost with the fleet "
        f"as it is, capital sunk: not a price to offer (the default scenario has no expansion "
        f"options; see the long run below). Mostly the tenants take power the base case would "
        f"have exported at the Gansu TOU export price (each tenant of about 300 MW cuts "
        f"exports by {_span([-t['delta_export_mwh'] / 1e3 for t in big], '.0f', 'GWh')} in "
        f"the week) and wind the base case curtailed "
        f"({_span([100 * t['green_share'] for t in ts], '.0f', '%')} of their energy, matched "
        f"hour by hour). Each also adds coal output "
        f"({_span([t['emissions_intensity_t_per_mwh'] for t in ts], '.2f')} t CO2 per MWh of "
        f"tenant load) and lifts the price for existing loads by "
        f"{_span([t['existing_loads_price_change_cny_per_mwh'] for t in ts], '.0f')} CNY/MWh. "
        f"A ±10 % band is worth "
        f"{_span([f['short_run_saving_cny_per_mwh'] for f in flex], '.1f')} CNY/MWh to them. "
        f"`{first['name']}` ranks first ({why})."
    )


# --- docs/offer.md: the weather_years block of tenant.json -------------------------------


def _short(key: str, v):
    """A value as the excerpt shows it: SHA-256 cut to 4 characters, floats to 4 decimals."""
    if key.endswith("sha256") and isinstance(v, str):
        return v[:4] + "…"
    if isinstance(v, float):
        return round(v, 4)
    return v


def _pairs(d: dict, width: int, indent: str) -> list[str]:
    """``"k": v`` pairs of ``d`` on as few lines of at most ``width`` characters as fit."""
    parts = [
        f"{json.dumps(k)}: {json.dumps(_short(k, v), ensure_ascii=False)}" for k, v in d.items()
    ]
    lines, cur = [], ""
    for p in parts:
        if cur and len(indent) + len(cur) + len(p) + 2 > width:
            lines.append(cur + ",")
            cur = p
        else:
            cur = f"{cur}, {p}" if cur else p
    return [indent + x for x in lines + [cur]]


def render_weather_years_json(runs) -> str:
    """tenant.json's ``weather_years`` block, its first year whole and the others by seed and
    value (the doc's excerpt, ``…`` for what is left out)."""
    wy = runs[0].json_files["tenant.json"]["weather_years"]
    head = {k: wy[k] for k in ("n", "seeds", "quantiles")}
    out = ['"weather_years": {', *_pairs(head, 95, "  "), ""]
    out[-2] += ","
    out.pop()
    rest = {k: v for k, v in wy.items() if k not in head and k != "tenants"}
    out += [x + "," for x in _pairs(rest, 95, "  ")]
    out.append('  "tenants": {')
    names = list(wy["tenants"])
    for i, name in enumerate(names):
        t = wy["tenants"][name]
        out.append(f"    {json.dumps(name)}: {{")
        out.append(f'      "figure": {json.dumps(t["figure"])},')
        out.append('      "per_year": [')
        first, *others = t["per_year"]
        body = _pairs(first, 95, "         ")
        body[0] = "        {" + body[0].lstrip()
        out += body[:-1] + [body[-1] + "}" + ("," if others else "")]
        for j, y in enumerate(others):
            more = "," if j < len(others) - 1 else ""
            out.append(
                f'        {{"seed": {y["seed"]}, "value": {_short("value", y["value"])}, '
                f'"…": "…"}}{more}'
            )
        out.append("      ],")
        tail = {k: v for k, v in t.items() if k not in ("figure", "per_year")}
        out += _pairs(tail, 95, "      ")
        out.append("    }" + ("," if i < len(names) - 1 else ""))
    out += ["  }", "}"]
    return "```json\n" + "\n".join(out) + "\n```\n"


_TENANTS = (
    "aluminium_smelter:capacity_t_per_yr=200000",
    "graphitisation:output_t_per_yr=100000,flex_band=0.1",
    "flat:p_mw=300,name=data_centre",
    "steel_works:crude_steel_t_per_yr=2000000,bus=jq_750",
)
_TENANT = ("tenant", SCENARIO, *_TENANTS, "--hours", "168", "--no-report", "--out", "{out}")
# bad-input examples: --hours 24 and --no-report only guard against a long run if one passed
_BAD = ("--hours", "24", "--no-report", "--out", "{out}")
_DEMO = ("--hours", "24")
_BAD_SWEEP = ("--hours", "24", "--out", "{out}")


def tenant_warm_vs_rebuild() -> str:
    """gridopt.tenant.evaluate_scenario, warm and rebuilt, default scenario, 168/720/8760 h.

    The smelter of docs/tenant.md at bands 0/5/10/20 %: per band the seconds and simplex
    iterations of each re-solve (tenant.json's ``solves``), the tenant's total
    (``timings_s``); the year warm only, with the base's build and solve beside it.
    """
    return timing.tenant_timing_rows(SCENARIO, (168, 720), 8760)


_YEAR = ("run", SCENARIO, "--out", "{out}")
_PLAN = ("plan", "scenarios/plan_2030.yaml", "--lang", "en", "--out", "{out}")
_EXPORT = ("sweep", "scenarios/studies/export_capacity.yaml", "--lang", "en", "--out", "{out}")
_WEATHER = ("sweep", SCENARIO, "--weather-years", "6", "--lang", "en", "--out", "{out}")
_TENANT_YEAR = ("tenant", SCENARIO, _TENANTS[0], "--no-report", "--lang", "en", "--out", "{out}")
_BENCH = ("python", "benchmarks/bench_year.py")
_JSON = ("--json", "{out}/bench.json")
_BENCH_YEAR = (
    (*_BENCH, *_JSON),
    (*_BENCH, "--commitment", *_JSON),
    (*_BENCH, SCENARIO, *_JSON),
)
_VS_PYPSA = (*_BENCH, "--vs-pypsa", *_JSON)  # needs the bench extra (pypsa)
_STARTUP = ("python", "benchmarks/bench_startup.py", "--rounds", "7", *_JSON)
_IPM = ("--solver-option", "solver=ipm")
_BENCH_PLAN = (
    (*_BENCH, "scenarios/plan_2030.yaml", "--plan", *_JSON),
    (*_BENCH, "scenarios/plan_2030.yaml", "--plan", *_IPM, *_JSON),
    (
        *_BENCH,
        "scenarios/plan_2030.yaml",
        "--plan",
        *_IPM,
        "--solver-option",
        "run_crossover=off",
        *_JSON,
    ),
    (*_BENCH, "--plan", "--hours", "168", *_JSON),
    (*_BENCH, "--plan", "--hours", "2190", *_JSON),
    (*_BENCH, "--plan", "--hours", "2190", *_IPM, *_JSON),
)
_FRONTIER = (
    "plan", "{tmp}/demo_open.yaml", "--hours", "168", "--frontier", "green_share=0.8:0.95:0.05",
    "--lang", "en", "--out", "{out}",
)  # fmt: skip


def _frontier_rows(runs: list[Run]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(runs[0].csv_files["frontier.csv"])))


def render_frontier(runs: list[Run]) -> str:
    """docs/plan.md's frontier example: delivered price, shadow price and what is built at
    each step of frontier.csv."""
    rows = _frontier_rows(runs)
    new = [k for k in rows[0] if k.startswith("new_")]

    def built(row: dict[str, str]) -> str:
        return " + ".join(f"{float(row[k]):,.0f}" for k in new)

    return _prose(
        f"Green share {', '.join(r['green_share'] for r in rows)}: delivered "
        f"{', '.join(format(float(r['delivered_price_cny_per_kwh']), '.4f') for r in rows)} "
        f"CNY/kWh; shadow price "
        f"{', '.join(format(float(r['shadow_price']), '.1f') for r in rows)} CNY/MWh; new MW "
        f"({' + '.join(k[4:].split('.')[0] for k in new)}) {'; '.join(built(r) for r in rows)}."
    )


def render_frontier_timing(runs: list[Run]) -> str:
    """The first solve against the warm steps (frontier.csv's solve_s): a timing block."""
    s = [float(r["solve_s"]) for r in _frontier_rows(runs)]
    return _prose(
        f"Warm steps {_span(s[1:], '.2f', 's')} against {s[0]:.2f} s for the first solve."
    )


_OFFER_WY = (
    "tenant", SCENARIO, _TENANTS[0], "--weather-years", "2", "--hours", "24", "--no-report",
    "--lang", "en", "--out", "{out}",
)  # fmt: skip


def _year_figures() -> tuple[Figure, ...]:
    """The figures of the year-long runs (renderers in docs/figures_year.py)."""
    y = year
    return (
        Figure("default_year_table", "default_scenario.md", (_YEAR,), y.render_default_year_table, slow=True),
        Figure("default_year_exports", "default_scenario.md", (_YEAR,), y.render_default_year_exports, slow=True),
        Figure("default_year_price", "default_scenario.md", (_YEAR,), y.render_default_year_price, slow=True),
        Figure("default_export_reading", "default_scenario.md", (_EXPORT, _YEAR), y.render_export_reading, slow=True),
        Figure(
            "default_weather_reading", "default_scenario.md", (_WEATHER, _EXPORT),
            y.render_weather_reading, slow=True,
        ),
        Figure("default_smelter", "default_scenario.md", (_TENANT_YEAR,), y.render_default_smelter, slow=True),
        Figure("plan_2030_build", "plan.md", (_PLAN,), y.render_plan_build, slow=True),
        Figure("plan_2030_table", "plan.md", (_PLAN,), y.render_plan_table, slow=True),
        Figure("plan_2030_why", "plan.md", (_PLAN,), y.render_plan_why, slow=True),
        Figure("plan_2030_speed", "plan.md", (_PLAN,), y.render_plan_speed, slow=True, volatile=True),
        Figure(
            "performance_year", "performance.md", _BENCH_YEAR,
            lambda runs: timing.bench_table(runs, _BENCH_YEAR), slow=True, volatile=True,
        ),
        Figure(
            "performance_plan", "performance.md", _BENCH_PLAN,
            lambda runs: timing.bench_table(runs, _BENCH_PLAN, total=False), slow=True, volatile=True,
        ),
        Figure("performance_vs_pypsa", "performance.md", (_VS_PYPSA,), timing.render_vs_pypsa, slow=True, volatile=True),
        Figure("performance_startup", "performance.md", (_STARTUP,), timing.render_startup, slow=True, volatile=True),
        Figure(
            "performance_startup_no_bytecode", "performance.md", ((*_STARTUP, "--no-bytecode"),),
            timing.render_startup, slow=True, volatile=True,
        ),
        Figure(
            "performance_vs_pypsa_reading", "performance.md", (_VS_PYPSA,),
            timing.render_vs_pypsa_reading, slow=True, volatile=True,
        ),
        Figure(
            "tenant_warm_vs_rebuild", "tenant.md", (), None, slow=True, volatile=True,
            compute=tenant_warm_vs_rebuild,
        ),
        Figure("offer_weather_years", "offer.md", (_OFFER_WY,), render_weather_years_json),
        Figure("plan_frontier_example", "plan.md", (_FRONTIER,), render_frontier),
        Figure("plan_frontier_timing", "plan.md", (_FRONTIER,), render_frontier_timing, volatile=True),
    )  # fmt: skip


_DEMO_SMALL = ("tenant", "scenarios/demo_small.yaml", "flat:p_mw=1")
_BAD_TENANTS = (
    ("tenant", SCENARIO, "aluminium_smelter:capacity=200000", *_BAD),
    ("tenant", SCENARIO, "smelter:capacity_t_per_yr=1", *_BAD),
    ("tenant", SCENARIO, "flat:p_mw=1", "--bus", "nowhere", *_BAD),
)
_BAD_OFFER = (
    (*_DEMO_SMALL, "--weather-years", "0", *_DEMO),
    (*_DEMO_SMALL, "--weather-years", "3", *_DEMO),
    (*_DEMO_SMALL, "--offer", *_DEMO, "--out", "{file}/sub"),
)

FIGURES: dict[str, Figure] = {
    f.name: f
    for f in (
        Figure("tenant_example", "tenant.md", (_TENANT + ("--lang", "en"),), render_tenant_full),
        Figure("tenant_reading", "tenant.md", (_TENANT + ("--lang", "en"),), render_tenant_reading),
        Figure("tenant_example_zh", "tenant.md", (_TENANT + ("--lang", "zh"),), render_tenant_table),
        Figure("tenant_year", "tenant.md", (_TENANT_YEAR,), year.render_tenant_year, slow=True),
        Figure("default_weather_years", "default_scenario.md", (_WEATHER,), year.render_weather_years, slow=True),
        Figure("default_export_capacity", "default_scenario.md", (_EXPORT,), year.render_export_capacity, slow=True),
        Figure("tenant_bad_profile", "tenant.md", _BAD_TENANTS, render_stderr, expect_error=True),
        Figure(
            "weather_full_load_hours", "data_weather.md", (), None, slow=True,
            compute=year.weather_full_load_hours,
        ),
        Figure("offer_bad_input", "offer.md", _BAD_OFFER, render_last_stderr_line, expect_error=True),
        Figure(
            "sweep_bad_path", "sweep.md",
            (("sweep", SCENARIO, "--set", "storage.battery_jy.e_max_mwh=0,4000", *_BAD_SWEEP),),
            render_stderr, expect_error=True,
        ),
        Figure(
            "sweep_bad_value", "sweep.md",
            (("sweep", SCENARIO, "--set", "storage.battery_jyg.e_max_mwh=-1,0,4000", *_BAD_SWEEP),),
            render_stderr, expect_error=True,
        ),
        *_year_figures(),
    )
}  # fmt: skip


class FigureError(RuntimeError):
    """A generator's command did not end as its doc says (it failed, or bad input passed)."""


def generate(name: str) -> str:
    """Run the command behind figure ``name`` and return its block (the text between markers)."""
    fig = FIGURES[name]
    if fig.compute is not None:
        return fig.compute()
    runs = []
    for args in fig.commands:
        run = run_gridopt(args)
        if (run.returncode != 0) != fig.expect_error:
            raise FigureError(
                f"{name}: `gridopt {' '.join(args)}` exited {run.returncode}"
                f" ({'expected an error' if fig.expect_error else 'expected success'}):\n"
                f"{run.stderr[-2000:]}"
            )
        runs.append(run)
    return fig.render(runs)


def blocks(doc: Path) -> dict[str, str]:
    """Marker name -> the text between its markers, for one doc."""
    found: dict[str, str] = {}
    for m in MARKER.finditer(doc.read_text(encoding="utf-8")):
        if m.group(1) in found:
            raise FigureError(f"{doc.name}: marker fig:{m.group(1)} appears twice")
        found[m.group(1)] = m.group(2)
    return found


def all_markers() -> dict[str, str]:
    """Marker name -> doc file name, over every docs/*.md."""
    where: dict[str, str] = {}
    for doc in sorted(DOCS.glob("*.md")):
        for name in blocks(doc):
            if name in where:
                raise FigureError(f"marker fig:{name} in both {where[name]} and {doc.name}")
            where[name] = doc.name
    return where


def replace_block(text: str, name: str, block: str) -> str:
    def sub(m: re.Match) -> str:
        return f"<!-- fig:{name} -->\n{block}<!-- /fig -->" if m.group(1) == name else m.group(0)

    return MARKER.sub(sub, text)


def write_doc(doc: Path, text: str) -> None:
    from gridopt.io import atomic_write

    atomic_write(doc, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("names", nargs="*", metavar="NAME", help="figures to run (default: not slow)")
    p.add_argument("--check", action="store_true", help="report differing blocks, exit 1")
    p.add_argument("--slow", action="store_true", help="include the slow (year-long) figures")
    p.add_argument("--list", action="store_true", help="list the figures and exit")
    a = p.parse_args(argv)
    if a.list:
        for f in FIGURES.values():
            kind = ("slow" if f.slow else "    ") + (" volatile" if f.volatile else " " * 9)
            print(f"{f.name:28s} docs/{f.doc:20s} {kind}  {f.command}")
        return 0
    unknown = [n for n in a.names if n not in FIGURES]
    if unknown:
        print(f"error: unknown figure {unknown}; use one of: {', '.join(FIGURES)}", file=sys.stderr)
        return 2
    names = a.names or [n for n, f in FIGURES.items() if a.slow or not f.slow]
    where = all_markers()
    missing = [n for n in names if n not in where]
    if missing:
        print(f"error: no marker in docs/ for {missing}", file=sys.stderr)
        return 2
    stale = []
    for name in names:
        doc = DOCS / FIGURES[name].doc
        try:
            fresh = generate(name)
        except FigureError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        current = blocks(doc)[name]
        if current == fresh or (a.check and same(name, current, fresh)):
            print(
                f"{name}: up to date"
                + (" (numbers masked: timings)" if FIGURES[name].volatile else "")
            )
            continue
        stale.append(name)
        if a.check:
            print(f"{name}: docs/{doc.name} differs from a fresh run of `{FIGURES[name].command}`")
        else:
            write_doc(doc, replace_block(doc.read_text(encoding="utf-8"), name, fresh))
            print(f"{name}: rewritten in docs/{doc.name}")
    if a.check and stale:
        print(f"run: python docs/figures.py {' '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
