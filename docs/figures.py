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
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SCENARIO = "scenarios/jiayuguan_jiuquan_2025.yaml"
MARKER = re.compile(r"<!-- fig:([A-Za-z0-9_]+) -->\n(.*?)<!-- /fig -->", re.DOTALL)


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

    def __post_init__(self) -> None:
        assert bool(self.commands) != (self.compute is not None), self.name

    @property
    def command(self) -> str:
        if self.compute is not None:
            return f"python docs/figures.py {self.name}  # {self.compute.__doc__.splitlines()[0]}"
        return " ; ".join("gridopt " + " ".join(args) for args in self.commands)


@dataclass(frozen=True)
class Run:
    """What one gridopt command gave: exit code, printed text, the JSON files it wrote."""

    returncode: int
    stdout: str
    stderr: str
    json_files: dict[str, dict]  # file name in the output folder -> its content
    csv_files: dict[str, str]  # file name in the output folder -> its text


_RUNS: dict[tuple[str, ...], Run] = {}


def run_gridopt(args: tuple[str, ...]) -> Run:
    """Run the gridopt CLI in a child process from the repository root, ``{out}`` in an
    argument replaced by a temporary folder (nothing in results/ is touched) and ``{file}``
    by a file in the temporary folder that is printed as ``/tmp/afile``. Two figures of the
    same command share one run (within this process); lines naming the output folder are
    left out of the printed text."""
    if args in _RUNS:
        return _RUNS[args]
    with tempfile.TemporaryDirectory(prefix="gridopt-fig-") as tmp:
        out, afile = Path(tmp) / "out", Path(tmp) / "afile"
        afile.write_text("", encoding="utf-8")
        argv = [a.replace("{out}", str(out)).replace("{file}", str(afile)) for a in args]
        code = "import sys, cli; sys.argv[0] = 'gridopt'; cli.main()"
        r = subprocess.run(
            [sys.executable, "-c", code, *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        files = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in out.glob("*.json")}
        csvs = {f.name: f.read_text(encoding="utf-8-sig") for f in out.glob("*.csv")}

    def keep(text: str) -> str:
        text = "".join(line for line in text.splitlines(True) if str(out) not in line)
        return text.replace(str(afile), "/tmp/afile")

    _RUNS[args] = Run(r.returncode, keep(r.stdout), keep(r.stderr), files, csvs)
    return _RUNS[args]


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


def _prose(text: str) -> str:
    """A paragraph wrapped as the docs are (95 columns)."""
    return textwrap.fill(text, width=95, break_on_hyphens=False) + "\n"


def _span(values, fmt: str, unit: str = "") -> str:
    """'lo–hi unit' of the values in format ``fmt`` (one value when both round the same)."""
    lo, hi = format(min(values), fmt), format(max(values), fmt)
    return (lo if lo == hi else f"{lo}–{hi}") + (f" {unit}" if unit else "")


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


def render_tenant_year(runs: list[Run]) -> str:
    """The prose paragraph of docs/tenant.md on the year-long smelter, from tenant.json."""
    study = runs[0].json_files["tenant.json"]
    t = study["tenants"][0]
    flex = {round(v["band"], 4): v for v in t["flexibility_value"]}[0.1]
    return _prose(
        f"Over the full year ({study['hours']} h, `--hours` left out), the same 200 kt/yr "
        f"smelter has a short-run incremental cost of "
        f"{t['short_run_incremental_cost_cny_per_mwh']:.1f} CNY/MWh "
        f"({t['short_run_price_cny_per_kwh']:.4f} CNY/kWh with charges), green share "
        f"{100 * t['green_share']:.0f} %, {t['absorbed_curtailment_mwh'] / 1e3:,.0f} GWh of "
        f"curtailment absorbed out of its {t['energy_mwh'] / 1e6:.1f} TWh, "
        f"{t['delta_coal_mwh'] / 1e3:+,.0f} GWh coal, {t['delta_emissions_t'] / 1e3:+,.0f} kt "
        f"CO2, {t['existing_loads_price_change_cny_per_mwh']:+.1f} CNY/MWh for existing loads; "
        f"±10 % flexibility saves {flex['short_run_saving_cny_per_mwh']:.1f} CNY/MWh, "
        f"{flex['short_run_saving_cny_per_yr'] / 1e6:.1f} M CNY/yr."
    )


def _rows(run: Run, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run.csv_files[name])))


