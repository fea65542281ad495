"""What a command prints while it works and when it ends, in the chosen language.

One :class:`Console` per command invocation, created by ``cli.py`` and passed down as the
``progress`` callable of the library functions, so that:

- every line carries the same elapsed clock ``[  12.3 s]``, t = now - t0 [s] with t0 the
  moment the command's Console was made (never restarted by a sub-step);
- every line is in the Console's language (:mod:`gridopt.console_texts`; numbers and units
  as in the other language). A library function words its lines with :func:`text` /
  :func:`say`, which read ``progress.lang`` and fall back to English for a plain callable;
- during a HiGHS solve a live line shows the solver's iterations, objective and time
  (:func:`highs_progress`): rewritten in place (``\\r``) at most every
  :data:`TTY_INTERVAL_S` on a terminal, a plain line at most every :data:`LOG_INTERVAL_S`
  otherwise (CI, logs). The callback only reads HiGHS's counters: the solution is the same;
- Dask's own log lines and warnings stay off the console unless ``--debug``
  (:func:`quiet_dask`);
- figures per year that come from a horizon of H < 8760 h are flagged with the factor
  k = 8760 / H they are scaled by (:func:`extrapolation_factor`);
- a command that writes a folder ends with the files it wrote there (:func:`written_line`):
  the files that are new or changed (inode, size or modification time) against the folder's
  state before the command (:func:`folder_state`, :func:`changed_files`), whatever wrote them,
  never a fixed list; the files of a subfolder are counted (``figures/ (10 files)``).
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
import sys
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from gridopt.console_texts import TEXTS

HOURS_PER_YEAR = 8760
TTY_INTERVAL_S = 0.25
"""Shortest time between two rewrites of the live line on a terminal [s]."""
LOG_INTERVAL_S = 10.0
"""Shortest time between two live lines when stderr is not a terminal [s]."""

Live = Callable[[int, float, float], None]
"""``live(iterations, objective, seconds in the solver)``: HiGHS's progress (simplex
iterations so far, -1 when HiGHS's last line has none; the objective is NaN where HiGHS does
not report it)."""


def _tr(lang: str, key: str, fields: dict[str, Any]) -> str:
    t = TEXTS[lang if lang in TEXTS else "en"][key]
    return t.format(**fields) if fields else t


def text(progress: Any, key: str, **fields: Any) -> str:
    """The line ``key`` in the language of ``progress`` (a :class:`Console`), else English."""
    return _tr(getattr(progress, "lang", "en"), key, fields)


def say(progress: Callable[[str], None], key: str, **fields: Any) -> None:
    """``progress(text(progress, key, **fields))``."""
    progress(text(progress, key, **fields))


def live_of(progress: Any) -> Live | None:
    """The live-line callback of ``progress`` if it is a :class:`Console`, else None."""
    return getattr(progress, "solver_live", None)


class Prefixed:
    """``progress`` with ``prefix(lang, line)`` put before each line, keeping its language and
    its live line (e.g. ``Prefixed(progress, lambda lang, s: f"[seed 3] {s}")``)."""

    def __init__(self, progress: Callable[[str], None], prefix: Callable[[str, str], str]):
        self.progress, self.prefix = progress, prefix
        self.lang = getattr(progress, "lang", "en")
        self.solver_live = live_of(progress)

    def __call__(self, msg: str) -> None:
        self.progress(self.prefix(self.lang, msg))


def width(s: str) -> int:
    """Columns ``s`` takes on a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def pad(s: str, n: int, right: bool = False) -> str:
    """``s`` padded with spaces to ``n`` terminal columns (left-aligned, or ``right``)."""
    fill = " " * max(n - width(s), 0)
    return fill + s if right else s + fill


