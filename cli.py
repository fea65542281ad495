"""gridopt command line: ``validate``, ``run``, ``report``, ``compare``, ``assumptions``, ``tenant``, ``sweep``.

A thin layer: every command calls library functions; user errors are one clear message and a
non-zero exit (a traceback only with ``--debug``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gridopt.errors import GridoptError

#: longest error text shown for an unexpected internal error (the traceback is in --debug)
_MAX_INTERNAL_CHARS = 300


def _fail(message: str, exc: BaseException, debug: bool) -> None:
    """Print ``error: message`` and exit 1, or re-raise ``exc`` (full traceback) with --debug."""
    if debug:
        raise exc
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(1)


def _os_message(exc: OSError) -> str:
    """An OS error as a person writes it: ``results/x: Not a directory`` (no errno, no quotes)."""
    if exc.filename is None or not exc.strerror:
        return str(exc)
    text = f"{exc.filename}: {exc.strerror}"
    return text + (f" (to {exc.filename2})" if exc.filename2 is not None else "")


def _internal_message(exc: BaseException, argv: list[str]) -> str:
    """One line for an exception gridopt did not expect: the command, the exception's first line
    (capped), and that it is a bug to rerun with --debug and report."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    if len(text) > _MAX_INTERNAL_CHARS:
        text = text[: _MAX_INTERNAL_CHARS - 1] + "…"
    command = " ".join(["gridopt", *argv])
    return (
        f"internal error in `{command}`: {text}. This is a bug in gridopt, not a problem in your "
        "input: rerun with --debug for the traceback and report it"
    )


class _Group(click.Group):
    """Every error of a command is one ``error:`` message and exit 1 unless --debug (then the
    traceback): gridopt's own errors (GridoptError) as they are, OS errors as ``path: reason``,
    and anything else as an internal error naming the command. Click's own usage errors and
    exits pass through unchanged."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["gridopt.argv"] = [a for a in args if a != "--debug"]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        def debug() -> bool:
            return bool(ctx.obj.get("debug", False)) if ctx.obj else False

        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except GridoptError as exc:
            _fail(str(exc), exc, debug())
        except BrokenPipeError:  # output piped into `head` and closed: not an error
            sys.stderr.close()
            sys.exit(0)
        except OSError as exc:
            _fail(_os_message(exc), exc, debug())
        except MemoryError as exc:
            _fail(
                "out of memory; solve fewer hours (--hours) or use a machine with more memory",
                exc,
                debug(),
            )
        except Exception as exc:  # noqa: BLE001 - anything else is a bug: one line, not a traceback
            _fail(_internal_message(exc, ctx.meta.get("gridopt.argv", [])), exc, debug())


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="gridopt")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """gridopt: cheapest hourly dispatch and marginal prices of a local grid (Pyomo + HiGHS)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def _progress(lang: str = "en"):
    """The command's one :class:`gridopt.console.Console` (one elapsed clock, ``lang``),
    made once per invocation and passed down as ``progress``."""
    from gridopt.console import Console

    ctx = click.get_current_context(silent=True)
    debug = bool(ctx and ctx.find_root().obj and ctx.find_root().obj.get("debug"))
    return Console(lang, debug=debug)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
def validate(scenario: Path) -> None:
    """Check SCENARIO (schema, cross-references, every hourly series) and print a summary."""
    from gridopt.inputs import expansion_warnings, load_checked, summary_line

    ls, ds = load_checked(scenario)  # numpy arrays: neither pandas nor xarray is imported
    for warning in expansion_warnings(ls, ds):
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    click.echo(f"valid: {summary_line(ds)}")


@main.command()
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--check",
    is_flag=True,
    help="Only list numbers that carry no source or assumption label; exit 1 if any.",
)
def assumptions(scenario: Path, check: bool) -> None:
    """Print the assumptions table of SCENARIO: every number, its unit and its source comment."""
    from gridopt.scenario.assumptions import assumption_rows, unlabelled

    if check:
        missing = unlabelled(scenario)
        for r in missing:
            click.echo(
                f"{scenario}: line {r.line}: {r.field} = {r.value} has no source or assumption label"
            )
        if missing:
            sys.exit(1)
        click.echo(f"{scenario}: every number carries a source or an assumption label")
        return
    for r in assumption_rows(scenario):
        click.echo(f"{r.field:<60} {r.value:>14} {r.unit:<9} {r.source}")


