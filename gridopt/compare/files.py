"""``compare.csv`` and ``compare.xlsx``: the comparison's numbers, unrounded.

The csv holds one row per figure: ``section``, ``key``, ``summary_json_key`` (the dotted path
the values were read from; empty for a derived figure), ``unit`` and one column per folder,
each value as ``summary.json`` holds it (shares as fractions, money in CNY). The workbook has
the same figures with labels in the chosen language (sheet 1), the input diff (sheet 2) and
the price-duration table (sheet 3); every number carries a format with thousands separators
and its row's decimals (a share as a percentage: the cell holds the fraction), every column is
as wide as its widest shown cell (CJK characters count two).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from gridopt.compare.data import CompareData, Row, is_number
from gridopt.compare.labels import item_labels, mode_text, row_label, unit_text
from gridopt.compare.scenarios import ABSENT, UNKNOWN
from gridopt.compare.texts import Texts
from gridopt.errors import show
from gridopt.io import atomic_write
from gridopt.report.fonts import _wide

MAX_WIDTH = 90
"""Widest column of the workbook [characters]; a longer label wraps."""

UNIT_KEYS = {
    "u_cny_per_kwh": "CNY/kWh",
    "u_cny_per_mwh": "CNY/MWh",
    "u_mwh": "MWh",
    "u_mwh_yr": "MWh/yr",
    "u_t_co2": "t",
    "u_t_yr": "t/yr",
    "u_cny": "CNY",
    "u_h": "h",
    "u_percent": "-",
    "u_none": "",
}
"""The unit of each row in the csv (a share: the fraction, unit '-')."""


def write_csv(d: CompareData, path: Path) -> Path:
    """One row per figure, values as ``summary.json`` holds them (module docstring)."""
    names = [f.name for f in d.folders]

    def write(p: Path) -> None:
        with open(p, "w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(["section", "key", "summary_json_key", "unit", *names])
            for r in d.rows:
                w.writerow(
                    [
                        r.section.removeprefix("sec_"),
                        r.key,
                        r.source or "",
                        UNIT_KEYS.get(r.unit, r.unit),
                    ]
                    + [_csv(v) for v in r.values]
                )

    atomic_write(path, write)
    return path


def _csv(v) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    return repr(v) if isinstance(v, float) else str(v)


def text_width(text: str) -> int:
    """Width of ``text`` in Excel's character units (CJK and full-width characters count two)."""
    return sum(2 if _wide(c) else 1 for c in text)


def number_format(decimals: int, percent: bool = False) -> str:
    """``#,##0.0`` for one decimal, ``0.0%`` for a share shown in %."""
    if percent:
        return "0." + "0" * decimals + "%" if decimals else "0%"
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def shown_value(r: Row, v) -> str:
    """A cell as the page and Excel show it."""
    if not is_number(v):
        return "-" if v is None or isinstance(v, float) else str(v)
    x = 100 * v if r.percent else v
    if round(x, r.decimals) == 0:
        x = 0.0
    return f"{x:,.{r.decimals}f}" + ("%" if r.percent else "")