class Console:
    """The console of one command: ``con(msg)`` prints ``[elapsed] msg`` to stderr;
    ``con.t(key, **fields)`` is a text of :mod:`gridopt.console_texts` in ``lang``;
    ``con.echo`` prints a result line (stdout, no clock); ``con.warn`` a yellow line.

    ``tty`` (default: whether stderr is a terminal) chooses how the live line is drawn;
    ``clock`` (default ``time.perf_counter``) is for tests."""

    def __init__(
        self,
        lang: str = "en",
        *,
        debug: bool = False,
        tty: bool | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ):
        self.lang = lang if lang in TEXTS else "en"
        self.debug = debug
        self.clock = clock
        self.t0 = clock()
        self.tty = sys.stderr.isatty() if tty is None else tty
        self._live_width = 0
        self._last_live = -math.inf

    def elapsed(self) -> float:
        """Seconds since the command started."""
        return self.clock() - self.t0

    def stamp(self, msg: str) -> str:
        return f"[{self.elapsed():7.1f} s] {msg}"

    def t(self, key: str, **fields: Any) -> str:
        return _tr(self.lang, key, fields)

    def __call__(self, msg: str) -> None:
        self.end_live()
        click.echo(self.stamp(msg), err=True)

    def say(self, key: str, **fields: Any) -> None:
        self(self.t(key, **fields))

    def warn(self, msg: str) -> None:
        self.end_live()
        click.secho(self.stamp(msg), fg="yellow", err=True)

    def echo(self, msg: str = "", **style: Any) -> None:
        self.end_live()
        (click.secho if style else click.echo)(msg, **style)

    # -- the live line ------------------------------------------------------------------
    def live(self, msg: str) -> None:
        """Show ``msg`` as the live line (throttled: see the module docstring)."""
        now = self.clock()
        if now - self._last_live < (TTY_INTERVAL_S if self.tty else LOG_INTERVAL_S):
            return
        self._last_live = now
        line = self.stamp(msg)
        if self.tty:
            fill = " " * max(self._live_width - width(line), 0)
            click.echo("\r" + line + fill, nl=False, err=True)
            self._live_width = width(line)
        else:
            click.echo(line, err=True)

    def end_live(self) -> None:
        """End the live line (a newline on a terminal) before a normal line."""
        if self._live_width:
            click.echo("", err=True)
            self._live_width = 0

    def solver_live(self, iterations: int, objective: float, seconds: float) -> None:
        """HiGHS's progress as the live line (:data:`Live`; ``objective`` NaN when HiGHS does
        not give it during the solve, as in its simplex callback)."""
        if iterations < 0:
            self.live(self.t("live_solving", seconds=seconds))
        elif math.isfinite(objective):
            self.live(self.t("live", iterations=iterations, objective=objective, seconds=seconds))
        else:
            self.live(self.t("live_iterations", iterations=iterations, seconds=seconds))

    def solve_started(self) -> None:
        """A solve starts: the first plain (non-terminal) live line comes after
        :data:`LOG_INTERVAL_S`, so a short solve adds no line."""
        self._last_live = self.clock() if not self.tty else -math.inf


SIMPLEX_LOG = re.compile(r"^\s*(\d+)\s+([-+]?\d\.\d+e[-+]\d+)\s+(?:Ph1|Ph2|Pr|Du)")
"""A simplex iteration line of HiGHS's log: iteration count, objective, infeasibilities."""


@contextlib.contextmanager
def highs_progress(h: Any, live: Live | None) -> Iterator[None]:
    """While in the block, report ``h``'s progress to ``live`` from HiGHS's own log, received
    by the ``cbLogging`` callback (highspy >= 1.7) with the log switched on but kept off the
    console (``output_flag`` on, ``log_to_console`` off; restored afterwards). A simplex
    iteration line gives the iterations and the objective (:data:`SIMPLEX_LOG`); any other
    line (presolve, interior point, crossover) gives the time only (iterations -1). HiGHS
    writes these lines every few seconds, so the callback costs nothing measurable (a
    per-iteration callback, ``cbSimplexInterrupt``, cost ~14 % on a 168 h solve). The
    callback only reads: the solve's path and result are unchanged."""
    if live is None:
        yield
        return
    owner = getattr(live, "__self__", None)
    if isinstance(owner, Console):
        owner.solve_started()
    start, last = time.perf_counter(), [-math.inf]

    def on_log(e: Any) -> None:
        now = time.perf_counter()
        m = SIMPLEX_LOG.match(e.message)
        if m is None and now - last[0] < TTY_INTERVAL_S:
            return
        last[0] = now
        if m is None:
            live(-1, math.nan, now - start)
        else:
            live(int(m.group(1)), float(m.group(2)), now - start)

    flag = h.getOptionValue("output_flag")
    flag = flag[1] if isinstance(flag, tuple) else flag
    to_console = h.getOptionValue("log_to_console")
    to_console = to_console[1] if isinstance(to_console, tuple) else to_console
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("output_flag", True)
    h.cbLogging.subscribe(on_log)
    try:
        yield
    finally:
        h.cbLogging.unsubscribe(on_log)
        h.setOptionValue("output_flag", bool(flag))
        h.setOptionValue("log_to_console", bool(to_console))
        if isinstance(owner, Console):
            owner.end_live()