def _check_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """--lang of report, tenant and sweep: checked when the command line is read, with the one
    message of :func:`gridopt.report.check_lang` (zh or en; case and spaces do not matter)."""
    from gridopt.report import check_lang

    return check_lang(value)


def _lang_option(help_text: str):
    return click.option(
        "--lang",
        default="zh",
        show_default=True,
        metavar="zh|en",
        callback=_check_lang,
        help=help_text,
    )


def _check_out(path: Path, option: str = "--out") -> Path:
    """``--out`` checked before anything is solved, without creating anything
    (:func:`gridopt.io.check_folder`)."""
    from gridopt.io import check_folder

    return check_folder(path, option)


def _check_hosting(value: str | None) -> list[float] | None:
    """``--hosting START:STOP:STEP`` -> the steps [MW], or a click error naming the value and
    the fix (:func:`gridopt.tenant.hosting.parse_hosting`)."""
    if value is None:
        return None
    from gridopt.errors import InputError
    from gridopt.tenant.hosting import parse_hosting

    try:
        return parse_hosting(value)
    except InputError as exc:
        p = exc.problems[0]
        raise click.BadParameter(
            f"{p.message} (got {value!r}); {p.fix}", param_hint="--hosting"
        ) from None


def _parse_options(pairs: tuple[str, ...]) -> dict[str, object]:
    """``("time_limit=600", ...)`` -> ``{"time_limit": 600, ...}`` (HiGHS options)."""
    from gridopt.keyvalue import read_scalar, split_pair

    out: dict[str, object] = {}
    for pair in pairs:
        kv = split_pair(pair)
        if kv is None:
            raise click.BadParameter(
                f"{pair!r}: write it as key=value, e.g. time_limit=600",
                param_hint="--solver-option",
            )
        out[kv[0]] = read_scalar(kv[1])
    return out


def _solve_options(out_default: str, hours_help: str):
    """The SCENARIO argument and the --out, --hours and --solver-option options of a command
    that solves a scenario (run, plan)."""

    def apply(f):
        for decorator in reversed(
            (
                click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path)),
                click.option(
                    "--out",
                    "out_dir",
                    type=click.Path(file_okay=False, path_type=Path),
                    default=None,
                    help=f"Output folder (default: {out_default}).",
                ),
                click.option("--hours", type=click.IntRange(min=1), default=None, help=hours_help),
                click.option(
                    "--solver-option",
                    "solver_options",
                    multiple=True,
                    metavar="KEY=VALUE",
                    help="HiGHS option, repeatable (e.g. --solver-option time_limit=600).",
                ),
            )
        ):
            f = decorator(f)
        return f

    return apply


@main.command()
@_solve_options("results/<scenario file name>", "Solve only the first N hours.")
@click.option(
    "--report",
    "with_report",
    is_flag=True,
    help="Also write the report (report.html, report.xlsx, figures/*.png; in --lang) into the output folder.",
)
@_lang_option("Language of the console lines and of the --report: zh or en.")
def run(
    scenario: Path,
    out_dir: Path | None,
    hours: int | None,
    solver_options: tuple[str, ...],
    with_report: bool,
    lang: str,
) -> None:
    """Solve SCENARIO and write results.nc, prices.csv, scenario_resolved.yaml and
    summary.json (with --report the report too); the last line lists the files written."""
    from gridopt.run import run_scenario

    out_dir = _check_out(out_dir or Path("results") / scenario.stem)
    progress = _progress(lang)
    before = _folder_state(out_dir)
    out = run_scenario(
        scenario,
        out_dir,
        hours=hours,
        solver_options=_parse_options(solver_options),
        progress=progress,
    )
    _print_summary(out.summary, out_dir, progress)
    if with_report:
        from gridopt.report import make_report

        make_report(out_dir, lang=lang, progress=progress)
    _print_written(out_dir, before, progress)  # the results and the report's files


