"""Writing a tenant study: ``tenant.csv`` and ``tenant.json``, the base case's results as
``gridopt run`` writes them, and the report with the tenant section, all staged so that a
failure leaves an earlier study as it was."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from gridopt import results as res
from gridopt.io import atomic_write, write_json
from gridopt.tenant.study import Progress, TenantStudy
from gridopt.tenant.tables import tenant_frame


def _base_run(study: TenantStudy):
    """The base case (without tenants) as a :class:`gridopt.run.RunResult`: results and the
    summary ``gridopt run`` would write."""
    from gridopt.prices import summary_fields
    from gridopt.run import RunResult, peak_memory_mb

    if study.base_results is None:
        raise ValueError("the study has no base results")
    r0 = study.base_results
    summary = res.summary(r0, dict(study.header.get("timings_s", {})), peak_memory_mb())
    summary.update(summary_fields(r0))
    return RunResult(r0, summary)


def write_base_results(study: TenantStudy, out_dir: str | Path) -> list[Path]:
    """Write the base case (without tenants) as ``gridopt run`` would: ``results.nc``,
    ``prices.csv`` and ``summary.json`` in ``out_dir`` (replacing earlier ones only once all
    three are complete), so ``gridopt report out_dir`` shows the grid the tenants were
    evaluated against, with the tenant section from ``tenant.json``."""
    from gridopt.run import write_outputs as write_run

    out = Path(out_dir)
    write_run(_base_run(study), out)
    return [out / "results.nc", out / "prices.csv", out / "summary.json"]


def write_outputs(study: TenantStudy, out_dir: str | Path, lang: str = "zh") -> list[Path]:
    """Write ``tenant.csv`` (with a hosting curve also ``hosting.csv`` and ``hosting.png``,
    labelled in ``lang``) and then ``tenant.json`` atomically into ``out_dir``; returns the paths.

    The CSVs are UTF-8 with a byte-order mark so Excel shows Chinese names correctly.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    df = tenant_frame(study)
    csv, js = out / "tenant.csv", out / "tenant.json"
    atomic_write(
        csv, lambda p: df.to_csv(p, index=False, encoding="utf-8-sig", float_format="%.6f")
    )
    files = [js, csv]
    if study.hosting is not None:
        from gridopt.tenant.hosting import write_csv
        from gridopt.tenant.hosting_plot import write_png

        files.append(write_csv(study.hosting, out / "hosting.csv"))
        files.append(write_png(study.hosting, out / "hosting.png", lang))
    write_json(js, study.to_dict())
    return files


def write_study(
    study: TenantStudy,
    out_dir: str | Path,
    *,
    report_formats: str | Sequence[str] | None = ("html", "xlsx"),
    lang: str = "zh",
    progress: Progress = lambda s: None,
) -> list[Path]:
    """Write everything ``gridopt tenant`` writes into ``out_dir`` as a whole; returns the paths.

    ``tenant.csv`` and ``tenant.json`` (and ``hosting.csv``/``hosting.png``); with ``report_formats`` (None: none) also the base
    case's ``results.nc``, ``prices.csv``, ``summary.json`` and the report with the tenant
    section. The files are written into a staging folder (:func:`gridopt.io.staged_folder`)
    and moved into ``out_dir`` only when all are complete, ``summary.json`` and ``tenant.json``
    last: a failure at any point leaves the files of an earlier study there as they were.
    """
    from gridopt.io import staged_folder
    from gridopt.run import write_files

    out = Path(out_dir)
    with staged_folder(out, last=("summary.json", "tenant.json")) as stage:
        files = write_outputs(study, stage, lang)
        if report_formats:
            from gridopt.report import make_report

            write_files(_base_run(study), stage)
            files += [stage / "results.nc", stage / "prices.csv", stage / "summary.json"]
            written = make_report(
                stage, lang=lang, formats=report_formats, progress=progress, shown_as=out
            )
            files += [p for paths in written.values() for p in paths]
    return [out / p.relative_to(stage) for p in files]
