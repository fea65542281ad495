"""``gridopt compare DIR1 DIR2 [...]``: several results folders side by side.

:func:`make_compare` reads each folder written by ``gridopt run``, ``plan``, ``tenant`` (or a
sweep case) — ``summary.json`` and ``results.nc`` — and writes into the output folder, as a
whole (:func:`gridopt.io.staged_folder`):

- ``compare.html``: one offline page (plotly.js embedded, the CJK glyphs it draws embedded as a
  subset like the report's): headline prices (delivered, cost-recovery, load-weighted marginal,
  against the provincial tariff and the coal benchmark), the delivered-price decomposition as
  stacked bars side by side, energy mix, curtailment, CO2, unserved energy (loud when any),
  solver status, what differs in the inputs (:mod:`gridopt.compare.scenarios`) and a
  price-duration overlay;
- ``compare.xlsx``: the same numbers (unrounded, with number formats with thousands
  separators, columns fitted to their content), the input diff and the duration table;
- ``compare.csv``: one row per figure (``section``, ``key``, ``summary_json_key``, ``unit``, one
  column per folder), values as ``summary.json`` holds them (shares as fractions).

Every figure and how the derived ones are made: :mod:`gridopt.compare.data` and
docs/compare.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from gridopt.compare.data import (
    CompareData,
    CompareError,
    build,
    check_folder,
    read_folder,
)
from gridopt.compare.texts import Texts

DEFAULT_OUT = Path("compare")
"""Output folder when ``--out`` is not given: ``compare/`` in the current folder."""


def parse_names(names: str | Sequence[str] | None, dirs: Sequence[Path]) -> list[str]:
    """The names the folders are shown under: ``--names a,b,c`` (one per folder, different,
    non-empty), else each folder's own name; CompareError otherwise."""
    if names is None:
        shown = [Path(d).resolve().name or str(d) for d in dirs]
        seen: dict[str, Path] = {}
        for name, d in zip(shown, dirs):
            if name in seen:
                raise CompareError(
                    f"two folders are both named {name!r} ({seen[name]} and {d}); "
                    f"name them with --names, e.g. --names {','.join(f'case{i + 1}' for i in range(len(dirs)))}"
                )
            seen[name] = Path(d)
        return shown
    items = [n.strip() for n in (names.split(",") if isinstance(names, str) else names)]
    if len(items) != len(dirs):
        raise CompareError(
            f"--names {','.join(items)!r}: {len(items)} name(s) for {len(dirs)} folders; give one name per folder, comma-separated"
        )
    if any(not n for n in items):
        raise CompareError(
            f"--names {','.join(items)!r}: a name is empty; give one name per folder"
        )
    dup = sorted({n for n in items if items.count(n) > 1})
    if dup:
        raise CompareError(f"--names: {', '.join(dup)} given twice; give each folder its own name")
    return items


def check(dirs: Sequence[Path], out_dir: Path) -> None:
    """The checks made before anything is read: at least two folders, an ``--out`` that can
    be a folder."""
    from gridopt.io import check_folder

    if len(dirs) < 2:
        raise CompareError(
            f"{len(dirs)} results folder(s) given; compare needs at least two: gridopt compare DIR1 DIR2 [DIR3 ...]"
        )
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise CompareError(f"--out {out}: exists and is not a folder; give a folder")
    check_folder(out)


def load(
    dirs: Sequence[Path], names: str | Sequence[str] | None = None, progress=lambda s: None
) -> CompareData:
    """Read the folders and compute every figure (:func:`gridopt.compare.data.build`)."""
    for d in dirs:
        check_folder(Path(d))
    shown = parse_names(names, dirs)
    folders = []
    for d, name in zip(dirs, shown):
        progress(str(d))
        folders.append(read_folder(Path(d), name))
    return build(folders)


def make_compare(
    dirs: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    lang: str = "zh",
    names: str | Sequence[str] | None = None,
    progress: Callable[[str], None] = lambda s: None,
) -> list[Path]:
    """Write ``compare.html``, ``compare.xlsx`` and ``compare.csv`` of the results folders
    ``dirs`` into ``out_dir`` (default :data:`DEFAULT_OUT`); returns the files written.

    Raises CompareError (or InputError for ``lang`` and an unwritable ``out_dir``) before
    anything is written."""
    from gridopt.compare import files, html
    from gridopt.io import staged_folder
    from gridopt.report import check_lang

    lang = check_lang(lang)
    dirs = [Path(d) for d in dirs]
    out = Path(out_dir) if out_dir is not None else DEFAULT_OUT
    check(dirs, out)
    t = Texts(lang)
    d = load(dirs, names, lambda p: progress(t("progress_read", path=p)))
    warn = getattr(progress, "warn", progress)  # a gridopt.console.Console shows it in colour
    for key, fields, _ in d.warnings:
        warn(t("warning", text=t(key, **fields)))
    with staged_folder(out, last=()) as stage:
        progress(t("progress_write", what="compare.csv"))
        files.write_csv(d, stage / "compare.csv")
        progress(t("progress_write", what="compare.xlsx"))
        files.write_xlsx(d, stage / "compare.xlsx", t)
        progress(t("progress_write", what="compare.html"))
        html.write(d, stage / "compare.html", t)
    return [out / n for n in ("compare.html", "compare.xlsx", "compare.csv")]


__all__ = ["DEFAULT_OUT", "CompareError", "make_compare", "parse_names"]