@main.command()
@_solve_options("results/<scenario file name>_plan", "Plan on the first N hours only.")
@click.option(
    "--frontier",
    "frontier_spec",
    default=None,
    metavar="TARGET=START:STOP:STEP",
    help="Re-solve warm at each step of a policy target (green_share=0.6:1.0:0.05 or "
    "co2_max_t=4e6:1e6:-5e5) and write frontier.csv and frontier.png instead.",
)
@_lang_option("Language of the console lines and the frontier figure: zh or en.")
def plan(
    scenario: Path,
    out_dir: Path | None,
    hours: int | None,
    solver_options: tuple[str, ...],
    frontier_spec: str | None,
    lang: str,
) -> None:
    """Choose the capacities SCENARIO lets expand or retire together with the hourly dispatch
    (least annualised capital + fixed O&M + operating cost), and write build.csv, results.nc,
    prices.csv and summary.json (with a plan block) of the planned year."""
    from gridopt.run import run_scenario

    out_dir = _check_out(out_dir or Path("results") / f"{scenario.stem}_plan")
    progress = _progress(lang)
    if frontier_spec is not None:
        from gridopt.frontier import frontier, parse_frontier

        parse_frontier(frontier_spec)  # a bad range fails before anything is solved
        table = frontier(
            scenario,
            frontier_spec,
            out_dir,
            hours=hours,
            solver_options=_parse_options(solver_options),
            progress=progress,
            lang=lang,
        )
        click.echo(table.iloc[:, :7].to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
        click.echo(progress.t("frontier_written", path=out_dir))
        return
    before = _folder_state(out_dir)
    out = run_scenario(
        scenario,
        out_dir,
        hours=hours,
        solver_options=_parse_options(solver_options),
        progress=progress,
        plan=True,
    )
    _print_summary(out.summary, out_dir, progress)
    _print_written(out_dir, before, progress)


@main.command()
@click.argument("results_dir", type=click.Path(path_type=Path))
@_lang_option("Language of every label: zh or en.")
@click.option(
    "--format",
    "formats",
    default="html,xlsx,png",
    show_default=True,
    help="Comma-separated: html (one offline page), xlsx (one workbook), png (slide figures).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: RESULTS_DIR).",
)
@click.option(
    "--week",
    default=None,
    metavar="N|YYYY-MM-DD",
    help="Week of the dispatch chart: its number from the start, or its first day (default: the most expensive week).",
)
def report(
    results_dir: Path, lang: str, formats: str, out_dir: Path | None, week: str | None
) -> None:
    """Write the price report of RESULTS_DIR (a folder written by `gridopt run`)."""
    from gridopt.report import make_report

    if out_dir is not None:
        _check_out(out_dir)
    progress = _progress(lang)
    written = make_report(
        results_dir, out_dir, lang=lang, formats=formats, week=week, progress=progress
    )
    _print_report(written, progress)


@main.command()
@click.argument(
    "results_dirs", nargs=-1, metavar="DIR1 DIR2 [DIR3 ...]", type=click.Path(path_type=Path)
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: compare/ in the current folder).",
)
@_lang_option("Language of every label: zh or en.")
@click.option(
    "--names",
    default=None,
    metavar="A,B,...",
    help="Names of the folders, one each (default: the folders' names).",
)
def compare(
    results_dirs: tuple[Path, ...], out_dir: Path | None, lang: str, names: str | None
) -> None:
    """Compare results folders side by side: compare.html, compare.xlsx, compare.csv (docs/compare.md)."""
    from gridopt.compare import make_compare
    from gridopt.compare.texts import Texts

    files = make_compare(results_dirs, out_dir, lang=lang, names=names, progress=_progress(lang))
    click.echo(Texts(lang)("written", n=len(files), folder=files[0].parent))
    for p in files:
        click.echo(f"  {p}")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("profiles", nargs=-1, required=True, metavar="PROFILE [PROFILE ...]")
