"""Errors a planner sees as one clear message (the CLI prints them without a traceback)."""

from __future__ import annotations

from dataclasses import dataclass


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
            text += f" (got {self.value!r})"
        if self.fix:
            text += f"; {self.fix}"
        return text


class InputError(GridoptError):
    """One or more problems in an input file (scenario, weather file, load profile).

    All problems are collected and reported together, one line each.
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
        return head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)


class SolveError(GridoptError):
    """The solver did not return an optimal solution; no result is written."""