def _sweep_cells(row: dict[str, str]) -> list[str]:
    """delivered, avg marginal price, cost recovery, curtailment, CO2 of one sweep.csv row."""
    return [
        f"{float(row['delivered_price_cny_per_kwh']):.3f}",
        f"{float(row['avg_marginal_price_cny_per_mwh']):.1f}",
        f"{float(row['cost_recovery_cny_per_mwh']):.1f}",
        f"{float(row['curtailment_mwh']) / 1e6:.2f}",
        f"{float(row['emissions_t']) / 1e6:.2f}",
    ]


_SWEEP_HEAD = (
    "delivered [CNY/kWh] | avg marginal price [CNY/MWh] | cost-recovery [CNY/MWh] | "
    "curtailment [TWh] | CO2 [Mt] |"
)


def render_weather_years(runs: list[Run]) -> str:
    """docs/default_scenario.md: one row per weather year of the sweep, then the P10/P50/P90."""
    rows = _rows(runs[0], "sweep.csv")
    (band,) = _rows(runs[0], "sweep_bands.csv")
    first = min(int(r["weather_year"]) for r in rows)
    lines = ["| weather year (seed) | " + _SWEEP_HEAD, "|---" * 6 + "|"]
    for r in rows:
        year = r["weather_year"] + (" (default)" if int(r["weather_year"]) == first else "")
        lines.append("| " + " | ".join([year, *_sweep_cells(r)]) + " |")

    def q(metric: str, fmt: str) -> str:
        return " / ".join(format(float(band[f"{metric}_p{p}"]), fmt) for p in (10, 50, 90))

    return (
        "\n".join(lines)
        + "\n\nBand P10 / P50 / P90: delivered price "
        + q("delivered_price_cny_per_kwh", ".3f")
        + " CNY/kWh; average marginal price "
        + q("avg_marginal_price_cny_per_mwh", ".0f")
        + " CNY/MWh.\n"
    )


def render_export_capacity(runs: list[Run]) -> str:
    """docs/default_scenario.md: one row per case of scenarios/studies/export_capacity.yaml."""
    rows = _rows(runs[0], "sweep.csv")
    tie, line = "ties.gansu.export_max_mw", "lines.hexi_corridor.p_max_mw"
    lines = ["| export limit [MW] | Hexi corridor [MW] | " + _SWEEP_HEAD, "|---" * 7 + "|"]
    for r in sorted(rows, key=lambda r: (float(r[tie]), float(r[line]))):
        lines.append(
            f"| {float(r[tie]):,.0f} | {float(r[line]):,.0f} | "
            + " | ".join(_sweep_cells(r))
            + " |"
        )
    return "\n".join(lines) + "\n"


def weather_full_load_hours() -> str:
    """gridopt.data's synthetic 2025 weather, seeds 0-19, default parameters, full-load hours.

    For docs/data_weather.md: PV at Jiayuguan (fixed tilt and single-axis, per MWp on the
    ``dc`` basis and per MW AC), wind (the default turbine) in the Guazhou/Yumen wind area;
    a full-load hour is the annual sum of pu. A table of seeds 0-9 with mean and coefficient
    of variation, then the ranges over seeds 0-19 and the tracking gain.
    """
    import pandas as pd

    from gridopt.data.solar import pv_power_pu
    from gridopt.data.weather import GUAZHOU_YUMEN_WIND, JIAYUGUAN, synthetic_weather
    from gridopt.data.wind import wind_power_pu

    year = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Asia/Shanghai")
    rows = []
    for seed in range(20):
        pv_w = synthetic_weather(JIAYUGUAN, year, seed)
        wind_w = synthetic_weather(GUAZHOU_YUMEN_WIND, year, seed)
        fixed_ac = pv_power_pu(pv_w, JIAYUGUAN).sum()
        tracking_ac = pv_power_pu(pv_w, JIAYUGUAN, mount="single_axis").sum()
        rows.append(
            {
                "ghi": pv_w["ghi"].sum() / 1000.0,
                "fixed_dc": pv_power_pu(pv_w, JIAYUGUAN, capacity_basis="dc").sum(),
                "tracking_dc": pv_power_pu(
                    pv_w, JIAYUGUAN, mount="single_axis", capacity_basis="dc"
                ).sum(),
                "fixed_ac": fixed_ac,
                "tracking_ac": tracking_ac,
                "wind": wind_power_pu(wind_w, GUAZHOU_YUMEN_WIND).sum(),
                "wind_ms": wind_w["wind_speed"].mean(),
            }
        )
        assert wind_w.attrs["wind_height_m"] == 70.0  # the table's column says 70 m
    df = pd.DataFrame(rows)
    ten = df.iloc[:10]
    cols = list(df.columns)

    def cells(values) -> str:
        out = [f"{values[c]:,.0f}" for c in cols[:-1]] + [f"{values['wind_ms']:.2f}"]
        return " | ".join(out)

    lines = [
        "| seed | GHI kWh/m² | PV fixed h/MWp | PV tracking h/MWp | PV fixed h/MWac "
        "| PV tracking h/MWac | wind h | mean wind 70 m m/s |",
        "|---" * 8 + "|",
    ]
    lines += [f"| {i} | {cells(r)} |" for i, r in ten.iterrows()]
    lines.append(f"| mean | {cells(ten.mean())} |")
    cov = ten.std(ddof=0) / ten.mean()
    lines.append("| CoV | " + " | ".join(f"{100 * cov[c]:.1f} %" for c in cols) + " |")
    lines.append("| DOMAIN range | – | 1,550–1,650 | 1,750–1,900 | – | – | 2,600–3,000 | – |")
    gain = (df["tracking_ac"] / df["fixed_ac"]).mean() - 1.0

    def rng(c: str) -> str:
        return f"{df[c].min():,.0f}–{df[c].max():,.0f}"

    prose = _prose(
        f"The tracking gain over fixed tilt is about {100 * gain:.0f} % (GCR 0.3). Over seeds "
        f"0–19: fixed {rng('fixed_dc')}, tracking {rng('tracking_dc')}, wind {rng('wind')} "
        f"(h/MWp for PV)."
    )
    return "\n".join(lines) + "\n\n" + prose


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

