"""Text helpers every part of the report uses: HTML escaping, numbers with thousands
separators, an energy item's kind in the page's language. A leaf module (it imports no other
part of the report), so the report's modules import it without importing each other."""

from __future__ import annotations

import html
import math


def esc(x: object) -> str:
    """``x`` as text safe inside HTML (``<``, ``>``, ``&`` and quotes escaped)."""
    return html.escape(str(x))


def fmt(value: float | str | None, decimals: int = 1) -> str:
    """A number with thousands separators and ``decimals`` decimals; '-' for None/NaN."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if not math.isfinite(value):
        return "-"
    if round(value, decimals) == 0:
        value = 0.0  # no "-0.0" for a tiny negative
    return f"{value:,.{decimals}f}"


def kind_label(kind: str, tr) -> str:
    """An energy item's kind in ``tr``'s language (``tech_<kind>``); without a text, the kind
    with spaces for underscores."""
    text = tr.tech(kind)
    return text.replace("_", " ") if text == kind else text