@click.option(
    "--bus",
    default=None,
    help="Bus of the tenants (default: the bus of the scenario's largest industrial load).",
)
@click.option(
    "--flex-band",
    type=float,
    default=0.0,
    show_default=True,
    help="Flexibility band of the tenants, a share of their profile (0.1: +-10 %, energy kept per window).",
)
@click.option(
    "--window-h",
    type=click.IntRange(min=1),
    default=24,
    show_default=True,
    help="Energy window of a flexible tenant [h].",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: results/<scenario file name>).",
)
@_lang_option("Language of the printed table and the report (as gridopt report).")
@click.option(
    "--hours", type=click.IntRange(min=1), default=None, help="Solve only the first N hours."
)
@click.option(
    "--solver-option",
    "solver_options",
    multiple=True,
    metavar="KEY=VALUE",
    help="HiGHS option, repeatable.",
)
@click.option(
    "--report/--no-report",
    "with_report",
    default=True,
    show_default=True,
    help="Also write the base case's results and the report with the tenant section (report.html, report.xlsx).",
)
@click.option(
    "--format",
    "formats",
    default="html,xlsx",
    show_default=True,
    help="Report formats: html, xlsx, png.",
)
@click.option(
    "--hosting",
    "hosting",
    default=None,
    metavar="START:STOP:STEP",
    callback=lambda ctx, param, value: _check_hosting(value),
    help="Load-hosting curve [MW]: the PROFILE scaled so its mean is each step's MW (0 = the "
    "base), added at its bus and re-solved warm step by step; writes hosting.csv and "
    "hosting.png. One PROFILE only.",
)
@click.option(
    "--offer",
    is_flag=True,
    help="Also write offer_<tenant>.html: a one-page offer sheet per tenant (A4, --lang), docs/offer.md.",
)
@click.option(
    "--weather-years",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Re-run the study for N synthetic weather years (as gridopt sweep): each tenant's "
    "P10/P50/P90 offer price (or short-run price) in tenant.json and on the offer sheet.",
)
def tenant(
    scenario: Path,
    profiles: tuple[str, ...],
    bus: str | None,
    flex_band: float,
    window_h: int,
    out_dir: Path | None,
    lang: str,
    hours: int | None,
    solver_options: tuple[str, ...],
    with_report: bool,
    formats: str,
    hosting: list[float] | None,
    offer: bool,
    weather_years: int | None,
) -> None:
    """Evaluate prospective tenants: short-run cost, and with expansion options the long-run
    cost and offer price; renewable absorption (消纳) and grid changes.

    PROFILE is a library profile with parameters, e.g. aluminium_smelter:capacity_t_per_yr=200000,
    or a CSV/Excel hourly load file, e.g. load.xlsx:unit=kW,name=dc_campus (docs/tenant.md).
    """
    if hosting is not None and len(profiles) != 1:
        raise click.BadParameter(
            f"takes one PROFILE, got {len(profiles)}: run the curve for one tenant at a time",
            param_hint="--hosting",
        )
    from gridopt.tenant import evaluate_scenario, format_table, write_study

    out_dir = _check_out(out_dir or Path("results") / scenario.stem)
    if with_report:
        from gridopt.report import parse_formats

        parse_formats(formats)  # bad formats stop here, before any solving
    if weather_years is not None:
        from gridopt.tenant.offer import add_weather_years, weather_year_seeds

        seeds = weather_year_seeds(scenario, weather_years, hours)  # before any solving
    progress = _progress(lang)
    study = evaluate_scenario(
        scenario,
        profiles,
        bus=bus,
        flex_band=flex_band,
        window_h=window_h,
        hours=hours,
        solver_options=_parse_options(solver_options),
        progress=progress,
        hosting_mw=hosting,
        lang=lang,
    )
    if weather_years is not None:
        add_weather_years(
            study,
            scenario,
            profiles,
            seeds,
            progress=progress,
            bus=bus,
            flex_band=flex_band,
            window_h=window_h,
            hours=hours,
            solver_options=_parse_options(solver_options),
        )
    click.echo(format_table(study, lang))
    if study.header.get("annualisation"):  # per-year figures scaled from fewer than 8760 h
        hours_solved = int(study.header["hours"])
        progress.warn(progress.t("extrapolated", hours=hours_solved, factor=8760 / hours_solved))
    written = write_study(
        study,
        out_dir,
        report_formats=formats if with_report else None,
        lang=lang,
        progress=progress,
    )
    if offer:
        from gridopt.tenant.offer import write_offer_sheets

        written += write_offer_sheets(study.to_dict(), out_dir, lang)
    click.echo("\n" + progress.t("tenant_written", files=", ".join(str(p) for p in written)))


