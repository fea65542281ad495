"""Errors a planner sees as one clear message (the CLI prints them without a traceback)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

MAX_VALUE_CHARS = 80
"""Longest value shown in a message; longer ones are cut with "…" (a list says its length)."""
MAX_PROBLEM_CHARS = 400
"""Longest one-problem line."""
MAX_LISTED = 20
"""How many problems an error lists before "… and N more"."""


def show(value: object) -> str:
    """``value`` as a person writes it in a scenario or CSV file: ``null``, ``nan``, ``inf``,
    ``1e+308``, ``2025-01-01``, ``true``, ``'text'``, ``[0.1, 0.2, … (8760 values)]``; at most
    :data:`MAX_VALUE_CHARS` characters."""
    text = _show(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    return text


def _show(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" if not value.second else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:  # a numpy scalar
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= MAX_VALUE_CHARS else repr(value[:60])[:-1] + "…'"
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and hasattr(value, "ndim")):
        items = list(value.tolist() if hasattr(value, "tolist") else value)
        head = ", ".join(_show(v) for v in items[:5])
        if len(items) > 5:
            return f"[{head}, … ({len(items)} values)]"
        return f"[{head}]"
    if isinstance(value, dict):
        parts = [f"{k}: {_show(v)}" for k, v in list(value.items())[:5]]
        return "{" + ", ".join(parts) + (", …" if len(value) > 5 else "") + "}"
    return str(value)


class GridoptError(Exception):
    """Base class for every error gridopt reports to a user as a message, not a traceback."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input: where it is, what was found, and what would be valid.

    ``where`` names the file and the field path (``scenario.yaml: thermal.coal.p_unit_mw``) or
    the file and row (``profile.csv: row 17, column p_mw``).
    """

    where: str
    message: str
    value: object = None
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}"
        if self.value is not None:
            text += f" (got {show(self.value)})"
        if self.fix:
            text += f"; {self.fix}"
        if len(text) > MAX_PROBLEM_CHARS:
            text = text[: MAX_PROBLEM_CHARS - 1] + "…"
        return text


class InputError(GridoptError):
    """One or more problems in an input file (scenario, weather file, load profile).

    All problems are collected and reported together, one line each; past
    :data:`MAX_LISTED` the rest are summed up in one line ("… and N more problems").
    """

    def __init__(self, problems: list[Problem] | Problem, title: str | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.title = title
        self.partial = None  # for a scenario: what still validated, so later checks can run
        super().__init__(self.format())

    def format(self) -> str:
        n = len(self.problems)
        head = self.title or (f"{n} problem{'s' if n != 1 else ''} found")
        if n == 1 and not self.title:
            return str(self.problems[0])
        lines = [f"  - {p}" for p in self.problems[:MAX_LISTED]]
        if n > MAX_LISTED:
            more = n - MAX_LISTED
            lines.append(f"  … and {more} more problem{'s' if more != 1 else ''}")
        return head + ":\n" + "\n".join(lines)


class SolveError(GridoptError):
    """The solver did not return an optimal solution; no result is written."""