FIGURES: dict[str, Figure] = {
    f.name: f
    for f in (
        Figure("tenant_example", "tenant.md", (_TENANT + ("--lang", "en"),), render_tenant_full),
        Figure("tenant_reading", "tenant.md", (_TENANT + ("--lang", "en"),), render_tenant_reading),
        Figure(
            "tenant_example_zh", "tenant.md", (_TENANT + ("--lang", "zh"),), render_tenant_table
        ),
        Figure(
            "tenant_year",
            "tenant.md",
            (("tenant", SCENARIO, _TENANTS[0], "--no-report", "--lang", "en", "--out", "{out}"),),
            render_tenant_year,
            slow=True,
        ),
        Figure(
            "default_weather_years",
            "default_scenario.md",
            (("sweep", SCENARIO, "--weather-years", "6", "--lang", "en", "--out", "{out}"),),
            render_weather_years,
            slow=True,
        ),
        Figure(
            "default_export_capacity",
            "default_scenario.md",
            (
                (
                    "sweep",
                    "scenarios/studies/export_capacity.yaml",
                    "--lang",
                    "en",
                    "--out",
                    "{out}",
                ),
            ),
            render_export_capacity,
            slow=True,
        ),
        Figure(
            "tenant_bad_profile",
            "tenant.md",
            (
                ("tenant", SCENARIO, "aluminium_smelter:capacity=200000", *_BAD),
                ("tenant", SCENARIO, "smelter:capacity_t_per_yr=1", *_BAD),
                ("tenant", SCENARIO, "flat:p_mw=1", "--bus", "nowhere", *_BAD),
            ),
            render_stderr,
            expect_error=True,
        ),
        Figure(
            "weather_full_load_hours",
            "data_weather.md",
            (),
            None,
            slow=True,
            compute=weather_full_load_hours,
        ),
        Figure(
            "offer_bad_input",
            "offer.md",
            (
                (
                    "tenant",
                    "scenarios/demo_small.yaml",
                    "flat:p_mw=1",
                    "--weather-years",
                    "0",
                    *_DEMO,
                ),
                (
                    "tenant",
                    "scenarios/demo_small.yaml",
                    "flat:p_mw=1",
                    "--weather-years",
                    "3",
                    *_DEMO,
                ),
                (
                    "tenant",
                    "scenarios/demo_small.yaml",
                    "flat:p_mw=1",
                    "--offer",
                    *_DEMO,
                    "--out",
                    "{file}/sub",
                ),
            ),
            render_last_stderr_line,
            expect_error=True,
        ),
        Figure(
            "sweep_bad_path",
            "sweep.md",
            (("sweep", SCENARIO, "--set", "storage.battery_jy.e_max_mwh=0,4000", *_BAD_SWEEP),),
            render_stderr,
            expect_error=True,
        ),
        Figure(
            "sweep_bad_value",
            "sweep.md",
            (("sweep", SCENARIO, "--set", "storage.battery_jyg.e_max_mwh=-1,0,4000", *_BAD_SWEEP),),
            render_stderr,
            expect_error=True,
        ),
    )
}


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
            print(f"{f.name:24s} docs/{f.doc:20s} {'slow' if f.slow else '    '}  {f.command}")
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
        if blocks(doc)[name] == fresh:
            print(f"{name}: up to date")
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