@main.command()
@click.argument("target", metavar="SCENARIO|STUDY", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="PATH=V1,V2,...",
    help="Sweep a scenario field by dotted path, repeatable (cartesian product).",
)
@click.option(
    "--weather-years",
    type=click.IntRange(min=1),
    default=None,
    help="Repeat every case over N synthetic weather years.",
)
@click.option(
    "--seeds",
    default=None,
    metavar="A..B",
    help="Weather-year seeds, A..B inclusive (instead of --weather-years).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: results/<name>-sweep, or results/<study name>).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Local Dask workers (default: number of cores).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run on an existing Dask cluster, e.g. tcp://host:8786.",
)
@click.option(
    "--hours",
    type=click.IntRange(min=1),
    default=None,
    help="Solve only the first N hours of each case.",
)
@click.option(
    "--solver-option",
    "solver_options",
    multiple=True,
    metavar="KEY=VALUE",
    help="HiGHS option for every case, repeatable.",
)
@_lang_option("Language of sweep.html.")
@click.option(
    "--shared-fs/--no-shared-fs",
    default=None,
    help="Workers see --out at the same path and write the cases (default: yes locally, no with --scheduler).",
)
def sweep(
    target: Path,
    sets: tuple[str, ...],
    weather_years: int | None,
    seeds: str | None,
    out_dir: Path | None,
    workers: int | None,
    scheduler: str | None,
    hours: int | None,
    solver_options: tuple[str, ...],
    shared_fs: bool | None,
    lang: str,
) -> None:
    """Solve every case of a sweep on Dask and write sweep.csv, sweep_bands.csv, sweep.nc (docs/sweep.md)."""
    from gridopt.sweep import ProgressLine
    from gridopt.sweep import sweep as run_sweep

    if weather_years is not None and seeds is not None:
        raise click.UsageError("give --weather-years or --seeds, not both")
    from gridopt.console import quiet_dask, sweep_lines

    say = _progress(lang)
    quiet_dask(say.debug)
    line = ProgressLine(console=say)
    try:
        r = run_sweep(
            target,
            sets,
            weather_years=weather_years,
            seeds=seeds,
            out=out_dir,
            workers=workers,
            scheduler=scheduler,
            hours=hours,
            solver_options=_parse_options(solver_options),
            shared_fs=shared_fs,
            progress=line,
            say=say,
            lang=lang,
        )
    except KeyboardInterrupt:
        line.close()
        click.secho(say.t("sweep_interrupted"), fg="yellow", err=True)
        sys.exit(130)
    line.close()
    if r.table is not None:
        for text in sweep_lines(r.table, r.bands, r.params, lang):
            click.echo(text)
    click.echo(
        say.t(
            "sweep_done",
            total=r.total,
            computed=r.computed,
            skipped=r.skipped,
            failed=len(r.failed),
            seconds=r.elapsed_s,
        )
    )
    for case_id, error in r.failed:
        click.secho(
            say.t(
                "sweep_failed_case",
                case=case_id,
                error=error,
                path=f"{r.out_dir}/cases/{case_id}/error.txt",
            ),
            fg="red",
        )
    for note in r.notes:
        click.secho(say.t("sweep_note", text=note), fg="yellow")
    click.echo(
        say.t(
            "sweep_written",
            path=r.out_dir,
            files=", ".join(p.name for p in r.files.values()),
        )
    )
    if r.failed:
        sys.exit(1)


def _print_report(written: dict[str, list[Path]], con) -> None:
    files = [p for paths in written.values() for p in paths]
    folders = sorted({str(p.parent) for p in files})
    click.echo(con.t("report_written", n=len(files), folders=", ".join(folders)))
    for p in files:
        click.echo(f"  {p}")


def _print_summary(s: dict, out_dir: Path, con) -> None:
    """The closing lines of run / plan in ``con``'s language, then the warning when annual
    figures are scaled from a short horizon (:func:`gridopt.console.print_summary`)."""
    from gridopt.console import print_summary

    print_summary(con, s, out_dir)


def _folder_state(out_dir: Path):
    """The files in ``out_dir`` before a command writes (:func:`gridopt.console.folder_state`)."""
    from gridopt.console import folder_state

    return folder_state(out_dir)


def _print_written(out_dir: Path, before, con) -> None:
    """The command's last line: the files it wrote in ``out_dir`` (new or changed against
    ``before``), in ``con``'s language (:func:`gridopt.console.written_line`)."""
    from gridopt.console import changed_files, written_line

    con.echo(written_line(con, out_dir, changed_files(out_dir, before)))


if __name__ == "__main__":
    main()