def write_xlsx(d: CompareData, path: Path, t: Texts) -> Path:
    """The workbook (module docstring), written atomically."""
    import xlsxwriter

    items = item_labels(d, t)
    names = [f.name for f in d.folders]

    def write(p: Path) -> None:
        wb = xlsxwriter.Workbook(str(p), {"nan_inf_to_errors": True})
        head = wb.add_format(
            {"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "valign": "top"}
        )
        alarm = {"font_color": "#B00000", "bold": True}
        cache: dict[tuple, object] = {}

        def fmt(decimals: int, percent: bool, loud: bool):
            key = (decimals, percent, loud)
            if key not in cache:
                cache[key] = wb.add_format(
                    {"num_format": number_format(decimals, percent), **(alarm if loud else {})}
                )
            return cache[key]

        # sheet 1: every figure
        ws = wb.add_worksheet(t("sheet_figures"))
        header = [t("h_figure"), t("h_unit"), *names, t("h_summary_key")]
        widths = [text_width(h) for h in header]
        ws.write_row(0, 0, header, head)
        for i, r in enumerate(d.rows, start=1):
            label = row_label(r, t, items)
            unit = unit_text(r.unit, t)
            ws.write(i, 0, label)
            ws.write(i, 1, unit)
            widths[0], widths[1] = (
                max(widths[0], text_width(label)),
                max(widths[1], text_width(unit)),
            )
            for j, (v, f) in enumerate(zip(r.values, d.folders), start=2):
                loud = (
                    r.alarm
                    and is_number(v)
                    and v > 1e-6
                    or (r.key == "solver_status" and v != "Optimal")
                )
                if is_number(v):
                    ws.write_number(i, j, v, fmt(r.decimals, r.percent, loud))
                    text = shown_value(r, v)
                else:
                    text = mode_text(f, t) if r.key == "mode" else ("" if v is None else str(v))
                    ws.write(i, j, text, wb.add_format(alarm) if loud else None)
                widths[j] = max(widths[j], text_width(text))
            ws.write(i, len(header) - 1, r.source or "")
            widths[-1] = max(widths[-1], text_width(r.source or ""))
        _widths(ws, widths)
        ws.freeze_panes(1, 1)

        # sheet 2: the input diff
        ws = wb.add_worksheet(t("sheet_inputs"))
        header = [t("h_path"), *names]
        widths = [text_width(h) for h in header]
        ws.write_row(0, 0, header, head)
        for i, (field, values) in enumerate(d.diff.rows, start=1):
            cells = [field] + [diff_value(v, t) for v in values]
            for j, c in enumerate(cells):
                ws.write_string(i, j, c)
                widths[j] = max(widths[j], text_width(c))
        notes = scenario_notes(d, t)
        for k, note in enumerate(notes, start=len(d.diff.rows) + 2):
            ws.write_string(k, 0, note)
        _widths(ws, widths)
        ws.freeze_panes(1, 1)

        # sheet 3: the duration table
        ws = wb.add_worksheet(t("sheet_duration"))
        header = [t("dur_x"), *[f"{n} [{t.report('u_cny_per_mwh')}]" for n in names]]
        ws.write_row(0, 0, header, head)
        rows = [r for r in d.rows if r.section == "sec_duration"]
        widths = [text_width(h) for h in header]
        for i, r in enumerate(rows, start=1):
            share = int(r.key.rsplit("_", 1)[1])
            ws.write_number(i, 0, share / 100, fmt(0, True, False))
            for j, v in enumerate(r.values, start=1):
                ws.write_number(i, j, v, fmt(1, False, False))
                widths[j] = max(widths[j], text_width(shown_value(r, v)))
        _widths(ws, widths)
        ws.freeze_panes(1, 1)
        wb.close()

    atomic_write(path, write)
    return path


def _widths(ws, widths: list[int]) -> None:
    for j, w in enumerate(widths):
        ws.set_column(j, j, min(max(w, 6) + 2, MAX_WIDTH))


def diff_value(v, t: Texts) -> str:
    """A scenario field's value as a person writes it in YAML (long lists summed up)."""
    if v is ABSENT:
        return t("absent")
    if v is UNKNOWN:
        return "?"
    return show(v)


def scenario_notes(d: CompareData, t: Texts) -> list[str]:
    """Where each folder's resolved scenario came from, or why it has none."""
    out = []
    for f in d.folders:
        s = f.scenario
        if s.data is None:
            out.append(t("scenario_missing", name=f.name, why=t(s.why, path=s.path)))
        else:
            key = {"run": "scenario_from_run", "case": "scenario_from_case"}.get(
                s.source, "scenario_from_file"
            )
            out.append(t(key, name=f.name, path=s.path))
    return out
