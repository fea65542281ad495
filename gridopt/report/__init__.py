"""Reports a planner can hand on: one offline HTML page, one Excel workbook, slide-sized PNGs.

``make_report(results_dir)`` reads ``results_dir/results.nc`` (written by ``gridopt run``) and
writes ``report.html``, ``report.xlsx``, ``figures/*.png``, ``statistics.csv`` (the
technology statistics of :mod:`gridopt.statistics`) and ``network.csv`` (its lines and ties;
each file atomically) into the output
folder, in Chinese (``zh``) or English (``en``). The numbers come from :mod:`gridopt.prices`
and :mod:`gridopt.results`; what each figure shows is in docs/report.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

import xarray as xr

from gridopt.errors import InputError, Problem
from gridopt.report.errors import ReportError
from gridopt.report.i18n import LANGUAGES

FORMATS = ("html", "xlsx", "png")

OTHER_REQUIRED = (
    "price_cny_per_mwh",
    "price_setter",
    "objective_cny",
    "discount_rate",
    "tariff_network_charge_cny_per_kwh",
    "tariff_funds_cny_per_kwh",
    "tariff_benchmark_cny_per_kwh",
    "tariff_provincial_cny_per_kwh",
)
"""The variables a report needs besides the families' results: price, price setter,
objective, discount rate and tariff."""


def required_variables() -> tuple[str, ...]:
    """The variables a results file must hold for a report (a subset of what ``gridopt run``
    writes): every result the families declare (:data:`gridopt.model.DECLARATIONS`), the
    investment (``<dim>_capex_cny``) of every family whose investment the local price
    recovers (``Economics.component`` set: :data:`gridopt.prices.recovery.GRID`; not a tie's,
    which the provincial grid bears, nor a customer's plant), then :data:`OTHER_REQUIRED`."""
    from gridopt.model import DECLARATIONS

    results = [o.result for f in DECLARATIONS for o in f.results]
    capex = [
        f"{f.dim}_capex_cny"
        for f in DECLARATIONS
        if f.economics is not None and f.economics.component is not None
    ]
    return (*OTHER_REQUIRED[:3], *results, *capex, *OTHER_REQUIRED[3:])


def __getattr__(name: str):
    if name == "REQUIRED":  # computed on use: gridopt.model (Pyomo) loads only when needed
        return required_variables()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def parse_formats(text: str | Iterable[str]) -> tuple[str, ...]:
    """'html,xlsx' -> ('html', 'xlsx'); raises ReportError for an unknown or empty format."""
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for item in items:
        f = item.strip().lower()
        if not f:
            continue
        if f not in FORMATS:
            raise ReportError(
                f"--format {item.strip()!r}: unknown format; use any of {', '.join(FORMATS)} (comma-separated)"
            )
        if f not in out:
            out.append(f)
    if not out:
        raise ReportError(
            f"--format: no format given; use any of {', '.join(FORMATS)} (comma-separated)"
        )
    return tuple(out)


def check_lang(lang: str) -> str:
    """The language code of ``--lang`` (``zh`` or ``en``; case and spaces do not matter).

    The one check of a language for every command and function that takes one (reports,
    ``gridopt tenant``, ``gridopt sweep``): raises :class:`InputError` for an unknown language.
    """
    code = str(lang).strip().lower()
    if code not in LANGUAGES:
        raise InputError(
            Problem("--lang", "unknown language", str(lang), "use " + " or ".join(LANGUAGES))
        )
    return code


def load_results(results_dir: str | Path) -> xr.Dataset:
    """Read ``results_dir/results.nc`` and check that it is a gridopt results file.

    Raises ReportError (one line, with the fix) for a missing folder, a missing or unreadable
    file, or a file without the variables a report needs.
    """
    from gridopt.io import read_results

    d = Path(results_dir)
    if not d.exists():
        raise ReportError(
            f"{d}: no such folder; give the folder that `gridopt run ... --out DIR` wrote"
        )
    if not d.is_dir():
        raise ReportError(
            f"{d}: not a folder; give the folder that holds results.nc (written by `gridopt run`)"
        )
    path = d / "results.nc"
    if not path.exists():
        raise ReportError(f"{d}: no results.nc here; run `gridopt run SCENARIO --out {d}` first")
    try:
        r = read_results(path)
    except Exception as exc:  # netCDF4/xarray raise many kinds for a foreign file
        raise ReportError(
            f"{path}: not a gridopt results file (cannot be read as NetCDF: {type(exc).__name__})"
        ) from None
    missing = [v for v in required_variables() if v not in r.variables]
    if missing or "time" not in r.dims or "bus" not in r.dims:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise ReportError(
            f"{path}: not a gridopt results file (missing {shown or 'the time and bus dimensions'}); "
            "re-run `gridopt run` to write a complete one"
        )
    if r.sizes["time"] == 0:
        raise ReportError(f"{path}: the results have no hours")
    return r


def make_report(
    results_dir: str | Path,
    out_dir: str | Path | None = None,
    *,
    lang: str = "zh",
    formats: str | Iterable[str] = FORMATS,
    week: str | int | None = None,
    progress: Callable[[str], None] = lambda s: None,
    shown_as: str | Path | None = None,
) -> dict[str, list[Path]]:
    """Write the report of ``results_dir`` into ``out_dir`` (default: ``results_dir``).

    ``shown_as``: the folder the report names as its source (default ``results_dir``), for
    results read from a staging folder that is moved into place afterwards.

    Returns format -> files written. Raises ReportError (InputError for ``lang``) for bad input,
    before anything is written.
    """
    lang = check_lang(lang)
    fmts = parse_formats(formats)
    out = Path(out_dir) if out_dir is not None else Path(results_dir)
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: exists and is not a folder")
    r = load_results(results_dir)
    from gridopt.report import data as report_data

    report_data.select_week(r, week)  # a bad --week stops here, before the figures are computed
    d = report_data.build(r, Path(results_dir), week)
    if shown_as is not None:
        d.meta["results_dir"] = str(shown_as)
    dp, gap = d.delivered, d.gap
    from gridopt.console import say

    if math.isfinite(dp["delivered_cny_per_kwh"]):
        say(  # in the language of the command's Console (English for a plain callable)
            progress,
            "report_delivered",
            delivered=dp["delivered_cny_per_kwh"],
            recovery=gap["cost_recovery_cny_per_mwh"],
            provincial=dp["provincial_tariff_cny_per_kwh"],
            marginal=gap["average_marginal_cny_per_mwh"],
        )
    written: dict[str, list[Path]] = {}
    if "png" in fmts:  # first: a missing CJK font stops the report before anything is written
        from gridopt.report import png

        png.check_font(lang)
    from gridopt.io import staged_folder

    # written as a whole: a failure in any format leaves the earlier report files as they were
    with staged_folder(out, last=()) as stage:
        from gridopt.statistics import write_csv

        say(progress, "report_writing", file="statistics.csv")
        write_csv(r, stage / "statistics.csv")
        from gridopt.statistics import write_network_csv

        say(progress, "report_writing", file="network.csv")
        write_network_csv(r, stage / "network.csv")
        written["csv"] = [stage / "statistics.csv", stage / "network.csv"]
        if "html" in fmts:
            from gridopt.report import html

            say(progress, "report_writing", file="report.html")
            written["html"] = [html.write(d, stage / "report.html", lang)]
        if "xlsx" in fmts:
            from gridopt.report import xlsx

            say(progress, "report_writing", file="report.xlsx")
            written["xlsx"] = [xlsx.write(d, stage / "report.xlsx", lang)]
        if "png" in fmts:
            say(progress, "report_writing", file="figures/*.png")
            written["png"] = png.write_all(d, stage / "figures", lang)
    written = {k: [out / Path(p).relative_to(stage) for p in v] for k, v in written.items()}
    return written


__all__ = [
    "FORMATS",
    "OTHER_REQUIRED",
    "REQUIRED",
    "ReportError",
    "check_lang",
    "load_results",
    "make_report",
    "parse_formats",
    "required_variables",
]