def quiet_dask(debug: bool = False) -> None:
    """Keep Dask's own log lines and warnings (e.g. "Port 8787 is already in use") off the
    console unless ``debug``: the ``distributed`` loggers at CRITICAL and its warnings ignored."""
    level = logging.INFO if debug else logging.CRITICAL
    for name in ("distributed", "dask", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(level)
    if not debug:
        warnings.filterwarnings("ignore", module=r"(distributed|dask)(\..*)?$")
        warnings.filterwarnings("ignore", message=r".*[Pp]ort 8787.*")


def extrapolation_factor(summary: dict) -> float | None:
    """k = 8760 / H when the summary of an H-hour run (H < 8760) holds figures per year
    scaled from it — annual fixed costs pro-rated into the cost-recovery and delivered price
    (their per-MWh share is fixed cost / (E x 8760 / H)) or a plan's annualised costs — else
    None (a full year, or nothing annual in it)."""
    hours = int(summary.get("hours") or 0)
    if not 0 < hours < HOURS_PER_YEAR:
        return None
    cr = summary.get("cost_recovery") or {}
    if cr.get("fixed_costs_prorated") and float(cr.get("fixed_cost_cny") or 0.0) > 0.0:
        return HOURS_PER_YEAR / hours
    if summary.get("plan") is not None:
        return HOURS_PER_YEAR / hours
    return None


def warn_extrapolated(con: Console, summary: dict) -> None:
    """One yellow line naming the factor when :func:`extrapolation_factor` gives one."""
    k = extrapolation_factor(summary)
    if k is not None:
        con.warn(con.t("extrapolated", hours=int(summary["hours"]), factor=k))


def sweep_lines(table: Any, bands: Any, params: Sequence[str], lang: str = "en") -> list[str]:
    """The sweep's results table as text lines, one row per case (``sweep.csv``'s rows of
    :func:`gridopt.sweep.collect.sweep_table`): the swept values, the weather year when
    swept, status, delivered price, load-weighted marginal price, curtailment and, when
    weather years are swept, the P10–P90 band of the delivered price of the case's
    parameter combination (:func:`gridopt.sweep.collect.price_bands`)."""

    def tr(key: str, **f: Any) -> str:
        return _tr(lang, key, f)

    def key(values: Sequence[Any]) -> tuple:
        return tuple(
            float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
            for v in values
        )

    swept_wy = bool(table["weather_year"].notna().any())
    band_of: dict[tuple, str] = {}
    if swept_wy and len(bands):
        lo_hi = ["delivered_price_cny_per_kwh_p10", "delivered_price_cny_per_kwh_p90"]
        for *values, lo, hi in bands[[*params, *lo_hi]].itertuples(index=False, name=None):
            band_of[key(values)] = "-" if not math.isfinite(lo) else f"{lo:.4f}–{hi:.4f}"
    head = [*params] + ([tr("col_weather_year")] if swept_wy else [])
    head += [tr("col_status"), tr("col_delivered"), tr("col_marginal"), tr("col_curtailment")]
    head += [tr("col_band")] if swept_wy else []

    def num(v: Any, fmt: str) -> str:
        try:
            v = float(v)
        except (TypeError, ValueError):
            return "-"
        return format(v, fmt) if math.isfinite(v) else "-"

    rows = []
    for _, r in table.iterrows():
        row = [str(r[p]) for p in params]
        if swept_wy:
            row.append(
                "-"
                if r["weather_year"] is None or str(r["weather_year"]) in ("<NA>", "nan")
                else str(r["weather_year"])
            )
        row += [
            tr(f"status_{r['status']}")
            if f"status_{r['status']}" in TEXTS["en"]
            else str(r["status"]),
            num(r["delivered_price_cny_per_kwh"], ".4f"),
            num(r["avg_marginal_price_cny_per_mwh"], ",.1f"),
            num(r["curtailment_mwh"], ",.0f"),
        ]
        if swept_wy:
            row.append(band_of.get(key([r[p] for p in params]), "-"))
        rows.append(row)
    widths = [
        max(width(h), *(width(x[i]) for x in rows)) if rows else width(h)
        for i, h in enumerate(head)
    ]
    n_text = len(params) + (1 if swept_wy else 0) + 1  # left-aligned: values and status

    def line(cells: list[str]) -> str:
        return "  " + "  ".join(
            pad(c, w, right=i >= n_text) for i, (c, w) in enumerate(zip(cells, widths))
        )

    out = [tr("sweep_table"), line(head)] + [line(r) for r in rows]
    n_years = int(bands["n_weather_years"].min()) if swept_wy and len(bands) else 0
    if swept_wy and n_years < 5:
        out.append("  " + tr("sweep_band_caution", n=n_years))
    return out


def unserved_lines(by_bus: dict[str, dict], lang: str = "en", most: int = 10) -> list[str]:
    """Lines for :func:`gridopt.results.unserved_by_bus`: one per bus, the largest ``most``
    first, in ``lang``."""
    lines = []
    for bus, u in list(by_bus.items())[:most]:
        if u["hours"] == 1:
            line = _tr(lang, "unserved_bus_hour", {"bus": bus, "u": u})
        else:
            line = _tr(lang, "unserved_bus_hours", {"bus": bus, "u": u})
        if not u["has_supply"]:
            line += _tr(lang, "unserved_no_supply", {})
        lines.append(line)
    if len(by_bus) > most:
        rest = sum(u["mwh"] for u in list(by_bus.values())[most:])
        lines.append(_tr(lang, "unserved_more", {"n": len(by_bus) - most, "mwh": rest}))
    return lines


def status(lang: str, solver_status: str) -> str:
    """HiGHS's model status in ``lang`` (``Optimal``; any other as HiGHS writes it)."""
    key = f"solver_{solver_status}"
    return _tr(lang, key, {}) if key in TEXTS["en"] else solver_status


def summary_lines(con: Console, s: dict, out_dir: Path) -> list[tuple[str, dict]]:
    """The closing lines of ``run`` / ``plan`` (figures of ``summary.json``) in ``con``'s
    language: (text, click style) pairs."""
    t = con.t
    out: list[tuple[str, dict]] = [("", {})]
    out.append(
        (
            t(
                "sum_head",
                scenario=s["scenario"],
                hours=s["hours"],
                start=s["start"],
                timezone=s["timezone"],
                status=status(con.lang, s["solver_status"]),
            ),
            {},
        )
    )
    rows = [
        ("sum_opex", f"{s['objective_cny'] / 1e6:14,.2f}", t("u_million_cny")),
        ("sum_load", f"{s['load_mwh'] / 1e3:14,.1f}", "GWh"),
        ("sum_curt", f"{s['curtailment_mwh'] / 1e3:14,.1f}", "GWh"),
        ("sum_co2", f"{s['emissions_t'] / 1e3:14,.1f}", "kt"),
    ]
    dp = s.get("delivered_price") or {}
    extra: list[tuple[str, str, str]] = []
    if s.get("cost_recovery_cny_per_mwh") is not None and dp:
        note = (
            t("sum_prorated") if (s.get("cost_recovery") or {}).get("fixed_costs_prorated") else ""
        )
        extra = [
            ("sum_recovery", f"{s['cost_recovery_cny_per_mwh']:14,.1f}", t("u_cny_per_mwh") + note),
            (
                "sum_delivered",
                f"{s['delivered_price_cny_per_kwh']:14,.4f}",
                t("u_cny_per_kwh")
                + t(
                    "sum_delivered_parts",
                    network=dp["network_charge_cny_per_kwh"],
                    funds=dp["funds_cny_per_kwh"],
                    provincial=dp["provincial_tariff_cny_per_kwh"],
                    benchmark=dp["benchmark_cny_per_kwh"],
                ),
            ),
        ]
    for key, value, unit in rows + extra:
        out.append((f"  {pad(t(key), 24)} {value} {unit}", {}))
    cols = [t("sum_time_weighted"), t("sum_load_weighted"), t("sum_min"), t("sum_max")]
    cw = [max(width(c), 10) for c in cols]
    out.append(
        (
            f"  {pad(t('sum_price_head'), 26)} "
            + "  ".join(pad(c, w, True) for c, w in zip(cols, cw)),
            {},
        )
    )
    for bus, p in s["prices"].items():
        lw = p["load_weighted_cny_per_mwh"]
        vals = [
            f"{p['time_weighted_cny_per_mwh'] + 0:.1f}",
            "-" if lw is None else f"{lw:.1f}",
            f"{p['min_cny_per_mwh'] + 0:.1f}",
            f"{p['max_cny_per_mwh'] + 0:.1f}",
        ]
        out.append(
            (f"    {pad(bus, 24)} " + "  ".join(pad(v, w, True) for v, w in zip(vals, cw)), {})
        )
    plan = s.get("plan")
    if plan is not None:
        out.append(
            (
                "  "
                + t(
                    "sum_plan",
                    capex=plan["capex_new_cny"] / 1e6,
                    annual=plan["annual_cost_new_cny_per_yr"] / 1e6,
                ),
                {},
            )
        )
        for key, b in plan["built"].items():
            unit = "MWh" if key.endswith("_mwh") else "MW"
            out.append(
                (
                    f"    {key:<34} +{b['new']:10,.1f} -{b['retired']:10,.1f} = {b['total']:10,.1f} {unit}",
                    {},
                )
            )
        if not plan["built"]:
            out.append(("    " + t("sum_nothing_built"), {}))
        before = plan.get("dispatch")
        if before and "delivered_price_cny_per_kwh" in before:
            out.append(
                (
                    "  "
                    + t(
                        "sum_plan_delivered",
                        before=before["delivered_price_cny_per_kwh"],
                        after=s["delivered_price_cny_per_kwh"],
                    ),
                    {},
                )
            )
    parts = ", ".join(
        f"{t('time_' + k) if 'time_' + k in TEXTS['en'] else k} {v:.2f}"
        for k, v in s["timings_s"].items()
    )
    out.append(("  " + t("sum_time", parts=parts, mb=s["peak_memory_mb"]), {}))
    if s["unserved_energy_mwh"] > 1e-6:
        red = {"fg": "red", "bold": True}
        out.append(("  " + t("sum_unserved", mwh=s["unserved_energy_mwh"]), red))
        for line in unserved_lines(s.get("unserved_energy_by_bus", {}), con.lang):
            out.append((f"    {line}", {"fg": "red"}))
    if s["excess_energy_mwh"] > 1e-6:
        out.append(
            ("  " + t("sum_excess", mwh=s["excess_energy_mwh"]), {"fg": "red", "bold": True})
        )
    return out


def print_summary(con: Console, s: dict, out_dir: Path) -> None:
    """Print :func:`summary_lines`, then the extrapolation warning (:func:`warn_extrapolated`).
    The files written are the caller's last line (:func:`written_line`)."""
    for line, style in summary_lines(con, s, out_dir):
        con.echo(line, **style)
    warn_extrapolated(con, s)


FileState = dict[Path, tuple[int, int, int]]


def folder_state(folder: Path) -> FileState:
    """(inode, size [B], modification time [ns]) of every file under ``folder``, in its
    subfolders too; {} when the folder does not exist."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    out: FileState = {}
    for p in folder.rglob("*"):
        with contextlib.suppress(OSError):  # a file removed while we look
            if p.is_file():
                st = p.stat()
                out[p] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def changed_files(folder: Path, before: FileState) -> list[Path]:
    """The files under ``folder`` that are new or changed against ``before`` (a file replaced
    by a staged copy has a new inode), in the order they were written (modification time,
    then name)."""
    after = folder_state(folder)
    new = [p for p, st in after.items() if before.get(p) != st]
    return sorted(new, key=lambda p: (after[p][2], str(p)))


def written_line(con: Console, folder: Path, files: Sequence[Path]) -> str:
    """``sum_written`` for ``files`` in ``folder``: their names, in order, the files of a
    subfolder counted as one item (``figures/ (10 files)``)."""
    folder = Path(folder)
    items: list[str] = []
    counts: dict[str, int] = {}
    for p in files:
        rel = Path(p).relative_to(folder) if Path(p).is_relative_to(folder) else Path(p)
        if len(rel.parts) > 1 and Path(p).is_relative_to(folder):
            sub = rel.parts[0]
            if sub not in counts:
                items.append(sub)
            counts[sub] = counts.get(sub, 0) + 1
        else:
            items.append(str(rel))
    shown = [con.t("files_in_folder", folder=i, n=counts[i]) if i in counts else i for i in items]
    return con.t("sum_written", path=folder, files=con.t("list_sep").join(shown))
