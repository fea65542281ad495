"""Errors of the report command: one clear line for the planner, no traceback."""

from __future__ import annotations

from gridopt.errors import GridoptError


class ReportError(GridoptError):
    """A report cannot be made: missing or unreadable results, an unknown option, no CJK font."""
