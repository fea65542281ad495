"""Formatting shared by the HTML, Excel and PNG writers (numbers, key figures, warnings)."""

from __future__ import annotations

import math

from gridopt.report.data import KeyFigure, ReportData
from gridopt.report.i18n import Translator


def fmt(value: float | str | None, decimals: int = 1) -> str:
    """A number with thousands separators and ``decimals`` decimals; '-' for None/NaN."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if not math.isfinite(value):
        return "-"
    return f"{value:,.{decimals}f}"


def key_figure_rows(d: ReportData, tr: Translator) -> list[tuple[str, str, str, KeyFigure]]:
    """(label, formatted value, unit, figure) for each key figure, in ``tr``'s language."""
    rows = []
    for k in d.key_figures:
        value = tr.money(k.value) if k.money and isinstance(k.value, (int, float)) else k.value
        rows.append((tr(k.key, **k.fields), fmt(value, k.decimals), tr(k.unit), k))
    return rows


def key_figure_value(k: KeyFigure, tr: Translator) -> float | str | None:
    """The value of a key figure in the unit shown (money in the language's money unit)."""
    if k.money and isinstance(k.value, (int, float)):
        return tr.money(k.value)
    if isinstance(k.value, float) and not math.isfinite(k.value):
        return None
    return k.value


def warning_texts(d: ReportData, tr: Translator) -> list[tuple[str, bool]]:
    """(text, loud) for each warning; loud ones are unserved energy, dumped excess and a
    non-optimal solve."""
    out = []
    for key, fields in d.warnings:
        f = dict(fields)
        if "cny_value" in f:
            f["cny"] = f"{fmt(tr.money(f.pop('cny_value')), 0)} {tr('u_money')}"
        out.append((tr(key, **f), key in ("warn_unserved", "warn_excess", "warn_solver")))
    return out
